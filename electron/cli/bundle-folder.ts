// Bundle folders on the command line (written by `capture --bundle` or exported by the app):
// bundle.json lists the parts, so a folder of snapshots stands for the parts that were
// captured (bundle.json and memstats.txt are not snapshots), and a single-profile command
// given a bundle folder reads its CPU profile.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  BUNDLE_FILES,
  BUNDLE_MANIFEST_FILE,
  type BundleManifest,
} from '../services/capture/bundle';
import { InputError } from './args';

/** The manifest of a bundle folder; null when dir has no bundle.json. */
export async function readBundleManifest(dir: string): Promise<BundleManifest | null> {
  let text: string;
  try {
    text = await fs.readFile(join(dir, BUNDLE_MANIFEST_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`${dir}: cannot read ${BUNDLE_MANIFEST_FILE}: ${(err as Error).message}`);
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${dir}/${BUNDLE_MANIFEST_FILE}: not JSON (${(err as Error).message})`);
  }
  const ok =
    typeof m === 'object' &&
    m !== null &&
    (m as BundleManifest).format === 'pprof-studio-bundle' &&
    Array.isArray((m as BundleManifest).parts);
  if (!ok)
    throw new InputError(`${dir}/${BUNDLE_MANIFEST_FILE}: not a pprof Studio bundle manifest`);
  return m as BundleManifest;
}

const SNAPSHOT_FILES = new Set(
  Object.entries(BUNDLE_FILES)
    .filter(([kind]) => kind !== 'memstats')
    .map(([, file]) => file),
);

/**
 * The snapshot files of a folder, sorted, hidden files left out: for a bundle folder only
 * its captured parts (those bundle.json lists as done), for any other folder every name.
 */
export async function folderMembers(dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const m = await readBundleManifest(dir);
  if (!m) return names;
  const done = new Set(
    m.parts.filter((p) => p.state === 'done' && SNAPSHOT_FILES.has(p.file)).map((p) => p.file),
  );
  return names.filter((n) => done.has(n));
}

/** A bundle folder given where one profile is expected stands for its CPU profile. */
export async function profileInBundle(source: string): Promise<string> {
  let isDir: boolean;
  try {
    isDir = (await fs.stat(source)).isDirectory();
  } catch {
    return source; // the reader says what is wrong
  }
  if (!isDir || !(await readBundleManifest(source))) return source;
  return join(source, BUNDLE_FILES.cpu);
}

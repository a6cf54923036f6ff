// First run: copy the demo snapshots shipped in resources/demo into the library, so the first
// screen is never empty. A marker file records that it happened; after that the user's
// deletions stand (no reseeding).
//
// resources/demo/manifest.json:
//   { "snapshots": [ { "file": "orders-before-cpu.pb.gz", "kind": "cpu", "mode": "before",
//                      "note": "...", "name": "..." }, ... ] }
// `file` is a plain file name inside resources/demo; the others are optional (`mode` or
// `group` becomes the snapshot's group; `kind` is used only when the bytes cannot tell).
import { access, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  SNAPSHOT_KINDS,
  type LibraryProblem,
  type SnapshotKind,
  type SnapshotMeta,
} from '../../../core/contract';
import { writeFileAtomic } from '../atomic-file';
import type { Library } from './library';

export const SEED_MARKER = '.seeded';

export interface DemoEntry {
  file: string;
  name?: string;
  note?: string;
  group?: string;
  kind?: SnapshotKind;
}

export interface SeedResult {
  /** false when the marker said it was done before, or there is no demo folder. */
  seeded: boolean;
  snapshots: SnapshotMeta[];
  problems: LibraryProblem[];
}

function optString(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.slice(0, max) : undefined;
}

/** Reads and checks the manifest; entries that are not usable are reported, not fatal. */
export function parseManifest(text: string): { entries: DemoEntry[]; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return {
      entries: [],
      problems: [`manifest.json is not valid JSON: ${e instanceof Error ? e.message : e}`],
    };
  }
  const list = Array.isArray(raw) ? raw : (raw as { snapshots?: unknown } | null)?.snapshots;
  if (!Array.isArray(list))
    return { entries: [], problems: ['manifest.json has no "snapshots" list'] };
  const entries: DemoEntry[] = [];
  list.forEach((item: unknown, i) => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const file = o.file;
    if (
      typeof file !== 'string' ||
      file === '' ||
      basename(file) !== file ||
      file.startsWith('.')
    ) {
      problems.push(`manifest entry ${i} has no plain "file" name`);
      return;
    }
    const kind =
      typeof o.kind === 'string' && (SNAPSHOT_KINDS as readonly string[]).includes(o.kind)
        ? (o.kind as SnapshotKind)
        : undefined;
    entries.push({
      file,
      name: optString(o.name, 256),
      note: optString(o.note, 10_000),
      // The fixture generator writes `mode` (before/after): that is the recipe group.
      group: optString(o.group, 256) ?? optString(o.mode, 256),
      kind,
    });
  });
  return { entries, problems };
}

export async function seedDemo(library: Library, demoDir: string): Promise<SeedResult> {
  const marker = join(library.dir, SEED_MARKER);
  const none: SeedResult = { seeded: false, snapshots: [], problems: [] };
  if (
    await access(marker).then(
      () => true,
      () => false,
    )
  )
    return none;
  let text: string;
  try {
    text = await readFile(join(demoDir, 'manifest.json'), 'utf8');
  } catch {
    // No demo shipped (a development checkout before resources/demo exists): try next time.
    return none;
  }
  const { entries, problems } = parseManifest(text);
  const result: SeedResult = {
    seeded: true,
    snapshots: [],
    problems: problems.map((reason) => ({ file: 'demo/manifest.json', reason })),
  };
  for (const entry of entries) {
    try {
      const bytes = await readFile(join(demoDir, entry.file));
      const r = await library.import({
        bytes,
        fileName: entry.file,
        source: { type: 'demo', file: entry.file },
        note: entry.note,
        group: entry.group ?? null,
        kindHint: entry.kind,
      });
      let meta = r.snapshot;
      if (entry.name && r.outcome === 'added') meta = await library.rename(meta.id, entry.name);
      result.snapshots.push(meta);
    } catch (e) {
      result.problems.push({
        file: `demo/${entry.file}`,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
  }
  await writeFileAtomic(
    join(library.dir, SEED_MARKER),
    `${JSON.stringify({ seededAt: new Date().toISOString(), count: result.snapshots.length })}\n`,
  );
  return result;
}

// Bundles in the library: each bundle's manifest (window, target, build info, MemStats, parts
// with their state and snapshot) kept beside its snapshots as library/bundles/<groupId>.json,
// written atomically. A bundle is exported as a folder (one file per part, named as the CLI's
// `capture --bundle` names them, plus bundle.json and memstats.txt), and a folder becomes a
// bundle: its files are imported as snapshots one by one (importSnapshot), then importFolder
// makes the manifest, from its bundle.json when it has one, from the files otherwise.
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import {
  bundleManifest,
  describeProblems,
  libraryBundle,
  ServiceError,
  type BundleFolderFile,
  type BundleManifest,
  type BundlePart,
  type ImportBundleRequest,
  type LibraryBundle,
  type LibraryProblem,
  type SnapshotMeta,
} from '../../../core/contract';
import { parseHeader } from '../../../core/trace/header';
import {
  buildInfoFromProfile,
  BUNDLE_FILES,
  BUNDLE_MANIFEST_FILE,
  memStatsBlock,
} from '../capture/bundle';
import { parseMemStats } from '../poll/memstats';
import { writeFileAtomic } from '../atomic-file';
import type { Library } from './library';

/** The folder under the library that holds bundle manifests. */
export const BUNDLES_DIR = 'bundles';
const MAX_RECORD_BYTES = 1024 * 1024;

function problemOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class BundleStore {
  private readonly records = new Map<string, LibraryBundle>();
  problems: LibraryProblem[] = [];

  private constructor(
    private readonly library: Library,
    private readonly now: () => Date,
  ) {}

  get dir(): string {
    return join(this.library.dir, BUNDLES_DIR);
  }

  /** Reads library/bundles/; a record that does not read is reported and left alone. */
  static async open(library: Library, now: () => Date = () => new Date()): Promise<BundleStore> {
    const store = new BundleStore(library, now);
    await mkdir(store.dir, { recursive: true });
    for (const name of (await readdir(store.dir)).sort()) {
      if (!name.endsWith('.json')) continue;
      const file = `${BUNDLES_DIR}/${name}`;
      try {
        const st = await lstat(join(store.dir, name));
        if (!st.isFile() || st.size > MAX_RECORD_BYTES) throw new Error('not a bundle record');
        const r = libraryBundle.check(
          JSON.parse(await readFile(join(store.dir, name), 'utf8')),
          '',
        );
        if (!r.ok) throw new Error(describeProblems(r.problems));
        if (`${r.value.manifest.groupId}.json` !== name)
          throw new Error('names another bundle than its file name');
        store.records.set(r.value.manifest.groupId, r.value);
      } catch (e) {
        store.problems.push({ file, reason: `bundle record skipped: ${problemOf(e)}` });
      }
    }
    return store;
  }

  /** Newest first. */
  list(): LibraryBundle[] {
    return [...this.records.values()].sort((a, b) =>
      a.storedAt < b.storedAt ? 1 : a.storedAt > b.storedAt ? -1 : 0,
    );
  }

  get(groupId: string): LibraryBundle {
    const b = this.records.get(groupId);
    if (!b)
      throw new ServiceError('not-found', `no bundle with group id ${groupId} in the library`);
    return b;
  }

  private async save(b: LibraryBundle): Promise<LibraryBundle> {
    const checked = libraryBundle.check(b, 'bundle');
    if (!checked.ok) throw new ServiceError('invalid-request', describeProblems(checked.problems));
    try {
      await writeFileAtomic(
        join(this.dir, `${b.manifest.groupId}.json`),
        JSON.stringify(checked.value, null, 2) + '\n',
      );
    } catch (e) {
      throw new ServiceError('io', `cannot store bundle ${b.manifest.name}: ${problemOf(e)}`);
    }
    this.records.set(b.manifest.groupId, checked.value);
    return checked.value;
  }

  /** Keeps a bundle captured here (called when the run ends with at least one part stored). */
  saveCaptured(manifest: BundleManifest, memStatsText: string | null): Promise<LibraryBundle> {
    return this.save({
      manifest,
      memStatsText,
      origin: { type: 'capture' },
      storedAt: this.now().toISOString(),
    });
  }

  /** The files of the bundle's folder: every stored part, bundle.json and memstats.txt. */
  folderFiles(groupId: string): BundleFolderFile[] {
    const b = this.get(groupId);
    const parts = b.manifest.parts.map((p): BundlePart => {
      if (!p.snapshotId) return p;
      try {
        this.library.get(p.snapshotId);
        return p;
      } catch {
        return {
          ...p,
          state: 'failed',
          snapshotId: null,
          error: { kind: 'not-found', message: 'its snapshot is no longer in the library' },
        };
      }
    });
    const manifest: BundleManifest = { ...b.manifest, parts };
    const out: BundleFolderFile[] = parts
      .filter((p) => p.snapshotId !== null && p.kind !== 'memstats')
      .map((p) => ({ file: p.file, snapshotId: p.snapshotId, text: null }));
    if (b.memStatsText !== null)
      out.push({ file: BUNDLE_FILES.memstats, snapshotId: null, text: b.memStatsText });
    out.push({
      file: BUNDLE_MANIFEST_FILE,
      snapshotId: null,
      text: JSON.stringify(manifest, null, 2) + '\n',
    });
    return out;
  }

  /** Writes the bundle into `dest`, a new or empty folder (absolute path). */
  async exportFolder(groupId: string, dest: string): Promise<string> {
    if (!isAbsolute(dest))
      throw new ServiceError('invalid-request', `export path must be absolute, got ${dest}`);
    const files = this.folderFiles(groupId);
    try {
      await mkdir(dest, { recursive: true });
      const there = (await readdir(dest)).filter((n) => !n.startsWith('.'));
      if (there.length > 0)
        throw new ServiceError('io', `${dest} is not empty: choose a new or empty folder`);
      for (const f of files) {
        const data = f.snapshotId ? await this.library.readBytes(f.snapshotId) : (f.text ?? '');
        await writeFileAtomic(join(dest, f.file), data);
      }
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      throw new ServiceError('io', `cannot export the bundle to ${dest}: ${problemOf(e)}`);
    }
    return dest;
  }

  /**
   * Makes a bundle of a folder whose files were imported (their snapshots named in `req`).
   * With a bundle.json its manifest is kept, its parts pointed at this library's snapshots;
   * a folder exported from a library that still holds the bundle gives that same bundle.
   */
  async importFolder(req: ImportBundleRequest): Promise<LibraryBundle> {
    let read: BundleManifest | null = null;
    let manifestProblem = '';
    if (req.manifestText !== null) {
      try {
        const r = bundleManifest.check(JSON.parse(req.manifestText), 'bundle.json');
        if (r.ok) read = r.value;
        else manifestProblem = describeProblems(r.problems);
      } catch (e) {
        manifestProblem = `not JSON (${problemOf(e)})`;
      }
    }
    if (read && this.records.has(read.groupId)) {
      const existing = this.records.get(read.groupId)!;
      const same = req.files.every(
        (f) =>
          f.snapshotId === null ||
          existing.manifest.parts.some((p) => p.snapshotId === f.snapshotId),
      );
      if (same) return existing;
      read = { ...read, groupId: randomUUID() }; // the same id, other files: a bundle of its own
    }
    const metas = new Map<string, SnapshotMeta>();
    for (const f of req.files) if (f.snapshotId) metas.set(f.file, this.library.get(f.snapshotId));

    const byFile = new Map(req.files.map((f) => [f.file, f]));
    const partOf = (file: string, kind: string, base?: BundlePart): BundlePart => {
      const f = byFile.get(file);
      const meta = metas.get(file);
      if (f && meta)
        return {
          kind,
          file,
          state: 'done',
          elapsedSeconds: base?.elapsedSeconds ?? 0,
          totalSeconds: base?.totalSeconds ?? null,
          bytes: meta.size,
          snapshotId: meta.id,
          captureId: null,
          error: null,
        };
      return {
        kind,
        file,
        state: 'failed',
        elapsedSeconds: base?.elapsedSeconds ?? 0,
        totalSeconds: base?.totalSeconds ?? null,
        bytes: 0,
        snapshotId: null,
        captureId: null,
        error: {
          kind: f ? 'invalid-body' : 'not-found',
          message: f ? (f.error ?? 'not imported') : `${file} is not in the folder`,
        },
      };
    };

    const used = new Set<string>([BUNDLE_MANIFEST_FILE, BUNDLE_FILES.memstats]);
    const parts: BundlePart[] = [];
    for (const p of read?.parts ?? []) {
      used.add(p.file);
      if (p.kind === 'memstats') {
        parts.push(
          req.memStatsText !== null
            ? { ...p, state: 'done', bytes: Buffer.byteLength(req.memStatsText), error: null }
            : p.state === 'done'
              ? { ...partOf(p.file, p.kind, p), snapshotId: null }
              : p,
        );
      } else if (p.state === 'done' || byFile.has(p.file)) parts.push(partOf(p.file, p.kind, p));
      else parts.push({ ...p, snapshotId: null, captureId: null }); // failed when captured
    }
    // Files bundle.json does not list (or every file, without one).
    for (const f of req.files) {
      if (used.has(f.file)) continue;
      used.add(f.file);
      parts.push(partOf(f.file, metas.get(f.file)?.kind ?? 'unknown'));
    }
    if (!read && req.memStatsText !== null)
      parts.push({
        kind: 'memstats',
        file: BUNDLE_FILES.memstats,
        state: 'done',
        elapsedSeconds: 0,
        totalSeconds: null,
        bytes: Buffer.byteLength(req.memStatsText),
        snapshotId: null,
        captureId: null,
        error: null,
      });

    const memStats = (() => {
      const block = req.memStatsText !== null ? memStatsBlock(req.memStatsText) : null;
      return block ? parseMemStats(block) : null;
    })();
    const groupId = read?.groupId ?? randomUUID();
    const note = manifestProblem
      ? `${read?.note ? `${read.note}\n` : ''}bundle.json was not read: ${manifestProblem}`.slice(
          0,
          4096,
        )
      : (read?.note ?? '');
    const manifest: BundleManifest = {
      format: 'pprof-studio-bundle',
      version: 1,
      groupId,
      name: read?.name ?? req.folder,
      note,
      target: read?.target ?? null,
      window: read?.window ?? null,
      finishedAt: read?.finishedAt ?? null,
      build: read?.build ?? (await this.buildInfo(parts)),
      parts,
      failures: parts
        .filter((p) => p.state === 'failed' || p.state === 'cancelled')
        .map((p) => ({ kind: p.kind, reason: p.error?.message ?? p.state })),
      memStats: read?.memStats ?? (memStats as BundleManifest['memStats']),
      coldStart: read?.coldStart ?? null,
    };
    // The new snapshots join the bundle's group (one already in another group stays there).
    for (const p of parts) {
      if (!p.snapshotId) continue;
      const meta = this.library.get(p.snapshotId);
      if (meta.groupId && meta.groupId !== groupId) continue;
      await this.library.setGroup(p.snapshotId, {
        groupId,
        group: manifest.name,
        stepKey: p.kind,
        target: manifest.target ? { id: null, ...manifest.target } : meta.target,
      });
    }
    return this.save({
      manifest,
      memStatsText: req.memStatsText,
      origin: { type: 'folder', name: req.folder },
      storedAt: this.now().toISOString(),
    });
  }

  /** Binary and build id from the CPU profile, the trace format from the trace header. */
  private async buildInfo(parts: BundlePart[]): Promise<BundleManifest['build']> {
    const build: BundleManifest['build'] = { binary: null, buildId: null, traceFormat: null };
    for (const p of parts) {
      if (!p.snapshotId) continue;
      if (p.kind === 'cpu' && build.binary === null)
        Object.assign(build, buildInfoFromProfile(await this.library.readBytes(p.snapshotId)));
      if (p.kind === 'trace' && build.traceFormat === null) {
        try {
          build.traceFormat = `go ${parseHeader(await this.library.readBytes(p.snapshotId)).goVersion}`;
        } catch {
          // a damaged trace: no format to name
        }
      }
    }
    return build;
  }
}

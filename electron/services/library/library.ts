// The snapshot library: a folder of original bytes plus JSON sidecars, with a trash folder.
//
// Layout:  DIR/<id><ext>  DIR/<id>.json   and the same under DIR/trash/ for deleted ones.
// The sidecar is written last (atomically), so it is the commit point of an import: a data
// file without a sidecar is an interrupted import, reported and left alone. Nothing found in
// the folder is ever deleted by the library; problems are listed for the user instead.
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  copyFile,
  lstat,
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import {
  ServiceError,
  SNAPSHOT_ID,
  type AnyEvent,
  type ImportSnapshotResult,
  type LibraryInfo,
  type LibraryProblem,
  type SnapshotKind,
  type SnapshotMeta,
  type SnapshotSource,
  type SnapshotTarget,
} from '../../../core/contract';
import { safeFileName } from '../../../core/library/file-name';
import { TEMP_PREFIX, fsyncDir, writeFileAtomic } from '../atomic-file';
import { TargetLimiter } from '../capture/limiter';
import { detectSnapshot, extensionFor } from './detect';
import type { Detector } from './detect-pool';
import { MAX_SIDECAR_BYTES, SIDECAR_EXT, decodeSidecar, encodeSidecar } from './sidecar';

export const TRASH_DIR = 'trash';
/** Imports whose bytes are inflated and scanned at the same time. */
export const IMPORT_DETECT_SLOTS = 2;
/** Files the library itself keeps at the top of its folder. */
const OWN_FILES = new Set([TRASH_DIR, '.seeded', 'bundles']);

export interface StoreInput {
  bytes: Uint8Array;
  /** The name the bytes arrived with; the display name unless `name` is given. */
  fileName: string;
  /** Display name (captures: "orders · cpu 30 s · 14:53"). */
  name?: string;
  source: SnapshotSource;
  target?: SnapshotTarget | null;
  note?: string;
  group?: string | null;
  /** The kind the caller knows (a capture of /mutex); used when the bytes cannot tell. */
  kindHint?: SnapshotKind;
  /** Capture time, when the caller knows it better than the profile. */
  capturedAt?: string | null;
  durationNanos?: number | null;
  /** Live captures: recipe run id, step key, delta and seconds (see SnapshotMeta). */
  capture?: Pick<SnapshotMeta, 'groupId' | 'stepKey' | 'delta' | 'seconds'>;
}

interface Entry {
  meta: SnapshotMeta;
  dataFile: string;
  trashed: boolean;
}

export type LibraryEvent = Extract<
  AnyEvent,
  { name: 'snapshot.added' | 'snapshot.changed' | 'snapshot.removed' | 'library.changed' }
>;

export interface LibraryOptions {
  now?: () => Date;
  emit?: (event: LibraryEvent) => void;
  /** Recognises imports; the app passes a worker-thread one (detect-pool.ts). */
  detect?: Detector;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function newId(now: Date): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(4).toString('hex')}`;
}

function ioError(what: string, e: unknown): ServiceError {
  const code = (e as { code?: string }).code;
  const why = e instanceof Error ? e.message : String(e);
  if (code === 'ENOSPC') return new ServiceError('io', `${what}: the disk is full`);
  if (code === 'EACCES' || code === 'EPERM')
    return new ServiceError('io', `${what}: permission denied (${why})`);
  return new ServiceError('io', `${what}: ${why}`);
}

function displayName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return (base.trim() || 'snapshot').slice(0, 256);
}

export class Library {
  private readonly entries = new Map<string, Entry>();
  /**
   * Detection inflates and scans the bytes: at most this many imports do it at once, so
   * several uploads (or a folder of files) cannot each take the ratio cap's worth of memory.
   */
  private readonly detecting = new TargetLimiter(IMPORT_DETECT_SLOTS);
  private readonly bySha = new Map<string, string>();
  private problems: LibraryProblem[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly emit: (event: LibraryEvent) => void;
  private readonly detect: Detector;

  private constructor(
    readonly dir: string,
    options: LibraryOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.emit = options.emit ?? (() => undefined);
    this.detect = options.detect ?? detectSnapshot;
  }

  /** Opens (creating if needed) the library folder and indexes it. */
  static async open(dir: string, options: LibraryOptions = {}): Promise<Library> {
    const lib = new Library(dir, options);
    try {
      await mkdir(join(dir, TRASH_DIR), { recursive: true });
    } catch (e) {
      throw ioError(`cannot create the library folder ${dir}`, e);
    }
    await lib.scan();
    return lib;
  }

  get trashDir(): string {
    return join(this.dir, TRASH_DIR);
  }

  /** Runs mutations one at a time, so dedupe checks and renames never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async scan(): Promise<void> {
    this.entries.clear();
    this.bySha.clear();
    const problems: LibraryProblem[] = [];
    const found = new Map<string, Entry>();
    /** Problems of sidecars whose data file is missing, by snapshot id. */
    const missingData = new Map<LibraryProblem, string>();
    for (const trashed of [false, true]) {
      const folder = trashed ? this.trashDir : this.dir;
      const prefix = trashed ? `${TRASH_DIR}/` : '';
      let names: string[];
      try {
        names = await readdir(folder);
      } catch (e) {
        throw ioError(`cannot read the library folder ${folder}`, e);
      }
      const referenced = new Set<string>();
      const candidates: string[] = [];
      for (const name of names.sort()) {
        if (!trashed && OWN_FILES.has(name)) continue;
        if (name.startsWith(TEMP_PREFIX)) {
          problems.push({
            file: prefix + name,
            reason:
              'temporary file left by an interrupted write; it is not a snapshot and can be deleted by hand',
          });
          continue;
        }
        if (name.endsWith(SIDECAR_EXT)) {
          const entry = await this.readSidecar(
            folder,
            name,
            trashed,
            prefix,
            problems,
            referenced,
            missingData,
          );
          if (!entry) continue;
          referenced.add(entry.dataFile);
          const other = found.get(entry.meta.id);
          if (other) {
            // Same id in library and trash: an interrupted move. Keep the library copy.
            problems.push({
              file: prefix + name,
              reason: `a second sidecar for snapshot ${entry.meta.id} (an interrupted move to or from the trash); the library copy is used`,
            });
            continue;
          }
          found.set(entry.meta.id, entry);
          continue;
        }
        candidates.push(name);
      }
      for (const name of candidates) {
        if (referenced.has(name)) continue;
        const isData = /^[A-Za-z0-9_-]+\.(pb\.gz|pb|trace|txt)$/.test(name);
        problems.push({
          file: prefix + name,
          reason: isData
            ? 'snapshot bytes without a sidecar (an import was interrupted before it completed); skipped'
            : 'not a file pprof Studio created; skipped',
        });
      }
    }
    // A sidecar whose bytes are found under the other folder is the leftover of an interrupted
    // move between library and trash: say so instead of "missing".
    for (const [problem, id] of missingData) {
      const entry = found.get(id);
      if (entry)
        problem.reason = `a leftover sidecar of snapshot ${id} from an interrupted move ${entry.trashed ? 'to' : 'from'} the trash; the snapshot is listed from ${entry.trashed ? 'the trash' : 'the library'}`;
    }
    for (const entry of found.values()) {
      this.entries.set(entry.meta.id, entry);
      if (!this.bySha.has(entry.meta.sha256) || !entry.trashed)
        this.bySha.set(entry.meta.sha256, entry.meta.id);
    }
    this.problems = problems;
  }

  private async readSidecar(
    folder: string,
    name: string,
    trashed: boolean,
    prefix: string,
    problems: LibraryProblem[],
    referenced: Set<string>,
    missingData: Map<LibraryProblem, string>,
  ): Promise<Entry | null> {
    const report = (reason: string): null => {
      problems.push({ file: prefix + name, reason });
      return null;
    };
    const path = join(folder, name);
    let text: string;
    try {
      const st = await lstat(path);
      if (!st.isFile()) return report('not a regular file; skipped');
      if (st.size > MAX_SIDECAR_BYTES) return report('too large to be a sidecar; skipped');
      text = await readFile(path, 'utf8');
    } catch (e) {
      return report(`cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const sidecar = decodeSidecar(text);
    if ('problem' in sidecar) return report(sidecar.problem);
    const { meta, dataFile } = sidecar;
    if (`${meta.id}${SIDECAR_EXT}` !== name)
      return report(`names snapshot ${meta.id}, which does not match its file name`);
    // Its data file is accounted for by this report, not reported again as an orphan.
    referenced.add(dataFile);
    if (dataFile !== `${meta.id}${extensionFor(meta.format)}`)
      return report(`points to ${dataFile}, which is not this snapshot's data file`);
    let size: number;
    try {
      const st = await lstat(join(folder, dataFile));
      if (!st.isFile()) return report(`its data file ${dataFile} is not a regular file`);
      size = st.size;
    } catch {
      report(`its data file ${dataFile} is missing`);
      missingData.set(problems[problems.length - 1], meta.id);
      return null;
    }
    if (size !== meta.size)
      return report(
        `its data file ${dataFile} has ${size} bytes, ${meta.size} recorded: the file was changed or cut short`,
      );
    const fixed: SnapshotMeta = {
      ...meta,
      trashedAt: trashed ? (meta.trashedAt ?? meta.createdAt) : null,
    };
    return { meta: fixed, dataFile, trashed };
  }

  info(): LibraryInfo {
    let snapshotCount = 0;
    let trashCount = 0;
    let totalBytes = 0;
    for (const e of this.entries.values()) {
      if (e.trashed) trashCount++;
      else {
        snapshotCount++;
        totalBytes += e.meta.size;
      }
    }
    return { dir: this.dir, snapshotCount, trashCount, totalBytes, problems: [...this.problems] };
  }

  /** Scans the folder again (files added or removed by hand). */
  rescan(): Promise<LibraryInfo> {
    return this.serial(async () => {
      await this.scan();
      const info = this.info();
      this.emit({ name: 'library.changed', payload: { info } });
      return info;
    });
  }

  /** Newest first. */
  list(trashed = false): SnapshotMeta[] {
    const out: SnapshotMeta[] = [];
    for (const e of this.entries.values()) if (e.trashed === trashed) out.push(e.meta);
    return out.sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
  }

  private entry(id: string): Entry {
    const e = SNAPSHOT_ID.check(id, 'id').ok ? this.entries.get(id) : undefined;
    if (!e)
      throw new ServiceError('not-found', `no snapshot with id ${id} (it may have been deleted)`);
    return e;
  }

  private folderOf(e: Entry): string {
    return e.trashed ? this.trashDir : this.dir;
  }

  get(id: string): SnapshotMeta {
    return this.entry(id).meta;
  }

  /** The stored bytes, verified against the recorded sha256. */
  async readBytes(id: string): Promise<Uint8Array> {
    const e = this.entry(id);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.folderOf(e), e.dataFile));
    } catch (err) {
      throw ioError(`cannot read snapshot ${e.meta.name}`, err);
    }
    if (bytes.length !== e.meta.size || sha256Hex(bytes) !== e.meta.sha256)
      throw new ServiceError(
        'corrupt',
        `snapshot ${e.meta.name}: its file ${e.dataFile} changed on disk since it was stored (sha256 mismatch)`,
      );
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * The stored bytes as a stream, for readers that must not hold a big file whole (the app's
   * app:// route). Same errors as readBytes, except that a sha256 mismatch can only be known
   * at the end: then the stream fails with the 'corrupt' error instead of ending.
   */
  async openReadStream(id: string): Promise<{ stream: Readable; size: number }> {
    const e = this.entry(id);
    const what = `cannot read snapshot ${e.meta.name}`;
    const corrupt = () =>
      new ServiceError(
        'corrupt',
        `snapshot ${e.meta.name}: its file ${e.dataFile} changed on disk since it was stored (sha256 mismatch)`,
      );
    let handle: FileHandle;
    try {
      handle = await open(join(this.folderOf(e), e.dataFile), 'r');
    } catch (err) {
      throw ioError(what, err);
    }
    try {
      if ((await handle.stat()).size !== e.meta.size) throw corrupt();
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err instanceof ServiceError ? err : ioError(what, err);
    }
    const hash = createHash('sha256');
    const expected = e.meta.sha256;
    const verify = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        done(hash.digest('hex') === expected ? null : corrupt());
      },
    });
    const source = handle.createReadStream();
    source.on('error', (err) => verify.destroy(ioError(what, err)));
    // The file handle closes when the stream ends, fails or is dropped by its reader.
    verify.on('close', () => source.destroy());
    return { stream: source.pipe(verify), size: e.meta.size };
  }

  async import(input: StoreInput): Promise<ImportSnapshotResult> {
    const release = await this.detecting.acquire(null);
    let detected: Awaited<ReturnType<typeof detectSnapshot>>;
    try {
      detected = await this.detect(input.bytes, input.fileName);
    } finally {
      release();
    }
    const sha256 = sha256Hex(input.bytes);
    return this.serial(async () => {
      const existingId = this.bySha.get(sha256);
      const existing = existingId ? this.entries.get(existingId) : undefined;
      if (existing && !existing.trashed)
        return { snapshot: existing.meta, outcome: 'duplicate' as const };
      if (existing)
        return { snapshot: await this.moveEntry(existing, false), outcome: 'restored' as const };

      const now = this.now();
      let id = newId(now);
      while (this.entries.has(id)) id = newId(now);
      const dataFile = `${id}${extensionFor(detected.format)}`;
      const kind = resolveKind(detected.kind, input.kindHint);
      const meta: SnapshotMeta = {
        id,
        name: input.name?.trim().slice(0, 256) || displayName(input.fileName),
        fileName: displayName(input.fileName),
        kind,
        format: detected.format,
        source: input.source,
        target: input.target ?? null,
        createdAt: now.toISOString(),
        capturedAt: input.capturedAt ?? detected.capturedAt,
        sampleTypes: detected.sampleTypes,
        defaultSampleType: detected.defaultSampleType,
        periodType: detected.periodType,
        period: detected.period,
        durationNanos: input.durationNanos ?? detected.durationNanos,
        goVersion: detected.goVersion,
        sampleCount: detected.sampleCount,
        ...(detected.damaged ? { damaged: detected.damaged } : {}),
        size: input.bytes.length,
        sha256,
        note: input.note ?? '',
        group: input.group ?? null,
        ...input.capture,
        trashedAt: null,
      };
      try {
        await writeFileAtomic(join(this.dir, dataFile), input.bytes);
        await writeFileAtomic(join(this.dir, `${id}${SIDECAR_EXT}`), encodeSidecar(dataFile, meta));
      } catch (e) {
        await unlink(join(this.dir, dataFile)).catch(() => undefined);
        throw ioError(`cannot store ${meta.name} in the library`, e);
      }
      this.entries.set(id, { meta, dataFile, trashed: false });
      this.bySha.set(sha256, id);
      this.emit({ name: 'snapshot.added', payload: { snapshot: meta } });
      return { snapshot: meta, outcome: 'added' as const };
    });
  }

  private async rewrite(e: Entry, meta: SnapshotMeta): Promise<SnapshotMeta> {
    try {
      await writeFileAtomic(
        join(this.folderOf(e), `${meta.id}${SIDECAR_EXT}`),
        encodeSidecar(e.dataFile, meta),
      );
    } catch (err) {
      throw ioError(`cannot update snapshot ${meta.name}`, err);
    }
    e.meta = meta;
    if (!e.trashed) this.emit({ name: 'snapshot.changed', payload: { snapshot: meta } });
    return meta;
  }

  rename(id: string, name: string): Promise<SnapshotMeta> {
    return this.serial(async () => {
      const e = this.entry(id);
      return this.rewrite(e, { ...e.meta, name: name.trim() || e.meta.name });
    });
  }

  setNote(id: string, note: string): Promise<SnapshotMeta> {
    return this.serial(async () => {
      const e = this.entry(id);
      return this.rewrite(e, { ...e.meta, note });
    });
  }

  /** Puts a snapshot into a bundle's group (a folder made a bundle). */
  setGroup(
    id: string,
    g: Pick<SnapshotMeta, 'groupId' | 'group' | 'stepKey' | 'target'>,
  ): Promise<SnapshotMeta> {
    return this.serial(async () => {
      const e = this.entry(id);
      return this.rewrite(e, { ...e.meta, ...g });
    });
  }

  /**
   * Moves an entry between the library and the trash. Order: new sidecar in the destination,
   * then the data, then the old sidecar removed. A crash in between leaves two sidecars (the
   * scan keeps the library one and reports the other), never a listed entry without bytes.
   */
  private async moveEntry(e: Entry, toTrash: boolean): Promise<SnapshotMeta> {
    const from = this.folderOf(e);
    const to = toTrash ? this.trashDir : this.dir;
    const meta: SnapshotMeta = { ...e.meta, trashedAt: toTrash ? this.now().toISOString() : null };
    const sidecarName = `${meta.id}${SIDECAR_EXT}`;
    try {
      await writeFileAtomic(join(to, sidecarName), encodeSidecar(e.dataFile, meta));
      await rename(join(from, e.dataFile), join(to, e.dataFile));
      await unlink(join(from, sidecarName));
      await fsyncDir(from);
      await fsyncDir(to);
    } catch (err) {
      throw ioError(
        `cannot move ${meta.name} ${toTrash ? 'to the trash' : 'out of the trash'}`,
        err,
      );
    }
    e.meta = meta;
    e.trashed = toTrash;
    this.bySha.set(meta.sha256, meta.id);
    if (toTrash) this.emit({ name: 'snapshot.removed', payload: { id: meta.id, trashed: true } });
    else this.emit({ name: 'snapshot.added', payload: { snapshot: meta } });
    return meta;
  }

  trash(id: string): Promise<{ id: string }> {
    return this.serial(async () => {
      const e = this.entry(id);
      if (e.trashed)
        throw new ServiceError('not-found', `snapshot ${e.meta.name} is already in the trash`);
      await this.moveEntry(e, true);
      return { id };
    });
  }

  restore(id: string): Promise<SnapshotMeta> {
    return this.serial(async () => {
      const e = this.entry(id);
      if (!e.trashed)
        throw new ServiceError('not-found', `snapshot ${e.meta.name} is not in the trash`);
      return this.moveEntry(e, false);
    });
  }

  /** Copies the stored bytes to `dest` (an absolute path). */
  async exportTo(id: string, dest: string, overwrite = false): Promise<string> {
    const e = this.entry(id);
    if (!isAbsolute(dest))
      throw new ServiceError('invalid-request', `export path must be absolute, got ${dest}`);
    try {
      const st = await stat(dest).catch(() => null);
      if (st?.isDirectory()) throw new ServiceError('io', `${dest} is a folder; give a file name`);
      await copyFile(
        join(this.folderOf(e), e.dataFile),
        dest,
        overwrite ? 0 : constants.COPYFILE_EXCL,
      );
    } catch (err) {
      if (err instanceof ServiceError) throw err;
      if ((err as { code?: string }).code === 'EEXIST')
        throw new ServiceError(
          'io',
          `${dest} already exists; choose another name or allow overwriting`,
        );
      throw ioError(`cannot export ${e.meta.name} to ${dest}`, err);
    }
    return dest;
  }

  /** A file name to suggest when exporting (display name with the format's extension). */
  suggestedFileName(id: string): string {
    const e = this.entry(id);
    const ext = extensionFor(e.meta.format);
    const base = safeFileName(e.meta.name);
    return base.endsWith(ext) ? base : `${base}${ext}`;
  }

  /** Waits for queued writes (used before closing). */
  async idle(): Promise<void> {
    await this.queue;
  }
}

// Pairs of kinds that share sample types, so the bytes alone cannot always tell them apart
// (an allocs delta capture loses `default_sample_type`; an empty mutex profile looks like an
// empty block profile). There the caller's hint (the capture kind, the demo manifest) wins.
const AMBIGUOUS: ReadonlyArray<ReadonlySet<SnapshotKind>> = [
  new Set<SnapshotKind>(['heap', 'allocs']),
  new Set<SnapshotKind>(['mutex', 'block']),
];

function resolveKind(detected: SnapshotKind, hint: SnapshotKind | undefined): SnapshotKind {
  if (!hint) return detected;
  if (detected === 'unknown') return hint;
  return AMBIGUOUS.some((set) => set.has(detected) && set.has(hint)) ? hint : detected;
}

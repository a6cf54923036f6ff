// Watches one folder (chokidar) and imports new or changed profile and trace files once they
// are complete: a file is read only after its size and mtime were the same at two checks
// in a row. Duplicates (same sha256) are skipped. A cheap stat of the folder itself notices
// when it is deleted or replaced, and the watch resumes when it comes back. Each event costs
// a stat of one file: no rescans.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import type { WatchEvent, WatchFolder } from '../../../core/contract/live';
import type { SnapshotSink } from '../capture/snapshot-sink';
import { isIgnoredName, sniffFormat } from './sniff';
import { GC_DETECT_BYTES } from '../../../core/gctrace/detect';

export interface FolderWatcherOptions {
  id: string;
  path: string;
  sink: SnapshotSink;
  onEvent: (e: WatchEvent) => void;
  onState: (f: WatchFolder) => void;
  /** Between the two size checks (default 1 s). */
  checkIntervalMs?: number;
  /** How often the folder itself is checked for deletion/recreation (default 2 s). */
  folderCheckMs?: number;
  /** Subfolder depth watched (default 0: the folder only). */
  depth?: number;
  /** Import files already there when the watch starts (default false). */
  importExisting?: boolean;
  /** Larger files are reported and skipped (default 1 GiB). */
  maxFileBytes?: number;
  /** sha256 of everything imported or seen, shared across folders. */
  seen: Set<string>;
  /** chokidar polling (for network filesystems). */
  usePolling?: boolean;
}

interface Pending {
  size: number;
  mtimeMs: number;
  timer: NodeJS.Timeout | null;
  /** An event arrived while the file was being read: look again afterwards. */
  dirty: boolean;
  busy: boolean;
  /** Imports refused as unreadable so far (a writer that paused mid-file looks like this). */
  refused: number;
}

type Ino = { dev: number; ino: number };

const MAX_REFUSALS = 3;
const RECENT_MS = 60_000;

export class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private folderTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, Pending>();
  private identity: Ino | null = null;
  private closed = false;
  private stateValue: WatchFolder;
  private starting: Promise<void> | null = null;

  constructor(private readonly o: FolderWatcherOptions) {
    this.stateValue = { id: o.id, path: o.path, state: 'missing', message: 'not started' };
  }

  get folder(): WatchFolder {
    return { ...this.stateValue };
  }

  async start(): Promise<void> {
    await this.checkFolder(true);
    this.folderTimer = setInterval(
      () => void this.checkFolder(false),
      this.o.folderCheckMs ?? 2000,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.folderTimer) clearInterval(this.folderTimer);
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
    this.pending.clear();
    await this.starting;
    await this.stopWatcher();
  }

  /** Files waiting for their size to settle (for diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private async checkFolder(initial: boolean): Promise<void> {
    if (this.closed || this.starting) return;
    let id: Ino | null;
    try {
      const st = await fs.stat(this.o.path);
      if (!st.isDirectory()) {
        this.setState('error', `${this.o.path} is not a folder`);
        await this.stopWatcher();
        return;
      }
      id = { dev: st.dev, ino: st.ino };
    } catch {
      id = null;
    }
    if (this.closed) return;
    if (id === null) {
      if (this.stateValue.state !== 'missing' || initial) {
        await this.stopWatcher();
        this.setState(
          'missing',
          `${this.o.path} does not exist; the watch resumes when it is created again`,
        );
        if (!initial)
          this.event('folder-missing', this.o.path, null, 'the folder was deleted or moved away');
      }
      return;
    }
    const replaced =
      this.identity !== null && (this.identity.dev !== id.dev || this.identity.ino !== id.ino);
    if (this.watcher && !replaced) return;
    const wasMissing = !initial;
    this.identity = id;
    this.starting = this.startWatcher(initial ? this.o.importExisting === true : true).finally(
      () => (this.starting = null),
    );
    await this.starting;
    if (wasMissing)
      this.event('folder-restored', this.o.path, null, 'the folder is back; watching it again');
  }

  private async startWatcher(importExisting: boolean): Promise<void> {
    await this.stopWatcher();
    // chokidar 5 is ESM only; a dynamic import keeps this module loadable from CommonJS.
    const { watch } = await import('chokidar');
    if (this.closed) return;
    const root = this.o.path;
    const w = watch(root, {
      ignoreInitial: !importExisting,
      depth: this.o.depth ?? 0,
      persistent: true,
      usePolling: this.o.usePolling ?? false,
      ignored: (p: string) => p !== root && isIgnoredName(basename(p)),
      ignorePermissionErrors: true,
    });
    this.watcher = w;
    w.on('add', (p) => this.touch(p));
    w.on('change', (p) => this.touch(p));
    w.on('unlink', (p) => this.forget(p));
    w.on('error', (err) =>
      this.setState('error', `watching failed: ${(err as Error).message}; retrying`),
    );
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 30_000);
      w.once('ready', () => {
        clearTimeout(t);
        resolve();
      });
    });
    if (!this.closed) this.setState('watching', `watching ${root}`);
  }

  private async stopWatcher(): Promise<void> {
    const w = this.watcher;
    this.watcher = null;
    if (w) await w.close().catch(() => undefined);
  }

  private touch(path: string): void {
    if (this.closed) return;
    const p = this.pending.get(path);
    if (p) {
      if (p.busy) p.dirty = true;
      return; // its timer will look again
    }
    const entry: Pending = {
      size: -1,
      mtimeMs: -1,
      timer: null,
      dirty: false,
      busy: false,
      refused: 0,
    };
    this.pending.set(path, entry);
    this.schedule(path, entry, 0);
  }

  private forget(path: string): void {
    const p = this.pending.get(path);
    if (p?.timer) clearTimeout(p.timer);
    if (p && !p.busy) this.pending.delete(path);
  }

  private schedule(path: string, entry: Pending, delay: number): void {
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void this.check(path, entry);
    }, delay);
  }

  private async check(path: string, entry: Pending): Promise<void> {
    if (this.closed) return;
    let st;
    try {
      st = await fs.stat(path);
    } catch {
      this.pending.delete(path);
      return;
    }
    if (!st.isFile()) {
      this.pending.delete(path);
      return;
    }
    const stable = st.size === entry.size && st.mtimeMs === entry.mtimeMs;
    entry.size = st.size;
    entry.mtimeMs = st.mtimeMs;
    if (!stable || st.size === 0) {
      // An empty file is usually one being created; wait for bytes.
      this.schedule(path, entry, this.o.checkIntervalMs ?? 1000);
      return;
    }
    entry.busy = true;
    let retry = false;
    try {
      retry = (await this.importFile(path, st.size, st.mtime, entry.refused)) === 'retry';
    } finally {
      entry.busy = false;
      if (retry && !this.closed) {
        entry.refused++;
        this.schedule(path, entry, (this.o.checkIntervalMs ?? 1000) * 3);
      } else if (entry.dirty && !this.closed) {
        entry.dirty = false;
        this.schedule(path, entry, this.o.checkIntervalMs ?? 1000);
      } else {
        this.pending.delete(path);
      }
    }
  }

  /** 'retry' when the bytes were refused but the file may still be being written. */
  private async importFile(
    path: string,
    size: number,
    mtime: Date,
    refused: number,
  ): Promise<'done' | 'retry'> {
    const base = basename(path);
    const max = this.o.maxFileBytes ?? 1024 * 1024 * 1024;
    if (size > max) {
      this.event(
        'ignored',
        path,
        null,
        `${base} is ${size} bytes, over the ${max}-byte limit: not imported`,
      );
      return 'done';
    }
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path);
    } catch (err) {
      this.event(
        'error',
        path,
        null,
        `${base} could not be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
      return 'done';
    }
    if (bytes.length !== size) return 'done'; // changed while reading: the next event brings it back
    const format = sniffFormat(base, bytes.subarray(0, GC_DETECT_BYTES));
    if (!format) {
      this.event(
        'ignored',
        path,
        null,
        `${base} is not a pprof profile, Go execution trace, goroutine dump or GC log`,
      );
      return 'done';
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (this.o.seen.has(sha256)) {
      this.event('duplicate', path, null, `${base} has the same bytes as a file already imported`);
      return 'done';
    }
    try {
      const r = await this.o.sink.import(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
        {
          source: { type: 'watch', path },
          fileName: relative(this.o.path, path).split(sep).join('/') || base,
          size,
          sha256,
          modifiedAt: mtime.toISOString(),
        },
      );
      this.o.seen.add(sha256);
      if (r.outcome === 'duplicate')
        this.event('duplicate', path, r.id, `${base} is already in the library`);
      else this.event('imported', path, r.id, `${base} imported`);
    } catch (err) {
      // A writer that paused longer than two checks leaves a cut file the library refuses:
      // look again a few times before calling it an error.
      if (refused < MAX_REFUSALS && Date.now() - mtime.getTime() < RECENT_MS) return 'retry';
      this.event('error', path, null, `${base} could not be imported: ${(err as Error).message}`);
    }
    return 'done';
  }

  private setState(state: WatchFolder['state'], message: string): void {
    if (this.stateValue.state === state && this.stateValue.message === message) return;
    this.stateValue = { ...this.stateValue, state, message };
    this.o.onState({ ...this.stateValue });
  }

  private event(
    type: WatchEvent['type'],
    path: string,
    snapshotId: string | null,
    message: string,
  ): void {
    try {
      this.o.onEvent({ folderId: this.o.id, path, type, snapshotId, message });
    } catch {
      // A failing listener must not stop the watch.
    }
  }
}

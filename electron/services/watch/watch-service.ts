// The folders the user watches: persisted in the settings folder (watch-folders.json,
// atomic writes), one FolderWatcher each, one event stream.
import { promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import type { WatchEvent, WatchFolder } from '../../../core/contract/live';
import type { SnapshotSink } from '../capture/snapshot-sink';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../atomic-file';
import { LiveError } from '../targets/errors';
import { FolderWatcher, type FolderWatcherOptions } from './folder-watcher';

export const WATCH_FILE = 'watch-folders.json';

export type WatchServiceEvent =
  { type: 'watch-event'; event: WatchEvent } | { type: 'watch-folder'; folder: WatchFolder };

export interface WatchServiceOptions extends Pick<
  FolderWatcherOptions,
  'checkIntervalMs' | 'folderCheckMs' | 'depth' | 'importExisting' | 'maxFileBytes' | 'usePolling'
> {
  settingsDir: string;
  sink: SnapshotSink;
  /**
   * False under serve --allow-remote without --allow-watch-folders: saved folders are not
   * watched (their list is kept) and none can be added, since a folder path names files.
   */
  enabled?: boolean;
}

export const WATCH_OFF =
  'folder watching is off: serve was started with --allow-remote, whose token must not name folders to read; restart it with --allow-watch-folders to watch folders';

interface StoredFolder {
  id: string;
  path: string;
}

export class WatchService {
  private readonly watchers = new Map<string, FolderWatcher>();
  private readonly listeners = new Set<(e: WatchServiceEvent) => void>();
  private readonly seen = new Set<string>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly o: WatchServiceOptions) {}

  /** Loads the saved folders and starts watching them. */
  static async open(o: WatchServiceOptions): Promise<WatchService> {
    const s = new WatchService(o);
    await fs.mkdir(o.settingsDir, { recursive: true });
    if (o.enabled === false) return s;
    for (const f of await s.load()) await s.startFolder(f);
    return s;
  }

  on(listener: (e: WatchServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): WatchFolder[] {
    return [...this.watchers.values()].map((w) => w.folder);
  }

  async add(path: string): Promise<WatchFolder> {
    if (this.o.enabled === false) throw new LiveError('config', WATCH_OFF);
    if (!isAbsolute(path))
      throw new LiveError('config', `watch folders need an absolute path, got '${path}'`);
    const abs = resolve(path);
    for (const w of this.watchers.values()) if (w.folder.path === abs) return w.folder;
    const f = { id: randomUUID(), path: abs };
    await this.startFolder(f);
    await this.persist();
    return this.watchers.get(f.id)!.folder;
  }

  async remove(id: string): Promise<void> {
    const w = this.watchers.get(id);
    if (!w) throw new LiveError('not-found', `no watched folder with id ${id}`);
    this.watchers.delete(id);
    await w.close();
    await this.persist();
  }

  async close(): Promise<void> {
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    this.watchers.clear();
  }

  private async startFolder(f: StoredFolder): Promise<void> {
    const w = new FolderWatcher({
      ...this.o,
      id: f.id,
      path: f.path,
      seen: this.seen,
      onEvent: (event) => this.emit({ type: 'watch-event', event }),
      onState: (folder) => this.emit({ type: 'watch-folder', folder }),
    });
    this.watchers.set(f.id, w);
    await w.start();
  }

  private get file(): string {
    return join(this.o.settingsDir, WATCH_FILE);
  }

  private async load(): Promise<StoredFolder[]> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as { folders?: unknown };
      if (!Array.isArray(parsed.folders)) return [];
      return parsed.folders.filter(
        (f): f is StoredFolder =>
          typeof f?.id === 'string' && typeof f?.path === 'string' && isAbsolute(f.path),
      );
    } catch {
      return [];
    }
  }

  private persist(): Promise<void> {
    const folders: StoredFolder[] = this.list().map((f) => ({ id: f.id, path: f.path }));
    const text = `${JSON.stringify({ version: 1, folders }, null, 2)}\n`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.file, text, PRIVATE_FILE_MODE));
    return this.writing;
  }

  private emit(e: WatchServiceEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A failing listener must not stop the watch.
      }
    }
  }
}

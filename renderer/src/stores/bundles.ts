// Capture bundles and cold-start captures as the Live tab shows them: runs of this session,
// kept current by bundle.progress events; a finished bundle opens in the Insights tab.
// The library's bundles (their manifests), exported as folders and folders imported as bundles.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type {
  BundleFolderFile,
  BundleStatus,
  ImportBundleRequest,
  LibraryBundle,
  StartBundleRequest,
} from '../../../core/contract';
import { safeFileName } from '../../../core/library/file-name';
import { isServeMode, useApi } from '../api';
import { useLibraryStore } from './library';
import { useInsightsStore } from './insights';
import { useUiStore } from './ui';

const STATE_RANK: Record<BundleStatus['state'], number> = {
  waiting: 0,
  running: 1,
  done: 2,
  failed: 2,
  cancelled: 2,
};

export const useBundlesStore = defineStore('bundles', () => {
  const runs = ref<Record<string, BundleStatus>>({});
  const error = ref('');

  function upsert(s: BundleStatus): void {
    const old = runs.value[s.bundleId];
    // A late answer must not take a finished run back.
    if (old && STATE_RANK[old.state] > STATE_RANK[s.state]) return;
    runs.value = { ...runs.value, [s.bundleId]: s };
    // A finished bundle is in the library now (stored before the run says done).
    if (s.state === 'done' && s.what === 'bundle' && old?.state !== 'done') void loadLibrary();
  }

  let subscribed = false;
  async function load(): Promise<void> {
    const api = useApi();
    if (!subscribed) {
      subscribed = true;
      api.subscribe('bundle.progress', upsert);
    }
    const r = await api.listBundles();
    if (r.ok) for (const s of [...r.value].reverse()) upsert(s);
  }

  async function start(req: StartBundleRequest): Promise<void> {
    error.value = '';
    const r = await useApi().startBundle(req);
    if (!r.ok) error.value = r.error.message;
  }

  async function cancel(bundleId: string): Promise<void> {
    const r = await useApi().cancelBundle({ bundleId });
    if (r.ok) upsert(r.value);
    else error.value = r.error.message;
  }

  /** Opens a bundle's snapshots (one library group) as one set in the Insights tab. */
  async function openGroup(groupId: string): Promise<void> {
    const insights = useInsightsStore();
    insights.mode = 'insights';
    insights.choice = { type: 'group', key: `run:${groupId}` };
    useUiStore().pickTab('insights');
    await insights.runInsights();
  }

  /** Opens a finished bundle run in the Insights tab. */
  async function openInInsights(s: BundleStatus): Promise<void> {
    if (s.groupId) await openGroup(s.groupId);
  }

  // The library's bundles.
  const library = shallowRef<LibraryBundle[]>([]);
  /** What the last export or import said ('' when nothing to say). */
  const libraryNote = ref('');
  const libraryError = ref('');
  const busy = ref('');

  async function loadLibrary(): Promise<void> {
    const r = await useApi().listLibraryBundles();
    if (r.ok) library.value = r.value;
    else libraryError.value = r.error.message;
  }

  /**
   * Exports a bundle as a folder. The app writes it where its save dialog says; a browser on
   * serve mode writes it itself into a folder the user picks (File System Access API).
   */
  async function exportFolder(b: LibraryBundle): Promise<void> {
    libraryNote.value = '';
    libraryError.value = '';
    const api = useApi();
    if (!isServeMode()) {
      const r = await api.exportBundle({ groupId: b.manifest.groupId });
      if (!r.ok) libraryError.value = `${b.manifest.name}: ${r.error.message}`;
      else if (r.value.path) libraryNote.value = `exported ${b.manifest.name} to ${r.value.path}`;
      return;
    }
    const pick = (window as unknown as { showDirectoryPicker?: PickDirectory }).showDirectoryPicker;
    if (!pick) {
      libraryError.value =
        'this browser cannot write a folder (it has no File System Access API): use Chromium or Edge, or the desktop app';
      return;
    }
    let parent: DirectoryHandle;
    try {
      parent = await pick({ mode: 'readwrite' });
    } catch {
      return; // the picker was cancelled
    }
    busy.value = `Exporting ${b.manifest.name}…`;
    try {
      const files = await api.bundleFolderFiles({ groupId: b.manifest.groupId });
      if (!files.ok) throw new Error(files.error.message);
      const name = safeFileName(b.manifest.name, 'bundle');
      const dir = await parent.getDirectoryHandle(name, { create: true });
      for (const f of files.value) await writeOne(dir, f);
      libraryNote.value = `exported ${b.manifest.name} as the folder ${name} (${files.value.length} files)`;
    } catch (e) {
      libraryError.value = `${b.manifest.name}: the export stopped: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      busy.value = '';
    }
  }

  async function writeOne(dir: DirectoryHandle, f: BundleFolderFile): Promise<void> {
    let data: Uint8Array | string;
    if (f.snapshotId) {
      const r = await useApi().readSnapshotBytes({ id: f.snapshotId });
      if (!r.ok) throw new Error(`${f.file}: ${r.error.message}`);
      data = r.value;
    } else data = f.text ?? '';
    const handle = await dir.getFileHandle(f.file, { create: true });
    const w = await handle.createWritable();
    await w.write(data);
    await w.close();
  }

  /**
   * Makes a bundle of each folder: its files through importSnapshot (bundle.json and
   * memstats.txt are read as text), then importBundle names what each file became.
   */
  async function importFolders(folders: { name: string; files: File[] }[]): Promise<void> {
    const api = useApi();
    libraryNote.value = '';
    libraryError.value = '';
    const lib = useLibraryStore();
    for (const folder of folders) {
      busy.value = `Importing the folder ${folder.name}…`;
      const req: ImportBundleRequest = {
        folder: folder.name.slice(0, 256) || 'folder',
        manifestText: null,
        memStatsText: null,
        files: [],
      };
      try {
        for (const f of [...folder.files].sort((x, y) => (x.name < y.name ? -1 : 1))) {
          if (f.name === 'bundle.json') req.manifestText = await textOf(f, 256 * 1024);
          else if (f.name === 'memstats.txt') req.memStatsText = await textOf(f, 64 * 1024);
          else {
            const r = await api.importSnapshot({
              name: f.name,
              bytes: new Uint8Array(await f.arrayBuffer()),
            });
            req.files.push(
              r.ok
                ? { file: f.name, snapshotId: r.value.snapshot.id, error: null }
                : { file: f.name, snapshotId: null, error: r.error.message },
            );
          }
        }
        const r = await api.importBundle(req);
        if (!r.ok) throw new Error(r.error.message);
        const m = r.value.manifest;
        const done = m.parts.filter((p) => p.state === 'done').length;
        libraryNote.value = `imported the folder ${folder.name} as the bundle ${m.name}: ${done} of ${m.parts.length} parts${m.failures.length ? `, ${m.failures.length} failed` : ''}`;
        await loadLibrary();
        await lib.refresh();
        selected.value = m.groupId;
      } catch (e) {
        libraryError.value = `${folder.name}: ${e instanceof Error ? e.message : String(e)}`;
      } finally {
        busy.value = '';
      }
    }
  }

  /** The bundle whose details are shown (its group id), or null. */
  const selected = ref<string | null>(null);

  return {
    runs,
    error,
    load,
    start,
    cancel,
    openInInsights,
    openGroup,
    library,
    libraryNote,
    libraryError,
    busy,
    selected,
    loadLibrary,
    exportFolder,
    importFolders,
  };
});

// The parts of the File System Access API used here (not in TypeScript's DOM types yet).
interface WritableFile {
  write(data: Uint8Array | string): Promise<void>;
  close(): Promise<void>;
}
interface DirectoryHandle {
  getDirectoryHandle(name: string, o: { create: boolean }): Promise<DirectoryHandle>;
  getFileHandle(
    name: string,
    o: { create: boolean },
  ): Promise<{ createWritable(): Promise<WritableFile> }>;
}
type PickDirectory = (o: { mode: 'readwrite' }) => Promise<DirectoryHandle>;

async function textOf(f: File, max: number): Promise<string> {
  if (f.size > max)
    throw new Error(`${f.name} is ${f.size} bytes; a bundle's ${f.name} is at most ${max}`);
  return f.text();
}

/** The folders in a drop: each dropped folder's own files (not its subfolders). */
export async function droppedFolders(
  items: DataTransferItemList,
): Promise<{ name: string; files: File[] }[]> {
  const dirs: FileSystemDirectoryEntry[] = [];
  for (const item of Array.from(items)) {
    const e = item.webkitGetAsEntry?.();
    if (e?.isDirectory) dirs.push(e as FileSystemDirectoryEntry);
  }
  return Promise.all(
    dirs.map(async (d) => {
      const reader = d.createReader();
      const entries: FileSystemEntry[] = [];
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) =>
          reader.readEntries(res, rej),
        );
        if (batch.length === 0) break;
        entries.push(...batch);
      }
      const files = await Promise.all(
        entries
          .filter((e) => e.isFile && !e.name.startsWith('.'))
          .map((e) => new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej))),
      );
      return { name: d.name, files };
    }),
  );
}

/** The folders of an <input webkitdirectory> choice: files directly in the chosen folder. */
export function chosenFolders(files: File[]): { name: string; files: File[] }[] {
  const by = new Map<string, File[]>();
  for (const f of files) {
    const parts = (f.webkitRelativePath || f.name).split('/');
    if (parts.length !== 2 || parts[1].startsWith('.')) continue;
    const list = by.get(parts[0]) ?? [];
    list.push(f);
    by.set(parts[0], list);
  }
  return [...by].map(([name, list]) => ({ name, files: list }));
}

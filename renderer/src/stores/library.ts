// The snapshot library as the sidebar shows it: list, search, sort, import, selection.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { snapshotDownloadUrl, type SnapshotMeta } from '../../../core/contract';
import { isServeMode, useApi } from '../api';

export type LibrarySort = 'time' | 'kind';

export interface ImportOutcome {
  name: string;
  ok: boolean;
  message: string;
}

/** Newest first by when it entered the library, then by the profile's own time. */
function byArrival(a: SnapshotMeta, b: SnapshotMeta): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  const ta = a.capturedAt ?? '';
  const tb = b.capturedAt ?? '';
  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

/** The back end names the file in its message; the import report names it once already. */
function withoutName(message: string, name: string): string {
  return name && message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
}

export const useLibraryStore = defineStore('library', () => {
  const snapshots = shallowRef<SnapshotMeta[]>([]);
  const loading = ref(false);
  const error = ref('');
  const query = ref('');
  const sort = ref<LibrarySort>('time');
  const selectedId = ref<string | null>(null);
  const importing = ref(0);
  const lastImport = shallowRef<ImportOutcome[]>([]);

  const visible = computed(() => {
    const q = query.value.trim().toLowerCase();
    const list = snapshots.value.filter(
      (s) =>
        !q ||
        s.name.toLowerCase().includes(q) ||
        s.kind.includes(q) ||
        s.note.toLowerCase().includes(q) ||
        (s.group?.toLowerCase().includes(q) ?? false) ||
        (s.target?.name.toLowerCase().includes(q) ?? false),
    );
    return list.sort(
      sort.value === 'time' ? byArrival : (a, b) => a.kind.localeCompare(b.kind) || byArrival(a, b),
    );
  });

  const selected = computed(() => snapshots.value.find((s) => s.id === selectedId.value) ?? null);

  let subscribed = false;
  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    const api = useApi();
    api.subscribe('snapshot.added', (e) => upsert(e.snapshot));
    api.subscribe('snapshot.changed', (e) => upsert(e.snapshot));
    api.subscribe('snapshot.removed', (e) => {
      snapshots.value = snapshots.value.filter((s) => s.id !== e.id);
      if (selectedId.value === e.id) selectedId.value = null;
    });
    api.subscribe('library.changed', () => void refresh());
    api.subscribe('app.openSnapshot', (e) => void refresh().then(() => (selectedId.value = e.id)));
  }

  function upsert(s: SnapshotMeta): void {
    const i = snapshots.value.findIndex((x) => x.id === s.id);
    snapshots.value =
      i >= 0 ? snapshots.value.map((x, k) => (k === i ? s : x)) : [s, ...snapshots.value];
  }

  async function refresh(): Promise<void> {
    subscribe();
    loading.value = true;
    const r = await useApi().listSnapshots();
    loading.value = false;
    if (r.ok) {
      snapshots.value = r.value;
      error.value = '';
    } else error.value = r.error.message;
  }

  /** Imports files through the Api and selects the last one that made it. */
  async function importFiles(files: File[]): Promise<ImportOutcome[]> {
    const api = useApi();
    const out: ImportOutcome[] = [];
    importing.value += files.length;
    try {
      for (const f of files) {
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(await f.arrayBuffer());
        } catch (e) {
          out.push({ name: f.name, ok: false, message: `could not read the file: ${String(e)}` });
          continue;
        }
        const r = await api.importSnapshot({ name: f.name || 'dropped-file', bytes });
        if (r.ok) {
          upsert(r.value.snapshot);
          selectedId.value = r.value.snapshot.id;
          const how = {
            added: 'imported',
            duplicate: 'already in the library',
            restored: 'restored from the trash',
          };
          out.push({ name: f.name, ok: true, message: how[r.value.outcome] });
        } else out.push({ name: f.name, ok: false, message: withoutName(r.error.message, f.name) });
      }
    } finally {
      importing.value -= files.length;
    }
    lastImport.value = out;
    return out;
  }

  /** Picking another snapshot ends the last import's report (it is about the import). */
  function select(id: string | null): void {
    if (id !== selectedId.value) lastImport.value = [];
    selectedId.value = id;
  }

  function dismissImport(): void {
    lastImport.value = [];
  }

  /** What the last export said: where it was saved, or why not ('' when nothing to say). */
  const exportNote = ref('');
  /**
   * Saves a copy of a snapshot: the desktop app asks where with its own save dialog (the
   * request carries no path); a browser on serve mode downloads it (the cookie authorises).
   */
  async function exportSnapshot(s: SnapshotMeta): Promise<void> {
    exportNote.value = '';
    if (isServeMode()) {
      const a = document.createElement('a');
      a.href = snapshotDownloadUrl(location.origin, s.id);
      a.download = '';
      a.click();
      return;
    }
    const r = await useApi().exportSnapshot({ id: s.id });
    if (!r.ok) exportNote.value = `${s.name}: ${r.error.message}`;
    else if (r.value.path) exportNote.value = `saved ${s.name} as ${r.value.path}`;
  }

  return {
    snapshots,
    loading,
    error,
    query,
    sort,
    selectedId,
    selected,
    visible,
    importing,
    lastImport,
    refresh,
    importFiles,
    select,
    dismissImport,
    exportNote,
    exportSnapshot,
  };
});

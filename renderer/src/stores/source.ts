// The Source panel: which function it shows, for the open profile or the comparison, and
// what it loaded. Line costs come from the profile Worker (the same listing as
// `go tool pprof -list`), the file text from the back end (readSource); the UI computes
// neither. openSource() is the one way to open the panel (flame graph, top table,
// contention table, findings).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { SourceResult, SourceSettingsInfo } from '../../../core/contract';
import { useApi } from '../api';
import { useCompareStore } from './compare';
import { useProfileStore } from './profile';
import type { SourceView } from '../worker/source-protocol';

export type SourceMode = 'profile' | 'compare';

export interface SourceTarget {
  /** The function (or a printable name starting with it). */
  name: string;
  mode: SourceMode;
  /** The snapshot shown when it opened (after, in Compare). */
  snapshot: string | null;
}

export type SourceStatus = 'idle' | 'loading' | 'ready' | 'error';

export const useSourceStore = defineStore('source', () => {
  const target = shallowRef<SourceTarget | null>(null);
  const status = ref<SourceStatus>('idle');
  const error = ref('');
  /** Line costs: `after` alone outside Compare. */
  const before = shallowRef<SourceView | null>(null);
  const after = shallowRef<SourceView | null>(null);
  /** Index into the files of the function (a function can span several). */
  const fileIndex = ref(0);
  const source = shallowRef<SourceResult | null>(null);
  const sourceError = ref('');
  const settings = shallowRef<SourceSettingsInfo | null>(null);
  let seq = 0;

  function open(name: string, mode: SourceMode = 'profile'): void {
    target.value = { name, mode, snapshot: currentId(mode) };
    fileIndex.value = -1;
    void reload();
  }

  function close(): void {
    seq++;
    target.value = null;
    status.value = 'idle';
    before.value = null;
    after.value = null;
    source.value = null;
  }

  function currentId(mode: SourceMode): string | null {
    return mode === 'compare'
      ? (useCompareStore().after?.id ?? null)
      : (useProfileStore().snapshot?.id ?? null);
  }

  /** The snapshot whose profile names the shown file (after, in Compare). */
  function snapshotId(): string | null {
    const t = target.value;
    return t ? currentId(t.mode) : null;
  }

  /** The files of the view whose source is shown. */
  function files(): SourceView['files'] {
    return after.value?.files.length ? after.value.files : (before.value?.files ?? []);
  }

  /** Line costs for the current sample type and filters, then the file. */
  async function reload(): Promise<void> {
    const t = target.value;
    if (!t) return;
    const my = ++seq;
    status.value = 'loading';
    error.value = '';
    try {
      if (t.mode === 'compare') {
        const cmp = useCompareStore();
        const w = cmp.client();
        if (!w) throw new Error('no comparison is open');
        const r = await w.call('compareSource', {
          sampleType: cmp.sampleType,
          filters: { ...cmp.filters },
          name: t.name,
        });
        if (my !== seq) return;
        before.value = r.before;
        after.value = r.after;
      } else {
        const profile = useProfileStore();
        const w = profile.client();
        if (!w) throw new Error('no profile is open');
        const r = await w.call('source', { params: profile.params, name: t.name });
        if (my !== seq) return;
        before.value = null;
        after.value = r;
      }
      const fs = files();
      if (fileIndex.value < 0 || fileIndex.value >= fs.length) {
        // The file with the most cum (a function's body is usually in one file).
        let best = 0;
        fs.forEach((f, i) => {
          if (f.cum > fs[best].cum) best = i;
        });
        fileIndex.value = best;
      }
      status.value = 'ready';
      await loadFile(my);
    } catch (e) {
      if (my !== seq) return;
      status.value = 'error';
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  async function loadFile(my = seq): Promise<void> {
    const f = files()[fileIndex.value];
    const id = snapshotId();
    source.value = null;
    sourceError.value = '';
    if (!f || !id) return;
    const r = await useApi().readSource({ id, file: f.recorded });
    if (my !== seq) return;
    if (r.ok) source.value = r.value;
    else sourceError.value = r.error.message;
  }

  function pickFile(i: number): void {
    fileIndex.value = i;
    void loadFile(++seq);
  }

  async function loadSettings(): Promise<void> {
    const r = await useApi().getSourceSettings();
    if (r.ok) settings.value = r.value;
    else sourceError.value = r.error.message;
  }

  /** Saves the source settings, then reads the file again. Resolves to an error message or ''. */
  async function saveSettings(next: {
    roots: { prefix: string; folder: string }[];
    goroot: string;
    gomodcache: string;
  }): Promise<string> {
    const r = await useApi().setSourceSettings(next);
    if (!r.ok) return r.error.message;
    settings.value = r.value;
    await loadFile(++seq);
    return '';
  }

  return {
    target,
    status,
    error,
    before,
    after,
    fileIndex,
    source,
    sourceError,
    settings,
    open,
    close,
    reload,
    files,
    snapshotId,
    pickFile,
    loadSettings,
    saveSettings,
  };
});

/**
 * Opens the Source panel on a function of the open profile, or of the comparison ('compare'):
 * the way every view (and a finding) shows a function's source.
 */
export function openSource(name: string, mode: SourceMode = 'profile'): void {
  useSourceStore().open(name, mode);
}

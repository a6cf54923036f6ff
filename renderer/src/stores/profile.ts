// The open snapshot: its Worker, its load state and the view options every profile tab
// shares (sample type, granularity, filters, search, selected function). The decoded
// profile and every tree stay in the Worker; this store holds only small summaries.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SnapshotMeta } from '../../../core/contract';
import { useApi } from '../api';
import { ProfileWorker, WorkerFailure } from '../worker/client';
import {
  NO_FILTERS,
  type FilterKind,
  type Filters,
  type Granularity,
  type ProfileSummary,
  type TreeSummary,
  type ViewParams,
} from '../worker/protocol';

// The main flame graph's last drawing size, so a profile's first tree can come with its
// first LOD already computed (see FlamePane).
let flameSize: { pixels: number; d1: number } | undefined;
export function rememberFlameSize(pixels: number, rows: number): void {
  flameSize = { pixels, d1: rows };
}
/** The last drawing size, or a guess from the window (sidebar and toolbars taken off). */
export function lastFlameSize(): { pixels: number; d1: number } {
  return (
    flameSize ?? {
      pixels: Math.max(200, Math.round(window.innerWidth - 316)),
      d1: Math.max(10, Math.ceil((window.innerHeight - 200) / 18)),
    }
  );
}

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error' | 'not-pprof';

export interface ViewError {
  kind: string;
  message: string;
}

export function isPprof(meta: SnapshotMeta): boolean {
  return meta.format === 'pprof' || meta.format === 'pprof-gzip';
}

/** A Go regular expression matching exactly this name (for filters from a menu). */
export function exactRegex(name: string): string {
  return `^${name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;
}

export const useProfileStore = defineStore('profile', () => {
  const snapshot = shallowRef<SnapshotMeta | null>(null);
  const status = ref<LoadStatus>('idle');
  const phase = ref('');
  const progress = ref(0);
  /** The main call tree's build in the Worker: phase name and fraction done, null when idle. */
  const treeProgress = ref<{ phase: string; fraction: number } | null>(null);
  function onTreeProgress(seq: number): (phase: string, done: number, total: number) => void {
    return (ph, done, total) => {
      if (seq !== openSeq) return;
      treeProgress.value = { phase: ph, fraction: total > 0 ? done / total : 0 };
    };
  }
  const error = shallowRef<ViewError | null>(null);
  const summary = shallowRef<ProfileSummary | null>(null);
  /** Bumped whenever a new profile is ready: views reload on it. */
  const generation = ref(0);

  const sampleIndex = ref(0);
  const granularity = ref<Granularity>('functions');
  const filters = ref<Filters>({ ...NO_FILTERS });
  const search = ref('');
  /** The function whose callers and callees the sandwich shows. */
  const selectedFunction = ref<string | null>(null);
  /** The flame graph's window when zoomed (for links), null at full width. */
  const zoom = shallowRef<{ x0: number; x1: number } | null>(null);
  /** A window to zoom to once the flame graph is built (from a link). */
  const pendingZoom = shallowRef<{ x0: number; x1: number } | null>(null);
  /** Asks the flame graph to show a function (from the top table); seq makes repeats count. */
  const reveal = ref<{ name: string; seq: number } | null>(null);

  const params = computed<ViewParams>(() => ({
    sampleIndex: sampleIndex.value,
    granularity: granularity.value,
    filters: { ...filters.value },
  }));
  const sampleType = computed(() => summary.value?.sampleTypes[sampleIndex.value] ?? null);

  // Not reactive on purpose: a Worker handle is not data.
  let worker: ProfileWorker | null = null;
  let openSeq = 0;
  // The default view's tree, asked for together with the decode so the Worker goes
  // straight on to it while the UI mounts the view.
  let prefetch: Promise<TreeSummary> | null = null;

  function client(): ProfileWorker | null {
    return worker;
  }

  function close(): void {
    openSeq++; // an open in flight ends here (a cancel), not in an error
    treeProgress.value = null;
    worker?.close();
    worker = null;
    snapshot.value = null;
    summary.value = null;
    status.value = 'idle';
    error.value = null;
  }

  async function open(meta: SnapshotMeta): Promise<void> {
    const seq = ++openSeq;
    worker?.close();
    worker = null;
    prefetch = null;
    snapshot.value = meta;
    summary.value = null;
    error.value = null;
    filters.value = { ...NO_FILTERS };
    search.value = '';
    zoom.value = null;
    pendingZoom.value = null;
    selectedFunction.value = null;
    reveal.value = null;
    if (!isPprof(meta)) {
      status.value = 'not-pprof';
      return;
    }
    if (meta.damaged) {
      // Stored as it arrived; decoding it would only fail with a less useful message.
      status.value = 'error';
      error.value = {
        kind: 'corrupt',
        message: `The profile is damaged: ${meta.damaged}. The library keeps the bytes as they arrived; capture or copy it again for a whole profile.`,
      };
      return;
    }
    status.value = 'loading';
    phase.value = 'reading';
    progress.value = 0;
    const r = await useApi().readSnapshotBytes({ id: meta.id });
    if (seq !== openSeq) return;
    if (!r.ok) {
      status.value = 'error';
      error.value = {
        kind: r.error.kind,
        message: `Could not read the snapshot: ${r.error.message}`,
      };
      return;
    }
    const bytes = r.value;
    const buf =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.slice().buffer as ArrayBuffer);
    const w = new ProfileWorker();
    worker = w;
    performance.mark('pprof-studio:open');
    try {
      const opened = w.call('open', { bytes: buf }, [buf], (ph, done, total) => {
        if (seq !== openSeq) return;
        phase.value = ph;
        progress.value = total > 0 ? done / total : 0;
      });
      treeProgress.value = null;
      prefetch = w.call(
        'tree',
        {
          slot: 'main',
          params: { sampleIndex: -1, granularity: 'functions', filters: { ...NO_FILTERS } },
          lod: lastFlameSize(),
        },
        [],
        onTreeProgress(seq),
      );
      // A failed prefetch is asked again (and reported) by the view.
      prefetch.catch(() => undefined);
      const s = await opened;
      if (seq !== openSeq) return;
      // The bench measures first paint from here (decoded, nothing built yet).
      performance.mark('pprof-studio:decoded');
      summary.value = s;
      sampleIndex.value = s.defaultSampleIndex;
      granularity.value = 'functions';
      status.value = 'ready';
      generation.value++;
    } catch (e) {
      if (seq !== openSeq) return;
      status.value = 'error';
      error.value =
        e instanceof WorkerFailure
          ? { kind: e.kind, message: e.message }
          : { kind: 'internal', message: String(e) };
    }
  }

  function setFilter(kind: FilterKind, pattern: string): void {
    filters.value = { ...filters.value, [kind]: pattern };
  }

  /** Adds a pattern to a filter: pprof takes one regex per option, so alternatives are ORed. */
  function addFilter(kind: FilterKind, pattern: string): void {
    const cur = filters.value[kind];
    setFilter(kind, cur ? `${cur}|${pattern}` : pattern);
  }

  function clearFilters(): void {
    filters.value = { ...NO_FILTERS };
  }

  /** The prefetched tree when `p` is the default view, once. */
  function takePrefetch(p: ViewParams): Promise<TreeSummary> | null {
    const t = prefetch;
    prefetch = null;
    const s = summary.value;
    if (!t || !s) return null;
    const f = p.filters;
    const plain = !f.focus && !f.ignore && !f.hide && !f.show;
    return plain && p.granularity === 'functions' && p.sampleIndex === s.defaultSampleIndex
      ? t
      : null;
  }

  let revealSeq = 0;
  function revealFunction(name: string): void {
    reveal.value = { name, seq: ++revealSeq };
  }

  return {
    snapshot,
    status,
    phase,
    progress,
    treeProgress,
    treeProgressFn: () => onTreeProgress(openSeq),
    error,
    summary,
    generation,
    sampleIndex,
    granularity,
    filters,
    search,
    zoom,
    pendingZoom,
    selectedFunction,
    reveal,
    params,
    sampleType,
    client,
    takePrefetch,
    open,
    close,
    setFilter,
    addFilter,
    clearFilters,
    revealFunction,
  };
});

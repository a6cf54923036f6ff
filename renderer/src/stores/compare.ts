// The Compare tab: which snapshots sit in the before/after slots (and the series for trends),
// the compare Worker holding both profiles, the view options and the lock-step state of the
// panes (windows, hovered node, search). The decoded profiles and trees stay in the Worker.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { SnapshotMeta } from '../../../core/contract';
import { useApi } from '../api';
import { ProfileWorker, WorkerFailure } from '../worker/client';
import type {
  CompareParams,
  CompareSearchResult,
  CompareSummary,
  CompareTrees,
  CompareWindows,
  ComparePane,
  GoroutineDiffView,
  HeapDiffView,
  HeapTrendView,
  Matching,
  Normalization,
  SnapshotBytes,
  WindowRequest,
} from '../worker/compare-protocol';
import { clampWindow, type ValueWindow } from '../../../core/view/flame/window';
import { zoomTickets } from '../composables/useFlameZoom';
import { NO_FILTERS, type FilterKind, type Filters, type Granularity } from '../worker/protocol';
import type { HeapMeasure } from '../../../core/pprof/heap-diff';
import { isPprof } from './profile';
import { isTrace } from './timeline';
import { useLibraryStore } from './library';
import {
  byTime,
  kindFamily,
  listRuns,
  pairRuns,
  previousOf,
  sameTarget,
  timeOf,
  type StepPair,
} from '../../../core/library/runs';

export type CompareMode = 'side' | 'diff' | 'table' | 'heap' | 'goroutines' | 'gc' | 'trace';
export type DiffPalette = 'red-green' | 'colorblind';
export type CompareSlot = 'before' | 'after';

/** The drag-and-drop type of a library snapshot (its id). */
export const SNAPSHOT_DRAG_TYPE = 'application/x-pprof-studio-snapshot';

const GOROUTINE_KINDS = new Set(['goroutine', 'goroutine-text']);
const HEAP_KINDS = new Set(['heap', 'allocs']);
/** Snapshots read for a trend at most (the newest ones). */
const MAX_SERIES = 12;

export { previousOf, timeOf };

function message(e: unknown): string {
  return e instanceof WorkerFailure || e instanceof Error ? e.message : String(e);
}

export const useCompareStore = defineStore('compare', () => {
  const lib = useLibraryStore();

  const beforeId = ref<string | null>(null);
  const afterId = ref<string | null>(null);
  /** Ctrl/⌘-clicked snapshots in the library, in click order. */
  const picked = ref<string[]>([]);
  /** Snapshots of a trend (three or more, oldest first); empty for a plain pair. */
  const seriesIds = ref<string[]>([]);
  const notice = ref('');
  /** "Compare runs": the step pairs of two recipe runs, each opened in the slots on demand. */
  const runPairs = shallowRef<StepPair<SnapshotMeta>[]>([]);
  const runNames = ref<{ before: string; after: string } | null>(null);
  const runs = computed(() => listRuns(lib.snapshots));

  const before = computed(() => lib.snapshots.find((s) => s.id === beforeId.value) ?? null);
  const after = computed(() => lib.snapshots.find((s) => s.id === afterId.value) ?? null);
  const series = computed(() =>
    seriesIds.value
      .map((id) => lib.snapshots.find((s) => s.id === id))
      .filter((s): s is SnapshotMeta => !!s),
  );

  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref('');
  const summary = shallowRef<CompareSummary | null>(null);
  const mode = ref<CompareMode>('side');
  const palette = ref<DiffPalette>('red-green');

  const sampleType = ref('');
  const granularity = ref<Granularity>('functions');
  const filters = ref<Filters>({ ...NO_FILTERS });
  const normalization = ref<Normalization>('absolute');
  const matching = ref<Matching>('exact');
  const pivot = ref('');

  const trees = shallowRef<CompareTrees | null>(null);
  const treesError = ref('');
  const windows = ref<Record<ComparePane, ValueWindow>>({
    before: { x0: 0, x1: 1 },
    after: { x0: 0, x1: 1 },
    diff: { x0: 0, x1: 1 },
  });
  const zoomPath = shallowRef<CompareWindows['path']>([]);
  const anchor = ref(0);
  const hoverNode = ref(-1);
  const search = ref('');
  const searchResult = shallowRef<CompareSearchResult | null>(null);
  const searchError = ref('');
  const searchVersion = ref(0);

  const heap = shallowRef<HeapDiffView | null>(null);
  const heapError = ref('');
  const heapMeasure = ref<HeapMeasure>('inuse_space');
  const heapTrend = shallowRef<HeapTrendView | null>(null);
  const heapTrendError = ref('');
  const goroutines = shallowRef<GoroutineDiffView | null>(null);
  const goroutinesError = ref('');
  const longWaitMinutes = ref(10);

  const params = computed<CompareParams>(() => ({
    sampleType: sampleType.value,
    granularity: granularity.value,
    filters: { ...filters.value },
    normalization: normalization.value,
    matching: matching.value,
    pivot: pivot.value,
  }));

  const bothPprof = computed(
    () => !!before.value && !!after.value && isPprof(before.value) && isPprof(after.value),
  );
  const goroutineKinds = computed(
    () =>
      !!before.value &&
      !!after.value &&
      GOROUTINE_KINDS.has(before.value.kind) &&
      GOROUTINE_KINDS.has(after.value.kind),
  );
  /** Modes that can show this pair, with the reason for the others. */
  const modeReasons = computed<Record<CompareMode, string | null>>(() => {
    const flame = bothPprof.value
      ? summary.value && summary.value.sharedTypes.length === 0
        ? 'the two profiles share no sample type'
        : null
      : 'needs two pprof profiles';
    return {
      side: flame,
      diff: flame,
      table: flame,
      heap: summary.value?.heap ? null : 'needs two heap or allocs profiles',
      goroutines: goroutineKinds.value
        ? null
        : 'needs two goroutine snapshots (profiles or text dumps)',
      gc:
        before.value?.kind === 'gc-log' && after.value?.kind === 'gc-log'
          ? null
          : 'needs two GC logs (GODEBUG=gctrace=1 output)',
      trace:
        before.value && after.value && isTrace(before.value) && isTrace(after.value)
          ? null
          : 'needs two execution traces',
    };
  });

  // Not reactive: a Worker and cached bytes are not state to render.
  let worker: ProfileWorker | null = null;
  const bytesCache = new Map<string, Uint8Array>();
  let openSeq = 0;
  let buildSeq = 0;
  const windowTickets = zoomTickets();

  function client(): ProfileWorker | null {
    return worker;
  }

  async function bytesOf(meta: SnapshotMeta): Promise<Uint8Array> {
    const hit = bytesCache.get(meta.id);
    if (hit) return hit;
    const r = await useApi().readSnapshotBytes({ id: meta.id });
    if (!r.ok) throw new Error(`Could not read ${meta.name}: ${r.error.message}`);
    if (bytesCache.size > 24) bytesCache.clear();
    bytesCache.set(meta.id, r.value);
    return r.value;
  }

  /** A fresh copy for transferring to the Worker (the cache keeps its own). */
  async function bufferOf(meta: SnapshotMeta): Promise<ArrayBuffer> {
    return (await bytesOf(meta)).slice().buffer as ArrayBuffer;
  }

  function setSlot(slot: CompareSlot, id: string | null): void {
    if (slot === 'before') beforeId.value = id;
    else afterId.value = id;
    seriesIds.value = [];
    runPairs.value = [];
    runNames.value = null;
    notice.value = '';
  }

  function swap(): void {
    const b = beforeId.value;
    beforeId.value = afterId.value;
    afterId.value = b;
    seriesIds.value = [...seriesIds.value].reverse();
  }

  function togglePick(id: string): void {
    picked.value = picked.value.includes(id)
      ? picked.value.filter((x) => x !== id)
      : [...picked.value, id];
  }

  function clearPicks(): void {
    picked.value = [];
  }

  /** A library row click: Ctrl/⌘ picks it for comparing, a plain click selects it. */
  function clickSnapshot(e: MouseEvent, id: string): void {
    if (e.ctrlKey || e.metaKey) togglePick(id);
    else lib.select(id);
  }

  /** A library row dragged towards the before/after slots. */
  function dragSnapshot(e: DragEvent, id: string): void {
    if (!e.dataTransfer) return;
    e.dataTransfer.setData(SNAPSHOT_DRAG_TYPE, id);
    e.dataTransfer.setData('text/plain', lib.snapshots.find((s) => s.id === id)?.name ?? id);
    e.dataTransfer.effectAllowed = 'copy';
  }

  /** Compares the picked snapshots: two as before/after (older first), three or more as a trend. */
  function comparePicked(): boolean {
    const metas = picked.value
      .map((id) => lib.snapshots.find((s) => s.id === id))
      .filter((s): s is SnapshotMeta => !!s)
      .sort(byTime);
    if (metas.length < 2) {
      notice.value = 'Pick two snapshots (Ctrl/⌘+click in the library) to compare them.';
      return false;
    }
    const families = new Set(metas.map((m) => kindFamily(m.kind)));
    if (families.size > 1) {
      notice.value = `The picked snapshots are of different kinds (${[...families].join(', ')}): pick snapshots of one kind.`;
      return false;
    }
    beforeId.value = metas[0].id;
    afterId.value = metas[metas.length - 1].id;
    seriesIds.value = metas.length >= 3 ? metas.slice(-MAX_SERIES).map((m) => m.id) : [];
    runPairs.value = [];
    runNames.value = null;
    notice.value = '';
    return true;
  }

  /** Puts `id` in the after slot and the previous snapshot of its kind and target in before. */
  function compareWithPrevious(id: string): boolean {
    const s = lib.snapshots.find((x) => x.id === id);
    if (!s) return false;
    const prev = previousOf(s, lib.snapshots);
    if (!prev) {
      notice.value = `No earlier ${s.kind} snapshot of ${s.target ? s.target.name : 'this source'} to compare ${s.name} with.`;
      return false;
    }
    beforeId.value = prev.id;
    afterId.value = s.id;
    seriesIds.value = [];
    // Two runs of a recipe: their other step pairs are one click away.
    const pair = s.groupId && prev.groupId && s.stepKey === prev.stepKey;
    const b = pair ? runs.value.find((r) => r.groupId === prev.groupId) : undefined;
    const a = pair ? runs.value.find((r) => r.groupId === s.groupId) : undefined;
    runPairs.value = a && b ? pairRuns(b, a) : [];
    runNames.value = a && b ? { before: b.group, after: a.group } : null;
    notice.value = '';
    return true;
  }

  /** Every step pair of two recipe runs; the first complete pair opens in the slots. */
  function compareRuns(beforeGroupId: string, afterGroupId: string): boolean {
    const b = runs.value.find((r) => r.groupId === beforeGroupId);
    const a = runs.value.find((r) => r.groupId === afterGroupId);
    if (!b || !a) {
      notice.value = 'Pick two recipe runs to compare.';
      return false;
    }
    const pairs = pairRuns(b, a);
    const first = pairs.find((p) => p.before && p.after);
    if (!first) {
      notice.value = `The runs ${b.group} and ${a.group} share no step.`;
      return false;
    }
    runPairs.value = pairs;
    runNames.value = { before: b.group, after: a.group };
    beforeId.value = first.before!.id;
    afterId.value = first.after!.id;
    seriesIds.value = [];
    notice.value = '';
    return true;
  }

  /** Opens one step pair of the runs being compared. */
  function openRunPair(stepKey: string): void {
    const p = runPairs.value.find((x) => x.stepKey === stepKey);
    if (!p?.before || !p.after) return;
    beforeId.value = p.before.id;
    afterId.value = p.after.id;
    seriesIds.value = [];
  }

  function resetViewState(): void {
    builtKey = '';
    trees.value = null;
    treesError.value = '';
    heap.value = null;
    heapError.value = '';
    heapTrend.value = null;
    heapTrendError.value = '';
    goroutines.value = null;
    goroutinesError.value = '';
    zoomPath.value = [];
    anchor.value = 0;
    hoverNode.value = -1;
    pivot.value = '';
    searchResult.value = null;
  }

  /** Opens the pair in a fresh compare Worker. */
  async function open(): Promise<void> {
    const seq = ++openSeq;
    worker?.close();
    worker = null;
    summary.value = null;
    resetViewState();
    const b = before.value;
    const a = after.value;
    if (!b || !a) {
      status.value = 'idle';
      return;
    }
    status.value = 'loading';
    error.value = '';
    const w = new ProfileWorker();
    worker = w;
    try {
      if (isPprof(b) && isPprof(a)) {
        const [bb, ab] = await Promise.all([bufferOf(b), bufferOf(a)]);
        if (seq !== openSeq) return;
        const meta = (m: SnapshotMeta) => ({
          name: m.name,
          kind: m.kind,
          isDelta: m.delta,
          goVersion: m.goVersion ?? undefined,
        });
        const s = await w.call(
          'compareOpen',
          { before: bb, after: ab, beforeMeta: meta(b), afterMeta: meta(a) },
          [bb, ab],
        );
        if (seq !== openSeq) return;
        summary.value = s;
        if (!s.sharedTypes.some((t) => t.type === sampleType.value))
          sampleType.value = s.defaultType;
      }
      status.value = 'ready';
      const reasons = modeReasons.value;
      if (reasons[mode.value] !== null) {
        mode.value =
          (['side', 'goroutines', 'heap', 'gc', 'trace'] as const).find(
            (m) => reasons[m] === null,
          ) ?? 'side';
      }
      await refreshMode();
    } catch (e) {
      if (seq !== openSeq) return;
      status.value = 'error';
      error.value = message(e);
    }
  }

  async function refreshMode(): Promise<void> {
    if (status.value !== 'ready') return;
    if (mode.value === 'heap') {
      await loadHeap();
      await loadHeapTrend();
    } else if (mode.value === 'goroutines') await loadGoroutines();
    else if (!trees.value && modeReasons.value[mode.value] === null) await build();
  }

  /** The params of the build in flight or last done: a watcher firing for them is a no-op. */
  let builtKey = '';

  async function build(): Promise<void> {
    const w = worker;
    if (!w || !summary.value || modeReasons.value.side !== null) return;
    const seq = ++buildSeq;
    builtKey = JSON.stringify(params.value);
    try {
      const t = await w.call('compareBuild', { params: params.value });
      if (seq !== buildSeq) return;
      trees.value = t;
      treesError.value = '';
      windows.value = { ...t.windows };
      zoomPath.value = [];
      anchor.value = 0;
      hoverNode.value = -1;
      await runSearch();
    } catch (e) {
      if (seq !== buildSeq) return;
      trees.value = null;
      treesError.value = message(e);
    }
  }

  async function applyWindows(req: WindowRequest): Promise<void> {
    const w = worker;
    if (!w || !trees.value) return;
    const latest = windowTickets.take();
    try {
      const r = await w.call('compareWindows', req);
      if (!latest()) return;
      windows.value = r.windows;
      zoomPath.value = r.path;
      anchor.value = r.anchor;
    } catch {
      // A stale tree: the next build resets the windows.
    }
  }

  /**
   * A pane's window moved (wheel zoom, pan, a merged run's click): kept inside that pane's
   * graph; the others follow through the anchor node.
   */
  function setWindowFrom(pane: ComparePane, asked: ValueWindow): void {
    const t = trees.value;
    const win = t ? clampWindow(asked, t.windows[pane]) : asked;
    windows.value = { ...windows.value, [pane]: win };
    void applyWindows({ pane, x0: win.x0, x1: win.x1 });
  }

  function zoomTo(node: number): Promise<void> {
    return applyWindows({ node });
  }

  function resetZoom(): Promise<void> {
    return applyWindows({ reset: true });
  }

  async function runSearch(): Promise<void> {
    const w = worker;
    if (!w || !summary.value) return;
    try {
      searchResult.value = await w.call('compareSearch', { pattern: search.value });
      searchError.value = '';
    } catch (e) {
      searchError.value = message(e);
      searchResult.value = null;
      await w.call('compareSearch', { pattern: '' }).catch(() => null);
    }
    searchVersion.value++;
  }

  function setSearch(pattern: string): Promise<void> {
    search.value = pattern;
    return runSearch();
  }

  function addFilter(kind: FilterKind, pattern: string): void {
    const cur = filters.value[kind];
    filters.value = { ...filters.value, [kind]: cur ? `${cur}|${pattern}` : pattern };
  }

  function setFilter(kind: FilterKind, pattern: string): void {
    filters.value = { ...filters.value, [kind]: pattern };
  }

  async function loadHeap(): Promise<void> {
    const w = worker;
    if (!w || !summary.value?.heap) return;
    try {
      heap.value = await w.call('compareHeap', {
        granularity: granularity.value,
        filters: { ...filters.value },
        measure: heapMeasure.value,
        limit: 300,
        filter: '',
      });
      heapError.value = '';
    } catch (e) {
      heap.value = null;
      heapError.value = message(e);
    }
  }

  /** Three or more heap snapshots: the picked series, else every heap snapshot of the target. */
  function trendMetas(): SnapshotMeta[] {
    if (series.value.length >= 3) return series.value;
    const a = after.value;
    if (!a || !HEAP_KINDS.has(a.kind)) return [];
    const same = lib.snapshots.filter(
      (x) => x.kind === a.kind && !x.trashedAt && sameTarget(x, a) && byTime(x, a) <= 0,
    );
    return same.sort(byTime).slice(-MAX_SERIES);
  }

  async function loadHeapTrend(): Promise<void> {
    const w = worker;
    heapTrend.value = null;
    const metas = trendMetas();
    if (!w || metas.length < 3) {
      heapTrendError.value = `Leak suspects need three or more heap snapshots of one target (${metas.length} found): pick them with Ctrl/⌘+click and compare.`;
      return;
    }
    try {
      const snapshots: SnapshotBytes[] = [];
      for (const m of metas) snapshots.push({ name: m.name, bytes: await bufferOf(m) });
      heapTrend.value = await w.call(
        'compareHeapTrend',
        { snapshots },
        snapshots.map((s) => s.bytes),
      );
      heapTrendError.value = '';
    } catch (e) {
      heapTrendError.value = message(e);
    }
  }

  async function loadGoroutines(): Promise<void> {
    const w = worker;
    const metas = series.value.length >= 2 ? series.value : [before.value, after.value];
    if (!w || metas.some((m) => !m) || !goroutineKinds.value) return;
    try {
      const snapshots: SnapshotBytes[] = [];
      for (const m of metas as SnapshotMeta[])
        snapshots.push({ name: m.name, bytes: await bufferOf(m) });
      goroutines.value = await w.call(
        'compareGoroutines',
        { snapshots, longWaitMinutes: longWaitMinutes.value, match: 'functions' },
        snapshots.map((s) => s.bytes),
      );
      goroutinesError.value = '';
    } catch (e) {
      goroutines.value = null;
      goroutinesError.value = message(e);
    }
  }

  function close(): void {
    openSeq++;
    worker?.close();
    worker = null;
    summary.value = null;
    status.value = 'idle';
    resetViewState();
  }

  // A new pair reopens; new options rebuild what the current mode shows.
  watch([beforeId, afterId, seriesIds], () => void open());
  watch(
    () => JSON.stringify(params.value),
    (key) => {
      if (key === builtKey || status.value !== 'ready') return;
      trees.value = null;
      heap.value = null;
      if (mode.value === 'side' || mode.value === 'diff' || mode.value === 'table') void build();
      else if (mode.value === 'heap') void loadHeap();
    },
  );
  watch(mode, () => void refreshMode());
  watch(heapMeasure, () => void loadHeap());
  watch(longWaitMinutes, () => void loadGoroutines());

  return {
    beforeId,
    afterId,
    before,
    after,
    picked,
    seriesIds,
    series,
    notice,
    runs,
    runPairs,
    runNames,
    compareRuns,
    openRunPair,
    status,
    error,
    summary,
    mode,
    modeReasons,
    palette,
    sampleType,
    granularity,
    filters,
    normalization,
    matching,
    pivot,
    params,
    trees,
    treesError,
    windows,
    zoomPath,
    anchor,
    hoverNode,
    search,
    searchResult,
    searchError,
    searchVersion,
    heap,
    heapError,
    heapMeasure,
    heapTrend,
    heapTrendError,
    goroutines,
    goroutinesError,
    longWaitMinutes,
    client,
    setSlot,
    swap,
    togglePick,
    clearPicks,
    clickSnapshot,
    dragSnapshot,
    comparePicked,
    compareWithPrevious,
    open,
    build,
    setWindowFrom,
    zoomTo,
    resetZoom,
    setSearch,
    addFilter,
    setFilter,
    loadHeap,
    loadHeapTrend,
    loadGoroutines,
    close,
  };
});

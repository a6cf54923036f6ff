// Requests of the Compare tab to a profile Worker (merged into protocol.ts's Ops). A compare
// Worker holds two decoded profiles (before and after) and the union call tree of
// both; the side-by-side panes and the diff flame graph all index that one tree, so a node id
// names the same frame in every pane (hover, zoom and search move in step for free).
import type { ComparabilityFinding } from '../../../core/pprof/comparability';
import type { HeapMeasure } from '../../../core/pprof/heap-diff';
import type { Normalization } from '../../../core/pprof/tree-diff';
import type { LegendEntry } from '../../../core/pprof/diff-flame';
import type { ValueWindow } from '../../../core/view/flame/window';
import type { DiffTopColumn } from '../../../core/view/rows';
import type { Filters, Granularity, LodPayload, LodRequest, ValueType } from './protocol';

export type { Normalization };

export type ComparePane = 'before' | 'after' | 'diff';
export const COMPARE_PANES: readonly ComparePane[] = ['before', 'after', 'diff'];

/** What the library knows of a side and the profile cannot tell. */
export interface CompareSideMeta {
  name: string;
  kind?: string;
  /** A server-side delta capture (seconds=N on a cumulative kind). */
  isDelta?: boolean;
  goVersion?: string;
}

export interface CompareSideSummary {
  name: string;
  sampleTypes: ValueType[];
  periodType: ValueType | null;
  period: number;
  durationNanos: number;
  sampleCount: number;
}

export interface CompareSummary {
  before: CompareSideSummary;
  after: CompareSideSummary;
  /** Sample types both sides have, by type name, in the before profile's order. */
  sharedTypes: ValueType[];
  /** The type shown first (pprof's default of the after profile, when shared). */
  defaultType: string;
  /** The comparability guard's findings (shown as a visible warning). */
  findings: ComparabilityFinding[];
  /** Both sides are heap profiles (inuse/alloc space and objects). */
  heap: boolean;
}

export type Matching = 'exact' | 'go';

export interface CompareParams {
  /** Sample type name, as in CompareSummary.sharedTypes. */
  sampleType: string;
  granularity: Granularity;
  filters: Filters;
  normalization: Normalization;
  /** 'go': closures and generic instantiations match across builds. */
  matching: Matching;
  /** Function to pivot on ('' = the whole profile): both sides re-rooted at its callees. */
  pivot: string;
}

export interface OneSided {
  path: string[];
  total: number;
  /** The union tree node, for zooming to it. */
  node: number;
}

export interface CompareTrees {
  version: number;
  sampleType: ValueType;
  names: string[];
  nodeCount: number;
  maxDepth: number;
  /** Raw totals of both sides (after filters). */
  beforeTotal: number;
  afterTotal: number;
  /** pprof's totals (before focus/ignore/hide/show): the base of percentages. */
  beforeGrandTotal: number;
  afterGrandTotal: number;
  /** Normalized totals, in the legend's units. */
  beforeNorm: number;
  afterNorm: number;
  normalization: Normalization;
  normalizationLabel: string;
  /** Why the normalization asked for fell back to absolute. */
  normalizationUnavailable: string | null;
  scaleBefore: number;
  scaleAfter: number;
  /** Whether CPU's 2√n noise rule is applied. */
  noiseRule: boolean;
  legend: {
    normalization: string;
    colour: string;
    width: string;
    scale: LegendEntry[];
    special: LegendEntry[];
  };
  onlyBefore: OneSided[];
  onlyAfter: OneSided[];
  onlyBeforeCount: number;
  onlyAfterCount: number;
  /** The pivot in force and whether each side has the function. */
  pivot: string;
  pivotFound: { before: boolean; after: boolean };
  /** Each pane's full window (before/after at one normalized scale: the smaller is narrower). */
  windows: Record<ComparePane, ValueWindow>;
}

/** A profile LOD request (window, size, rows, pixels) for a compare pane. */
export type CompareLodRequest = Omit<LodRequest, 'slot'> & { pane: ComparePane };

/** A LodPayload whose `total`/`self` are the pane's values; `version` is the trees' version. */
export type CompareLod = LodPayload & { pane: ComparePane };

export interface PanePlace {
  x: number;
  width: number;
}

export interface CompareNodeInfo {
  id: number;
  name: string;
  file: string;
  line: number;
  inlined: boolean;
  beforeSelf: number;
  beforeTotal: number;
  afterSelf: number;
  afterTotal: number;
  /** Normalized totals and their change. */
  beforeNorm: number;
  afterNorm: number;
  /** (after - before) / before of the normalized totals; null when before is 0. */
  change: number | null;
  noise: boolean;
  /** The noise band (2σ) in normalized units, 0 without the noise rule. */
  noiseBand: number;
  onlyIn: 'before' | 'after' | null;
  places: Record<ComparePane, PanePlace>;
  /** Root-first path (names), the node last. */
  path: { id: number; name: string }[];
}

export interface CompareWindows {
  /** The deepest node whose extent holds the window (0 = root). */
  anchor: number;
  windows: Record<ComparePane, ValueWindow>;
  /** Root-first path of the anchor for the breadcrumb. */
  path: { id: number; name: string }[];
}

export type WindowRequest =
  { pane: ComparePane; x0: number; x1: number } | { node: number } | { reset: true };

export interface CompareSearchResult {
  pattern: string;
  matchedNames: number;
  beforeTotal: number;
  afterTotal: number;
  beforeFraction: number;
  afterFraction: number;
}

export type { DiffTopColumn };

export interface DiffTopRequest {
  params: CompareParams;
  /** Go regular expression on the name ('' = every row). */
  filter: string;
  sort: DiffTopColumn;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface DiffTopWindow {
  sampleType: ValueType;
  /** pprof's percentage base under -diff_base: the base total. */
  pprofTotal: number;
  beforeTotal: number;
  afterTotal: number;
  /** pprof -normalize was applied (share of total mode). */
  normalized: boolean;
  rowCount: number;
  allRows: number;
  offset: number;
  names: string[];
  beforeFlat: Float64Array;
  afterFlat: Float64Array;
  beforeCum: Float64Array;
  afterCum: Float64Array;
  warnings: string[];
}

export interface HeapDiffRequest {
  granularity: Granularity;
  filters: Filters;
  /** Measure of the by-path table. */
  measure: HeapMeasure;
  /** Rows returned (largest change first). */
  limit: number;
  filter: string;
}

export interface HeapValuesView {
  inuse_space: number;
  inuse_objects: number;
  alloc_space: number;
  alloc_objects: number;
}

export interface HeapRowView {
  name: string;
  before: HeapValuesView;
  after: HeapValuesView;
  cumBefore: HeapValuesView;
  cumAfter: HeapValuesView;
  change: 'retention' | 'churn' | 'unchanged';
  direction: 'up' | 'down' | 'none';
  cumChange: 'retention' | 'churn' | 'unchanged';
  reason: string;
}

export interface HeapPathRow {
  /** Root-first frame names. */
  path: string[];
  beforeSelf: number;
  afterSelf: number;
  beforeTotal: number;
  afterTotal: number;
}

export interface HeapDiffView {
  totalsBefore: HeapValuesView;
  totalsAfter: HeapValuesView;
  minBytes: number;
  rows: HeapRowView[];
  rowCount: number;
  counts: { retentionUp: number; retentionDown: number; churnUp: number; churnDown: number };
  measure: HeapMeasure;
  paths: HeapPathRow[];
}

export interface SnapshotBytes {
  name: string;
  bytes: ArrayBuffer;
}

export interface HeapTrendView {
  names: string[];
  minBytes: number;
  rows: {
    name: string;
    inuse: number[];
    alloc: number[];
    leakSuspect: boolean;
    reason: string;
  }[];
  suspects: number;
}

export interface GoroutineDiffRequest {
  snapshots: SnapshotBytes[];
  longWaitMinutes: number;
  match: 'functions' | 'lines';
}

export interface GoroutineDiffView {
  names: string[];
  /** 'proto' | 'debug1' | 'debug2' per snapshot: states and waits need debug=2. */
  formats: string[];
  totals: number[];
  rows: {
    key: string;
    title: string;
    /** Leaf-first frames of the first matching group (function names). */
    frames: string[];
    counts: number[];
    delta: number;
    change: 'new' | 'vanished' | 'grew' | 'shrank' | 'same';
    longWaiting: (number | null)[];
    states: { state: string; count: number }[][];
    leakSuspect: boolean;
    reason: string;
  }[];
  byState: { state: string; category: string; counts: number[] }[];
  suspects: number;
  longWaitMinutes: number;
}

/** Request name -> [argument, result], merged into the Worker's Ops. */
export interface CompareOps {
  compareOpen: [
    {
      before: ArrayBuffer;
      after: ArrayBuffer;
      beforeMeta: CompareSideMeta;
      afterMeta: CompareSideMeta;
    },
    CompareSummary,
  ];
  compareBuild: [{ params: CompareParams }, CompareTrees];
  compareLod: [CompareLodRequest, CompareLod];
  compareNode: [{ id: number }, CompareNodeInfo];
  compareSearch: [{ pattern: string }, CompareSearchResult | null];
  compareWindows: [WindowRequest, CompareWindows];
  compareTop: [DiffTopRequest, DiffTopWindow];
  compareHeap: [HeapDiffRequest, HeapDiffView];
  compareHeapTrend: [{ snapshots: SnapshotBytes[] }, HeapTrendView];
  compareGoroutines: [GoroutineDiffRequest, GoroutineDiffView];
}

// Requests of the Contention and Goroutines tabs (contention-handlers.ts, goroutine-handlers.ts),
// answered by the profile Worker, and a text dump's by the goroutines Worker. Rows are small
// plain objects: the Worker aggregates, the UI shows.
import type {
  ContentionKind,
  ContentionTable,
  JointContentionRow,
} from '../../../core/pprof/contention';
import type { DumpFormat, Truncation } from '../../../core/goroutines/dump';
import type { StateCategory } from '../../../core/goroutines/states';

export type { ContentionKind, ContentionTable, JointContentionRow };

export type ContentionGranularity = 'functions' | 'lines';

export type ContentionColumn = 'site' | 'contentions' | 'delay' | 'mean' | 'share';
/** The joint table's columns: m (mutex) or b (block), then contentions, delay or mean. */
export type JointColumn = 'site' | 'mc' | 'md' | 'mm' | 'bc' | 'bd' | 'bm';

export interface ContentionRequest {
  granularity: ContentionGranularity;
  /** The snapshot's kind when the library knows it; else guessed from the stacks. */
  kind?: ContentionKind;
  /** The rows' order (sorted in the Worker); by delay, largest first, when absent. */
  sort?: { column: ContentionColumn; dir: 'asc' | 'desc' };
}

export interface ContentionAnswer {
  table: ContentionTable;
  /** Sample indexes for the flame graph (-1 when the profile lacks the type). */
  delayIndex: number;
  contentionsIndex: number;
}

export interface JointRequest extends ContentionRequest {
  kind: ContentionKind;
  /** The partner snapshot's table (the other kind), computed by its own Worker. */
  partner: ContentionTable;
  /** The joint rows' order; the larger of the two delays first when absent. */
  jointSort?: { column: JointColumn; dir: 'asc' | 'desc' } | null;
}

export type GroupBy = 'stack' | 'stack+labels';
export type GroupSort = 'count' | 'wait' | 'name';

export interface GoroutineScope {
  functions: boolean;
  files: boolean;
  labels: boolean;
  states: boolean;
}

export interface GoroutineOverview {
  format: DumpFormat;
  /** Goroutines read. */
  total: number;
  /** What the source says it holds (debug=1's `total N`). */
  declaredTotal: number;
  truncation: Truncation | null;
  warnings: string[];
  hasLabels: boolean;
  hasWaits: boolean;
  hasCreators: boolean;
}

export interface GoroutineQuery {
  by: GroupBy;
  /** Regular expression ('' = every group). */
  search: string;
  scope: GoroutineScope;
  leaksOnly: boolean;
  sort: GroupSort;
  offset: number;
  limit: number;
  /** Expanded groups: the answer says where each sits in this order. */
  expanded: number[];
}

export interface GroupState {
  state: string;
  category: StateCategory;
  count: number;
}

export interface GoroutineRow {
  /** Position in the filtered, sorted order. */
  index: number;
  /** Group id (stable for one grouping mode). */
  id: number;
  count: number;
  title: string;
  /** `file:line` of the title frame, '' when unknown. */
  titleAt: string;
  states: GroupState[];
  stateInferred: boolean;
  /** Longest and median wait in minutes; null when the source has no wait times. */
  maxWait: number | null;
  medianWait: number | null;
  lockedToThread: number;
  framesElided: boolean;
  /** Most frequent creator first: `func` of the `created by` frame. */
  creators: string[];
  /** Most frequent label set first, each as `k=v` pairs. */
  labelSets: string[][];
  leak: { reason: string; count: number } | null;
  /** Goroutines the runtime's leak detector proved leaked (goroutineleak, "(leaked)"). */
  provenLeaked: number;
  /** Lines of the expanded stack text (GroupDetail.text). */
  stackLines: number;
}

export interface LeakSummary {
  id: number;
  count: number;
  reason: string;
  /** Position in the current order, -1 when filtered out. */
  index: number;
}

export interface GoroutineWindow {
  /** Groups after search and filters. */
  rowCount: number;
  /** Goroutines in those groups. */
  matched: number;
  groupCount: number;
  total: number;
  offset: number;
  rows: GoroutineRow[];
  /** Largest first. */
  leaks: LeakSummary[];
  leakGoroutines: number;
  /** Where each asked-for expanded group sits now (-1: filtered out). */
  expandedAt: { id: number; index: number; lines: number }[];
}

export interface GroupDetail {
  id: number;
  /** The full stack as text, Go's traceback layout; shown as text, never HTML. */
  text: string;
  lines: number;
  /** Goroutine ids (debug=2 text), at most 200. */
  ids: number[];
  moreIds: number;
}

/** Request name -> [argument, result]; merged into protocol.ts's Ops. */
export interface AnalysisOps {
  'contention.table': [ContentionRequest, ContentionAnswer];
  'contention.joint': [JointRequest, JointContentionRow[]];
  /** bytes: a text dump or profile to read; none: the Worker's open goroutine profile. */
  'goroutines.load': [{ bytes?: ArrayBuffer }, GoroutineOverview];
  'goroutines.rows': [GoroutineQuery, GoroutineWindow];
  'goroutines.group': [{ by: GroupBy; id: number }, GroupDetail];
}

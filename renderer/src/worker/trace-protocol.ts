// Messages between the Timeline tab and its trace Worker (one Worker per opened trace). Every
// request carries an id; the Worker answers once with a value or an error, and may send
// progress for it before that. Bulk results are typed arrays whose buffers are transferred.
import type { BlockingProfileKind } from '../../../core/trace/profiles';
import type { TraceSummary } from '../../../core/trace/compare';
import type { GcCycleTable, GcSummary } from '../../../core/trace/gc-cycles';
import type { MmuFlags } from '../../../core/trace/mmu';

export type { BlockingProfileKind, GcCycleTable, GcSummary, MmuFlags, TraceSummary };

/** Lanes by goroutine (with the P lanes) or by thread (M), like go tool trace's two views. */
export type LaneMode = 'goroutines' | 'threads';

export interface TraceWarningInfo {
  kind: string;
  message: string;
}

export interface TraceInfo {
  /** Trace format version from the header ("1.26"). */
  goVersion: string;
  durationNs: number;
  generations: number;
  eventCount: number;
  /** Problems recovered from (a truncated tail that was dropped...). */
  warnings: TraceWarningInfo[];
  goroutines: number;
  procs: number;
  gcCount: number;
  stwCount: number;
  cpuSamples: number;
  fileBytes: number;
  /** Typed arrays the Worker keeps (model and indexes), bytes. */
  keptBytes: number;
  /** Parse time; when streamed, from the request to the last byte parsed (download included). */
  parseMs: number;
  indexMs: number;
}

export interface LanesInfo {
  /** Bumped whenever the list changes: frames name the list they were cut from. */
  version: number;
  filter: string;
  length: number;
  procLanes: number;
  goroutineLanes: number;
  allGoroutineLanes: number;
  mode: LaneMode;
  /** Thread lanes (threads mode). */
  threadLanes: number;
}

export interface FrameRequest {
  lanesVersion: number;
  t0: number;
  t1: number;
  widthPx: number;
  /** Spans narrower than this are merged. */
  minPx: number;
  /** Lanes [lane0, lane1) of the current list: only the visible ones are asked for. */
  lane0: number;
  lane1: number;
}

/** Span classes (core/trace/timeline-classes SpanClass) per item; times in ns since the trace start. */
export interface FramePayload {
  lanesVersion: number;
  t0: number;
  t1: number;
  widthPx: number;
  minPx: number;
  lane0: number;
  lane1: number;
  /** Per lane: 0 P, 1 goroutine; its P or goroutine id; its title ("P0", "G17 main.worker"). */
  laneKind: Uint8Array;
  laneId: Float64Array;
  laneTitle: string[];
  /** Goroutine row of a goroutine lane, P row of a P lane. */
  laneRow: Int32Array;
  laneStart: Int32Array;
  start: Float64Array;
  end: Float64Array;
  cls: Uint8Array;
  /** Spans folded into the item (1 for a single span). */
  count: Uint32Array;
  ref: Int32Array;
  fill: Uint8Array;
  /** Per item: index into labels (P lanes: the goroutine; goroutine lanes: why it waits), -1 none. */
  label: Int32Array;
  labels: string[];
  /** CPU profile samples on goroutine and P lanes: lane (index from lane0), time (mid-pixel), count. */
  sampleLane: Int32Array;
  sampleTime: Float64Array;
  sampleCount: Int32Array;
  /** Worker time spent on the frame. */
  ms: number;
  /** User annotations on the goroutine lanes (regions, tasks, logs), null when none. */
  marks: AnnotationMarks | null;
}

/** Regions, tasks and logs on the frame's lanes (core/trace/annotation-lod AnnotationItems). */
export interface AnnotationMarks {
  /** Lane index in the current list. */
  lane: Int32Array;
  /** 0 region, 1 task, 2 log. */
  kind: Uint8Array;
  start: Float64Array;
  end: Float64Array;
  depth: Uint8Array;
  /** Index into the frame's labels: the region or task type, or "category: message"; -1 none. */
  label: Int32Array;
  task: Float64Array;
  count: Uint32Array;
}

/** One task or region type: go tool trace's user-defined tasks/regions table row. */
export interface AnnotationTypeView {
  type: string;
  count: number;
  complete: number;
  totalNs: number;
  p50: number;
  p90: number;
  p99: number;
  maxNs: number;
  /** go tool trace's duration histogram: lower bound of each bucket (one more than counts). */
  bounds: number[];
  counts: number[];
}

export interface AnnotationTables {
  tasks: AnnotationTypeView[];
  regions: AnnotationTypeView[];
  logs: number;
}

export interface TaskRowView {
  id: number;
  start: number;
  end: number;
  complete: boolean;
}

export interface LogView {
  time: number;
  goroutine: number;
  goroutineId: number;
  task: number;
  category: string;
  message: string;
}

export interface ThreadSliceView {
  thread: number;
  goroutine: number;
  goroutineId: number;
  goroutineName: string;
  syscall: boolean;
  start: number;
  end: number;
}

export interface OverlayRequest {
  t0: number;
  t1: number;
  widthPx: number;
}

export interface OverlayPayload {
  t0: number;
  t1: number;
  widthPx: number;
  gcStart: Float64Array;
  gcEnd: Float64Array;
  stwStart: Float64Array;
  stwEnd: Float64Array;
  /** Per pixel bucket (time = bucket start): heap in use max, heap goal max (NaN = none). */
  time: Float64Array;
  heap: Float64Array;
  heapGoal: Float64Array;
  /** Per pixel bucket: most goroutines in each state. */
  running: Float64Array;
  runnable: Float64Array;
  waiting: Float64Array;
  syscall: Float64Array;
  /** Whole-trace maxima: heap (in use or goal), running + runnable + syscall, waiting. */
  maxHeap: number;
  maxActive: number;
  maxWaiting: number;
}

export interface SpanView {
  /** Position in the lane index (stable id of the span). */
  ref: number;
  goroutine: number;
  goroutineId: number;
  goroutineName: string;
  state: string;
  /** SpanClass, for the colour swatch. */
  cls: number;
  start: number;
  end: number;
  reason: string;
  /** For a wait without a reason (held since the trace began): what its stack says, or ''. */
  inferredReason: string;
  /** P id it ran or called on, -1 when none. */
  procId: number;
  stack: string[];
  /** Goroutine (row and id) that made it runnable: its creator or unblocker; -1 when unknown. */
  madeRunnableBy: number;
  madeRunnableById: number;
  /** For a blocked span: the goroutine that unblocked it when it ended; -1 when unknown. */
  unblockedBy: number;
  unblockedById: number;
  unblockStack: string[];
}

export type AnalysisBy = 'goroutine' | 'function';
export type AnalysisSort =
  | 'id'
  | 'name'
  | 'count'
  | 'total'
  | 'exec'
  | 'sched'
  | 'block'
  | 'syscall'
  | 'syscallBlock'
  | 'gc';

export interface AnalysisRequest {
  by: AnalysisBy;
  sort: AnalysisSort;
  desc: boolean;
  offset: number;
  limit: number;
  /** The lane filter (start function text or goroutine id); '' = all. */
  filter: string;
}

export interface AnalysisRow {
  /** Goroutine row (by goroutine), -1 for a start function row. */
  goroutine: number;
  /** Goroutine id; -1 for a start function row. */
  id: number;
  /** Goroutines the row stands for: 1 for a goroutine, the group's size for a start function. */
  count: number;
  name: string;
  totalNs: number;
  execNs: number;
  schedWaitNs: number;
  blockNs: number;
  syscallNs: number;
  syscallBlockNs: number;
  gcNs: number;
  /** Largest block reasons first (goroutine rows only). */
  blockReasons: { reason: string; ns: number }[];
}

export interface AnalysisWindow {
  by: AnalysisBy;
  total: number;
  offset: number;
  rows: AnalysisRow[];
}

export interface LatencyPayload {
  /** Waits measured. */
  count: number;
  sumNs: number;
  minNs: number;
  maxNs: number;
  p50: number;
  p90: number;
  p99: number;
  /** Non-empty bucket range: bucket i holds waits in [lower[i], upper[i]). */
  lower: number[];
  upper: number[];
  counts: number[];
}

export interface ProfilePayload {
  kind: BlockingProfileKind;
  /** A pprof profile (uncompressed protobuf) the profile Worker opens. */
  bytes: ArrayBuffer;
  samples: number;
  totalNs: number;
}

/**
 * The trace to open: its bytes (transferred), or a same-origin URL the Worker fetches and
 * parses as the bytes arrive, so the file is never held in one piece; `size` (the snapshot's)
 * stands in for progress when the response has no Content-Length.
 */
/** The GC panel: every cycle, and the pause figures over a window (core/trace/gc-cycles). */
export interface GcRequest {
  /** Window for the summary (ns); the whole trace when absent. */
  t0?: number;
  t1?: number;
}

export interface GcPayload {
  summary: GcSummary;
  /** Whole-trace summary (the same as summary without a window). */
  whole: GcSummary;
  cycles: GcCycleTable;
}

export interface MmuRequest {
  flags: MmuFlags;
  /** Window (ns) the curve is over; the whole trace when absent. */
  t0?: number;
  t1?: number;
}

export interface MmuPayload {
  flags: MmuFlags;
  /** The span the curve covers (ns). */
  t0: number;
  t1: number;
  /** go tool trace's plot: 100 log-spaced windows (ns) and their MMU (0..1); empty when no curve. */
  windows: Float64Array;
  mmu: Float64Array;
  /** MMU at 1 ms, 10 ms, 100 ms and 1 s (the ones no longer than the span). */
  at: { windowNs: number; mmu: number }[];
  /**
   * System view: when utilization falls to 0 and stays there for the last tenth of the span or
   * more, the time it falls; null otherwise. Go's function ends at its last change, so its MMU
   * covers only the time before (with background workers counted, this happens in Go 1.22+
   * traces: the count never drops again once a worker restarted on a P).
   */
  zeroFrom: number | null;
}

/** CPU profile samples of [t0, t1) as a pprof profile (one sample type: samples/count). */
export interface CpuProfilePayload {
  t0: number;
  t1: number;
  /** Samples in the window, and in the whole trace. */
  samples: number;
  total: number;
  /** A pprof profile (uncompressed protobuf) the profile Worker opens. */
  bytes: ArrayBuffer;
}

export type OpenRequest = { bytes: ArrayBuffer } | { url: string; size: number };

export interface TraceOps {
  open: [OpenRequest, TraceInfo];
  lanes: [{ filter: string; mode?: LaneMode }, LanesInfo];
  frame: [FrameRequest, FramePayload];
  overlay: [OverlayRequest, OverlayPayload];
  span: [{ ref: number }, SpanView];
  /** Lane of a goroutine (row) in the current list, -1 when the filter hides it. */
  locate: [{ goroutine: number }, number];
  analysis: [AnalysisRequest, AnalysisWindow];
  latency: [Record<string, never>, LatencyPayload];
  profile: [{ kind: BlockingProfileKind }, ProfilePayload];
  /** Task and region types with their duration statistics, and how many logs. */
  annotations: [Record<string, never>, AnnotationTables];
  /** Tasks of one type, complete ones longest first. */
  tasksOfType: [{ type: string; limit: number }, { total: number; rows: TaskRowView[] }];
  /** The goroutine filter ("task N") and window that show task `id`. */
  task: [{ id: number }, { filter: string; t0: number; t1: number; goroutines: number }];
  /** Log messages containing `text` (category or message, case-insensitive). */
  logs: [{ text: string; limit: number }, { total: number; rows: LogView[] }];
  /** A slice of a thread lane (threads mode), by its ref. */
  threadSlice: [{ ref: number }, ThreadSliceView];
  /** The figures of trace-against-trace comparison (core/trace/compare). */
  summary: [Record<string, never>, TraceSummary];
  gc: [GcRequest, GcPayload];
  mmu: [MmuRequest, MmuPayload];
  cpuProfile: [{ t0: number; t1: number }, CpuProfilePayload];
}

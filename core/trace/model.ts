// The parsed execution trace as columnar tables (structure of arrays, never one object per
// event). Every table is a set of parallel typed arrays of equal `length`, in trace order
// (strictly increasing time). Times are nanoseconds since the trace's first event, computed
// exactly as Go's reader computes them. References between tables are row indexes, -1 = none:
// goroutine and P columns index `goroutines` and `procs` (not the runtime's ids), stack
// columns index `stacks`, string columns index `strings` (entry 0 is '').
import type { TraceWarning } from './errors';

/** Goroutine states (Go's trace.GoState numbering). */
export const GoState = {
  Undetermined: 0,
  NotExist: 1,
  Runnable: 2,
  Running: 3,
  Waiting: 4,
  Syscall: 5,
} as const;
export type GoState = (typeof GoState)[keyof typeof GoState];

/** P states (Go's trace.ProcState numbering). */
export const ProcState = {
  Undetermined: 0,
  NotExist: 1,
  Running: 2,
  Idle: 3,
} as const;
export type ProcState = (typeof ProcState)[keyof typeof ProcState];

/**
 * Times stored compactly: row i's time is base[i >> 12] + offset[i], except in the rare
 * 4096-row chunks spanning more than 2^32 ns, whose times are wide[i >> 12][i & 4095].
 * Read them with timeAt().
 */
export interface TimeColumn {
  length: number;
  base: Float64Array;
  offset: Uint32Array;
  wide: (Float64Array | undefined)[];
}

/**
 * A column of row indexes (-1 = none): 16-bit while every value fits, which halves the
 * largest table of small traces; read it like any typed array.
 */
export type IndexArray = Int16Array | Int32Array;

export const TIME_CHUNK_SHIFT = 12;
export const TIME_CHUNK = 1 << TIME_CHUNK_SHIFT;

export function timeAt(c: TimeColumn, i: number): number {
  const k = i >>> TIME_CHUNK_SHIFT;
  const w = c.wide[k];
  return w === undefined ? c.base[k] + c.offset[i] : w[i & (TIME_CHUNK - 1)];
}

/** First row whose time is >= t (length when none). */
export function lowerBoundTime(c: TimeColumn, t: number, lo = 0, hi = c.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeAt(c, mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface FrameTable {
  length: number;
  pc: Float64Array;
  /** Index into strings. */
  func: Int32Array;
  /** Index into strings. */
  file: Int32Array;
  line: Float64Array;
}

/**
 * Stacks share prefixes: stack i is frame[i] called from stack prefix[i] (-1 at the root). A
 * stack index names its leaf (innermost) frame; walking prefix goes towards the root.
 */
export interface StackTable {
  length: number;
  frame: Int32Array;
  prefix: Int32Array;
}

export interface GoroutineTable {
  length: number;
  /** The runtime's goroutine id. */
  id: Float64Array;
  /**
   * Start function: the outermost frame of the first non-empty stack on a transition that
   * changes the goroutine's state (go tool trace's name), or 0 ('') when none was seen.
   */
  name: Int32Array;
  /** Goroutine that created it (-1 when it existed before the trace or was made by the runtime). */
  createdBy: Int32Array;
  /** Stack the goroutine was created with (its entry function), -1 when unknown. */
  startStack: Int32Array;
}

export interface ProcTable {
  length: number;
  /** The runtime's P id. */
  id: Float64Array;
}

/**
 * Goroutine state transitions that change the state (Go's StateTransition events with
 * from != to; the status restatements at generation starts are left out).
 *
 * `aux` depends on the transition:
 *   to Running or Syscall: the P (procs row) the goroutine runs or calls on, -1 when none;
 *   to Waiting, and Running -> Runnable (a stop): the reason (strings row);
 *   Waiting -> Runnable: the goroutine that unblocked it (goroutines row, -1 when none);
 *   NotExist -> Runnable: the creator; anything else: -1.
 * `stack` is the event's stack: the blocking/stopping/syscall stack, the unblocker's stack
 * for an unblock, the creator's stack for a creation (the new goroutine's start stack is in
 * goroutines.startStack), the status stack for a status event.
 */
export interface GoTransitionTable {
  length: number;
  time: TimeColumn;
  goroutine: IndexArray;
  /** from << 4 | to (GoState values). */
  states: Uint8Array;
  aux: IndexArray;
  stack: IndexArray;
}

export function fromState(states: number): GoState {
  return (states >> 4) as GoState;
}

export function toState(states: number): GoState {
  return (states & 15) as GoState;
}

export interface ProcTransitionTable {
  length: number;
  time: Float64Array;
  proc: Int32Array;
  /** from << 4 | to (ProcState values). */
  states: Uint8Array;
  /** Thread (M) that made the transition, -1 when none. */
  thread: Float64Array;
}

export const RangeKind = {
  Begin: 0,
  Active: 1,
  End: 2,
} as const;
export type RangeKind = (typeof RangeKind)[keyof typeof RangeKind];

export const RangeType = {
  /** "stop-the-world (<name>)", scoped to the goroutine that stops the world. */
  StopTheWorld: 0,
  /** "GC concurrent mark phase", global (scope -1). */
  GCMark: 1,
  /** "GC incremental sweep", scoped to a P. */
  Sweep: 2,
  /** "GC mark assist", scoped to a goroutine. */
  MarkAssist: 3,
} as const;
export type RangeType = (typeof RangeType)[keyof typeof RangeType];

export interface RangeEventTable {
  length: number;
  time: Float64Array;
  kind: Uint8Array;
  type: Uint8Array;
  /** Goroutine row (STW, mark assist), P row (sweep), or -1 (GC mark phase). */
  scope: Int32Array;
  /** STW kind ("GC mark termination", ...) as a strings row; 0 for other ranges. */
  name: Int32Array;
  /** Goroutine running when the event happened (-1 when none). */
  goroutine: Int32Array;
  stack: Int32Array;
  /** Sweep end: bytes swept and bytes reclaimed; 0 otherwise. */
  attr0: Float64Array;
  attr1: Float64Array;
  /** P row the event happened on (Go's Event.Proc), -1 when none. */
  proc: Int32Array;
}

export const MetricKind = {
  /** /sched/gomaxprocs:threads */
  Gomaxprocs: 0,
  /** /memory/classes/heap/objects:bytes (heap in use) */
  HeapAlloc: 1,
  /** /gc/heap/goal:bytes (next GC target; 0 = no heap goal) */
  HeapGoal: 2,
} as const;
export type MetricKind = (typeof MetricKind)[keyof typeof MetricKind];

export interface MetricTable {
  length: number;
  time: Float64Array;
  kind: Uint8Array;
  value: Float64Array;
}

export interface LabelTable {
  length: number;
  time: Float64Array;
  goroutine: Int32Array;
  label: Int32Array;
  /** P row the event happened on (Go's Event.Proc), -1 when none. */
  proc: Int32Array;
}

export interface TaskEventTable {
  length: number;
  time: Float64Array;
  /** 0 begin, 1 end. */
  kind: Uint8Array;
  id: Float64Array;
  /** Parent task id, -1 for none. */
  parent: Float64Array;
  type: Int32Array;
  goroutine: Int32Array;
  stack: Int32Array;
}

export interface RegionEventTable {
  length: number;
  time: Float64Array;
  /** 0 begin, 1 end. */
  kind: Uint8Array;
  task: Float64Array;
  type: Int32Array;
  goroutine: Int32Array;
  stack: Int32Array;
}

export interface LogTable {
  length: number;
  time: Float64Array;
  task: Float64Array;
  category: Int32Array;
  message: Int32Array;
  goroutine: Int32Array;
  stack: Int32Array;
}

export interface CpuSampleTable {
  length: number;
  time: Float64Array;
  goroutine: Int32Array;
  proc: Int32Array;
  thread: Float64Array;
  stack: Int32Array;
}

/**
 * The thread (M) of each transition into Running or Syscall (Go's Event.Thread(), -1 when
 * none), by transitions row, in trace order: what go tool trace's "by thread" view places
 * goroutines and syscalls by.
 */
export interface ExecThreadTable {
  length: number;
  /** Row of transitions. */
  row: Int32Array;
  thread: Float64Array;
}

/** Sync points: one at each generation start and one at the end. */
export interface SyncTable {
  length: number;
  time: Float64Array;
  /** Clock snapshot of the generation (Go ≥ 1.25), NaN when absent: trace time (ns since the first event), wall clock (Unix seconds, nanoseconds) and monotonic clock. */
  snapshotTime: Float64Array;
  wallSec: Float64Array;
  wallNsec: Float64Array;
  mono: Float64Array;
}

export interface TraceModel {
  /** Trace format version from the header, e.g. "1.26" (Go 1.24 writes "1.23"). */
  goVersion: string;
  /** Time of the last event (the first is at 0). */
  durationNs: number;
  generations: number;
  /** Events Go's reader returns for the kept part of the trace. */
  eventCount: number;
  /** Problems recovered from (e.g. a truncated tail that was dropped). */
  warnings: TraceWarning[];
  strings: string[];
  frames: FrameTable;
  stacks: StackTable;
  goroutines: GoroutineTable;
  procs: ProcTable;
  transitions: GoTransitionTable;
  procTransitions: ProcTransitionTable;
  ranges: RangeEventTable;
  metrics: MetricTable;
  labels: LabelTable;
  tasks: TaskEventTable;
  regions: RegionEventTable;
  logs: LogTable;
  samples: CpuSampleTable;
  execThreads: ExecThreadTable;
  syncs: SyncTable;
}

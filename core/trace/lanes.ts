// Timeline lanes: the goroutine state spans of each goroutine and the spans of goroutines
// holding each P, as indexes over the transition table (no span objects).
//
// Goroutine lane g: positions k = start[g] .. start[g+1]-1 of `order`; transition order[k] puts
// g into a state that lasts until the next transition of g (or the end of the trace). A state
// held when the trace began (a transition from Undetermined) counts from time 0.
//
// P lane p: entries s = procStart[p] .. procStart[p+1]-1 of `procPos`, each a position in
// `order` of a transition that put a goroutine in Running or Syscall on P p. A running span ends
// at the goroutine's next transition; a syscall span ends then too, or earlier when the P goes
// idle (stolen or stopped while the goroutine is blocked in the syscall).
import { lowerBoundTime, timeAt, type TraceModel } from './model';
import {
  GoNotExist,
  GoRunnable,
  GoRunning,
  GoSyscall,
  GoUndetermined,
  GoWaiting,
  NONE,
  ProcIdle,
} from './spec';

export interface TimelineIndex {
  /** Per goroutine row: first position in `order` (length goroutines + 1). */
  start: Int32Array;
  /** Transition rows grouped by goroutine, in time order within each goroutine. */
  order: Int32Array;
  /** Per P row: first entry in `procPos` (length procs + 1). */
  procStart: Int32Array;
  /** Positions in `order` of the transitions that start a span on a P, in time order per P. */
  procPos: Int32Array;
  /** Per P row: first entry in `procIdle` (length procs + 1). */
  procIdleStart: Int32Array;
  /** Times each P went idle, in time order per P. */
  procIdle: Float64Array;
}

/** Builds the lane index (counting sorts; O(transitions)). */
export function buildTimelineIndex(model: TraceModel): TimelineIndex {
  const tr = model.transitions;
  const ng = model.goroutines.length;
  const np = model.procs.length;
  const start = new Int32Array(ng + 1);
  const procStart = new Int32Array(np + 1);
  for (let i = 0; i < tr.length; i++) {
    start[tr.goroutine[i] + 1]++;
    const to = tr.states[i] & 15;
    const p = tr.aux[i];
    if ((to === GoRunning || to === GoSyscall) && p >= 0) procStart[p + 1]++;
  }
  for (let g = 0; g < ng; g++) start[g + 1] += start[g];
  for (let p = 0; p < np; p++) procStart[p + 1] += procStart[p];
  const order = new Int32Array(tr.length);
  const procPos = new Int32Array(procStart[np]);
  const next = start.slice(0, ng);
  const pnext = procStart.slice(0, np);
  for (let i = 0; i < tr.length; i++) {
    const g = tr.goroutine[i];
    const k = next[g]++;
    order[k] = i;
    const to = tr.states[i] & 15;
    const p = tr.aux[i];
    if ((to === GoRunning || to === GoSyscall) && p >= 0) procPos[pnext[p]++] = k;
  }
  const pt = model.procTransitions;
  const procIdleStart = new Int32Array(np + 1);
  for (let i = 0; i < pt.length; i++)
    if ((pt.states[i] & 15) === ProcIdle) procIdleStart[pt.proc[i] + 1]++;
  for (let p = 0; p < np; p++) procIdleStart[p + 1] += procIdleStart[p];
  const procIdle = new Float64Array(procIdleStart[np]);
  const inext = procIdleStart.slice(0, np);
  for (let i = 0; i < pt.length; i++)
    if ((pt.states[i] & 15) === ProcIdle) procIdle[inext[pt.proc[i]]++] = pt.time[i];
  return { start, order, procStart, procPos, procIdleStart, procIdle };
}

/** Goroutine row of the span at position k. */
export function spanGoroutine(model: TraceModel, index: TimelineIndex, k: number): number {
  return model.transitions.goroutine[index.order[k]];
}

/** Start of the span at position k (0 for a state held when the trace began). */
export function spanStart(model: TraceModel, index: TimelineIndex, k: number): number {
  const i = index.order[k];
  return model.transitions.states[i] >> 4 === GoUndetermined
    ? 0
    : timeAt(model.transitions.time, i);
}

/** End of the span at position k of goroutine g's lane. */
export function spanEnd(model: TraceModel, index: TimelineIndex, g: number, k: number): number {
  return k + 1 < index.start[g + 1]
    ? timeAt(model.transitions.time, index.order[k + 1])
    : model.durationNs;
}

/** State of the span at position k. */
export function spanState(model: TraceModel, index: TimelineIndex, k: number): number {
  return model.transitions.states[index.order[k]] & 15;
}

/** Position (in `order`) of goroutine g's span covering time t, or -1. */
export function spanAt(model: TraceModel, index: TimelineIndex, g: number, t: number): number {
  const lo = index.start[g];
  const hi = index.start[g + 1];
  // Last position whose start <= t.
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (spanStart(model, index, mid) <= t) a = mid + 1;
    else b = mid;
  }
  const k = a - 1;
  if (k < lo || spanEnd(model, index, g, k) < t) return NONE;
  return k;
}

/** First position of goroutine g's lane whose span ends after t (hi when none). */
export function firstSpanEndingAfter(
  model: TraceModel,
  index: TimelineIndex,
  g: number,
  t: number,
): number {
  const lo = index.start[g];
  const hi = index.start[g + 1];
  // Span k ends when span k+1 starts; find the first k whose successor starts after t.
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (timeAt(model.transitions.time, index.order[mid + 1]) <= t) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** End of P span s of P p (see the module comment). */
export function procSpanEnd(model: TraceModel, index: TimelineIndex, p: number, s: number): number {
  const k = index.procPos[s];
  const i = index.order[k];
  const g = model.transitions.goroutine[i];
  const end = spanEnd(model, index, g, k);
  if ((model.transitions.states[i] & 15) !== GoSyscall) return end;
  const t = spanStart(model, index, k);
  const idle = index.procIdle;
  let a = index.procIdleStart[p];
  let b = index.procIdleStart[p + 1];
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (idle[mid] <= t) a = mid + 1;
    else b = mid;
  }
  return a < index.procIdleStart[p + 1] && idle[a] < end ? idle[a] : end;
}

/** Everything about one goroutine span, for a details panel. */
export interface SpanDetails {
  goroutine: number;
  goroutineId: number;
  /** Start function of the goroutine ('' when unknown). */
  goroutineName: string;
  state: number;
  stateName: string;
  start: number;
  end: number;
  /** Why it waits or stopped ('' otherwise). */
  reason: string;
  /** P it runs or calls on (P id), -1 when none. */
  procId: number;
  /**
   * Stack of the event that started the span: where it blocked, stopped or entered the
   * syscall; for a runnable span after an unblock, the unblocker's stack; for a new
   * goroutine, the creator's stack. Frames innermost first, as "func file:line".
   */
  stack: string[];
  /** Goroutine that made it runnable (unblocker or creator), -1 when unknown. */
  madeRunnableBy: number;
  /** For a waiting span: the goroutine that unblocked it at its end, -1 when unknown. */
  unblockedBy: number;
  /** Stack of the unblocking event, innermost first. */
  unblockStack: string[];
}

const STATE_NAMES = ['undetermined', 'not existing', 'runnable', 'running', 'waiting', 'syscall'];

/** Frames of a stack row, innermost first, as "func file:line". */
export function stackFrames(model: TraceModel, stack: number, max = 128): string[] {
  const out: string[] = [];
  const { stacks, frames, strings } = model;
  for (let s = stack; s >= 0 && out.length < max; s = stacks.prefix[s]) {
    const f = stacks.frame[s];
    out.push(`${strings[frames.func[f]]} ${strings[frames.file[f]]}:${frames.line[f]}`);
  }
  return out;
}

export function describeSpan(model: TraceModel, index: TimelineIndex, k: number): SpanDetails {
  const tr = model.transitions;
  const i = index.order[k];
  const g = tr.goroutine[i];
  const st = tr.states[i];
  const from = st >> 4;
  const to = st & 15;
  const aux = tr.aux[i];
  const end = spanEnd(model, index, g, k);
  let reason = '';
  let procId = -1;
  let madeRunnableBy = NONE;
  if (to === GoWaiting || (from === GoRunning && to === GoRunnable))
    reason = model.strings[aux] ?? '';
  if ((to === GoRunning || to === GoSyscall) && aux >= 0) procId = model.procs.id[aux];
  if (to === GoRunnable && (from === GoWaiting || from === GoNotExist)) madeRunnableBy = aux;
  let unblockedBy = NONE;
  let unblockStack: string[] = [];
  if (to === GoWaiting && k + 1 < index.start[g + 1]) {
    const j = index.order[k + 1];
    if (tr.states[j] >> 4 === GoWaiting) {
      unblockedBy = tr.aux[j];
      unblockStack = stackFrames(model, tr.stack[j]);
    }
  }
  const name = model.goroutines.name[g];
  return {
    goroutine: g,
    goroutineId: model.goroutines.id[g],
    goroutineName: model.strings[name] ?? '',
    state: to,
    stateName: STATE_NAMES[to] ?? 'unknown',
    start: spanStart(model, index, k),
    end,
    reason,
    procId,
    stack: stackFrames(model, tr.stack[i]),
    madeRunnableBy,
    unblockedBy,
    unblockStack,
  };
}

/** First transition row at or after time t (for callers that scan the whole trace by time). */
export function transitionAt(model: TraceModel, t: number): number {
  return lowerBoundTime(model.transitions.time, t);
}

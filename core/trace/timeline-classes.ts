// Colour classes of timeline spans: the goroutine state, with blocked spans split by why they
// wait (a channel or lock, the network, a sleep or timer, the GC, anything else) and the GC's
// mark workers set apart from ordinary running code.
import type { TraceModel } from './model';
import { GoRunnable, GoRunning, GoSyscall, GoWaiting } from './spec';

export const SpanClass = {
  Running: 0,
  Runnable: 1,
  Syscall: 2,
  BlockedSync: 3,
  BlockedNet: 4,
  BlockedSleep: 5,
  BlockedGC: 6,
  BlockedOther: 7,
  GCWorker: 8,
} as const;
export type SpanClass = (typeof SpanClass)[keyof typeof SpanClass];

export const SPAN_CLASS_COUNT = 9;
/** Not drawn: a goroutine that does not exist (yet, or any more). */
export const SKIP_CLASS = 255;

export const SPAN_CLASS_NAMES: readonly string[] = [
  'running',
  'runnable',
  'syscall',
  'blocked: sync',
  'blocked: network',
  'blocked: sleep',
  'blocked: GC',
  'blocked: other',
  'GC worker',
];

/** Class of a blocking reason as the runtime names it ("chan receive", "network", ...). */
export function reasonClass(reason: string): SpanClass {
  if (reason === 'network' || reason.includes('IO wait')) return SpanClass.BlockedNet;
  if (/chan|select|sync|Mutex|Cond|WaitGroup|semacquire/.test(reason)) return SpanClass.BlockedSync;
  if (/sleep|Sleep|timer/.test(reason)) return SpanClass.BlockedSleep;
  if (/\bGC\b/.test(reason)) return SpanClass.BlockedGC;
  return SpanClass.BlockedOther;
}

/** Lookup tables that turn a transition into its class without string work in hot loops. */
export interface SpanClassTables {
  /** Per strings row: the class of that blocking reason. */
  reason: Uint8Array;
  /** Per goroutine row: 1 for the GC's mark workers. */
  gcWorker: Uint8Array;
}

export function buildSpanClassTables(model: TraceModel): SpanClassTables {
  const reason = new Uint8Array(model.strings.length);
  model.strings.forEach((s, i) => (reason[i] = reasonClass(s)));
  const gcWorker = new Uint8Array(model.goroutines.length);
  const name = model.goroutines.name;
  for (let g = 0; g < gcWorker.length; g++) {
    if (model.strings[name[g]!] === 'runtime.gcBgMarkWorker') gcWorker[g] = 1;
  }
  return { reason, gcWorker };
}

/** Class of the span that transition row i starts (SKIP_CLASS when nothing is drawn). */
export function transitionClass(model: TraceModel, t: SpanClassTables, i: number): number {
  const tr = model.transitions;
  switch (tr.states[i]! & 15) {
    case GoRunning:
      return t.gcWorker[tr.goroutine[i]!] ? SpanClass.GCWorker : SpanClass.Running;
    case GoRunnable:
      return SpanClass.Runnable;
    case GoSyscall:
      return SpanClass.Syscall;
    case GoWaiting:
      return t.reason[tr.aux[i]!] ?? SpanClass.BlockedOther;
    default:
      return SKIP_CLASS;
  }
}

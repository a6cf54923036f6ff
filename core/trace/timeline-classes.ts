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

/**
 * Waits held when the trace began carry no reason (a status event has none). Their stack
 * tells what they wait on, as gotraceui also reads it: the innermost frame matching one of
 * these, past the parking functions.
 */
const STACK_REASONS: Array<[RegExp, string]> = [
  [/^runtime\.(selectgo|block)$/, 'select'],
  [/^runtime\.chanrecv/, 'chan receive'],
  [/^runtime\.chansend/, 'chan send'],
  [/^(internal\/poll\.runtime_pollWait|runtime\.netpollblock)$/, 'network'],
  [/^(time\.Sleep|runtime\.timeSleep)$/, 'sleep'],
  [/^(sync\.|internal\/sync\.|runtime\.semacquire)/, 'sync'],
  [/^runtime\.bgsweep$/, 'GC background sweeper wait'],
];

/** What a wait's stack says it waits on ('' when it does not say). */
export function reasonFromStack(model: TraceModel, stack: number): string {
  const { stacks, frames, strings } = model;
  let depth = 0;
  for (let s = stack; s >= 0 && depth < 12; s = stacks.prefix[s], depth++) {
    const fn = strings[frames.func[stacks.frame[s]]] ?? '';
    for (const [re, reason] of STACK_REASONS) if (re.test(fn)) return reason;
  }
  return '';
}

/** Marks a reason row without text: the class then comes from the stack. */
const NO_REASON = 255;

/** Lookup tables that turn a transition into its class without string work in hot loops. */
export interface SpanClassTables {
  /** Per strings row: the class of that blocking reason (NO_REASON for ''). */
  reason: Uint8Array;
  /** Per goroutine row: 1 for the GC's mark workers. */
  gcWorker: Uint8Array;
  /** Class of reasonless waits, by stack row (filled as met). */
  byStack: Map<number, number>;
}

export function buildSpanClassTables(model: TraceModel): SpanClassTables {
  const reason = new Uint8Array(model.strings.length);
  model.strings.forEach((s, i) => (reason[i] = s === '' ? NO_REASON : reasonClass(s)));
  const gcWorker = new Uint8Array(model.goroutines.length);
  const name = model.goroutines.name;
  for (let g = 0; g < gcWorker.length; g++) {
    if (model.strings[name[g]] === 'runtime.gcBgMarkWorker') gcWorker[g] = 1;
  }
  return { reason, gcWorker, byStack: new Map() };
}

/** Class of the span that transition row i starts (SKIP_CLASS when nothing is drawn). */
export function transitionClass(model: TraceModel, t: SpanClassTables, i: number): number {
  const tr = model.transitions;
  switch (tr.states[i] & 15) {
    case GoRunning:
      return t.gcWorker[tr.goroutine[i]] ? SpanClass.GCWorker : SpanClass.Running;
    case GoRunnable:
      return SpanClass.Runnable;
    case GoSyscall:
      return SpanClass.Syscall;
    case GoWaiting: {
      const c = t.reason[tr.aux[i]] ?? NO_REASON;
      if (c !== NO_REASON) return c;
      const stack = tr.stack[i];
      let byStack = t.byStack.get(stack);
      if (byStack === undefined) {
        byStack = reasonClass(reasonFromStack(model, stack));
        t.byStack.set(stack, byStack);
      }
      return byStack;
    }
    default:
      return SKIP_CLASS;
  }
}

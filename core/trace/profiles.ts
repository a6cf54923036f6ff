// pprof profiles derived from a trace, as core/pprof Profile objects so the flame graph, top
// table and the rest of the pprof engine show them unchanged:
//
//   - the blocking profiles of `go tool trace -pprof=TYPE`: net (waiting on the network), sync
//     (channels, mutexes, select, sync.Cond), syscall, and sched (scheduler latency). Each
//     measures the time goroutines spend in one state, keyed by the stack of the event that put
//     them there: sample types contentions/count and delay/nanoseconds, period trace/count 1.
//   - the CPU samples taken while tracing (samples/count).
import { ProfileBuilder } from '../pprof/builder';
import { sampleRange } from './cpu-samples';
import type { Profile } from '../pprof/model';
import { analyzeGoroutines } from './analysis';
import { timeAt, type TraceModel } from './model';
import { GoRunnable, GoSyscall, GoWaiting, NONE } from './spec';

export type BlockingProfileKind = 'net' | 'sync' | 'syscall' | 'sched';

export interface ProfileFilter {
  /**
   * Counts only time inside these intervals, per goroutine row (go tool trace's goroutine and
   * region filters). Goroutines without intervals count nothing.
   */
  intervals: Map<number, Array<[number, number]>>;
}

function tracked(kind: BlockingProfileKind): number {
  return kind === 'syscall' ? GoSyscall : kind === 'sched' ? GoRunnable : GoWaiting;
}

function reasonMatches(kind: BlockingProfileKind, reason: string): boolean {
  if (kind === 'net') return reason === 'network';
  if (kind === 'sync')
    return reason.includes('chan') || reason.includes('sync') || reason.includes('select');
  return true;
}

/** Reason text of transition i ('' when the event carries none). */
function reasonOf(model: TraceModel, i: number): string {
  const st = model.transitions.states[i];
  const from = st >> 4;
  const to = st & 15;
  // Reasons come with blocks and stops (see GoTransitionTable.aux).
  if (to === GoWaiting || (to === GoRunnable && from === 3))
    return model.strings[model.transitions.aux[i]] ?? '';
  return '';
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  if (a1 < b0 || b1 < a0) return 0;
  return Math.min(a1, b1) - Math.max(a0, b0);
}

/**
 * go tool trace's default filter (pprofMatchingGoroutines with no name): each goroutine counts
 * only from the first time it ran (from the trace's start if it never ran) to its end (the
 * trace's end if it did not end). So a goroutine's wait between creation and its first run is
 * not in the sched profile.
 */
export function goroutineLifetimes(model: TraceModel): ProfileFilter {
  const a = analyzeGoroutines(model);
  const intervals = new Map<number, Array<[number, number]>>();
  for (const g of a.rows) {
    const start = a.startTime[g] >= 0 ? a.startTime[g] : 0;
    const end = a.endTime[g] >= 0 ? a.endTime[g] : model.durationNs;
    intervals.set(g, [[start, end]]);
  }
  return { intervals };
}

/**
 * The waits go tool trace's profile of KIND counts (its makeComputePprofFunc): from a
 * transition into the tracked state (for net and sync, with a matching reason) to the
 * goroutine's next transition out of it, counted for the part inside the filter's intervals
 * when that is positive. `visit` gets the goroutine row, the transition that started the wait
 * (its stack is the sample's) and the counted duration, in the order Go's loop finds them.
 */
export function blockingWaits(
  model: TraceModel,
  kind: BlockingProfileKind,
  filter: ProfileFilter,
  visit: (goroutine: number, start: number, ns: number) => void,
): void {
  const tr = model.transitions;
  const state = tracked(kind);
  const startRow = new Int32Array(model.goroutines.length).fill(-1);
  const reasonOk = new Map<number, boolean>();
  for (let i = 0; i < tr.length; i++) {
    const g = tr.goroutine[i];
    const to = tr.states[i] & 15;
    const s = startRow[g];
    if (s < 0) {
      if (to !== state) continue;
      let ok = true;
      if (kind === 'net' || kind === 'sync') {
        const r = tr.aux[i];
        let cached = reasonOk.get(r);
        if (cached === undefined) {
          cached = reasonMatches(kind, reasonOf(model, i));
          reasonOk.set(r, cached);
        }
        ok = cached;
      }
      if (ok) startRow[g] = i;
      continue;
    }
    if (to === state) continue;
    startRow[g] = -1;
    const t0 = timeAt(tr.time, s);
    const t1 = timeAt(tr.time, i);
    let d = 0;
    for (const [a, b] of filter.intervals.get(g) ?? []) {
      const o = overlap(a, b, t0, t1);
      if (o > 0) d += o;
    }
    if (d > 0) visit(g, s, d);
  }
}

/** One of go tool trace's blocking profiles (by default over goroutineLifetimes, as Go's). */
export function blockingProfile(
  model: TraceModel,
  kind: BlockingProfileKind,
  filter: ProfileFilter = goroutineLifetimes(model),
): Profile {
  // Aggregated as Go's stackMap does: by the stack's PCs (its first 1024, zero-padded, so a
  // stack whose PCs are all 0 is the same as no stack), shown with the newest stack seen.
  const byPcs = new Map<string, { stack: number; count: number; delay: number }>();
  const pcKeys = new Map<number, string>();
  const pcKey = (stack: number): string => {
    let k = pcKeys.get(stack);
    if (k !== undefined) return k;
    const pcs: number[] = [];
    for (let s = stack; s >= 0 && pcs.length < 1024; s = model.stacks.prefix[s]) {
      pcs.push(model.frames.pc[model.stacks.frame[s]]);
    }
    while (pcs.length > 0 && pcs[pcs.length - 1] === 0) pcs.pop();
    k = pcs.join(',');
    pcKeys.set(stack, k);
    return k;
  };
  blockingWaits(model, kind, filter, (_g, s, d) => {
    const stack = model.transitions.stack[s];
    const key = pcKey(stack);
    const rec = byPcs.get(key);
    if (rec) {
      rec.stack = stack;
      rec.count++;
      rec.delay += d;
    } else {
      byPcs.set(key, { stack, count: 1, delay: d });
    }
  });
  const samples: Array<{ stack: number; values: number[] }> = [];
  for (const r of byPcs.values()) samples.push({ stack: r.stack, values: [r.count, r.delay] });
  return toProfile(
    model,
    samples,
    [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    { type: 'trace', unit: 'count' },
  );
}

/**
 * The CPU profiling samples recorded in the trace (one count per sample), optionally only those
 * of some goroutines and those in a window [t0, t1) (ns since the trace's first event).
 */
export function cpuSampleProfile(
  model: TraceModel,
  goroutines?: Uint8Array,
  window?: { t0: number; t1: number },
): Profile {
  const s = model.samples;
  const count = new Map<number, number>();
  const [first, end] = window ? sampleRange(model, window.t0, window.t1) : [0, s.length];
  for (let i = first; i < end; i++) {
    const g = s.goroutine[i];
    if (goroutines !== undefined && (g < 0 || !goroutines[g])) continue;
    const st = s.stack[i];
    count.set(st, (count.get(st) ?? 0) + 1);
  }
  const samples: Array<{ stack: number; values: number[] }> = [];
  for (const [stack, c] of count) samples.push({ stack, values: [c] });
  return toProfile(model, samples, [{ type: 'samples', unit: 'count' }], {
    type: 'trace',
    unit: 'count',
  });
}

/**
 * Builds a Profile: one Location per frame (keyed by PC), one Function per file + name, and
 * the trace's stack prefix tree mapped onto the profile's stack table.
 */
function toProfile(
  model: TraceModel,
  samples: Array<{ stack: number; values: number[] }>,
  sampleTypes: Array<{ type: string; unit: string }>,
  periodType: { type: string; unit: string },
): Profile {
  const b = new ProfileBuilder({
    sampleTypes,
    periodType,
    period: 1,
    durationNanos: model.durationNs,
  });
  const { stacks, frames } = model;
  const locOfFrame = new Map<number, number>();
  const locByPc = new Map<number, number>();
  const location = (f: number): number => {
    let l = locOfFrame.get(f);
    if (l !== undefined) return l;
    const pc = frames.pc[f];
    l = locByPc.get(pc);
    if (l === undefined) {
      const fn = b.func(model.strings[frames.func[f]] ?? '', model.strings[frames.file[f]] ?? '');
      l = b.location([[fn, frames.line[f]]], { address: pc });
      locByPc.set(pc, l);
    }
    locOfFrame.set(f, l);
    return l;
  };
  const pstack = new Map<number, number>();
  const mapStack = (s: number): number => {
    if (s < 0) return NONE;
    let known = pstack.get(s);
    if (known === undefined) {
      known = b.stack(mapStack(stacks.prefix[s]), location(stacks.frame[s]));
      pstack.set(s, known);
    }
    return known;
  };
  for (const x of samples) b.sample(mapStack(x.stack), x.values);
  return b.build();
}

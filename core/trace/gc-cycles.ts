// GC cycles and stop-the-world pauses of a trace: the GC panel's table and summary, and the
// figures a trace-against-trace comparison shows.
//
// A cycle is one "GC concurrent mark phase" with the GC stop-the-world pauses around it: the
// runtime begins the mark phase inside the sweep-termination pause and ends it inside the
// mark-termination pause, so a GC pause belongs to the mark phase it overlaps. A cycle runs
// from its first pause's start (or the mark phase's start) to its last pause's end.
//
// Counting rules, shared with the trace oracle (test/oracles/trace/main.go):
//   gcCount: mark phases that begin during the trace (or window);
//   pauses: every "stop-the-world (...)" range that begins during the trace (or window), GC or
//   not; one still open at the end ends at the trace's last event.
// Quantiles are nearest-rank: p-quantile of n sorted values = value[ceil(p * n) - 1].
import type { TraceModel } from './model';
import { RangeType } from './model';
import { gcPhases, rangeIntervals, stopTheWorlds } from './ranges';

export interface GcCycleTable {
  length: number;
  /** Cycle start and end (ns): the first GC pause's start to the last one's end. */
  start: Float64Array;
  end: Float64Array;
  /** The concurrent mark phase. */
  markStart: Float64Array;
  markEnd: Float64Array;
  /** GC stop-the-world pauses of the cycle: count, summed and longest length (ns). */
  pauseCount: Int32Array;
  pauseNs: Float64Array;
  maxPauseNs: Float64Array;
  /** Summed length of mark assists inside the cycle (ns, over all goroutines). */
  assistNs: Float64Array;
  /** Goroutines that assisted. */
  assistGoroutines: Int32Array;
  /** 1 when the mark phase began before the trace / had not ended at its end. */
  startedBefore: Uint8Array;
  open: Uint8Array;
}

export interface PauseSummary {
  count: number;
  totalNs: number;
  maxNs: number;
  p50Ns: number;
  p99Ns: number;
}

export interface GcSummary {
  /** Window the figures are over (ns). */
  t0: number;
  t1: number;
  /** Mark phases that begin in the window. */
  gcCount: number;
  gcPerSecond: number;
  /** Every stop-the-world pause that begins in the window. */
  pauses: PauseSummary;
  /** The GC ones among them ("stop-the-world (GC ...)"). */
  gcPauses: PauseSummary;
  /** Mark assist time inside the window (ns, summed over goroutines). */
  assistNs: number;
  /** Time in a mark phase inside the window (ns). */
  markNs: number;
}

export function isGcStw(model: TraceModel, nameRow: number): boolean {
  return (model.strings[nameRow] ?? '').includes('GC');
}

/** Every GC cycle of the trace, in time order. */
export function gcCycles(model: TraceModel): GcCycleTable {
  const marks = gcPhases(model);
  const stws = stopTheWorlds(model);
  const assists = rangeIntervals(model, RangeType.MarkAssist);
  const n = marks.length;
  const t: GcCycleTable = {
    length: n,
    start: Float64Array.from(marks.start),
    end: Float64Array.from(marks.end),
    markStart: Float64Array.from(marks.start),
    markEnd: Float64Array.from(marks.end),
    pauseCount: new Int32Array(n),
    pauseNs: new Float64Array(n),
    maxPauseNs: new Float64Array(n),
    assistNs: new Float64Array(n),
    assistGoroutines: new Int32Array(n),
    startedBefore: Uint8Array.from(marks.startedBefore),
    open: Uint8Array.from(marks.open),
  };
  // Mark phases never overlap one another: a pause that overlaps one belongs to it.
  let c = 0;
  for (let i = 0; i < stws.length; i++) {
    if (!isGcStw(model, stws.name[i])) continue;
    const s = stws.start[i];
    const e = stws.end[i];
    while (c < n && t.markEnd[c] < s) c++;
    if (c >= n || t.markStart[c] > e) continue;
    const d = e - s;
    t.pauseCount[c]++;
    t.pauseNs[c] += d;
    if (d > t.maxPauseNs[c]) t.maxPauseNs[c] = d;
    if (s < t.start[c]) t.start[c] = s;
    if (e > t.end[c]) t.end[c] = e;
  }
  // Assists: intervals sorted by start; each cycle takes the parts inside it.
  const seen = new Set<number>();
  let a0 = 0;
  for (let k = 0; k < n; k++) {
    const cs = t.start[k];
    const ce = t.end[k];
    while (a0 < assists.length && assists.end[a0] <= cs) a0++;
    seen.clear();
    for (let i = a0; i < assists.length && assists.start[i] < ce; i++) {
      const d = Math.min(ce, assists.end[i]) - Math.max(cs, assists.start[i]);
      if (d <= 0) continue;
      t.assistNs[k] += d;
      seen.add(assists.scope[i]);
    }
    t.assistGoroutines[k] = seen.size;
  }
  return t;
}

function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function summarize(d: number[]): PauseSummary {
  const s = Float64Array.from(d).sort();
  let total = 0;
  for (const v of s) total += v;
  return {
    count: s.length,
    totalNs: total,
    maxNs: s.length ? s[s.length - 1] : 0,
    p50Ns: quantile(s, 0.5),
    p99Ns: quantile(s, 0.99),
  };
}

/** GC figures over [t0, t1) (default: the whole trace). */
export function gcSummary(model: TraceModel, t0 = 0, t1 = model.durationNs): GcSummary {
  const inWindow = (s: number): boolean =>
    s >= t0 && (s < t1 || (t1 >= model.durationNs && s <= t1));
  const marks = gcPhases(model);
  let gcCount = 0;
  let markNs = 0;
  for (let i = 0; i < marks.length; i++) {
    if (!marks.startedBefore[i] && inWindow(marks.start[i])) gcCount++;
    markNs += Math.max(0, Math.min(t1, marks.end[i]) - Math.max(t0, marks.start[i]));
  }
  const stws = stopTheWorlds(model);
  const all: number[] = [];
  const gc: number[] = [];
  for (let i = 0; i < stws.length; i++) {
    if (stws.startedBefore[i] || !inWindow(stws.start[i])) continue;
    const d = stws.end[i] - stws.start[i];
    all.push(d);
    if (isGcStw(model, stws.name[i])) gc.push(d);
  }
  const assists = rangeIntervals(model, RangeType.MarkAssist);
  let assistNs = 0;
  for (let i = 0; i < assists.length; i++)
    assistNs += Math.max(0, Math.min(t1, assists.end[i]) - Math.max(t0, assists.start[i]));
  const span = t1 - t0;
  return {
    t0,
    t1,
    gcCount,
    gcPerSecond: span > 0 ? gcCount / (span / 1e9) : 0,
    pauses: summarize(all),
    gcPauses: summarize(gc),
    assistNs,
    markNs,
  };
}

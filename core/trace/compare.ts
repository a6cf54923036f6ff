// One trace against another: the summary figures of each (duration, GCs per second, STW total
// and max, peak live goroutines and creation rate, scheduling latency), per start function
// goroutine counts and state times, and the scheduling latency histograms on shared buckets.
// The Compare tab and the before/after report (core/insights) read the same figures.
//
// Definitions follow Go's reader (test/oracles/trace): state times per goroutine are
// traceTotals'; GC cycles and STW ranges count those that begin during the trace; the MMU is
// core/trace/mmu's (go tool trace's MMU data).
import { latencyQuantile, schedulerLatency } from './latency';
import { DEFAULT_MMU_FLAGS, mmu, mmuCurve, mmuPlot, mutatorUtilization } from './mmu';
import { RangeType, timeAt, type TraceModel } from './model';
import { rangeIntervals } from './ranges';
import { GoNotExist } from './spec';
import { traceTotals } from './totals';

export interface GoroutineBurst {
  peak: number;
  /** When the peak was first reached (trace ns). */
  peakAt: number;
  created: number;
  /** Goroutines created per start function, most first. */
  createdBy: { name: string; count: number }[];
}

/** Peak live goroutines and goroutine creations, from the state transitions. */
export function goroutineBurst(model: TraceModel): GoroutineBurst {
  const tr = model.transitions;
  const alive = new Uint8Array(model.goroutines.length);
  let live = 0;
  let peak = 0;
  let peakAt = 0;
  let created = 0;
  const byName = new Map<number, number>();
  for (let i = 0; i < tr.length; i++) {
    const g = tr.goroutine[i];
    const st = tr.states[i];
    const from = st >> 4;
    const to = st & 15;
    const now = to !== GoNotExist ? 1 : 0;
    live += now - alive[g];
    alive[g] = now;
    if (from === GoNotExist && to !== GoNotExist) {
      created++;
      const name = model.goroutines.name[g];
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    if (live > peak) {
      peak = live;
      peakAt = timeAt(tr.time, i);
    }
  }
  const createdBy = [...byName.entries()]
    .map(([n, count]) => ({ name: model.strings[n] ?? '', count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  return { peak, peakAt, created, createdBy };
}

export interface StartFunctionTimes {
  name: string;
  goroutines: number;
  runningNs: number;
  runnableNs: number;
  blockedNs: number;
  syscallNs: number;
}

export interface TraceSummary {
  durationNs: number;
  gcCount: number;
  gcPerSecond: number;
  stwCount: number;
  stwTotalNs: number;
  stwMaxNs: number;
  markAssistNs: number;
  burst: GoroutineBurst;
  createdPerSecond: number;
  schedCount: number;
  schedP50Ns: number;
  schedP99Ns: number;
  schedMaxNs: number;
  /** Scheduling latency histogram: bucket b holds waits in [lower[b], lower[b+1]). */
  latencyLower: Float64Array;
  latencyCounts: Float64Array;
  /** Per start function, most running time first. */
  functions: StartFunctionTimes[];
  /**
   * Minimum mutator utilization (go tool trace's default options: STW, background workers,
   * assists) at log-spaced windows (ns), as its MMU page plots it, and at 1 ms, 10 ms, 100 ms, 1 s.
   */
  mmu: { windows: Float64Array; mmu: Float64Array; at: { windowNs: number; mmu: number }[] };
}

const MMU_AT = [1e6, 1e7, 1e8, 1e9];

export function traceSummary(model: TraceModel): TraceSummary {
  const totals = traceTotals(model);
  const sec = totals.durationNs / 1e9;
  const stw = rangeIntervals(model, RangeType.StopTheWorld);
  let stwMax = 0;
  let stwCount = 0;
  for (let i = 0; i < stw.length; i++) {
    if (stw.startedBefore[i]) continue;
    stwCount++;
    stwMax = Math.max(stwMax, stw.end[i] - stw.start[i]);
  }
  const assists = rangeIntervals(model, RangeType.MarkAssist);
  let markAssistNs = 0;
  for (let i = 0; i < assists.length; i++) markAssistNs += assists.end[i] - assists.start[i];
  const lat = schedulerLatency(model);
  const burst = goroutineBurst(model);
  const curve = mmuCurve(mutatorUtilization(model, DEFAULT_MMU_FLAGS));
  const plot = mmuPlot(curve);
  const byName = new Map<string, StartFunctionTimes>();
  for (const g of totals.goroutines) {
    let f = byName.get(g.startFunction);
    if (f === undefined) {
      f = {
        name: g.startFunction,
        goroutines: 0,
        runningNs: 0,
        runnableNs: 0,
        blockedNs: 0,
        syscallNs: 0,
      };
      byName.set(g.startFunction, f);
    }
    f.goroutines++;
    f.runningNs += g.runningNs;
    f.runnableNs += g.runnableNs;
    f.blockedNs += g.blockedNs;
    f.syscallNs += g.syscallNs;
  }
  return {
    durationNs: totals.durationNs,
    gcCount: totals.gcCount,
    gcPerSecond: sec > 0 ? totals.gcCount / sec : 0,
    stwCount,
    stwTotalNs: totals.stwNs,
    stwMaxNs: stwMax,
    markAssistNs,
    burst,
    createdPerSecond: sec > 0 ? burst.created / sec : 0,
    schedCount: lat.count,
    schedP50Ns: latencyQuantile(lat, 0.5),
    schedP99Ns: latencyQuantile(lat, 0.99),
    schedMaxNs: lat.maxNs,
    latencyLower: lat.lower,
    latencyCounts: lat.counts,
    functions: [...byName.values()].sort(
      (a, b) => b.runningNs - a.runningNs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    ),
    mmu: {
      windows: plot.windows,
      mmu: plot.mmu,
      at: MMU_AT.filter((w) => w <= totals.durationNs).map((w) => ({
        windowNs: w,
        mmu: mmu(curve, w),
      })),
    },
  };
}

export type SummaryUnit = 'nanoseconds' | 'count' | 'per-second';

export interface SummaryRow {
  metric: string;
  label: string;
  unit: SummaryUnit;
  before: number;
  after: number;
  /** (after - before) / |before|, null when before is 0. */
  change: number | null;
}

export interface FunctionRow {
  name: string;
  /** null when the start function has no goroutines on that side. */
  before: StartFunctionTimes | null;
  after: StartFunctionTimes | null;
  /** after - before of running + runnable + blocked + syscall time. */
  deltaNs: number;
}

export interface TraceComparison {
  rows: SummaryRow[];
  functions: FunctionRow[];
  /** Latency buckets from the first to the last bucket non-empty on either side. */
  latency: { lower: number[]; upper: number[]; before: number[]; after: number[] };
}

const change = (b: number, a: number): number | null => (b !== 0 ? (a - b) / Math.abs(b) : null);

/** The summary rows of two traces: the figures the Compare tab and the report show. */
export function summaryRows(b: TraceSummary, a: TraceSummary): SummaryRow[] {
  const rows: [string, string, SummaryUnit, (s: TraceSummary) => number][] = [
    ['trace-duration', 'Trace duration', 'nanoseconds', (s) => s.durationNs],
    ['gc-count', 'GC cycles', 'count', (s) => s.gcCount],
    ['gc-per-second', 'GC cycles per second', 'per-second', (s) => s.gcPerSecond],
    ['stw-total', 'Stop-the-world total', 'nanoseconds', (s) => s.stwTotalNs],
    ['stw-max', 'Longest stop-the-world', 'nanoseconds', (s) => s.stwMaxNs],
    ['trace-peak-goroutines', 'Peak live goroutines', 'count', (s) => s.burst.peak],
    ['goroutines-created', 'Goroutines created', 'count', (s) => s.burst.created],
    [
      'goroutines-created-per-second',
      'Goroutines created per second',
      'per-second',
      (s) => s.createdPerSecond,
    ],
    ['sched-latency-p50', 'p50 scheduling latency', 'nanoseconds', (s) => s.schedP50Ns],
    ['sched-latency-p99', 'p99 scheduling latency', 'nanoseconds', (s) => s.schedP99Ns],
  ];
  return rows.map(([metric, label, unit, f]) => ({
    metric,
    label,
    unit,
    before: f(b),
    after: f(a),
    change: change(f(b), f(a)),
  }));
}

const busy = (f: StartFunctionTimes | null): number =>
  f ? f.runningNs + f.runnableNs + f.blockedNs + f.syscallNs : 0;

export function compareTraces(b: TraceSummary, a: TraceSummary): TraceComparison {
  const names = new Set([...b.functions.map((f) => f.name), ...a.functions.map((f) => f.name)]);
  const bf = new Map(b.functions.map((f) => [f.name, f]));
  const af = new Map(a.functions.map((f) => [f.name, f]));
  const functions = [...names]
    .map((name) => {
      const before = bf.get(name) ?? null;
      const after = af.get(name) ?? null;
      return { name, before, after, deltaNs: busy(after) - busy(before) };
    })
    .sort(
      (x, y) =>
        Math.abs(y.deltaNs) - Math.abs(x.deltaNs) ||
        (x.name < y.name ? -1 : x.name > y.name ? 1 : 0),
    );
  // Both histograms share schedulerLatency's fixed buckets.
  let first = -1;
  let last = -1;
  const n = Math.min(b.latencyCounts.length, a.latencyCounts.length);
  for (let i = 0; i < n; i++) {
    if (b.latencyCounts[i] > 0 || a.latencyCounts[i] > 0) {
      if (first < 0) first = i;
      last = i;
    }
  }
  const latency = {
    lower: [] as number[],
    upper: [] as number[],
    before: [] as number[],
    after: [] as number[],
  };
  if (first >= 0) {
    const maxNs = Math.max(b.schedMaxNs, a.schedMaxNs);
    for (let i = first; i <= last; i++) {
      latency.lower.push(b.latencyLower[i]);
      latency.upper.push(i + 1 < b.latencyLower.length ? b.latencyLower[i + 1] : maxNs);
      latency.before.push(b.latencyCounts[i]);
      latency.after.push(a.latencyCounts[i]);
    }
  }
  return { rows: summaryRows(b, a), functions, latency };
}

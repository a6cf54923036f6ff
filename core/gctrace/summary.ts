// The figures a GC log is judged by (the guide's: GCs per second, pause total and max, heap
// growth per minute), and the per-second GC rate series. Pure functions over one stream.
import { GC_FORCED, GC_PERIODIC, type GcCycles, type GcStream } from './model';

/** Shortest span a rate is given for: two start-up GCs 20 ms apart are not "50 GCs per second". */
export const MIN_RATE_SPAN_S = 1;
/** Shortest span a heap growth per minute is given for (no minute from a few hundred ms). */
export const MIN_GROWTH_SPAN_S = 5;

export interface GcSummary {
  service: string;
  run: number;
  cycles: number;
  forced: number;
  periodic: number;
  /** First and last cycle start, seconds since the program started. */
  firstAtS: number;
  lastAtS: number;
  spanS: number;
  /** Cycles per second over the log: (cycles − 1) / span; null under two cycles or MIN_RATE_SPAN_S. */
  gcPerSecond: number | null;
  /** Most cycles that started within any one second. */
  peakGcPerSecond: number;
  /** STW pause per cycle = sweep termination + mark termination wall clock, as printed. */
  pauseTotalMs: number;
  pauseMaxMs: number;
  pauseMeanMs: number;
  /** GC number of the longest pause. */
  pauseMaxNum: number;
  /** Least-squares slope of the live heap after each GC, MB per minute; null under two cycles or MIN_GROWTH_SPAN_S. */
  heapGrowthMBPerMin: number | null;
  heapLiveFirstMB: number;
  heapLiveLastMB: number;
  heapGoalLastMB: number;
  heapGoalMaxMB: number;
  heapEndMaxMB: number;
  /** The runtime's GC CPU share since start, at the last cycle (percent, as printed). */
  gcCpuPct: number;
  procs: number;
  scavLines: number;
  /** Memory returned to the OS at the last scavenger line, KiB; null without scavtrace. */
  releasedKiB: number | null;
}

export function pauseMs(c: GcCycles, i: number): number {
  return c.sweepTermMs[i] + c.markTermMs[i];
}

/** Most cycles starting within one second (a sliding window over the start times). */
function peakPerSecond(atS: Float64Array): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < atS.length; hi++) {
    while (atS[hi] - atS[lo] >= 1) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

function slopePerMinute(x: Float64Array, y: Float64Array): number | null {
  const n = x.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? (sxy / sxx) * 60 : null;
}

/** The guide's figures for one stream of a GC log. */
export function summarizeGcTrace(stream: GcStream): GcSummary {
  const c = stream.cycles;
  const n = c.length;
  let forced = 0;
  let periodic = 0;
  let pauseTotal = 0;
  let pauseMax = 0;
  let pauseMaxNum = n ? c.num[0] : 0;
  let goalMax = 0;
  let endMax = 0;
  for (let i = 0; i < n; i++) {
    if (c.flags[i] & GC_FORCED) forced++;
    if (c.flags[i] & GC_PERIODIC) periodic++;
    const p = pauseMs(c, i);
    pauseTotal += p;
    if (p > pauseMax) {
      pauseMax = p;
      pauseMaxNum = c.num[i];
    }
    goalMax = Math.max(goalMax, c.heapGoalMB[i]);
    endMax = Math.max(endMax, c.heapEndMB[i]);
  }
  const first = n ? c.atS[0] : 0;
  const last = n ? c.atS[n - 1] : 0;
  const span = last - first;
  const s = stream.scav;
  return {
    service: stream.service,
    run: stream.run,
    cycles: n,
    forced,
    periodic,
    firstAtS: first,
    lastAtS: last,
    spanS: span,
    gcPerSecond: n >= 2 && span >= MIN_RATE_SPAN_S ? (n - 1) / span : null,
    peakGcPerSecond: peakPerSecond(c.atS),
    pauseTotalMs: pauseTotal,
    pauseMaxMs: pauseMax,
    pauseMeanMs: n ? pauseTotal / n : 0,
    pauseMaxNum,
    heapGrowthMBPerMin: span >= MIN_GROWTH_SPAN_S ? slopePerMinute(c.atS, c.heapLiveMB) : null,
    heapLiveFirstMB: n ? c.heapLiveMB[0] : 0,
    heapLiveLastMB: n ? c.heapLiveMB[n - 1] : 0,
    heapGoalLastMB: n ? c.heapGoalMB[n - 1] : 0,
    heapGoalMaxMB: goalMax,
    heapEndMaxMB: endMax,
    gcCpuPct: n ? c.cpuPct[n - 1] : 0,
    procs: n ? c.procs[n - 1] : 0,
    scavLines: s.length,
    releasedKiB: s.length ? s.releasedKiB[s.length - 1] : null,
  };
}

export interface GcRateSeries {
  /** Bin starts, seconds since the program started. */
  startS: Float64Array;
  /** Cycles per second in each bin. */
  perSecond: Float64Array;
  binS: number;
}

/**
 * GCs per second over time: cycle starts counted in equal bins of a whole number of seconds,
 * at most `maxBins` of them (1 s bins up to that span, wider beyond).
 */
export function gcRateSeries(c: GcCycles, maxBins = 600): GcRateSeries {
  if (c.length === 0)
    return { startS: new Float64Array(0), perSecond: new Float64Array(0), binS: 1 };
  const from = Math.floor(c.atS[0]);
  const to = c.atS[c.length - 1];
  const binS = Math.max(1, Math.ceil((to - from + 1e-9) / maxBins));
  const bins = Math.max(1, Math.floor((to - from) / binS) + 1);
  const counts = new Float64Array(bins);
  for (let i = 0; i < c.length; i++) {
    const b = Math.min(bins - 1, Math.floor((c.atS[i] - from) / binS));
    counts[b] = counts[b] + 1;
  }
  const startS = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    startS[b] = from + b * binS;
    counts[b] = counts[b] / binS;
  }
  return { startS, perSecond: counts, binS };
}

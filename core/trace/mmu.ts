// Minimum mutator utilization (MMU), computed as `go tool trace`'s MMU page computes it
// (Go's internal/trace gc.go and traceviewer/mmu.go, read and re-expressed here).
//
// 1. mutatorUtilization(model, flags): the utilization function, a step function of time
//    with values in [0, 1] (the share of Ps the program had for itself). Which GC work takes
//    a P away is chosen by the flags, as on go tool trace's page: stop-the-world pauses of the
//    GC, background mark workers, mark assists, sweeping; per-P (one function per P, as the
//    "per-goroutine" view) or system-wide (one function, each P a 1/GOMAXPROCS share).
// 2. mmuCurve(series): the cumulative sums and band summaries that make MMU(window) cheap.
// 3. mmu(curve, window): the lowest mean utilization over any window of that length.
// 4. mmuPlot(curve): the 100 log-spaced windows go tool trace plots, with their MMU.
//
// Times are nanoseconds since the trace's first event; Go's absolute times differ by a
// constant, which no figure here depends on.
import { fromState, GoState, MetricKind, RangeKind, RangeType, timeAt, toState } from './model';
import type { TraceModel } from './model';

export interface MmuFlags {
  /** GC stop-the-world pauses take every P. */
  stw: boolean;
  /** Background mark workers ("GC (dedicated)", "GC (fractional)") take their P while running. */
  background: boolean;
  /** Mark assists take their goroutine's P. */
  assist: boolean;
  /** Incremental sweeping takes its P. */
  sweep: boolean;
  /** One function per P instead of one for the whole program. */
  perProc: boolean;
}

/** go tool trace's default: the system view with STW, background workers and assists. */
export const DEFAULT_MMU_FLAGS: MmuFlags = {
  stw: true,
  background: true,
  assist: true,
  sweep: false,
  perProc: false,
};

/** A utilization step function: util[i] holds from time[i] to time[i + 1]; the last value is 0. */
export interface UtilSeries {
  time: Float64Array;
  util: Float64Array;
}

class SeriesBuilder {
  time: number[] = [];
  util: number[] = [];
  /** Records a change; at one instant the lowest value wins. */
  add(t: number, u: number): void {
    const n = this.util.length;
    if (n > 0) {
      if (u === this.util[n - 1]) return;
      if (t === this.time[n - 1]) {
        if (u < this.util[n - 1]) this.util[n - 1] = u;
        return;
      }
    }
    this.time.push(t);
    this.util.push(u);
  }
  finish(): UtilSeries {
    return { time: Float64Array.from(this.time), util: Float64Array.from(this.util) };
  }
}

function isExecuting(s: number): boolean {
  return s === GoState.Running || s === GoState.Syscall;
}

const MAX_PROCS = 1 << 16;

// Event sources merged by time, in this order when times are equal.
const SRC_METRIC = 0;
const SRC_RANGE = 1;
const SRC_TRANSITION = 2;
const SRC_LABEL = 3;

/**
 * The mutator utilization functions of the trace: one (system) or one per P that existed
 * (perProc). Each starts at the first GOMAXPROCS event and ends with 0 at the last event.
 * Empty when the trace has no GOMAXPROCS event.
 */
export function mutatorUtilization(model: TraceModel, flags: MmuFlags): UtilSeries[] {
  const out: SeriesBuilder[] = [];
  const gc: number[] = [];
  const seriesOf: number[] = [];
  let stw = 0;
  const nG = model.goroutines.length;
  const inGC = new Uint8Array(nG);
  const bgMark = new Uint8Array(nG);
  const gState = new Uint8Array(nG);
  /** Runtime id of the P each executing goroutine is on (-1 when none). */
  const gProc = new Float64Array(nG).fill(-1);
  const procsAt: { time: number; n: number }[] = [];
  const procId = model.procs.id;
  const pid = (row: number): number => (row < 0 ? -1 : procId[row]);
  const strings = model.strings;

  const tr = model.transitions;
  const rg = model.ranges;
  const mt = model.metrics;
  const lb = model.labels;
  const syncs = model.syncs.time;
  let iT = 0;
  let iR = 0;
  let iM = 0;
  let iL = 0;
  let iS = 0;
  let nSync = 0;

  const isGCSTW = (r: number): boolean =>
    flags.stw &&
    rg.type[r] === RangeType.StopTheWorld &&
    (strings[rg.name[r]] ?? '').includes('GC');
  const isAssist = (r: number): boolean => flags.assist && rg.type[r] === RangeType.MarkAssist;
  const isSweep = (r: number): boolean => flags.sweep && rg.type[r] === RangeType.Sweep;
  const bump = (p: number, d: number): void => {
    if (p >= 0 && p < gc.length) gc[p] += d;
  };

  const record = (t: number): void => {
    if (!flags.perProc) {
      let gcPs = 0;
      if (stw > 0) gcPs = gc.length;
      else for (let p = 0; p < gc.length; p++) if (gc[p] > 0) gcPs++;
      out[0].add(t, 1 - gcPs / gc.length);
    } else {
      for (let p = 0; p < gc.length; p++) out[seriesOf[p]].add(t, stw > 0 || gc[p] > 0 ? 0 : 1);
    }
  };

  let lastTime = -1;
  for (;;) {
    // Pick the earliest next event among the tables.
    let src = -1;
    let t = Infinity;
    if (iM < mt.length && mt.time[iM] < t) {
      t = mt.time[iM];
      src = SRC_METRIC;
    }
    if (iR < rg.length && rg.time[iR] < t) {
      t = rg.time[iR];
      src = SRC_RANGE;
    }
    if (iT < tr.length) {
      const tt = timeAt(tr.time, iT);
      if (tt < t) {
        t = tt;
        src = SRC_TRANSITION;
      }
    }
    if (iL < lb.length && lb.time[iL] < t) {
      t = lb.time[iL];
      src = SRC_LABEL;
    }
    if (src < 0) break;
    while (iS < syncs.length && syncs[iS] <= t) {
      iS++;
      nSync = iS;
    }
    lastTime = t;

    if (src === SRC_METRIC) {
      const i = iM++;
      if (mt.kind[i] === MetricKind.Gomaxprocs) {
        // A corrupt value must not make us allocate without bound; no machine has 2^16 Ps.
        const n = Math.min(MAX_PROCS, Math.max(0, Math.floor(mt.value[i])));
        if (gc.length > n) {
          if (flags.perProc) for (let p = n; p < gc.length; p++) out[seriesOf[p]].add(t, 0);
          gc.length = n;
          seriesOf.length = n;
        }
        while (gc.length < n) {
          let series = 0;
          if (flags.perProc || out.length === 0) {
            series = out.length;
            const b = new SeriesBuilder();
            b.add(t, 1);
            out.push(b);
          }
          gc.push(0);
          seriesOf.push(series);
        }
        if (procsAt.length === 0 || procsAt[procsAt.length - 1].n !== n)
          procsAt.push({ time: t, n });
      }
      if (gc.length === 0) continue;
    } else if (gc.length === 0) {
      // Nothing counts before GOMAXPROCS is known (Go skips these events entirely).
      if (src === SRC_RANGE) iR++;
      else if (src === SRC_LABEL) iL++;
      else {
        // Still follow which P each goroutine runs on: later events need it.
        const i = iT++;
        const to = toState(tr.states[i]);
        gProc[tr.goroutine[i]] = isExecuting(to) ? pid(tr.aux[i]) : -1;
      }
      continue;
    } else if (src === SRC_RANGE) {
      const r = iR++;
      const kind = rg.kind[r];
      const p = pid(rg.proc[r]);
      if (kind === RangeKind.Active) {
        // Ranges restated at a generation start matter only in the first generation, where they
        // reveal work that began before the trace.
        if (nSync > 1) {
          record(t);
          continue;
        }
        let backdate = false;
        if (isAssist(r)) {
          const g = rg.goroutine[r];
          backdate = g >= 0 && isExecuting(gState[g]);
        } else if (isSweep(r)) backdate = true;
        if (backdate && !flags.perProc) {
          const s = out[0];
          let pi = 0;
          for (let k = 0; k < s.time.length;) {
            if (pi < procsAt.length - 1 && procsAt[pi + 1].time < s.time[k]) {
              pi++;
              continue;
            }
            s.util[k] = Math.max(0, s.util[k] - 1 / procsAt[pi].n);
            k++;
          }
        }
      }
      if (kind === RangeKind.Begin || kind === RangeKind.Active) {
        if (isGCSTW(r)) stw++;
        else if (isSweep(r)) bump(p, 1);
        else if (isAssist(r)) {
          bump(p, 1);
          const g = rg.scope[r];
          if (g >= 0) inGC[g] = 1;
        }
      } else {
        if (isGCSTW(r)) stw--;
        else if (isSweep(r)) bump(p, -1);
        else if (isAssist(r)) {
          bump(p, -1);
          const g = rg.scope[r];
          if (g >= 0) inGC[g] = 0;
        }
      }
    } else if (src === SRC_TRANSITION) {
      const i = iT++;
      const g = tr.goroutine[i];
      const st = tr.states[i];
      const from = fromState(st);
      const to = toState(st);
      const wasExec = isExecuting(from);
      const nowExec = isExecuting(to);
      // The event's P: the one the goroutine enters on, or the one it was running on.
      const p = nowExec ? pid(tr.aux[i]) : gProc[g];
      if (inGC[g] || bgMark[g]) {
        if (!wasExec && nowExec) bump(p, 1);
        else if (wasExec && !nowExec) bump(p, -1);
      }
      gState[g] = to;
      gProc[g] = nowExec ? p : -1;
    } else {
      const i = iL++;
      const label = strings[lb.label[i]] ?? '';
      if (flags.background && label.startsWith('GC ') && label !== 'GC (idle)') {
        // Dedicated workers evict everything else from their P: in per-P mode they do not
        // stand between a goroutine and its P.
        if (!(flags.perProc && label === 'GC (dedicated)')) {
          const g = lb.goroutine[i];
          if (g >= 0) bgMark[g] = 1;
          bump(pid(lb.proc[i]), 1);
        }
      }
    }
    record(t);
  }
  if (lastTime < 0 || out.length === 0) return [];
  // The last event of the trace (Go's final Sync) closes every series at 0.
  const end = Math.max(lastTime, model.durationNs);
  for (let p = 0; p < gc.length; p++) out[seriesOf[p]].add(end, 0);
  return out.map((b) => b.finish());
}

/** The utilization function limited to [t0, t1]: the value at t0, the changes inside, 0 at t1. */
export function clipUtilization(series: UtilSeries[], t0: number, t1: number): UtilSeries[] {
  const res: UtilSeries[] = [];
  for (const s of series) {
    const n = s.time.length;
    if (n === 0) continue;
    const a = Math.max(t0, s.time[0]);
    const b = Math.min(t1, s.time[n - 1]);
    if (!(b > a)) continue;
    const b2 = new SeriesBuilder();
    let k = upperBound(s.time, a) - 1;
    b2.add(a, s.util[k]);
    for (k++; k < n && s.time[k] < b; k++) b2.add(s.time[k], s.util[k]);
    b2.add(b, 0);
    res.push(b2.finish());
  }
  return res;
}

/** First index whose time is > t. */
function upperBound(a: Float64Array, t: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] <= t) lo = m + 1;
    else hi = m;
  }
  return lo;
}

// --- The MMU curve ---------------------------------------------------------------------------

const BANDS_PER_SERIES = 1000;

interface CurveSeries {
  time: Float64Array;
  util: Float64Array;
  /** sums[j]: integral of the function from its start to time[j] (util × ns). */
  sums: Float64Array;
  bandDur: number;
  /** Per band: lowest instantaneous utilization, integral up to the band's left edge, and the index of that edge's predecessor point. */
  bandMin: Float64Array;
  bandCum: Float64Array;
  bandPos: Int32Array;
}

export interface MmuCurve {
  series: CurveSeries[];
  /** Earliest start and latest end over the series (ns). */
  start: number;
  end: number;
}

/** An integrating cursor over one series; advance() must be called with increasing times. */
class Integrator {
  constructor(
    private readonly s: CurveSeries,
    public pos: number,
  ) {}
  /** Integral of the function from its start to t. */
  advance(t: number): number {
    const time = this.s.time;
    let pos = this.pos;
    if (pos + 8 < time.length && time[pos + 8] > t) {
      while (pos + 1 < time.length && time[pos + 1] <= t) pos++;
    } else {
      pos = upperBound(time, t, pos, time.length) - 1;
    }
    this.pos = pos;
    const partial = t !== time[pos] ? this.s.util[pos] * (t - time[pos]) : 0;
    return this.s.sums[pos] + partial;
  }
  /** The first change after t (Infinity when none). */
  next(t: number): number {
    const time = this.s.time;
    for (let k = this.pos; k < time.length; k++) if (time[k] > t) return time[k];
    return Infinity;
  }
}

function curveSeries(s: UtilSeries): CurveSeries {
  const { time, util } = s;
  const n = time.length;
  const sums = new Float64Array(n);
  let prevT = 0;
  let prevU = 0;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    sum += prevU * (time[j] - prevT);
    sums[j] = sum;
    prevT = time[j];
    prevU = util[j];
  }
  const numBands = Math.min(BANDS_PER_SERIES, n);
  const dur = time[n - 1] - time[0];
  const bandDur = Math.max(1, Math.floor((dur + numBands - 1) / numBands));
  const cs: CurveSeries = {
    time,
    util,
    sums,
    bandDur,
    bandMin: new Float64Array(numBands + 1),
    bandCum: new Float64Array(numBands + 1),
    bandPos: new Int32Array(numBands + 1),
  };
  const left = new Integrator(cs, 0);
  for (let b = 0; b <= numBands; b++) {
    const start = b * bandDur + time[0];
    const end = start + bandDur;
    cs.bandCum[b] = left.advance(start);
    cs.bandPos[b] = left.pos;
    let min = 1;
    for (let k = left.pos; k < n && time[k] < end; k++) min = Math.min(min, util[k]);
    cs.bandMin[b] = min;
  }
  return cs;
}

export function mmuCurve(series: UtilSeries[]): MmuCurve {
  const cs = series.filter((s) => s.time.length > 0).map(curveSeries);
  let start = Infinity;
  let end = -Infinity;
  for (const s of cs) {
    start = Math.min(start, s.time[0]);
    end = Math.max(end, s.time[s.time.length - 1]);
  }
  return { series: cs, start: cs.length ? start : 0, end: cs.length ? end : 0 };
}

/** A lower bound of the mean utilization of every window starting in each band. */
function bandBounds(s: CurveSeries, window: number, series: number, into: BandBound[]): void {
  const bd = s.bandDur;
  const minBands = Math.floor((window + bd - 1) / bd);
  const maxBands = Math.floor((window + 2 * (bd - 1)) / bd);
  const tailDur = window % bd;
  const nBands = s.bandMin.length;
  const count = Math.max(0, nBands - maxBands + 1);
  for (let i = 0; i < count; i++) {
    // The worst case takes the band minimum wherever a window covers a band only partly and
    // the band's mean where every window covers it whole.
    const l = s.bandMin[i];
    const r1 = s.bandMin[i + minBands - 1];
    const r2 = s.bandMin[i + maxBands - 1];
    const worst = Math.min(l, r1, r2);
    let total: number;
    if (minBands === 1) total = worst * window;
    else {
      total = worst * bd;
      const second =
        worst === l ? Math.min(r1, r2) : worst === r1 ? Math.min(l, r2) : Math.min(l, r1);
      total += second * tailDur;
    }
    if (minBands > 2) total += s.bandCum[i + minBands - 1] - s.bandCum[i + 1];
    into.push({ series, band: i, bound: total / window });
  }
}

interface BandBound {
  series: number;
  band: number;
  bound: number;
}

/** A binary min-heap of band bounds. */
function heapify(h: BandBound[]): void {
  for (let i = (h.length >> 1) - 1; i >= 0; i--) siftDown(h, i);
}
function siftDown(h: BandBound[], i: number): void {
  const n = h.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    let m = l;
    if (l + 1 < n && h[l + 1].bound < h[l].bound) m = l + 1;
    if (!(h[m].bound < h[i].bound)) return;
    const tmp = h[i];
    h[i] = h[m];
    h[m] = tmp;
    i = m;
  }
}
function popMin(h: BandBound[]): void {
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    siftDown(h, 0);
  }
}

/** The lowest mean utilization in any window of `window` ns inside band `band` (updates best). */
function bandMmu(s: CurveSeries, band: number, window: number, best: { mmu: number }): void {
  const left = new Integrator(s, s.bandPos[band]);
  const right = new Integrator(s, s.bandPos[band]);
  let t = band * s.bandDur + s.time[0];
  let endTime = t + s.bandDur;
  const utilEnd = s.time[s.time.length - 1] - window;
  if (utilEnd < endTime) endTime = utilEnd;
  for (;;) {
    const mu = (right.advance(t + window) - left.advance(t)) / window;
    if (mu < best.mmu) best.mmu = mu;
    if (mu === 0 || t === endTime) return;
    // The windowed mean changes by at most 1/window per ns: nothing lower before minTime.
    const minTime = t + Math.trunc((mu - best.mmu) * window);
    const t1 = left.next(t);
    const t2 = right.next(t + window) - window;
    t = Math.max(Math.min(t1, t2), minTime);
    if (t >= endTime) t = endTime;
  }
}

/** Minimum mutator utilization over every window of `windowNs` (whole ns), in [0, 1]. */
export function mmu(curve: MmuCurve, windowNs: number): number {
  const window = Math.trunc(windowNs);
  if (window <= 0) return 0;
  if (curve.series.length === 0) return 1;
  const heap: BandBound[] = [];
  const windows: number[] = [];
  curve.series.forEach((s, i) => {
    const w = Math.min(window, s.time[s.time.length - 1] - s.time[0]);
    windows.push(w);
    bandBounds(s, w, i, heap);
  });
  heapify(heap);
  const best = { mmu: 1 };
  while (heap.length > 0 && heap[0].bound < best.mmu) {
    const { series, band } = heap[0];
    bandMmu(curve.series[series], band, windows[series], best);
    if (best.mmu === 0) break;
    popMin(heap);
  }
  return best.mmu;
}

export interface MmuPlot {
  /** Smallest and largest window plotted (ns). */
  xMin: number;
  xMax: number;
  /** Window (ns) and MMU, log-spaced from xMin to xMax. */
  windows: Float64Array;
  mmu: Float64Array;
}

/**
 * The points go tool trace plots: the smallest window starts at 1 s and shrinks a thousandfold
 * while its MMU stays above 0.0001, the largest is a million times that (at most the trace
 * length), with `samples` log-spaced windows between.
 */
export function mmuPlot(curve: MmuCurve, samples = 100): MmuPlot {
  let xMin = 1e9;
  while (xMin > 1) {
    if (mmu(curve, xMin) < 0.0001) break;
    xMin = Math.trunc(xMin / 1000);
  }
  const xMax = Math.min(xMin * 1e6, curve.end - curve.start);
  const windows = new Float64Array(samples);
  const values = new Float64Array(samples);
  if (xMax <= 0) return { xMin, xMax: 0, windows: new Float64Array(0), mmu: new Float64Array(0) };
  const logMin = Math.log(xMin);
  const logMax = Math.log(xMax);
  for (let i = 0; i < samples; i++) {
    const w = Math.trunc(Math.exp((i / (samples - 1)) * (logMax - logMin) + logMin));
    windows[i] = w;
    values[i] = mmu(curve, w);
  }
  return { xMin, xMax, windows, mmu: values };
}

// Level of detail for the timeline: for a time window and a pixel width, the spans of each
// lane that are at least `minPx` wide, and runs of narrower spans merged into one item. Each
// lane yields at most about 2 * widthPx / minPx + 2 items whatever the trace size, in flat
// typed arrays ready to transfer from a Worker.
import { firstSpanEndingAfter, procSpanEnd, spanStart, type TimelineIndex } from './lanes';
import { timeAt, type TraceModel } from './model';
import { GoNotExist } from './spec';

export interface LodQuery {
  /** Window start and end, ns since the trace's first event. */
  t0: number;
  t1: number;
  /** Width of the window in pixels. */
  widthPx: number;
  /** Spans narrower than this are merged (default 1). */
  minPx?: number;
}

export interface LodResult {
  /** Items of lane j are laneStart[j] .. laneStart[j+1]-1 (length lanes + 1). */
  laneStart: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /**
   * Goroutine lanes: the GoState of the span (the dominant state, by time, of a merged run).
   * P lanes: GoState Running (3) or Syscall (5).
   */
  state: Uint8Array;
  /**
   * For single spans, the span's position in TimelineIndex.order (pass it to describeSpan);
   * -1 for merged runs.
   */
  ref: Int32Array;
  /** Number of spans the item stands for (1 = a single span). */
  count: Uint32Array;
}

/** Accumulates items, merging spans narrower than the pixel threshold. */
class LodWriter {
  laneStart: number[] = [0];
  start: number[] = [];
  end: number[] = [];
  state: number[] = [];
  ref: number[] = [];
  count: number[] = [];
  private readonly t0: number;
  private readonly t1: number;
  private readonly minNs: number;
  // The pending merged run.
  private runStart = 0;
  private runEnd = 0;
  private runCount = 0;
  private runRef = -1;
  private runState = 0;
  private readonly runDur = new Float64Array(8);

  constructor(q: LodQuery) {
    this.t0 = q.t0;
    this.t1 = q.t1;
    const px = Math.max(1, q.widthPx);
    this.minNs = ((q.t1 - q.t0) / px) * (q.minPx ?? 1);
  }

  add(s0: number, e0: number, state: number, ref: number): void {
    const s = s0 < this.t0 ? this.t0 : s0;
    const e = e0 > this.t1 ? this.t1 : e0;
    if (e < s) return;
    if (e - s >= this.minNs) {
      this.flush();
      this.push(s, e, state, ref, 1);
      return;
    }
    if (this.runCount > 0 && s - this.runEnd >= this.minNs) this.flush();
    if (this.runCount === 0) {
      this.runStart = s;
      this.runRef = ref;
      this.runState = state;
      this.runDur.fill(0);
    }
    this.runEnd = e;
    this.runCount++;
    this.runDur[state & 7] += e - s;
    if (this.runEnd - this.runStart >= this.minNs) this.flush();
  }

  private push(s: number, e: number, state: number, ref: number, count: number): void {
    this.start.push(s);
    this.end.push(e);
    this.state.push(state);
    this.ref.push(ref);
    this.count.push(count);
  }

  private flush(): void {
    if (this.runCount === 0) return;
    if (this.runCount === 1) {
      // A lone narrow span stays a span (drawn at the minimum width, still clickable).
      this.push(this.runStart, this.runEnd, this.runState, this.runRef, 1);
      this.runCount = 0;
      return;
    }
    let best = 0;
    for (let k = 1; k < 8; k++) if (this.runDur[k] > this.runDur[best]) best = k;
    this.push(this.runStart, this.runEnd, best, -1, this.runCount);
    this.runCount = 0;
  }

  endLane(): void {
    this.flush();
    this.laneStart.push(this.start.length);
  }

  result(): LodResult {
    return {
      laneStart: Int32Array.from(this.laneStart),
      start: Float64Array.from(this.start),
      end: Float64Array.from(this.end),
      state: Uint8Array.from(this.state),
      ref: Int32Array.from(this.ref),
      count: Uint32Array.from(this.count),
    };
  }
}

/** Items for goroutine lanes (rows of model.goroutines), in the given order. */
export function goroutineLod(
  model: TraceModel,
  index: TimelineIndex,
  goroutines: ArrayLike<number>,
  q: LodQuery,
): LodResult {
  const w = new LodWriter(q);
  const tr = model.transitions;
  for (let j = 0; j < goroutines.length; j++) {
    const g = goroutines[j];
    const hi = index.start[g + 1];
    for (let k = firstSpanEndingAfter(model, index, g, q.t0); k < hi; k++) {
      const s = spanStart(model, index, k);
      if (s >= q.t1 && s > q.t0) break;
      const i = index.order[k];
      const state = tr.states[i] & 15;
      if (state === GoNotExist) continue;
      const e = k + 1 < hi ? timeAt(tr.time, index.order[k + 1]) : model.durationNs;
      w.add(s, e, state, k);
    }
    w.endLane();
  }
  return w.result();
}

/** Items for P lanes (rows of model.procs): which goroutine runs on each P. */
export function procLod(
  model: TraceModel,
  index: TimelineIndex,
  procs: ArrayLike<number>,
  q: LodQuery,
): LodResult {
  const w = new LodWriter(q);
  const tr = model.transitions;
  for (let j = 0; j < procs.length; j++) {
    const p = procs[j];
    const lo = index.procStart[p];
    const hi = index.procStart[p + 1];
    // Spans on a P do not overlap and start in order: find the first starting after t0, then
    // step back one, which may still be running at t0.
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (spanStart(model, index, index.procPos[mid]) < q.t0) a = mid + 1;
      else b = mid;
    }
    for (let s = Math.max(lo, a - 1); s < hi; s++) {
      const k = index.procPos[s];
      const st = spanStart(model, index, k);
      if (st >= q.t1 && st > q.t0) break;
      const e = procSpanEnd(model, index, p, s);
      if (e < q.t0) continue;
      w.add(st, e, tr.states[index.order[k]] & 15, k);
    }
    w.endLane();
  }
  return w.result();
}

/** Items for a lane of plain intervals (GC phases, STW ranges), sorted by start. */
export function intervalLod(
  starts: Float64Array,
  ends: Float64Array,
  kinds: Uint8Array,
  q: LodQuery,
): LodResult {
  const w = new LodWriter(q);
  for (let i = 0; i < starts.length; i++) {
    if (ends[i] < q.t0) continue;
    if (starts[i] >= q.t1 && starts[i] > q.t0) break;
    w.add(starts[i], ends[i], kinds[i], i);
  }
  w.endLane();
  return w.result();
}

export interface SeriesLod {
  /** Bucket start times (widthPx buckets). */
  time: Float64Array;
  /** Lowest and highest value the step series takes within each bucket (NaN before its first point). */
  min: Float64Array;
  max: Float64Array;
}

/** Per-pixel min/max of a step series (value holds from its time until the next point). */
export function seriesLod(times: Float64Array, values: Float64Array, q: LodQuery): SeriesLod {
  const n = Math.max(1, Math.floor(q.widthPx));
  const span = q.t1 - q.t0;
  const time = new Float64Array(n);
  const min = new Float64Array(n).fill(NaN);
  const max = new Float64Array(n).fill(NaN);
  for (let b = 0; b < n; b++) time[b] = q.t0 + (span * b) / n;
  // Value in force at t0.
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= q.t0) lo = mid + 1;
    else hi = mid;
  }
  let cur = lo > 0 ? values[lo - 1] : NaN;
  let i = lo;
  for (let b = 0; b < n; b++) {
    const bEnd = b + 1 < n ? time[b + 1] : q.t1;
    let mn = cur;
    let mx = cur;
    while (i < times.length && times[i] <= bEnd) {
      cur = values[i];
      mn = Number.isNaN(mn) ? cur : Math.min(mn, cur);
      mx = Number.isNaN(mx) ? cur : Math.max(mx, cur);
      i++;
    }
    min[b] = mn;
    max[b] = mx;
  }
  return { time, min, max };
}

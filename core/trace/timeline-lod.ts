// Level of detail for timeline lanes whose cost follows the pixels, not the spans.
//
// lod.ts walks every span in the window, so a zoomed-out view of a busy P or worker lane
// (millions of spans) costs a full scan per frame. Here a run of spans narrower than `minPx`
// is jumped over with a binary search to the next pixel, and its dominant class (by time) is
// summed from per-chunk class totals precomputed once. A lane yields at most about
// 2 * widthPx / minPx + 2 items, in O(items * (log spans + CHUNK)) time.
import { firstSpanEndingAfter, procSpanEnd, spanStart, type TimelineIndex } from './lanes';
import { timeAt, type TraceModel } from './model';
import {
  SKIP_CLASS,
  SPAN_CLASS_COUNT,
  buildSpanClassTables,
  transitionClass,
  type SpanClassTables,
} from './timeline-classes';

/** Positions summed per chunk: small enough to sum the ragged ends directly. */
const CHUNK = 128;

export interface LaneLodIndex {
  classes: SpanClassTables;
  /** Per chunk of CHUNK positions of TimelineIndex.order: ns per class (SPAN_CLASS_COUNT each). */
  goChunks: Float32Array;
  /** The same over TimelineIndex.procPos (P spans). */
  procChunks: Float32Array;
}

/** Class of the goroutine span at position k of TimelineIndex.order. */
export function spanClassAt(
  model: TraceModel,
  index: TimelineIndex,
  lod: LaneLodIndex,
  k: number,
): number {
  return transitionClass(model, lod.classes, index.order[k]);
}

export interface LaneQuery {
  /** Window, ns since the trace's first event. */
  t0: number;
  t1: number;
  widthPx: number;
  /** Spans narrower than this many pixels are merged (default 2). */
  minPx?: number;
}

export interface LaneItems {
  /** Items of lane j are laneStart[j] .. laneStart[j+1]-1. */
  laneStart: Int32Array;
  /** Clipped to the window. */
  start: Float64Array;
  end: Float64Array;
  /** SpanClass of the span, or the dominant class (by time) of a merged run. */
  cls: Uint8Array;
  /** Spans the item stands for (1 = a single span). */
  count: Uint32Array;
  /** A single span's position in TimelineIndex.order (for describeSpan); -1 for merged runs. */
  ref: Int32Array;
  /** Share of the item's width that is busy, 0..255 (P lanes merge runs with idle gaps). */
  fill: Uint8Array;
}

function goSpanEnd(model: TraceModel, index: TimelineIndex, k: number, hi: number): number {
  return k + 1 < hi ? timeAt(model.transitions.time, index.order[k + 1]) : model.durationNs;
}

export function buildLaneLodIndex(model: TraceModel, index: TimelineIndex): LaneLodIndex {
  const classes = buildSpanClassTables(model);
  const n = index.order.length;
  const goChunks = new Float32Array((Math.ceil(n / CHUNK) + 1) * SPAN_CLASS_COUNT);
  const tr = model.transitions;
  for (let g = 0; g < model.goroutines.length; g++) {
    const hi = index.start[g + 1];
    for (let k = index.start[g]; k < hi; k++) {
      const c = transitionClass(model, classes, index.order[k]);
      if (c === SKIP_CLASS) continue;
      const s = spanStart(model, index, k);
      const e = k + 1 < hi ? timeAt(tr.time, index.order[k + 1]) : model.durationNs;
      goChunks[Math.floor(k / CHUNK) * SPAN_CLASS_COUNT + c] += e - s;
    }
  }
  const np = index.procPos.length;
  const procChunks = new Float32Array((Math.ceil(np / CHUNK) + 1) * SPAN_CLASS_COUNT);
  for (let p = 0; p < model.procs.length; p++) {
    const hi = index.procStart[p + 1];
    for (let s = index.procStart[p]; s < hi; s++) {
      const k = index.procPos[s];
      const c = transitionClass(model, classes, index.order[k]);
      if (c === SKIP_CLASS) continue;
      const d = procSpanEnd(model, index, p, s) - spanStart(model, index, k);
      procChunks[Math.floor(s / CHUNK) * SPAN_CLASS_COUNT + c] += d;
    }
  }
  return { classes, goChunks, procChunks };
}

class ItemWriter {
  laneStart: number[] = [0];
  start: number[] = [];
  end: number[] = [];
  cls: number[] = [];
  count: number[] = [];
  ref: number[] = [];
  fill: number[] = [];

  push(s: number, e: number, cls: number, count: number, ref: number, fill: number): void {
    this.start.push(s);
    this.end.push(e);
    this.cls.push(cls);
    this.count.push(count);
    this.ref.push(ref);
    this.fill.push(fill);
  }

  endLane(): void {
    this.laneStart.push(this.start.length);
  }

  result(): LaneItems {
    return {
      laneStart: Int32Array.from(this.laneStart),
      start: Float64Array.from(this.start),
      end: Float64Array.from(this.end),
      cls: Uint8Array.from(this.cls),
      count: Uint32Array.from(this.count),
      ref: Int32Array.from(this.ref),
      fill: Uint8Array.from(this.fill),
    };
  }
}

function minNsOf(q: LaneQuery): number {
  return ((q.t1 - q.t0) / Math.max(1, q.widthPx)) * (q.minPx ?? 2);
}

/** Index of the largest entry (the first on ties). */
function argmax(sums: Float64Array): number {
  let best = 0;
  for (let c = 1; c < sums.length; c++) if (sums[c] > sums[best]) best = c;
  return best;
}

/**
 * Adds per-class time of positions [a, b) into sums: chunk totals for whole chunks, `one` for
 * the ragged ends.
 */
function sumRange(
  chunks: Float32Array,
  a: number,
  b: number,
  sums: Float64Array,
  one: (m: number) => void,
): void {
  sums.fill(0);
  if (b - a <= 2 * CHUNK) {
    for (let m = a; m < b; m++) one(m);
    return;
  }
  const ca = Math.ceil(a / CHUNK);
  const cb = Math.floor(b / CHUNK);
  for (let m = a; m < ca * CHUNK; m++) one(m);
  for (let c = ca; c < cb; c++) {
    const o = c * SPAN_CLASS_COUNT;
    for (let x = 0; x < SPAN_CLASS_COUNT; x++) sums[x] += chunks[o + x];
  }
  for (let m = cb * CHUNK; m < b; m++) one(m);
}

/** Items for goroutine lanes (rows of model.goroutines), in the given order. */
export function goroutineLaneLod(
  model: TraceModel,
  index: TimelineIndex,
  lod: LaneLodIndex,
  goroutines: ArrayLike<number>,
  q: LaneQuery,
): LaneItems {
  const w = new ItemWriter();
  const minNs = minNsOf(q);
  const sums = new Float64Array(SPAN_CLASS_COUNT);
  const cls = (k: number): number => transitionClass(model, lod.classes, index.order[k]);
  let hi = 0;
  const one = (m: number): void => {
    const c = cls(m);
    if (c !== SKIP_CLASS) sums[c] += goSpanEnd(model, index, m, hi) - spanStart(model, index, m);
  };
  for (let j = 0; j < goroutines.length; j++) {
    const g = goroutines[j];
    const lo = index.start[g];
    hi = index.start[g + 1];
    let k = lo < hi ? firstSpanEndingAfter(model, index, g, q.t0) : hi;
    while (k < hi) {
      const s = spanStart(model, index, k);
      if (s >= q.t1 && s > q.t0) break;
      const c = cls(k);
      if (c === SKIP_CLASS) {
        k++;
        continue;
      }
      const e = goSpanEnd(model, index, k, hi);
      const cs = s < q.t0 ? q.t0 : s;
      const ce = e > q.t1 ? q.t1 : e;
      if (ce - cs >= minNs || k + 1 >= hi) {
        w.push(cs, ce, c, 1, k, 255);
        k++;
        continue;
      }
      // A narrow span: merge everything that starts before the next pixel boundary.
      const target = cs + minNs;
      let a = k;
      let b = hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (spanStart(model, index, mid) < target) a = mid + 1;
        else b = mid;
      }
      const last = a - 1;
      const lastEnd = goSpanEnd(model, index, last, hi);
      let stop: number;
      let runEnd: number;
      if (
        last > k &&
        (cls(last) === SKIP_CLASS || lastEnd - spanStart(model, index, last) >= minNs)
      ) {
        // The last one is wide (or not drawn): it stands on its own.
        stop = last;
        runEnd = spanStart(model, index, last);
      } else {
        stop = last + 1;
        runEnd = lastEnd;
      }
      if (runEnd > q.t1) runEnd = q.t1;
      if (stop - k === 1) {
        w.push(cs, runEnd, c, 1, k, 255);
      } else {
        sumRange(lod.goChunks, k, stop, sums, one);
        w.push(cs, runEnd, argmax(sums), stop - k, -1, 255);
      }
      k = stop;
    }
    w.endLane();
  }
  return w.result();
}

/** Items for P lanes (rows of model.procs): the goroutines that ran on each P. */
export function procLaneLod(
  model: TraceModel,
  index: TimelineIndex,
  lod: LaneLodIndex,
  procs: ArrayLike<number>,
  q: LaneQuery,
): LaneItems {
  const w = new ItemWriter();
  const minNs = minNsOf(q);
  const sums = new Float64Array(SPAN_CLASS_COUNT);
  const pos = index.procPos;
  const cls = (s: number): number => transitionClass(model, lod.classes, index.order[pos[s]]);
  let p = 0;
  const startOf = (s: number): number => spanStart(model, index, pos[s]);
  const one = (m: number): void => {
    const c = cls(m);
    if (c !== SKIP_CLASS) sums[c] += procSpanEnd(model, index, p, m) - startOf(m);
  };
  for (let j = 0; j < procs.length; j++) {
    p = procs[j];
    const lo = index.procStart[p];
    const hi = index.procStart[p + 1];
    // Spans on a P start in order and do not overlap: the one before the first starting
    // after t0 may still run at t0.
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (startOf(mid) < q.t0) a = mid + 1;
      else b = mid;
    }
    let s = Math.max(lo, a - 1);
    while (s < hi) {
      const st = startOf(s);
      if (st >= q.t1 && st > q.t0) break;
      const e = procSpanEnd(model, index, p, s);
      const c = cls(s);
      if (e < q.t0 || c === SKIP_CLASS) {
        s++;
        continue;
      }
      const cs = st < q.t0 ? q.t0 : st;
      const ce = e > q.t1 ? q.t1 : e;
      if (ce - cs >= minNs || s + 1 >= hi) {
        w.push(cs, ce, c, 1, pos[s], 255);
        s++;
        continue;
      }
      const target = cs + minNs;
      a = s;
      b = hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (startOf(mid) < target) a = mid + 1;
        else b = mid;
      }
      const last = a - 1;
      const lastEnd = procSpanEnd(model, index, p, last);
      let stop: number;
      let runEnd: number;
      if (last > s && lastEnd - startOf(last) >= minNs) {
        stop = last;
        // The run ends where its last span ends (a gap may follow).
        runEnd = procSpanEnd(model, index, p, last - 1);
      } else {
        stop = last + 1;
        runEnd = lastEnd;
      }
      if (runEnd > q.t1) runEnd = q.t1;
      if (stop - s === 1) {
        w.push(cs, runEnd, c, 1, pos[s], 255);
      } else {
        sumRange(lod.procChunks, s, stop, sums, one);
        let busy = 0;
        for (let x = 0; x < SPAN_CLASS_COUNT; x++) busy += sums[x];
        const width = runEnd - cs;
        const fill = width > 0 ? Math.max(1, Math.min(255, Math.round((busy / width) * 255))) : 255;
        w.push(cs, runEnd, argmax(sums), stop - s, -1, fill);
      }
      s = stop;
    }
    w.endLane();
  }
  return w.result();
}

/** Intervals (GC phases, STW pauses) for a window: overlapping or sub-pixel ones merged. */
export function bandLod(
  starts: Float64Array,
  ends: Float64Array,
  q: LaneQuery,
): { start: Float64Array; end: Float64Array; count: Uint32Array } {
  const minNs = ((q.t1 - q.t0) / Math.max(1, q.widthPx)) * (q.minPx ?? 1);
  const outS: number[] = [];
  const outE: number[] = [];
  const outC: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    const s0 = starts[i];
    if (s0 >= q.t1) break;
    const e0 = ends[i];
    if (e0 < q.t0) continue;
    const s = s0 < q.t0 ? q.t0 : s0;
    const e = e0 > q.t1 ? q.t1 : e0;
    const n = outE.length;
    // Joins the previous band when it overlaps it or lies within the same pixel.
    if (n > 0 && s - outE[n - 1] < minNs) {
      if (e > outE[n - 1]) outE[n - 1] = e;
      outC[n - 1]++;
    } else {
      outS.push(s);
      outE.push(e);
      outC.push(1);
    }
  }
  return {
    start: Float64Array.from(outS),
    end: Float64Array.from(outE),
    count: Uint32Array.from(outC),
  };
}

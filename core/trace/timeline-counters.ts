// Counter lines for the timeline at any zoom without replaying the whole trace per frame.
//
// counters.ts's goroutineCountLod replays every transition in the window, which for a
// zoomed-out view of a big trace is all of them. The counts are replayed once into a fine
// base level (BASE_BUCKETS maxima over the whole trace); a window coarser than the base reads
// the per-pixel maxima from it, a finer one (a small part of the trace) replays its window.
import {
  buildCountIndex,
  goroutineCountLod,
  metricSeries,
  type CountIndex,
  type GoroutineCountLod,
  type Series,
} from './counters';
import { seriesLod, type SeriesLod } from './lod';
import { MetricKind, type TraceModel } from './model';

export const BASE_BUCKETS = 32768;

export interface CounterQuery {
  t0: number;
  t1: number;
  widthPx: number;
}

export interface TimelineCounters {
  readonly countIndex: CountIndex;
  readonly base: GoroutineCountLod;
  readonly heap: Series;
  readonly heapGoal: Series;
  /** Largest values over the whole trace (axis ranges that stay put while zooming). */
  readonly maxActive: number;
  readonly maxWaiting: number;
  readonly maxHeap: number;
}

export function buildTimelineCounters(model: TraceModel): TimelineCounters {
  const countIndex = buildCountIndex(model);
  const base = goroutineCountLod(model, countIndex, {
    t0: 0,
    t1: Math.max(1, model.durationNs),
    widthPx: BASE_BUCKETS,
  });
  // Running, runnable and syscall stack up; waiting is on its own scale (often far larger).
  let maxActive = 0;
  let maxWaiting = 0;
  for (let b = 0; b < BASE_BUCKETS; b++) {
    const n = base.running[b] + base.runnable[b] + base.syscall[b];
    if (n > maxActive) maxActive = n;
    if (base.waiting[b] > maxWaiting) maxWaiting = base.waiting[b];
  }
  const heap = metricSeries(model, MetricKind.HeapAlloc);
  const heapGoal = metricSeries(model, MetricKind.HeapGoal);
  let maxHeap = 0;
  for (const v of heap.value) if (v > maxHeap) maxHeap = v;
  for (const v of heapGoal.value) if (v > maxHeap) maxHeap = v;
  return { countIndex, base, heap, heapGoal, maxActive, maxWaiting, maxHeap };
}

/** Goroutines by state, per-pixel maxima over the window. */
export function goroutineCounts(
  model: TraceModel,
  c: TimelineCounters,
  q: CounterQuery,
): GoroutineCountLod {
  const n = Math.max(1, Math.floor(q.widthPx));
  const dur = Math.max(1, model.durationNs);
  const bucketNs = dur / BASE_BUCKETS;
  if ((q.t1 - q.t0) / n < bucketNs) return goroutineCountLod(model, c.countIndex, q);
  const time = new Float64Array(n);
  const out = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const src = [c.base.running, c.base.runnable, c.base.waiting, c.base.syscall];
  const span = q.t1 - q.t0;
  for (let p = 0; p < n; p++) {
    const a = q.t0 + (span * p) / n;
    const b = q.t0 + (span * (p + 1)) / n;
    time[p] = a;
    const b0 = Math.max(0, Math.min(BASE_BUCKETS - 1, Math.floor(a / bucketNs)));
    const b1 = Math.max(b0 + 1, Math.min(BASE_BUCKETS, Math.ceil(b / bucketNs)));
    for (let s = 0; s < 4; s++) {
      const from = src[s];
      let mx = 0;
      for (let k = b0; k < b1; k++) if (from[k] > mx) mx = from[k];
      out[s][p] = mx;
    }
  }
  return { time, running: out[0], runnable: out[1], waiting: out[2], syscall: out[3] };
}

export function heapLod(
  c: TimelineCounters,
  q: CounterQuery,
): { heap: SeriesLod; goal: SeriesLod } {
  return {
    heap: seriesLod(c.heap.time, c.heap.value, q),
    goal: seriesLod(c.heapGoal.time, c.heapGoal.value, q),
  };
}

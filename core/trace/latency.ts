// Scheduler latency: how long goroutines wait in Runnable (go tool trace's sched profile), as a
// histogram (8 buckets per power of two, so bucket bounds are within 9% of each other).
import type { TraceModel } from './model';
import { blockingWaits, goroutineLifetimes } from './profiles';

export interface LatencyHistogram {
  /** Number of waits measured (runnable spans that ended with the goroutine running). */
  count: number;
  sumNs: number;
  minNs: number;
  maxNs: number;
  /** Bucket b holds waits in [lower[b], lower[b+1]) ns; the last bucket is open-ended. */
  lower: Float64Array;
  counts: Float64Array;
}

const SUB = 8;
const OCTAVES = 48;

function bucketOf(d: number): number {
  if (d < 1) return 0;
  const e = Math.floor(Math.log2(d));
  const frac = d / 2 ** e - 1;
  const b = 1 + e * SUB + Math.min(SUB - 1, Math.floor(frac * SUB));
  return Math.min(b, OCTAVES * SUB);
}

/**
 * The waits of go tool trace's scheduler latency profile (-pprof=sched, its /sched page): from
 * entering Runnable to leaving it, counted inside the goroutine's lifetime as Go counts it
 * (from its first run, so the wait between creation and the first run is not in it; see
 * goroutineLifetimes). count and sumNs equal that profile's contentions and delay.
 * `goroutines` limits the histogram to a set of goroutine rows (a mask indexed by row).
 */
export function schedulerLatency(model: TraceModel, goroutines?: Uint8Array): LatencyHistogram {
  const lower = new Float64Array(OCTAVES * SUB + 1);
  lower[0] = 0;
  for (let b = 1; b < lower.length; b++) {
    const e = Math.floor((b - 1) / SUB);
    const s = (b - 1) % SUB;
    lower[b] = 2 ** e * (1 + s / SUB);
  }
  const counts = new Float64Array(lower.length);
  let count = 0;
  let sum = 0;
  let mn = Infinity;
  let mx = 0;
  blockingWaits(model, 'sched', goroutineLifetimes(model), (g, _start, d) => {
    if (goroutines !== undefined && !goroutines[g]) return;
    counts[bucketOf(d)]++;
    count++;
    sum += d;
    if (d < mn) mn = d;
    if (d > mx) mx = d;
  });
  return { count, sumNs: sum, minNs: count > 0 ? mn : 0, maxNs: mx, lower, counts };
}

/** Upper bound of the bucket holding the q-quantile (0..1) of the waits. */
export function latencyQuantile(h: LatencyHistogram, q: number): number {
  if (h.count === 0) return 0;
  const target = q * h.count;
  let acc = 0;
  for (let b = 0; b < h.counts.length; b++) {
    acc += h.counts[b];
    if (acc >= target) return Math.min(h.maxNs, b + 1 < h.lower.length ? h.lower[b + 1] : h.maxNs);
  }
  return h.maxNs;
}

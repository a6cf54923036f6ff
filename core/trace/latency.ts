// Scheduler latency: how long goroutines wait between becoming runnable and running, as a
// histogram (8 buckets per power of two, so bucket bounds are within 9% of each other).
import { timeAt, type TraceModel } from './model';
import { GoRunnable, GoRunning, GoUndetermined } from './spec';

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
 * Waits from entering Runnable (created, unblocked, preempted, or back from a blocked
 * syscall) to running. States held when the trace began are left out (their start is unknown).
 * `goroutines` limits the histogram to a set of goroutine rows (a mask indexed by row).
 */
export function schedulerLatency(model: TraceModel, goroutines?: Uint8Array): LatencyHistogram {
  const tr = model.transitions;
  const since = new Float64Array(model.goroutines.length).fill(-1);
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
  for (let i = 0; i < tr.length; i++) {
    const g = tr.goroutine[i]!;
    if (goroutines !== undefined && !goroutines[g]) continue;
    const st = tr.states[i]!;
    const from = st >> 4;
    const to = st & 15;
    const t = timeAt(tr.time, i);
    if (from === GoRunnable && to === GoRunning && since[g]! >= 0) {
      const d = t - since[g]!;
      counts[bucketOf(d)]++;
      count++;
      sum += d;
      if (d < mn) mn = d;
      if (d > mx) mx = d;
    }
    since[g] = to === GoRunnable && from !== GoUndetermined ? t : -1;
  }
  return { count, sumNs: sum, minNs: count > 0 ? mn : 0, maxNs: mx, lower, counts };
}

/** Upper bound of the bucket holding the q-quantile (0..1) of the waits. */
export function latencyQuantile(h: LatencyHistogram, q: number): number {
  if (h.count === 0) return 0;
  const target = q * h.count;
  let acc = 0;
  for (let b = 0; b < h.counts.length; b++) {
    acc += h.counts[b]!;
    if (acc >= target) return Math.min(h.maxNs, b + 1 < h.lower.length ? h.lower[b + 1]! : h.maxNs);
  }
  return h.maxNs;
}

// Counters over time: heap in use, heap goal and GOMAXPROCS from the trace's metric events,
// running Ps, and goroutine counts by state derived from the state transitions.
import { seriesLod, type LodQuery, type SeriesLod } from './lod';
import { MetricKind, timeAt, type TraceModel } from './model';
import { GoRunnable, GoRunning, GoSyscall, GoUndetermined, GoWaiting, ProcRunning } from './spec';

export interface Series {
  time: Float64Array;
  value: Float64Array;
}

/** One metric as a step series (each value holds until the next point). */
export function metricSeries(model: TraceModel, kind: MetricKind): Series {
  const m = model.metrics;
  let n = 0;
  for (let i = 0; i < m.length; i++) if (m.kind[i] === kind) n++;
  const time = new Float64Array(n);
  const value = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < m.length; i++) {
    if (m.kind[i] !== kind) continue;
    time[j] = m.time[i];
    value[j++] = m.value[i];
  }
  return { time, value };
}

/** Number of Ps running (executing Go code or in a syscall), as a step series. */
export function runningProcSeries(model: TraceModel): Series {
  const pt = model.procTransitions;
  const time = new Float64Array(pt.length);
  const value = new Float64Array(pt.length);
  let running = 0;
  for (let i = 0; i < pt.length; i++) {
    const st = pt.states[i];
    if (st >> 4 === ProcRunning) running--;
    if ((st & 15) === ProcRunning) running++;
    time[i] = pt.time[i];
    value[i] = running;
  }
  return { time, value };
}

const EVERY = 1 << 16;

/** Checkpoints of goroutine counts, so a window can be counted without replaying the trace. */
export interface CountIndex {
  /** Counts by GoState before transition k * 65536 (6 entries per checkpoint). */
  counts: Int32Array;
}

/**
 * Goroutines in each state count from the state's start; states held when the trace began
 * count from time 0.
 */
export function buildCountIndex(model: TraceModel): CountIndex {
  const tr = model.transitions;
  const cur = new Int32Array(6);
  for (let i = 0; i < tr.length; i++) {
    const st = tr.states[i];
    if (st >> 4 === GoUndetermined) cur[st & 15]++;
  }
  const counts = new Int32Array((Math.floor(tr.length / EVERY) + 1) * 6);
  for (let i = 0; i < tr.length; i++) {
    if (i % EVERY === 0) counts.set(cur, (i / EVERY) * 6);
    const st = tr.states[i];
    const from = st >> 4;
    if (from === GoUndetermined) continue;
    cur[from]--;
    cur[st & 15]++;
  }
  return { counts };
}

export interface GoroutineCountLod {
  time: Float64Array;
  /** Highest count within each pixel bucket. */
  running: Float64Array;
  runnable: Float64Array;
  waiting: Float64Array;
  syscall: Float64Array;
}

/** Per-pixel maximum of the goroutine counts by state in a window. */
export function goroutineCountLod(
  model: TraceModel,
  index: CountIndex,
  q: LodQuery,
): GoroutineCountLod {
  const tr = model.transitions;
  const n = Math.max(1, Math.floor(q.widthPx));
  const span = q.t1 - q.t0;
  const time = new Float64Array(n);
  for (let b = 0; b < n; b++) time[b] = q.t0 + (span * b) / n;
  const out = [GoRunning, GoRunnable, GoWaiting, GoSyscall].map(() => new Float64Array(n));
  // Replay from the checkpoint before t0.
  let lo = 0;
  let hi = tr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeAt(tr.time, mid) <= q.t0) lo = mid + 1;
    else hi = mid;
  }
  const c = Math.floor(lo / EVERY);
  const cur = index.counts.slice(c * 6, c * 6 + 6);
  const apply = (i: number): void => {
    const st = tr.states[i];
    const from = st >> 4;
    if (from === GoUndetermined) return;
    cur[from]--;
    cur[st & 15]++;
  };
  for (let i = c * EVERY; i < lo; i++) apply(i);
  let i = lo;
  const states = [GoRunning, GoRunnable, GoWaiting, GoSyscall];
  for (let b = 0; b < n; b++) {
    const bEnd = b + 1 < n ? time[b + 1] : q.t1;
    for (let s = 0; s < 4; s++) out[s][b] = cur[states[s]];
    while (i < tr.length && timeAt(tr.time, i) <= bEnd) {
      apply(i);
      for (let s = 0; s < 4; s++) if (cur[states[s]] > out[s][b]) out[s][b] = cur[states[s]];
      i++;
    }
  }
  return { time, running: out[0], runnable: out[1], waiting: out[2], syscall: out[3] };
}

/** Per-pixel min/max of a metric in a window. */
export function metricLod(model: TraceModel, kind: MetricKind, q: LodQuery): SeriesLod {
  const s = metricSeries(model, kind);
  return seriesLod(s.time, s.value, q);
}

// The CPU profile samples an execution trace carries when a CPU profile ran while tracing
// (runtime/pprof.StartCPUProfile beside runtime/trace.Start; 100 Hz by default): counts per
// function over a window, and per-lane marks for the timeline.
//
// Windows are [t0, t1) in ns since the trace's first event. Counts follow pprof: a sample adds
// 1 to the flat count of its innermost frame's function and 1 to the cum count of every
// function on its stack (once per sample, however often it recurs).
import type { TraceModel } from './model';

export interface FunctionSampleCounts {
  samples: number;
  /** Function name → flat and cum sample counts. */
  functions: Map<string, { flat: number; cum: number }>;
}

/** Rows of the samples table [first, end) whose time is in [t0, t1). */
export function sampleRange(model: TraceModel, t0: number, t1: number): [number, number] {
  const time = model.samples.time;
  return [lowerBound(time, t0, 0, time.length), lowerBound(time, t1, 0, time.length)];
}

function lowerBound(a: Float64Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < t) lo = m + 1;
    else hi = m;
  }
  return lo;
}

export function cpuSampleCounts(
  model: TraceModel,
  t0 = 0,
  t1 = Number.POSITIVE_INFINITY,
): FunctionSampleCounts {
  const { samples, stacks, frames, strings } = model;
  const [a, b] = sampleRange(model, t0, t1);
  const functions = new Map<string, { flat: number; cum: number }>();
  const seen = new Set<string>();
  for (let i = a; i < b; i++) {
    seen.clear();
    let leaf = true;
    for (let s = samples.stack[i]; s >= 0; s = stacks.prefix[s]) {
      const name = strings[frames.func[stacks.frame[s]]] ?? '';
      let c = functions.get(name);
      if (!c) {
        c = { flat: 0, cum: 0 };
        functions.set(name, c);
      }
      if (leaf) {
        c.flat++;
        leaf = false;
      }
      if (!seen.has(name)) {
        seen.add(name);
        c.cum++;
      }
    }
  }
  return { samples: b - a, functions };
}

/**
 * Samples grouped by goroutine (or by P) in time order: those of goroutine (P) row g are rows
 * [start[g], start[g + 1]) of the samples table.
 */
export interface SamplesByGoroutine {
  start: Int32Array;
  rows: Int32Array;
}

export function samplesByGoroutine(
  model: TraceModel,
  by: 'goroutine' | 'proc' = 'goroutine',
): SamplesByGoroutine {
  const s = model.samples;
  const key = by === 'proc' ? s.proc : s.goroutine;
  const n = by === 'proc' ? model.procs.length : model.goroutines.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < s.length; i++) {
    const g = key[i];
    if (g >= 0) start[g + 1]++;
  }
  for (let g = 0; g < n; g++) start[g + 1] += start[g];
  const fill = start.slice(0, n);
  const rows = new Int32Array(start[n]);
  for (let i = 0; i < s.length; i++) {
    const g = key[i];
    if (g >= 0) rows[fill[g]++] = i;
  }
  return { start, rows };
}

/** Samples of one lane in one pixel column: lane (index into the asked goroutine rows), column, count. */
export interface SampleMarks {
  lane: Int32Array;
  px: Int32Array;
  count: Int32Array;
}

/**
 * Marks for lanes: for each goroutine (or P, with a by-P index) row in `lanes` (-1 = skip the
 * lane), the pixel columns of [t0, t1) over widthPx that hold samples of it, with their counts.
 */
export function sampleMarks(
  model: TraceModel,
  idx: SamplesByGoroutine,
  lanes: ArrayLike<number>,
  t0: number,
  t1: number,
  widthPx: number,
): SampleMarks {
  const time = model.samples.time;
  const lane: number[] = [];
  const px: number[] = [];
  const count: number[] = [];
  const scale = widthPx / (t1 - t0);
  for (let l = 0; l < lanes.length; l++) {
    const g = lanes[l];
    if (g < 0 || g + 1 >= idx.start.length) continue;
    const lo = idx.start[g];
    const hi = idx.start[g + 1];
    // Bisect to the first sample at or after t0.
    let a = lo;
    let b = hi;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (time[idx.rows[m]] < t0) a = m + 1;
      else b = m;
    }
    let lastPx = -1;
    for (let k = a; k < hi; k++) {
      const t = time[idx.rows[k]];
      if (t >= t1) break;
      const x = Math.min(widthPx - 1, Math.floor((t - t0) * scale));
      if (x === lastPx) count[count.length - 1]++;
      else {
        lane.push(l);
        px.push(x);
        count.push(1);
        lastPx = x;
      }
    }
  }
  return { lane: Int32Array.from(lane), px: Int32Array.from(px), count: Int32Array.from(count) };
}

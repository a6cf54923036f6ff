// User annotations (runtime/trace): tasks and regions as intervals, logs as points.
//
// Tasks may begin and end on different goroutines, and either end may be missing: a task
// that began before the trace starts at 0 (startedBefore), one still open ends at the trace's
// last event (open). Regions nest per goroutine; one still open ends when its goroutine exits
// or the trace ends.
import { timeAt, type TraceModel } from './model';
import { GoNotExist } from './spec';

export interface TaskIntervals {
  length: number;
  id: Float64Array;
  /** Parent task id, -1 for none. */
  parent: Float64Array;
  /** Task type as a strings row. */
  type: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /** Goroutine rows that began and ended it (-1 when not seen). */
  beginGoroutine: Int32Array;
  endGoroutine: Int32Array;
  startedBefore: Uint8Array;
  open: Uint8Array;
}

export interface RegionIntervals {
  length: number;
  goroutine: Int32Array;
  task: Float64Array;
  /** Region type as a strings row. */
  type: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /** Nesting depth on its goroutine (0 = outermost). */
  depth: Int32Array;
  startedBefore: Uint8Array;
  open: Uint8Array;
}

export function userTasks(model: TraceModel): TaskIntervals {
  const t = model.tasks;
  const rows: Array<{
    id: number;
    parent: number;
    type: number;
    start: number;
    end: number;
    bg: number;
    eg: number;
    before: boolean;
    open: boolean;
  }> = [];
  const openTask = new Map<number, number>();
  for (let i = 0; i < t.length; i++) {
    const id = t.id[i];
    if (t.kind[i] === 0) {
      openTask.set(id, rows.length);
      rows.push({
        id,
        parent: t.parent[i],
        type: t.type[i],
        start: t.time[i],
        end: model.durationNs,
        bg: t.goroutine[i],
        eg: -1,
        before: false,
        open: true,
      });
    } else {
      const r = openTask.get(id);
      if (r !== undefined) {
        rows[r].end = t.time[i];
        rows[r].eg = t.goroutine[i];
        rows[r].open = false;
        openTask.delete(id);
      } else {
        rows.push({
          id,
          parent: t.parent[i],
          type: t.type[i],
          start: 0,
          end: t.time[i],
          bg: -1,
          eg: t.goroutine[i],
          before: true,
          open: false,
        });
      }
    }
  }
  rows.sort((a, b) => a.start - b.start);
  return {
    length: rows.length,
    id: Float64Array.from(rows, (r) => r.id),
    parent: Float64Array.from(rows, (r) => r.parent),
    type: Int32Array.from(rows, (r) => r.type),
    start: Float64Array.from(rows, (r) => r.start),
    end: Float64Array.from(rows, (r) => r.end),
    beginGoroutine: Int32Array.from(rows, (r) => r.bg),
    endGoroutine: Int32Array.from(rows, (r) => r.eg),
    startedBefore: Uint8Array.from(rows, (r) => (r.before ? 1 : 0)),
    open: Uint8Array.from(rows, (r) => (r.open ? 1 : 0)),
  };
}

export function userRegions(model: TraceModel): RegionIntervals {
  const re = model.regions;
  const tr = model.transitions;
  // When each goroutine exited, to end its open regions.
  const exit = new Float64Array(model.goroutines.length).fill(model.durationNs);
  for (let i = 0; i < tr.length; i++)
    if ((tr.states[i] & 15) === GoNotExist) exit[tr.goroutine[i]] = timeAt(tr.time, i);
  const rows: Array<{
    g: number;
    task: number;
    type: number;
    start: number;
    end: number;
    depth: number;
    before: boolean;
    open: boolean;
  }> = [];
  const stacks = new Map<number, number[]>();
  for (let i = 0; i < re.length; i++) {
    const g = re.goroutine[i];
    let st = stacks.get(g);
    if (st === undefined) {
      st = [];
      stacks.set(g, st);
    }
    if (re.kind[i] === 0) {
      st.push(rows.length);
      rows.push({
        g,
        task: re.task[i],
        type: re.type[i],
        start: re.time[i],
        end: exit[g],
        depth: st.length - 1,
        before: false,
        open: true,
      });
    } else if (st.length > 0) {
      const r = rows[st.pop()!];
      r.end = re.time[i];
      r.open = false;
    } else {
      // The region began before the trace.
      rows.push({
        g,
        task: re.task[i],
        type: re.type[i],
        start: 0,
        end: re.time[i],
        depth: 0,
        before: true,
        open: false,
      });
    }
  }
  rows.sort((a, b) => a.start - b.start || a.depth - b.depth);
  return {
    length: rows.length,
    goroutine: Int32Array.from(rows, (r) => r.g),
    task: Float64Array.from(rows, (r) => r.task),
    type: Int32Array.from(rows, (r) => r.type),
    start: Float64Array.from(rows, (r) => r.start),
    end: Float64Array.from(rows, (r) => r.end),
    depth: Int32Array.from(rows, (r) => r.depth),
    startedBefore: Uint8Array.from(rows, (r) => (r.before ? 1 : 0)),
    open: Uint8Array.from(rows, (r) => (r.open ? 1 : 0)),
  };
}

/**
 * go tool trace's duration histogram (traceviewer.TimeHistogram): five buckets per power of
 * ten, bucket b holding durations d with floor(ln d / ln 10^(1/5)) = b (0 for d <= 0).
 */
export interface TimeHistogram {
  /** First and last non-empty bucket; counts[k] is bucket minBucket + k. */
  minBucket: number;
  maxBucket: number;
  counts: number[];
}

const LOG_DIV = Math.log(Math.pow(10, 1 / 5));

export function timeHistogramBucket(d: number): number {
  return d > 0 ? Math.floor(Math.log(d) / LOG_DIV) : 0;
}

/** Lower bound of a TimeHistogram bucket, ns (Go's BucketMin, truncated to whole ns). */
export function timeHistogramBucketMin(b: number): number {
  return Math.trunc(Math.exp(b * LOG_DIV));
}

export function timeHistogram(durations: ArrayLike<number>): TimeHistogram {
  if (durations.length === 0) return { minBucket: 0, maxBucket: 0, counts: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < durations.length; i++) {
    const b = timeHistogramBucket(durations[i]);
    lo = Math.min(lo, b);
    hi = Math.max(hi, b);
  }
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (let i = 0; i < durations.length; i++) counts[timeHistogramBucket(durations[i]) - lo]++;
  return { minBucket: lo, maxBucket: hi, counts };
}

/** Nearest-rank q-quantile (0..1) of ascending values; 0 when there are none. */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const k = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[k - 1];
}

export interface DurationStats {
  /** All of the type (tasks: complete or not; regions: every region). */
  count: number;
  /** Those with both ends inside the trace: the durations below are theirs. */
  complete: number;
  totalNs: number;
  p50: number;
  p90: number;
  p99: number;
  maxNs: number;
  histogram: TimeHistogram;
}

export interface AnnotationType {
  /** The type as the program named it ('' for tasks only known by id). */
  type: string;
  stats: DurationStats;
  /** Complete durations, ascending. */
  durations: Float64Array;
}

function statsOf(count: number, ds: number[]): { stats: DurationStats; durations: Float64Array } {
  const sorted = Float64Array.from(ds).sort();
  let total = 0;
  for (const d of ds) total += d;
  return {
    durations: sorted,
    stats: {
      count,
      complete: ds.length,
      totalNs: total,
      p50: nearestRank(sorted, 0.5),
      p90: nearestRank(sorted, 0.9),
      p99: nearestRank(sorted, 0.99),
      maxNs: sorted.length ? sorted[sorted.length - 1] : 0,
      histogram: timeHistogram(sorted),
    },
  };
}

/**
 * Tasks by type, as go tool trace's user-defined tasks page counts them (internal/trace's
 * Summarizer): a task exists once a begin, an end, a region or a log names its id (a parent
 * too); its type comes from its begin or end ('' when neither is in the trace). The durations
 * are those of tasks with both a begin and an end. Sorted by type.
 */
export function taskTypes(model: TraceModel): AnnotationType[] {
  const t = model.tasks;
  const known = new Map<number, { type: number; start: number; end: number }>();
  const get = (id: number) => {
    let k = known.get(id);
    if (k === undefined) {
      k = { type: 0, start: NaN, end: NaN };
      known.set(id, k);
    }
    return k;
  };
  for (let i = 0; i < t.length; i++) {
    const k = get(t.id[i]);
    k.type = t.type[i];
    if (t.kind[i] === 0) k.start = t.time[i];
    else k.end = t.time[i];
    if (t.parent[i] >= 0) get(t.parent[i]);
  }
  for (let i = 0; i < model.regions.length; i++) get(model.regions.task[i]);
  for (let i = 0; i < model.logs.length; i++) get(model.logs.task[i]);
  const byType = new Map<string, { count: number; ds: number[] }>();
  for (const k of known.values()) {
    const name = model.strings[k.type] ?? '';
    let e = byType.get(name);
    if (e === undefined) {
      e = { count: 0, ds: [] };
      byType.set(name, e);
    }
    e.count++;
    if (!Number.isNaN(k.start) && !Number.isNaN(k.end)) e.ds.push(k.end - k.start);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, e]) => ({ type, ...statsOf(e.count, e.ds) }));
}

/**
 * Regions by type: every region (userRegions) counts; the durations are those of regions
 * whose begin and end are both in the trace (begun before it or still open are left out).
 */
export function regionTypes(model: TraceModel, regions = userRegions(model)): AnnotationType[] {
  const byType = new Map<string, { count: number; ds: number[] }>();
  for (let i = 0; i < regions.length; i++) {
    const name = model.strings[regions.type[i]] ?? '';
    let e = byType.get(name);
    if (e === undefined) {
      e = { count: 0, ds: [] };
      byType.set(name, e);
    }
    e.count++;
    if (!regions.startedBefore[i] && !regions.open[i]) e.ds.push(regions.end[i] - regions.start[i]);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, e]) => ({ type, ...statsOf(e.count, e.ds) }));
}

/**
 * A task's goroutines (rows, ascending) and its window: the goroutines that began or ended
 * it, ran its regions or logged in it (go tool trace's task goroutines); the window spans its
 * begin to its end, or to its first and last event when an end is missing.
 */
export function taskExtent(
  model: TraceModel,
  id: number,
): { goroutines: Int32Array; start: number; end: number } | null {
  const gs = new Set<number>();
  let start = Infinity;
  let end = -Infinity;
  let begun = NaN;
  let ended = NaN;
  const see = (g: number, time: number) => {
    if (g >= 0) gs.add(g);
    start = Math.min(start, time);
    end = Math.max(end, time);
  };
  const t = model.tasks;
  for (let i = 0; i < t.length; i++) {
    if (t.id[i] !== id) continue;
    see(t.goroutine[i], t.time[i]);
    if (t.kind[i] === 0) begun = t.time[i];
    else ended = t.time[i];
  }
  const re = model.regions;
  for (let i = 0; i < re.length; i++) if (re.task[i] === id) see(re.goroutine[i], re.time[i]);
  const lo = model.logs;
  for (let i = 0; i < lo.length; i++) if (lo.task[i] === id) see(lo.goroutine[i], lo.time[i]);
  if (start === Infinity) return null;
  return {
    goroutines: Int32Array.from(gs).sort(),
    start: Number.isNaN(begun) ? start : begun,
    end: Number.isNaN(ended) ? end : ended,
  };
}

export interface LogMatch {
  time: number;
  goroutine: number;
  task: number;
  category: string;
  message: string;
}

/**
 * Log messages (runtime/trace.Log) whose category or message contains `text`
 * (case-insensitive; '' matches all), in time order, at most `limit`; `total` counts all
 * matches.
 */
export function searchLogs(
  model: TraceModel,
  text: string,
  limit: number,
): { total: number; rows: LogMatch[] } {
  const lo = model.logs;
  const needle = text.trim().toLowerCase();
  const hit = new Map<number, boolean>();
  const matches = (s: number): boolean => {
    let h = hit.get(s);
    if (h === undefined) {
      h = (model.strings[s] ?? '').toLowerCase().includes(needle);
      hit.set(s, h);
    }
    return h;
  };
  const rows: LogMatch[] = [];
  let total = 0;
  for (let i = 0; i < lo.length; i++) {
    if (needle && !matches(lo.message[i]) && !matches(lo.category[i])) continue;
    total++;
    if (rows.length < limit)
      rows.push({
        time: lo.time[i],
        goroutine: lo.goroutine[i],
        task: lo.task[i],
        category: model.strings[lo.category[i]] ?? '',
        message: model.strings[lo.message[i]] ?? '',
      });
  }
  return { total, rows };
}

/** Tasks of one type (ids with their begin and end, complete ones by duration, longest first). */
export function tasksOfType(
  model: TraceModel,
  type: string,
  tasks = userTasks(model),
): { id: number; start: number; end: number; complete: boolean }[] {
  const out: { id: number; start: number; end: number; complete: boolean }[] = [];
  for (let i = 0; i < tasks.length; i++) {
    if ((model.strings[tasks.type[i]] ?? '') !== type) continue;
    out.push({
      id: tasks.id[i],
      start: tasks.start[i],
      end: tasks.end[i],
      complete: !tasks.startedBefore[i] && !tasks.open[i],
    });
  }
  return out.sort(
    (a, b) => Number(b.complete) - Number(a.complete) || b.end - b.start - (a.end - a.start),
  );
}

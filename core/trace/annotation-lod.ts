// User annotations on goroutine lanes: regions (by nesting depth), tasks (on the goroutines
// that began and ended them) and log messages, cut to a window and thinned to what the pixels
// can show. Per goroutine the intervals are sorted by start with a running maximum of their
// ends, so the first one reaching into the window is found by bisection.
import { userRegions, userTasks } from './annotations';
import type { TraceModel } from './model';

interface PerGoroutine {
  /** Entries of goroutine g are order[at[g] .. at[g+1]-1], by start. */
  at: Int32Array;
  order: Int32Array;
  /** Largest end among order[at[g] .. k] (intervals only). */
  maxEnd: Float64Array;
}

function perGoroutine(
  ng: number,
  goroutine: ArrayLike<number>,
  start: ArrayLike<number>,
  end: ArrayLike<number> | null,
): PerGoroutine {
  const n = goroutine.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (goroutine[i] >= 0 && goroutine[i] < ng) idx.push(i);
  idx.sort((a, b) => goroutine[a] - goroutine[b] || start[a] - start[b]);
  const at = new Int32Array(ng + 1);
  for (const i of idx) at[goroutine[i] + 1]++;
  for (let g = 0; g < ng; g++) at[g + 1] += at[g];
  const order = Int32Array.from(idx);
  const maxEnd = new Float64Array(order.length);
  for (let g = 0; g < ng; g++) {
    let m = -Infinity;
    for (let k = at[g]; k < at[g + 1]; k++) {
      const i = order[k];
      m = Math.max(m, end ? end[i] : start[i]);
      maxEnd[k] = m;
    }
  }
  return { at, order, maxEnd };
}

export interface AnnotationIndex {
  regions: ReturnType<typeof userRegions>;
  tasks: ReturnType<typeof userTasks>;
  regionsByG: PerGoroutine;
  /** Task rows per goroutine: a task appears on its begin goroutine and, if another, its end one. */
  taskG: Int32Array;
  taskRow: Int32Array;
  taskStart: Float64Array;
  taskEnd: Float64Array;
  tasksByG: PerGoroutine;
  logsByG: PerGoroutine;
}

export function buildAnnotationIndex(model: TraceModel): AnnotationIndex {
  const ng = model.goroutines.length;
  const regions = userRegions(model);
  const tasks = userTasks(model);
  const g: number[] = [];
  const row: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const b = tasks.beginGoroutine[i];
    const e = tasks.endGoroutine[i];
    if (b >= 0) {
      g.push(b);
      row.push(i);
    }
    if (e >= 0 && e !== b) {
      g.push(e);
      row.push(i);
    }
  }
  const taskG = Int32Array.from(g);
  const taskRow = Int32Array.from(row);
  const taskStart = Float64Array.from(row, (i) => tasks.start[i]);
  const taskEnd = Float64Array.from(row, (i) => tasks.end[i]);
  return {
    regions,
    tasks,
    regionsByG: perGoroutine(ng, regions.goroutine, regions.start, regions.end),
    taskG,
    taskRow,
    taskStart,
    taskEnd,
    tasksByG: perGoroutine(ng, taskG, taskStart, taskEnd),
    logsByG: perGoroutine(ng, model.logs.goroutine, model.logs.time, null),
  };
}

export const AnnotationKind = { Region: 0, Task: 1, Log: 2 } as const;

export interface AnnotationItems {
  /** Position of the goroutine in the `goroutines` list asked for. */
  lane: Int32Array;
  kind: Uint8Array;
  start: Float64Array;
  /** Equal to start for a log. */
  end: Float64Array;
  /** Region nesting depth; 0 for tasks and logs. */
  depth: Uint8Array;
  /** Region or task type as a strings row; a log's logs row; -1 for a merged run of logs. */
  label: Int32Array;
  /** Task id (tasks), task of the region or log; -1 none. */
  task: Float64Array;
  /** Entries the item stands for (>1: merged because they would overlap on screen). */
  count: Uint32Array;
}

export interface AnnotationQuery {
  t0: number;
  t1: number;
  widthPx: number;
}

/** Deepest region level drawn; deeper ones merge into it. */
export const MAX_REGION_DEPTH = 3;

/**
 * The annotations of goroutine rows `goroutines` inside [t0, t1]. Intervals that would fall
 * inside the pixel already covered at their level, and logs within 3 px of the previous one,
 * are counted into the previous item instead of drawn.
 */
export function annotationLod(
  model: TraceModel,
  ix: AnnotationIndex,
  goroutines: ArrayLike<number>,
  q: AnnotationQuery,
): AnnotationItems {
  const k = Math.max(1, q.widthPx) / Math.max(1e-9, q.t1 - q.t0);
  const out = {
    lane: [] as number[],
    kind: [] as number[],
    start: [] as number[],
    end: [] as number[],
    depth: [] as number[],
    label: [] as number[],
    task: [] as number[],
    count: [] as number[],
  };
  const push = (
    lane: number,
    kind: number,
    s: number,
    e: number,
    depth: number,
    label: number,
    task: number,
  ): void => {
    out.lane.push(lane);
    out.kind.push(kind);
    out.start.push(s);
    out.end.push(e);
    out.depth.push(depth);
    out.label.push(label);
    out.task.push(task);
    out.count.push(1);
  };
  const first = (p: PerGoroutine, g: number): number => {
    let lo = p.at[g];
    let hi = p.at[g + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (p.maxEnd[mid] < q.t0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lastPx = new Float64Array(MAX_REGION_DEPTH + 1);
  const lastItem = new Int32Array(MAX_REGION_DEPTH + 1);
  const re = ix.regions;
  const logs = model.logs;
  for (let lane = 0; lane < goroutines.length; lane++) {
    const g = goroutines[lane];
    if (g < 0 || g >= model.goroutines.length) continue;
    // Tasks.
    let last = -Infinity;
    let lastAt = -1;
    for (let p = first(ix.tasksByG, g); p < ix.tasksByG.at[g + 1]; p++) {
      const i = ix.tasksByG.order[p];
      const s = ix.taskStart[i];
      const e = ix.taskEnd[i];
      if (s > q.t1) break;
      if (e < q.t0) continue;
      const x1 = (e - q.t0) * k;
      if (x1 <= last && lastAt >= 0) {
        out.count[lastAt]++;
        out.end[lastAt] = Math.max(out.end[lastAt], e);
        continue;
      }
      const r = ix.taskRow[i];
      lastAt = out.lane.length;
      push(lane, AnnotationKind.Task, s, e, 0, ix.tasks.type[r], ix.tasks.id[r]);
      last = Math.max(Math.ceil(x1), Math.floor((s - q.t0) * k) + 1);
    }
    // Regions.
    lastPx.fill(-Infinity);
    lastItem.fill(-1);
    for (let p = first(ix.regionsByG, g); p < ix.regionsByG.at[g + 1]; p++) {
      const i = ix.regionsByG.order[p];
      const s = re.start[i];
      const e = re.end[i];
      if (s > q.t1) break;
      if (e < q.t0) continue;
      const d = Math.min(MAX_REGION_DEPTH, re.depth[i]);
      const x1 = (e - q.t0) * k;
      const li = lastItem[d];
      if (x1 <= lastPx[d] && li >= 0) {
        out.count[li]++;
        out.end[li] = Math.max(out.end[li], e);
        continue;
      }
      lastItem[d] = out.lane.length;
      push(lane, AnnotationKind.Region, s, e, d, re.type[i], re.task[i]);
      lastPx[d] = Math.max(Math.ceil(x1), Math.floor((s - q.t0) * k) + 1);
    }
    // Logs.
    let lastLog = -Infinity;
    let lastLogAt = -1;
    for (let p = first(ix.logsByG, g); p < ix.logsByG.at[g + 1]; p++) {
      const i = ix.logsByG.order[p];
      const t = logs.time[i];
      if (t > q.t1) break;
      if (t < q.t0) continue;
      const x = (t - q.t0) * k;
      if (x - lastLog < 3 && lastLogAt >= 0) {
        out.count[lastLogAt]++;
        out.label[lastLogAt] = -1;
        continue;
      }
      lastLogAt = out.lane.length;
      lastLog = x;
      push(lane, AnnotationKind.Log, t, t, 0, i, logs.task[i]);
    }
  }
  return {
    lane: Int32Array.from(out.lane),
    kind: Uint8Array.from(out.kind),
    start: Float64Array.from(out.start),
    end: Float64Array.from(out.end),
    depth: Uint8Array.from(out.depth),
    label: Int32Array.from(out.label),
    task: Float64Array.from(out.task),
    count: Uint32Array.from(out.count),
  };
}

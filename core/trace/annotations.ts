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
    const id = t.id[i]!;
    if (t.kind[i] === 0) {
      openTask.set(id, rows.length);
      rows.push({
        id,
        parent: t.parent[i]!,
        type: t.type[i]!,
        start: t.time[i]!,
        end: model.durationNs,
        bg: t.goroutine[i]!,
        eg: -1,
        before: false,
        open: true,
      });
    } else {
      const r = openTask.get(id);
      if (r !== undefined) {
        rows[r]!.end = t.time[i]!;
        rows[r]!.eg = t.goroutine[i]!;
        rows[r]!.open = false;
        openTask.delete(id);
      } else {
        rows.push({
          id,
          parent: t.parent[i]!,
          type: t.type[i]!,
          start: 0,
          end: t.time[i]!,
          bg: -1,
          eg: t.goroutine[i]!,
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
    if ((tr.states[i]! & 15) === GoNotExist) exit[tr.goroutine[i]!] = timeAt(tr.time, i);
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
    const g = re.goroutine[i]!;
    let st = stacks.get(g);
    if (st === undefined) {
      st = [];
      stacks.set(g, st);
    }
    if (re.kind[i] === 0) {
      st.push(rows.length);
      rows.push({
        g,
        task: re.task[i]!,
        type: re.type[i]!,
        start: re.time[i]!,
        end: exit[g]!,
        depth: st.length - 1,
        before: false,
        open: true,
      });
    } else if (st.length > 0) {
      const r = rows[st.pop()!]!;
      r.end = re.time[i]!;
      r.open = false;
    } else {
      // The region began before the trace.
      rows.push({
        g,
        task: re.task[i]!,
        type: re.type[i]!,
        start: 0,
        end: re.time[i]!,
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

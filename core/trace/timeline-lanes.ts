// The timeline's lane list: the P lanes, then one lane per goroutine that has state changes,
// by goroutine id, optionally narrowed to goroutines whose start function or id matches.
import { taskExtent } from './annotations';
import type { TimelineIndex } from './lanes';
import type { TraceModel } from './model';

export const LaneKind = { Proc: 0, Goroutine: 1 } as const;
export type LaneKind = (typeof LaneKind)[keyof typeof LaneKind];

export interface LaneList {
  length: number;
  kind: Uint8Array;
  /** Row of model.procs or model.goroutines. */
  row: Int32Array;
  procLanes: number;
  goroutineLanes: number;
  /** Goroutine lanes before any filter. */
  allGoroutineLanes: number;
}

/** Goroutine rows with at least one state change, by goroutine id. */
export function goroutineRowsById(model: TraceModel, index: TimelineIndex): Int32Array {
  const rows: number[] = [];
  for (let g = 0; g < model.goroutines.length; g++) {
    if (index.start[g + 1] > index.start[g]) rows.push(g);
  }
  const id = model.goroutines.id;
  return Int32Array.from(rows).sort((a, b) => id[a] - id[b]);
}

/**
 * Which goroutines a filter keeps: "" keeps all; "123" or "g123" a goroutine id (besides names
 * containing it); "task 7" the goroutines of user task 7 (taskExtent); anything else, start
 * functions containing the text (case-insensitive).
 */
export function goroutineMatcher(
  model: TraceModel,
  filter: string,
): ((g: number) => boolean) | null {
  const f = filter.trim();
  if (f === '') return null;
  const taskMatch = /^task[ :]\s*(\d+)$/i.exec(f);
  if (taskMatch) {
    const gs = new Set(taskExtent(model, Number(taskMatch[1]))?.goroutines ?? []);
    return (g) => gs.has(g);
  }
  const idMatch = /^[gG]?(\d+)$/.exec(f);
  const id = idMatch ? Number(idMatch[1]) : NaN;
  const needle = f.toLowerCase();
  // Decide once per start function string, not once per goroutine.
  const byName = new Map<number, boolean>();
  const names = model.goroutines.name;
  return (g) => {
    if (model.goroutines.id[g] === id) return true;
    const n = names[g];
    let ok = byName.get(n);
    if (ok === undefined) {
      ok = (model.strings[n] ?? '').toLowerCase().includes(needle);
      byName.set(n, ok);
    }
    return ok;
  };
}

export function buildLaneList(model: TraceModel, byId: Int32Array, filter: string): LaneList {
  const match = goroutineMatcher(model, filter);
  const np = model.procs.length;
  const procOrder = Array.from({ length: np }, (_, p) => p).sort(
    (a, b) => model.procs.id[a] - model.procs.id[b],
  );
  const gs = match ? byId.filter((g) => match(g)) : byId;
  const length = np + gs.length;
  const kind = new Uint8Array(length);
  const row = new Int32Array(length);
  procOrder.forEach((p, i) => {
    kind[i] = LaneKind.Proc;
    row[i] = p;
  });
  kind.fill(LaneKind.Goroutine, np);
  row.set(gs, np);
  return {
    length,
    kind,
    row,
    procLanes: np,
    goroutineLanes: gs.length,
    allGoroutineLanes: byId.length,
  };
}

/** Lane index of goroutine row g, or -1 when the list leaves it out. */
export function laneOfGoroutine(lanes: LaneList, model: TraceModel, g: number): number {
  // Goroutine lanes are sorted by id: binary search.
  const id = model.goroutines.id;
  const want = id[g];
  let a = lanes.procLanes;
  let b = lanes.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (id[lanes.row[mid]] < want) a = mid + 1;
    else b = mid;
  }
  return a < lanes.length && lanes.row[a] === g ? a : -1;
}

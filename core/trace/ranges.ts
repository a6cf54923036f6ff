// GC mark phases, stop-the-world pauses, sweeps and mark assists as intervals.
//
// A range reported active at the trace's start (its begin came before tracing) starts at 0;
// one still open at the end ends at the trace's last event.
import { RangeKind, RangeType, type TraceModel } from './model';

export interface Intervals {
  length: number;
  start: Float64Array;
  end: Float64Array;
  /** Goroutine row (STW, mark assist), P row (sweep), -1 (GC mark phase). */
  scope: Int32Array;
  /** STW kind as a strings row ("GC mark termination", ...); 0 for other ranges. */
  name: Int32Array;
  /** 1 when the range began before the trace (reported active), 0 otherwise. */
  startedBefore: Uint8Array;
  /** 1 when the range had not ended by the end of the trace. */
  open: Uint8Array;
}

/** The intervals of one range type, sorted by start. */
export function rangeIntervals(model: TraceModel, type: RangeType): Intervals {
  const r = model.ranges;
  const starts: number[] = [];
  const ends: number[] = [];
  const scopes: number[] = [];
  const names: number[] = [];
  const before: number[] = [];
  const open: number[] = [];
  const add = (s: number, e: number, scope: number, name: number, b: boolean, o: boolean): void => {
    starts.push(s);
    ends.push(e);
    scopes.push(scope);
    names.push(name);
    before.push(b ? 1 : 0);
    open.push(o ? 1 : 0);
  };
  const pending = new Map<
    string,
    { start: number; scope: number; name: number; before: boolean }
  >();
  for (let i = 0; i < r.length; i++) {
    if (r.type[i] !== type) continue;
    // A goroutine's STW ranges of different kinds may overlap; other ranges are unique per scope.
    const key = type === RangeType.StopTheWorld ? `${r.scope[i]}|${r.name[i]}` : `${r.scope[i]}`;
    const kind = r.kind[i];
    if (kind === RangeKind.Begin) {
      pending.set(key, { start: r.time[i], scope: r.scope[i], name: r.name[i], before: false });
    } else if (kind === RangeKind.Active) {
      // Active events restate a range at each generation start; only the first one matters.
      if (!pending.has(key))
        pending.set(key, { start: 0, scope: r.scope[i], name: r.name[i], before: true });
    } else {
      const p = pending.get(key);
      if (p === undefined) continue;
      add(p.start, r.time[i], p.scope, p.name, p.before, false);
      pending.delete(key);
    }
  }
  for (const p of pending.values()) add(p.start, model.durationNs, p.scope, p.name, p.before, true);
  const idx = starts.map((_, i) => i).sort((a, b) => starts[a] - starts[b]);
  return {
    length: idx.length,
    start: Float64Array.from(idx, (i) => starts[i]),
    end: Float64Array.from(idx, (i) => ends[i]),
    scope: Int32Array.from(idx, (i) => scopes[i]),
    name: Int32Array.from(idx, (i) => names[i]),
    startedBefore: Uint8Array.from(idx, (i) => before[i]),
    open: Uint8Array.from(idx, (i) => open[i]),
  };
}

export function gcPhases(model: TraceModel): Intervals {
  return rangeIntervals(model, RangeType.GCMark);
}

export function stopTheWorlds(model: TraceModel): Intervals {
  return rangeIntervals(model, RangeType.StopTheWorld);
}

/** "stop-the-world (<kind>)", the name Go's reader gives an STW range. */
export function stwName(model: TraceModel, intervals: Intervals, i: number): string {
  return `stop-the-world (${model.strings[intervals.name[i]] ?? ''})`;
}

// Helpers shared by the goroutine tests: per-stack counts comparable across sources, and a
// canonical text of each record for prefix checks.
import {
  stackFrames,
  frameLabel,
  recordLabels,
  type GoroutineDump,
} from '../../../core/goroutines/dump';
import type { GoroutineGroups } from '../../../core/goroutines/groups';

/** Frames (leaf first) that every source shows for a stack: debug=2 prints 50 inner frames. */
export const COMPARE_DEPTH = 50;

/** A goroutine that is writing the dump: its stack differs from one format to the next. */
export function isWriter(funcKey: string): boolean {
  return funcKey.includes('runtime/pprof.(*Profile).WriteTo');
}

/**
 * Goroutine counts per stack key (first COMPARE_DEPTH traceback-visible frames with lines),
 * leaving out the writer, plus how many writer goroutines there were.
 */
export function countsByStack(g: GoroutineGroups): {
  counts: Map<string, number>;
  writers: number;
} {
  const counts = new Map<string, number>();
  let writers = 0;
  for (const group of g.groups) {
    if (isWriter(group.funcKey)) {
      writers += group.count;
      continue;
    }
    const key = group.key.split('\n').slice(0, COMPARE_DEPTH).join('\n');
    counts.set(key, (counts.get(key) ?? 0) + group.count);
  }
  return { counts, writers };
}

export function sortedEntries(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Everything a record says except its frames. */
export function recordHead(d: GoroutineDump, i: number): string {
  const r = d.records;
  const creator = r.createdBy[i] >= 0 ? frameLabel(d, r.createdBy[i]) : '-';
  return [
    r.id[i],
    d.strings[r.state[i]],
    r.waitMinutes[i],
    r.flags[i],
    r.count[i],
    JSON.stringify(recordLabels(d, i)),
    creator,
    r.creatorId[i],
  ].join('|');
}

export function recordFrames(d: GoroutineDump, i: number): string[] {
  return stackFrames(d, d.records.stack[i]).map((f) => frameLabel(d, f));
}

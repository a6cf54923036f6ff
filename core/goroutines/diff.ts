// Goroutine diff across two or more snapshots of one target: groups matched by stack, how each
// changed (new, vanished, grew, shrank), how many wait long, per-state totals, and a leak
// suspicion when the same group grows from every snapshot to the next.

import type { GoroutineGroups, StateCount } from './groups';
import { stateCategory, type StateCategory } from './states';

export interface GoroutineDiffOptions {
  /**
   * 'functions' (default) matches stacks by function names only, so a line shift between two
   * builds does not turn one group into a vanished one and a new one; 'lines' also needs
   * equal line numbers.
   */
  match: 'functions' | 'lines';
  /** A goroutine waiting at least this long (debug=2 only) counts as long-waiting. */
  longWaitMinutes: number;
  /** Growth from first to last snapshot a group needs, beyond growing every time, to be a leak suspect. */
  minGrowth: number;
  /**
   * Leaf-most frames compared. 50 by default: debug=2 text prints only the innermost 50 frames
   * of a deeper stack (and the outermost 50), the proto profile and debug=1 the innermost 128.
   */
  maxDepth: number;
}

export const DEFAULT_GOROUTINE_DIFF_OPTIONS: GoroutineDiffOptions = {
  match: 'functions',
  longWaitMinutes: 10,
  minGrowth: 5,
  maxDepth: 50,
};

export type GroupChange = 'new' | 'vanished' | 'grew' | 'shrank' | 'same';

export interface GroupDiffRow {
  key: string;
  title: string;
  /** Per snapshot, the ids of the matching groups (several when lines differ under 'functions'). */
  groups: number[][];
  /** Per snapshot, goroutines in the matching groups. */
  counts: number[];
  /** Last minus first. */
  delta: number;
  change: GroupChange;
  /** Per snapshot, goroutines waiting ≥ longWaitMinutes; null where the snapshot has no wait times. */
  longWaiting: (number | null)[];
  /** Per snapshot, the states of the matching goroutines. */
  states: StateCount[][];
  /** The count went up from every snapshot to the next. */
  growsEveryTime: boolean;
  leakSuspect: boolean;
  /** Why it is a suspect or what changed, in words; '' for unchanged rows. */
  reason: string;
}

export interface StateDiffRow {
  state: string;
  category: StateCategory;
  counts: number[];
}

export interface GoroutineDiff {
  snapshots: number;
  totals: number[];
  /** Largest |delta| first, then largest last count. */
  rows: GroupDiffRow[];
  byState: StateDiffRow[];
  /** The rows flagged as leak suspects, largest growth first. */
  suspects: GroupDiffRow[];
}

function changeOf(first: number, last: number): GroupChange {
  if (first === 0 && last > 0) return 'new';
  if (first > 0 && last === 0) return 'vanished';
  if (last > first) return 'grew';
  if (last < first) return 'shrank';
  return 'same';
}

function mergeStates(into: Map<string, StateCount>, states: StateCount[]): void {
  for (const s of states) {
    const e = into.get(s.state);
    if (e) e.count += s.count;
    else into.set(s.state, { ...s });
  }
}

function describe(row: GroupDiffRow, n: number, o: GoroutineDiffOptions): string {
  const path = row.counts.join(' → ');
  const sign = row.delta > 0 ? `+${row.delta}` : String(row.delta);
  let text = `${row.title}: ${path} goroutines (${sign})`;
  if (row.leakSuspect) {
    text += n > 2 ? `, growing in each of ${n} snapshots` : ', growing between the two snapshots';
  } else if (row.change === 'new') text += ', a new group';
  else if (row.change === 'vanished') text += ', gone';
  const lw = row.longWaiting;
  const a = lw[0];
  const b = lw[lw.length - 1];
  if (b !== null && b > 0) {
    const more = a !== null && b - a > 0 ? `, ${b - a} more than before` : '';
    text += `; ${b} parked ≥ ${o.longWaitMinutes} minutes${more}`;
  }
  return text;
}

/** Compares grouped snapshots, oldest first (at least two). */
export function diffGoroutines(
  snapshots: readonly GoroutineGroups[],
  options: Partial<GoroutineDiffOptions> = {},
): GoroutineDiff {
  const o: GoroutineDiffOptions = { ...DEFAULT_GOROUTINE_DIFF_OPTIONS, ...options };
  const n = snapshots.length;
  if (n < 2) throw new RangeError('a goroutine diff needs at least two snapshots');

  const rows = new Map<string, GroupDiffRow & { stateMaps: Map<string, StateCount>[] }>();
  snapshots.forEach((snap, si) => {
    const r = snap.dump.records;
    for (const g of snap.groups) {
      const full = o.match === 'lines' ? g.key : g.funcKey;
      const key = full.split('\n', o.maxDepth).join('\n');
      let row = rows.get(key);
      if (!row) {
        row = {
          key,
          title: g.title,
          groups: snapshots.map(() => []),
          counts: new Array<number>(n).fill(0),
          delta: 0,
          change: 'same',
          longWaiting: snapshots.map((s) => (s.dump.format === 'debug2' ? 0 : null)),
          states: [],
          growsEveryTime: false,
          leakSuspect: false,
          reason: '',
          stateMaps: snapshots.map(() => new Map<string, StateCount>()),
        };
        rows.set(key, row);
      }
      row.groups[si].push(g.id);
      row.counts[si] += g.count;
      mergeStates(row.stateMaps[si], g.states);
      if (g.wait) {
        let long = 0;
        for (const i of g.records) if (r.waitMinutes[i] >= o.longWaitMinutes) long += r.count[i];
        row.longWaiting[si] = (row.longWaiting[si] ?? 0) + long;
      }
    }
  });

  const out: GroupDiffRow[] = [];
  for (const { stateMaps, ...row } of rows.values()) {
    row.states = stateMaps.map((m) => [...m.values()].sort((a, b) => b.count - a.count));
    row.delta = row.counts[n - 1] - row.counts[0];
    row.change = changeOf(row.counts[0], row.counts[n - 1]);
    row.growsEveryTime = row.counts.every((c, i) => i === 0 || c > row.counts[i - 1]);
    row.leakSuspect = row.growsEveryTime && row.delta >= o.minGrowth;
    row.reason = row.change === 'same' && !row.leakSuspect ? '' : describe(row, n, o);
    out.push(row);
  }
  out.sort(
    (a, b) =>
      Math.abs(b.delta) - Math.abs(a.delta) ||
      b.counts[n - 1] - a.counts[n - 1] ||
      (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
  );

  const stateRows = new Map<string, StateDiffRow>();
  snapshots.forEach((snap, si) => {
    for (const g of snap.groups) {
      for (const s of g.states) {
        let row = stateRows.get(s.state);
        if (!row) {
          row = {
            state: s.state,
            category: stateCategory(s.state),
            counts: new Array<number>(n).fill(0),
          };
          stateRows.set(s.state, row);
        }
        row.counts[si] += s.count;
      }
    }
  });

  return {
    snapshots: n,
    totals: snapshots.map((s) => s.total),
    rows: out,
    byState: [...stateRows.values()].sort((a, b) => b.counts[n - 1] - a.counts[n - 1]),
    suspects: out.filter((r) => r.leakSuspect).sort((a, b) => b.delta - a.delta),
  };
}

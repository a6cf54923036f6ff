// Sort and page rows kept in a Worker: the top table, the diff table and the goroutine groups
// keep their rows once and answer windows of a sorted, filtered order; the contention and joint
// tables sort by sortOrder's rule. Pure functions of arrays: the UI asks for a window and shows
// it; it never sorts.
import type { DiffTable } from '../pprof/diff';

/** The rows of `go tool pprof -top`, in its order: name, flat and cum per row. */
export interface TopRows {
  /** Base of the percentages. */
  total: number;
  names: string[];
  flat: Float64Array;
  cum: Float64Array;
}

export type SortDir = 'asc' | 'desc';

// The general rule (sortOrder): numbers sort largest first when descending, text A to Z when
// ascending; the sort is stable over the rows' own order, and the other direction is that
// order reversed (ties included), which is what a reversed column should show.

/** A column to sort by: numbers (NaN sorts as the smallest) or text. */
export type SortKey =
  { kind: 'number'; values: ArrayLike<number> } | { kind: 'text'; values: ArrayLike<string> };

/**
 * The positions of the rows in display order. `keep` leaves rows out (a filter); the rows'
 * own order breaks ties.
 */
export function sortOrder(key: SortKey, dir: SortDir, keep?: (i: number) => boolean): Int32Array {
  const n = key.values.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!keep || keep(i)) idx.push(i);
  if (key.kind === 'text') {
    const v = key.values;
    idx.sort((a, b) => (v[a] < v[b] ? -1 : v[a] > v[b] ? 1 : a - b));
    if (dir === 'desc') idx.reverse();
  } else {
    const v = key.values;
    const at = (i: number): number => (Number.isNaN(v[i]) ? -Infinity : v[i]);
    idx.sort((a, b) => {
      const x = at(a);
      const y = at(b);
      return y > x ? 1 : y < x ? -1 : a - b;
    });
    if (dir === 'asc') idx.reverse();
  }
  return Int32Array.from(idx);
}

/** `rows` in the order of sortOrder by `key(row)`. */
export function sortRowsBy<T>(
  rows: readonly T[],
  kind: 'number' | 'text',
  key: (row: T) => number | string,
  dir: SortDir,
): T[] {
  const values = rows.map(key);
  const order =
    kind === 'text'
      ? sortOrder({ kind, values: values.map(String) }, dir)
      : sortOrder({ kind, values: values.map(Number) }, dir);
  return Array.from(order, (i) => rows[i]);
}

/** A window [from, to) of `rowCount` rows at `offset`, `limit` long, clamped to the rows. */
export function pageOf(
  rowCount: number,
  offset: number,
  limit: number,
): { from: number; to: number } {
  const from = Math.max(0, Math.min(Math.floor(offset) || 0, rowCount));
  return { from, to: Math.min(rowCount, from + Math.max(0, Math.floor(limit) || 0)) };
}

/**
 * Sort orders of one set of rows by key (column, direction, filter), computed once and kept:
 * paging through a sorted table costs a lookup. Beyond `max` orders, all are dropped.
 */
export class OrderCache {
  private readonly orders = new Map<string, Int32Array>();
  constructor(private readonly max = 16) {}

  get(key: string, make: () => Int32Array): Int32Array {
    let order = this.orders.get(key);
    if (!order) {
      order = make();
      if (this.orders.size >= this.max) this.orders.clear();
      this.orders.set(key, order);
    }
    return order;
  }
}

/**
 * Row order for the top table. The engine gives rows in `go tool pprof -top` order; sorting
 * by a column is stable over it, so ties keep pprof's order and sum% matches pprof's.
 */
export function sortTopRows(
  rows: TopRows,
  col: 'flat' | 'cum' | 'name',
  dir: SortDir,
  re: RegExp | null,
): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < rows.names.length; i++) if (!re || re.test(rows.names[i])) idx.push(i);
  const { flat, cum, names } = rows;
  let cmp: (a: number, b: number) => number;
  if (col === 'flat') cmp = (a, b) => Math.abs(flat[b]) - Math.abs(flat[a]) || a - b;
  else if (col === 'cum') cmp = (a, b) => Math.abs(cum[b]) - Math.abs(cum[a]) || a - b;
  else cmp = (a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : a - b);
  idx.sort(cmp);
  // cmp gives numbers largest first (desc) and names A to Z (asc); reversing a stable order
  // also reverses its ties, which is what a reversed column should show.
  if ((col === 'name') === (dir === 'desc')) idx.reverse();
  return Int32Array.from(idx);
}

export type DiffTopColumn =
  | 'name'
  | 'beforeFlat'
  | 'afterFlat'
  | 'deltaFlat'
  | 'beforeCum'
  | 'afterCum'
  | 'deltaCum'
  | 'change';

/**
 * Row order of the diff top table: deltas by |value| (largest first when descending), other
 * numbers by value, names alphabetically; ties keep diffTable's order (|Δ cum|, then name).
 */
export function sortDiffRows(
  t: DiffTable,
  col: DiffTopColumn,
  dir: SortDir,
  re: RegExp | null,
): Int32Array {
  const idx: number[] = [];
  t.rows.forEach((r, i) => {
    if (!re || re.test(r.name)) idx.push(i);
  });
  const rows = t.rows;
  const key = (i: number): number => {
    const r = rows[i];
    switch (col) {
      case 'beforeFlat':
        return r.baseFlat;
      case 'afterFlat':
        return r.newFlat;
      case 'deltaFlat':
        return Math.abs(r.newFlat - r.baseFlat);
      case 'beforeCum':
        return r.baseCum;
      case 'afterCum':
        return r.newCum;
      case 'deltaCum':
        return Math.abs(r.newCum - r.baseCum);
      case 'change':
        return r.baseCum === 0
          ? r.newCum === 0
            ? 0
            : Infinity
          : (r.newCum - r.baseCum) / Math.abs(r.baseCum);
      default:
        return 0;
    }
  };
  if (col === 'name') {
    idx.sort((a, b) =>
      rows[a].name < rows[b].name ? -1 : rows[a].name > rows[b].name ? 1 : a - b,
    );
    if (dir === 'desc') idx.reverse();
  } else {
    const k = new Float64Array(rows.length);
    for (const i of idx) k[i] = key(i);
    idx.sort((a, b) => k[b] - k[a] || a - b);
    if (dir === 'asc') idx.reverse();
  }
  return Int32Array.from(idx);
}

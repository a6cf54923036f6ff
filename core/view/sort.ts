// Row order for a sortable table, computed where the rows live (a Worker), never on the UI
// thread. One rule for every table: numbers sort largest first when descending, text A to Z
// when ascending; the sort is stable over the rows' own order, and the other direction is that
// order reversed (ties included), which is what a reversed column should show.

export type SortDir = 'asc' | 'desc';

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
    idx.sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
    if (dir === 'desc') idx.reverse();
  } else {
    const v = key.values;
    const at = (i: number): number => (Number.isNaN(v[i]!) ? -Infinity : v[i]!);
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
  return Array.from(order, (i) => rows[i]!);
}

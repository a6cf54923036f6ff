// Vertical layout of the goroutine group list: rows of one height, except the few that are
// taller (a leak reason line, an expanded stack). Only those few are listed, so the position of
// any row, and the row at any scroll offset, cost a walk over them, not over every group.

/** A group row: two lines of text. */
export const ROW_H = 46;
/** The leak reason line of a suspect's row. */
export const LEAK_H = 18;

export interface TallRow {
  /** Position in the list. */
  index: number;
  /** Height beyond the normal row height, px. */
  extra: number;
}

/** Sorted by index, one entry per index (extras of the same row added up). */
export function normalizeTall(rows: TallRow[]): TallRow[] {
  const by = new Map<number, number>();
  for (const r of rows)
    if (r.index >= 0 && r.extra > 0) by.set(r.index, (by.get(r.index) ?? 0) + r.extra);
  return [...by.entries()]
    .map(([index, extra]) => ({ index, extra }))
    .sort((a, b) => a.index - b.index);
}

export function rowTop(i: number, rowH: number, tall: readonly TallRow[]): number {
  let y = i * rowH;
  for (const t of tall) {
    if (t.index >= i) break;
    y += t.extra;
  }
  return y;
}

export function rowHeight(i: number, rowH: number, tall: readonly TallRow[]): number {
  const t = tall.find((x) => x.index === i);
  return rowH + (t ? t.extra : 0);
}

export function listHeight(count: number, rowH: number, tall: readonly TallRow[]): number {
  let h = count * rowH;
  for (const t of tall) if (t.index < count) h += t.extra;
  return h;
}

/** The row under offset y (clamped to the list). */
export function rowAt(y: number, count: number, rowH: number, tall: readonly TallRow[]): number {
  if (count <= 0) return 0;
  let acc = 0;
  for (const t of tall) {
    const top = t.index * rowH + acc;
    if (y < top) break;
    if (y < top + rowH + t.extra) return Math.min(t.index, count - 1);
    acc += t.extra;
  }
  return Math.max(0, Math.min(count - 1, Math.floor((y - acc) / rowH)));
}

// The flame graph's zoom window: the value range [x0, x1] a pane shows. Every window a user
// makes (wheel zoom, pan, a click, a link) goes through these functions, which keep it inside
// the whole graph, so no pane can zoom out past the graph or pan beyond its end.

/** A range of values on a flame graph's axis (profile units of the pane's layout). */
export interface ValueWindow {
  x0: number;
  x1: number;
}

/** The narrowest window, as a share of the whole graph (floats lose frames below it). */
export const MIN_SPAN = 1e-9;

/** The whole graph of a tree whose root is worth `total` (an empty tree still has a span). */
export function fullWindow(total: number): ValueWindow {
  return { x0: 0, x1: Math.max(Math.abs(total), Number.MIN_VALUE) };
}

export function sameWindow(a: ValueWindow, b: ValueWindow): boolean {
  return a.x0 === b.x0 && a.x1 === b.x1;
}

/** Whether `w` shows less than the whole graph. */
export function isZoomed(w: ValueWindow, full: ValueWindow): boolean {
  return w.x0 > full.x0 || w.x1 < full.x1;
}

/**
 * `w` moved and shrunk into `full`: never wider than the whole graph, never narrower than
 * MIN_SPAN of it, never past either end. A window already inside is returned as it is (the
 * same numbers, so a click's window still equals its frame's extent).
 */
export function clampWindow(w: ValueWindow, full: ValueWindow): ValueWindow {
  const fullSpan = full.x1 - full.x0;
  if (!(fullSpan > 0)) return { x0: full.x0, x1: full.x1 };
  const minSpan = fullSpan * MIN_SPAN;
  const span = w.x1 - w.x0;
  if (w.x0 >= full.x0 && w.x1 <= full.x1 && span >= minSpan) return { x0: w.x0, x1: w.x1 };
  const s = span >= minSpan ? Math.min(fullSpan, span) : span > 0 ? minSpan : fullSpan;
  if (s >= fullSpan) return { x0: full.x0, x1: full.x1 };
  const x0 = Number.isFinite(w.x0) ? Math.max(full.x0, Math.min(full.x1 - s, w.x0)) : full.x0;
  return { x0, x1: x0 + s };
}

/**
 * The window after zooming by `scale` (< 1 in, > 1 out) around the point at fraction `at`
 * (0 = left edge, 1 = right edge) of `w`, which stays under the pointer; clamped to `full`.
 */
export function zoomAround(
  w: ValueWindow,
  full: ValueWindow,
  at: number,
  scale: number,
): ValueWindow {
  const f = Math.min(1, Math.max(0, at));
  const span = w.x1 - w.x0;
  const point = w.x0 + f * span;
  const next = span * scale;
  const x0 = point - f * next;
  return clampWindow({ x0, x1: x0 + next }, full);
}

/** The window moved by `by` value units, same width; clamped to `full`. */
export function panBy(w: ValueWindow, full: ValueWindow, by: number): ValueWindow {
  const span = w.x1 - w.x0;
  if (span >= full.x1 - full.x0) return clampWindow(w, full);
  return clampWindow({ x0: w.x0 + by, x1: w.x0 + by + span }, full);
}

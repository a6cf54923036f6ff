// Where things are on a flame pane's drawing area, in CSS px: the pointer's row and value
// (hit-testing then bisects that row of the LOD answer, core/pprof/flamegraph's hitTest), and
// the outline box of an item. The same whole-pixel geometry as the raster (raster.ts).

/** What maps pixels to values and rows: the window, the area, rows and scroll. */
export interface PaneView {
  x0: number;
  x1: number;
  /** Drawing area in CSS px. */
  width: number;
  height: number;
  rowH: number;
  /** Depth drawn at the top edge (bottom edge when flipped), fractional. */
  top: number;
  /** Callers view: the root at the bottom, rows growing upwards. */
  flip: boolean;
}

/**
 * The row (depth) and the value under the point (px, py) of the drawing area, or null when
 * the point is outside it.
 */
export function pointAt(
  v: PaneView,
  px: number,
  py: number,
): { depth: number; value: number } | null {
  if (!(px >= 0 && py >= 0 && px <= v.width && py <= v.height) || !(v.width > 0)) return null;
  const rowPos = (v.flip ? v.height - py : py) / v.rowH + v.top;
  return { depth: Math.floor(rowPos), value: v.x0 + (px / v.width) * (v.x1 - v.x0) };
}

/** The items a box is computed for: drawn extent and depth columns of a LOD answer. */
export interface BoxItems {
  length: number;
  x: ArrayLike<number>;
  width: ArrayLike<number>;
  depth: ArrayLike<number>;
}

/**
 * The outline box of item `i` in CSS px of the drawing area (snapped to whole pixels with a
 * 1 px gap on the right, as drawn), or null when it is out of range.
 */
export function itemBox(
  items: BoxItems,
  i: number,
  v: PaneView,
): { x: number; y: number; width: number; height: number } | null {
  if (i < 0 || i >= items.length) return null;
  const span = v.x1 - v.x0;
  if (!(span > 0)) return null;
  const k = v.width / span;
  const depth = items.depth[i];
  const y = v.flip ? v.height - (depth - v.top + 1) * v.rowH : (depth - v.top) * v.rowH;
  const l = Math.max(-1, Math.round((items.x[i] - v.x0) * k));
  const r = Math.min(v.width + 1, Math.round((items.x[i] + items.width[i] - v.x0) * k));
  return { x: l + 0.5, y: y + 0.5, width: Math.max(1, r - l - 2), height: v.rowH - 2 };
}

// The flame graph's rectangles as pixels: one scanline per row, copied down the row's height,
// then the stripes of inlined frames. No DOM: the profile Worker rasterizes its answers with
// it (so the UI thread only copies the pixels in and draws the labels), and flame-draw uses
// it on the UI thread for frames the Worker did not rasterize (the first paint, a resize,
// the comparison panes). fillRect costs about a microsecond per rect in a software-rendered
// canvas, which at tens of thousands of items is the whole frame budget; this costs about
// the same for ten or fifty thousand.
import { FLAG_INLINED, FLAG_MATCH, MERGED_COLOR } from '../../../core/pprof/flamegraph';
import { PALETTE_SIZE } from './palette';

/** Narrowest item (CSS px) that gets a label. */
export const MIN_LABEL_PX = 26;

/**
 * Theme colours as pixels (ABGR words, as a little-endian Uint32Array over RGBA bytes reads
 * them). Per bucket (palette buckets, then merged runs, then the root): plain, dimmed (not
 * matching a search), striped (inlined), dimmed and striped.
 */
export interface RasterPalette {
  background: number;
  plain: ArrayLike<number>;
  dim: ArrayLike<number>;
  striped: ArrayLike<number>;
  dimStriped: ArrayLike<number>;
}

/** The LOD items a raster is made of (a subset of the Worker's LodPayload). */
export interface RasterItems {
  length: number;
  x: Float64Array;
  width: Float64Array;
  node: Int32Array;
  color: Uint16Array;
  flags: Uint8Array;
  rowStart: Uint32Array;
  d0: number;
}

/** Where the items go: the window, the drawing area in CSS px and the device pixel ratio. */
export interface RasterView {
  x0: number;
  x1: number;
  width: number;
  height: number;
  dpr: number;
  rowH: number;
  /** Depth drawn at the top edge (bottom edge when flipped), fractional. */
  top: number;
  flip: boolean;
  /** Dim the items without FLAG_MATCH. */
  searchActive: boolean;
}

/** A palette as plain arrays, as it travels in a LOD request. */
export function paletteArrays(p: RasterPalette): {
  background: number;
  plain: number[];
  dim: number[];
  striped: number[];
  dimStriped: number[];
} {
  return {
    background: p.background,
    plain: Array.from(p.plain),
    dim: Array.from(p.dim),
    striped: Array.from(p.striped),
    dimStriped: Array.from(p.dimStriped),
  };
}

/** Device pixel size of a view's drawing area: the canvas' backing store. */
export function rasterSize(v: Pick<RasterView, 'width' | 'height' | 'dpr'>): {
  w: number;
  h: number;
} {
  return {
    w: Math.max(1, Math.round(v.width * v.dpr)),
    h: Math.max(1, Math.round(v.height * v.dpr)),
  };
}

/** Colour bucket of item i: palette index, PALETTE_SIZE for merged runs, +1 for the root. */
export function bucketOf(items: RasterItems, i: number): number {
  if (items.node[i] === 0) return PALETTE_SIZE + 1;
  const c = items.color[i];
  return c === MERGED_COLOR ? PALETTE_SIZE : c % PALETTE_SIZE;
}

/** Top edge (CSS px) of the row of `depth`. */
export function rowY(v: RasterView, depth: number): number {
  return v.flip ? v.height - (depth - v.top + 1) * v.rowH : (depth - v.top) * v.rowH;
}

/**
 * Writes the items into `px` (w x h device pixels, row-major) over the background. Returns
 * the number of rects written and, in `labels`, the items wide enough for a label in
 * visible rows (in item order), so the labelling pass need not visit every item.
 */
export function rasterRects(
  px: Uint32Array,
  w: number,
  h: number,
  items: RasterItems,
  v: RasterView,
  pal: RasterPalette,
): { rects: number; labels: Int32Array } {
  const { rowH, width, height } = v;
  const dpr = width > 0 ? w / width : 1;
  px.fill(pal.background, 0, w * h);
  const span = v.x1 - v.x0;
  if (items.length === 0 || !(span > 0)) return { rects: 0, labels: new Int32Array(0) };
  const k = width / span;
  const period = Math.max(3, Math.round(6 * dpr));
  const thick = Math.max(1, Math.round(1.5 * dpr));
  const labels: number[] = [];
  let rects = 0;
  const rows = items.rowStart.length - 1;
  for (let r = 0; r < rows; r++) {
    const from = items.rowStart[r];
    const to = items.rowStart[r + 1];
    if (from === to) continue;
    const y = rowY(v, items.d0 + r);
    if (y + rowH < 0 || y > height) continue;
    const y0 = Math.max(0, Math.round(y * dpr));
    const y1 = Math.min(h, Math.round((y + rowH - 1) * dpr));
    if (y1 <= y0) continue;
    const line = y0 * w;
    let striped = false;
    for (let i = from; i < to; i++) {
      // Whole CSS pixels with a 1 px gap on the right, as the labels and hit-testing see it.
      const l = Math.max(-1, Math.round((items.x[i] - v.x0) * k));
      const rr = Math.min(width + 1, Math.round((items.x[i] + items.width[i] - v.x0) * k));
      if (Math.min(width, rr) - Math.max(0, l) >= MIN_LABEL_PX) labels.push(i);
      const cw = rr - l > 2 ? rr - l - 1 : Math.max(1, rr - l);
      const a = Math.max(0, Math.round(l * dpr));
      const b = Math.min(w, Math.round((l + cw) * dpr));
      if (b <= a) continue;
      const c = bucketOf(items, i);
      const dim = v.searchActive && (items.flags[i] & FLAG_MATCH) === 0;
      px.fill(dim ? pal.dim[c] : pal.plain[c], line + a, line + b);
      if (items.flags[i] & FLAG_INLINED) striped = true;
      rects++;
    }
    for (let yy = y0 + 1; yy < y1; yy++) px.copyWithin(yy * w, line, line + w);
    if (!striped) continue;
    // Inlined frames: diagonal stripes over their fill (the tooltip says "inlined").
    for (let i = from; i < to; i++) {
      if ((items.flags[i] & FLAG_INLINED) === 0) continue;
      const l = Math.max(-1, Math.round((items.x[i] - v.x0) * k));
      const rr = Math.min(width + 1, Math.round((items.x[i] + items.width[i] - v.x0) * k));
      const a = Math.max(0, Math.round(l * dpr));
      const b = Math.min(w, Math.round((l + Math.max(1, rr - l - 1)) * dpr));
      const c = bucketOf(items, i);
      const colour =
        v.searchActive && (items.flags[i] & FLAG_MATCH) === 0 ? pal.dimStriped[c] : pal.striped[c];
      for (let yy = y0; yy < y1; yy++) {
        const at = yy * w;
        for (let x = a + ((period - ((a + yy) % period)) % period); x < b; x += period) {
          px.fill(colour, at + x, at + Math.min(b, x + thick));
        }
      }
    }
  }
  return { rects, labels: Int32Array.from(labels) };
}

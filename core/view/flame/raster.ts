// The flame graph's rectangles as pixels: one scanline per row, copied down the row's height,
// then the stripes of inlined frames. No DOM: the profile and compare Workers rasterize their
// answers with it (so the UI thread only copies the pixels in and draws the labels), and
// renderer/src/charts/flame-draw uses it on the UI thread for frames the Worker did not
// rasterize (the first paint, a resize). fillRect costs about a microsecond per rect in a software-rendered
// canvas, which at tens of thousands of items is the whole frame budget; this costs about
// the same for ten or fifty thousand.
import { FLAG_INLINED, FLAG_MATCH, MERGED_COLOR } from '../../pprof/flamegraph';

/** Package colour buckets of a flame theme (layoutFlame's paletteSize). */
export const PALETTE_SIZE = 24;

/** Larger drawing areas (device pixels) are rasterized by the UI itself, not by a Worker. */
export const RASTER_MAX_PIXELS = 8 << 20;

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

/**
 * The view a LOD answer is rasterized for: the drawing area in CSS px, the device pixel
 * ratio, the row height, the depth at the top edge and the direction (RasterView without the
 * window and search, which the request and the Worker supply), and the theme's pixels.
 */
export type RasterRequest = Omit<RasterView, 'x0' | 'x1' | 'searchActive'> & {
  /** Names the palette, so pixels of another palette are never reused. */
  paletteKey: string;
  palette: ReturnType<typeof paletteArrays>;
};

/** A LOD answer's items as pixels, for one view. */
export interface LodRaster {
  /** The view the pixels are for; the UI uses them only for that same view. */
  view: Omit<RasterRequest, 'palette'> & { x0: number; x1: number; searchActive: boolean };
  /** Device pixels, and their RGBA bytes (w x h x 4). */
  w: number;
  h: number;
  pixels: Uint8ClampedArray<ArrayBuffer>;
  /** Items wide enough for a label, in visible rows. */
  labels: Int32Array;
  rects: number;
}

/**
 * The items of a LOD answer for window [x0, x1] as pixels for the asked view, or null when
 * none was asked for or the area is too large to be worth sending (the UI then draws them).
 */
export function rasterLod(
  items: RasterItems,
  x0: number,
  x1: number,
  searchActive: boolean,
  r: RasterRequest | undefined,
): LodRaster | null {
  if (!r) return null;
  const { w, h } = rasterSize(r);
  if (w * h > RASTER_MAX_PIXELS) return null;
  const px = new Uint32Array(w * h);
  const { palette, ...rest } = r;
  const view = { ...rest, x0, x1, searchActive };
  const { rects, labels } = rasterRects(px, w, h, items, view, palette);
  return { view, w, h, pixels: new Uint8ClampedArray(px.buffer), labels, rects };
}

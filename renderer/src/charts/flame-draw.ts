// Draws level-of-detail flame graph items into a 2D canvas: the rects as pixels (inlined
// frames striped, non-matches dimmed during a search; rasterized by the Worker when it was
// asked for this view, else here, both by flame-raster), then outlines and labels with the
// canvas API, labels only where they fit. Nothing here allocates per item except cached
// label strings.
import { FLAG_MATCH } from '../../../core/pprof/flamegraph';
import type { PaneView } from '../../../core/view/flame/geometry';
import type { LodPayload } from '../worker/protocol';
import {
  MIN_LABEL_PX,
  rasterRects,
  type LodRaster,
  type RasterPalette,
} from '../../../core/view/flame/raster';
import type { FlameTheme } from './palette';

export const ROW_HEIGHT = 18;
export const LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const PAD = 4;

/** A frame: the pane's view (window, area, rows, scroll, direction) and what to draw in it. */
export interface DrawParams extends PaneView {
  lod: LodPayload;
  names: string[];
  searchActive: boolean;
  /** Name index whose frames get the selection outline, -1 for none. */
  selectedName: number;
  /** LOD item under the pointer, -1 for none (outlined by the chart, not drawn here). */
  hover: number;
  theme: FlameTheme;
  rootLabel: string;
}

export interface DrawStats {
  rects: number;
  labels: number;
  /** The rects came as pixels from the Worker (else they were rasterized here). */
  worker: boolean;
  /** Time spent drawing rects and labels, and in ECharts (set by FlameChart). */
  canvasMs: number;
  chartMs: number;
}

/** "github.com/a/b.(*T).M" -> "b.(*T).M": the package directory adds width, not meaning. */
export function shortName(name: string): string {
  let end = name.length;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x28 || c === 0x5b || c === 0x20) {
      end = i;
      break;
    }
  }
  const slash = name.lastIndexOf('/', end - 1);
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/**
 * Label texts and their widths for one canvas and font. Widths are sums of per-character
 * advances measured once: measureText costs tens of microseconds per new string, and a
 * zoom brings hundreds of new labels.
 */
export class LabelCache {
  private readonly short = new Map<number, string>();
  /** Advance of each printable ASCII character; other texts are measured (and kept). */
  private advance: Float64Array = new Float64Array(128);
  private readonly measured = new Map<string, number>();
  private ellipsis = 8;
  private charW = 7;

  reset(ctx: CanvasRenderingContext2D): void {
    this.measured.clear();
    ctx.font = LABEL_FONT;
    const m = fontMetrics(ctx);
    this.advance = m.advance;
    this.ellipsis = m.ellipsis;
    this.charW = m.charW;
  }

  label(names: string[], idx: number): string {
    let s = this.short.get(idx);
    if (s === undefined) {
      s = shortName(names[idx] ?? '');
      this.short.set(idx, s);
    }
    return s;
  }

  clearNames(): void {
    this.short.clear();
  }

  private width(ctx: CanvasRenderingContext2D, text: string): number {
    let w = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 32 || c > 126) {
        let m = this.measured.get(text);
        if (m === undefined) {
          m = ctx.measureText(text).width;
          if (this.measured.size > 50_000) this.measured.clear();
          this.measured.set(text, m);
        }
        return m;
      }
      w += this.advance[c];
    }
    return w;
  }

  /** The text cut to fit `avail` px with an ellipsis, or '' when not even 2 chars fit. */
  fit(ctx: CanvasRenderingContext2D, text: string, avail: number): string {
    if (avail < this.charW * 2) return '';
    // A margin for kerning, which the summed advances leave out.
    const room = avail * 0.98;
    const w = this.width(ctx, text);
    if (w <= room) return text;
    const per = w / text.length;
    let used = this.ellipsis;
    let n = 0;
    for (; n < text.length; n++) {
      const c = text.charCodeAt(n);
      const a = c >= 32 && c <= 126 ? this.advance[c] : per;
      if (used + a > room) break;
      used += a;
    }
    return n >= 2 ? `${text.slice(0, n)}…` : '';
  }
}

/** The label font's advances, measured once per page: they depend on the font alone. */
let metrics: { advance: Float64Array; ellipsis: number; charW: number } | null = null;

function fontMetrics(ctx: CanvasRenderingContext2D) {
  if (!metrics) {
    const advance = new Float64Array(128);
    for (let c = 32; c < 127; c++) advance[c] = ctx.measureText(String.fromCharCode(c)).width;
    metrics = {
      advance,
      ellipsis: ctx.measureText('…').width,
      charW: ctx.measureText('abcdefghijklmnopqrstuvwxyz.()*').width / 30,
    };
  }
  return metrics;
}

const pixelCache = new WeakMap<FlameTheme, RasterPalette>();
const paletteKeys = new WeakMap<FlameTheme, string>();
let paletteCount = 0;

/**
 * Names a theme's colours in raster requests: one key per theme object, since two themes
 * may share a name (the diff palettes are 'light' or 'dark' too).
 */
export function paletteKey(theme: FlameTheme): string {
  let k = paletteKeys.get(theme);
  if (k === undefined) {
    k = `${theme.name}#${++paletteCount}`;
    paletteKeys.set(theme, k);
  }
  return k;
}

/** [r, g, b, a] of a CSS colour, as the canvas itself parses it. */
function rgba(ctx: CanvasRenderingContext2D, css: string): [number, number, number, number] {
  ctx.fillStyle = '#000';
  ctx.fillStyle = css;
  const v = String(ctx.fillStyle);
  if (v.startsWith('#')) {
    const n = parseInt(v.slice(1, 7), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const m = /rgba?\(([^)]*)\)/.exec(v);
  const parts = m ? m[1].split(',').map(Number) : [0, 0, 0, 1];
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
}

function mix(
  under: [number, number, number, number],
  over: [number, number, number, number],
  alpha: number,
): [number, number, number, number] {
  const m = (i: number): number => Math.round(under[i] * (1 - alpha) + over[i] * alpha);
  return [m(0), m(1), m(2), 1];
}

function word(c: [number, number, number, number]): number {
  return ((255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0;
}

/** The theme's colours as pixel words (parsed by a canvas, so any CSS colour works). */
export function paletteOf(ctx: CanvasRenderingContext2D, theme: FlameTheme): RasterPalette {
  const cached = pixelCache.get(theme);
  if (cached) return cached;
  const bg = rgba(ctx, theme.background);
  const stripe = rgba(ctx, theme.inlineStripe);
  const fills = [...theme.buckets, theme.merged, theme.root];
  const n = fills.length;
  const pal = {
    background: word(bg),
    plain: new Uint32Array(n),
    dim: new Uint32Array(n),
    striped: new Uint32Array(n),
    dimStriped: new Uint32Array(n),
  };
  fills.forEach((css, b) => {
    const c = rgba(ctx, css);
    const d = mix(bg, c, theme.dimAlpha);
    pal.plain[b] = word(c);
    pal.dim[b] = word(d);
    pal.striped[b] = word(mix(c, stripe, stripe[3]));
    pal.dimStriped[b] = word(mix(d, stripe, stripe[3]));
  });
  pixelCache.set(theme, pal);
  return pal;
}

/** The canvas' pixels, kept between frames (a new ImageData only when the size changes). */
const imageCache = new WeakMap<CanvasRenderingContext2D, { img: ImageData; px: Uint32Array }>();

function imageOf(ctx: CanvasRenderingContext2D, w: number, h: number) {
  let c = imageCache.get(ctx);
  if (!c || c.img.width !== w || c.img.height !== h) {
    const img = ctx.createImageData(w, h);
    c = { img, px: new Uint32Array(img.data.buffer) };
    imageCache.set(ctx, c);
  }
  return c;
}

/** The Worker's pixels when they were made for exactly this frame's view, else null. */
function workerRaster(ctx: CanvasRenderingContext2D, p: DrawParams): LodRaster | null {
  const r = p.lod.raster;
  if (!r) return null;
  const v = r.view;
  const ok =
    r.w === ctx.canvas.width &&
    r.h === ctx.canvas.height &&
    v.x0 === p.x0 &&
    v.x1 === p.x1 &&
    v.top === p.top &&
    v.flip === p.flip &&
    v.rowH === p.rowH &&
    v.searchActive === p.searchActive &&
    v.paletteKey === paletteKey(p.theme);
  return ok ? r : null;
}

/**
 * The rects: the Worker's pixels copied in when they fit this frame, else rasterized here.
 * Returns the rect count and the items to label.
 */
function drawRects(
  ctx: CanvasRenderingContext2D,
  p: DrawParams,
): { rects: number; labels: Int32Array | null; worker: boolean } {
  const W = ctx.canvas.width;
  const H = ctx.canvas.height;
  const done = workerRaster(ctx, p);
  if (done) {
    ctx.putImageData(new ImageData(done.pixels, done.w, done.h), 0, 0);
    return { rects: done.rects, labels: done.labels, worker: true };
  }
  const { img, px } = imageOf(ctx, W, H);
  const dpr = p.width > 0 ? W / p.width : 1;
  const { rects, labels } = rasterRects(px, W, H, p.lod, { ...p, dpr }, paletteOf(ctx, p.theme));
  ctx.putImageData(img, 0, 0);
  return { rects, labels, worker: false };
}

export function drawFlame(
  ctx: CanvasRenderingContext2D,
  p: DrawParams,
  labels: LabelCache,
): DrawStats {
  const { lod, theme, rowH, width, height } = p;
  ctx.globalAlpha = 1;
  const span = p.x1 - p.x0;
  if (lod.length === 0 || !(span > 0)) {
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, height);
    return { rects: 0, labels: 0, worker: false, canvasMs: 0, chartMs: 0 };
  }
  const k = width / span;

  // Geometry of item i in CSS px, snapped to whole pixels with a 1 px gap on the right.
  const yOf = (depth: number): number =>
    p.flip ? height - (depth - p.top + 1) * rowH : (depth - p.top) * rowH;
  const left = (i: number): number => Math.max(-1, Math.round((lod.x[i] - p.x0) * k));
  const right = (i: number): number =>
    Math.min(width + 1, Math.round((lod.x[i] + lod.width[i] - p.x0) * k));

  const drawn = drawRects(ctx, p);

  // Outlines: search matches, the selected function (the hovered one: the chart).
  ctx.globalAlpha = 1;
  ctx.lineWidth = 1;
  const outline = (i: number, colour: string): void => {
    const y = yOf(lod.depth[i]);
    const l = left(i);
    const r = right(i);
    ctx.strokeStyle = colour;
    ctx.strokeRect(l + 0.5, y + 0.5, Math.max(1, r - l - 2), rowH - 2);
  };
  if (p.searchActive) {
    ctx.fillStyle = theme.matchStroke;
    for (let i = 0; i < lod.length; i++) {
      if ((lod.flags[i] & FLAG_MATCH) === 0) continue;
      if (right(i) - left(i) >= 3) outline(i, theme.matchStroke);
      // Too narrow for an outline (a split merged run's matches): a bar in the match colour.
      else ctx.fillRect(left(i), yOf(lod.depth[i]) + 1, 1, rowH - 3);
    }
  }
  if (p.selectedName >= 0) {
    for (let i = 0; i < lod.length; i++)
      if (lod.name[i] === p.selectedName) outline(i, theme.selectStroke);
  }

  // Labels in one pass with one font.
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = theme.text;
  let nLabels = 0;
  const wide = drawn.labels;
  const count = wide ? wide.length : lod.length;
  for (let j = 0; j < count; j++) {
    const i = wide ? wide[j] : j;
    const l = Math.max(0, left(i));
    const r = Math.min(width, right(i));
    if (r - l < MIN_LABEL_PX) continue;
    const y = yOf(lod.depth[i]);
    if (y + rowH < 0 || y > height) continue;
    let text: string;
    if (lod.node[i] === 0) text = p.rootLabel;
    else if (lod.name[i] < 0) continue;
    else text = labels.label(p.names, lod.name[i]);
    const fitted = labels.fit(ctx, text, r - l - 2 * PAD);
    if (!fitted) continue;
    ctx.globalAlpha = p.searchActive && (lod.flags[i] & FLAG_MATCH) === 0 ? 0.55 : 1;
    ctx.fillText(fitted, l + PAD, y + (rowH - 1) / 2 + 0.5);
    nLabels++;
  }
  ctx.globalAlpha = 1;
  return { rects: drawn.rects, labels: nLabels, worker: drawn.worker, canvasMs: 0, chartMs: 0 };
}

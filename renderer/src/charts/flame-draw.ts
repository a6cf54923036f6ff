// Draws level-of-detail flame graph items into a 2D canvas: the rects as pixels (inlined
// frames striped, non-matches dimmed during a search), then outlines and labels with the
// canvas API, labels only where they fit. Nothing here allocates per item except cached
// label strings.
import { FLAG_INLINED, FLAG_MATCH, MERGED_COLOR } from '../../../core/pprof/flamegraph';
import type { LodPayload } from '../worker/protocol';
import { PALETTE_SIZE, type FlameTheme } from './palette';

export const ROW_HEIGHT = 18;
export const LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const MIN_LABEL_PX = 26;
const PAD = 4;

export interface DrawParams {
  lod: LodPayload;
  names: string[];
  x0: number;
  x1: number;
  /** CSS pixels of the drawing area. */
  width: number;
  height: number;
  rowH: number;
  /** Depth drawn at the top edge, fractional: scrollTop / rowH. */
  top: number;
  /** Callers view: the root at the bottom, callers growing upwards. */
  flip: boolean;
  searchActive: boolean;
  /** Name index whose frames get the selection outline, -1 for none. */
  selectedName: number;
  /** LOD item under the pointer, -1 for none (drawn by drawHover, on its own layer). */
  hover: number;
  theme: FlameTheme;
  rootLabel: string;
}

export interface DrawStats {
  rects: number;
  labels: number;
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

/** Theme colours as pixels (ABGR, as a little-endian Uint32Array over ImageData reads). */
interface Pixels {
  background: number;
  /** Per bucket (palette, merged, root): plain, dimmed, striped, dimmed and striped. */
  plain: Uint32Array;
  dim: Uint32Array;
  striped: Uint32Array;
  dimStriped: Uint32Array;
}

const pixelCache = new WeakMap<FlameTheme, Pixels>();

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
  const m = (i: number): number => Math.round(under[i]! * (1 - alpha) + over[i]! * alpha);
  return [m(0), m(1), m(2), 1];
}

function word(c: [number, number, number, number]): number {
  return ((255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0;
}

function pixelsOf(ctx: CanvasRenderingContext2D, theme: FlameTheme): Pixels {
  let px = pixelCache.get(theme);
  if (px) return px;
  const bg = rgba(ctx, theme.background);
  const stripe = rgba(ctx, theme.inlineStripe);
  const fills = [...theme.buckets, theme.merged, theme.root];
  const n = fills.length;
  px = {
    background: word(bg),
    plain: new Uint32Array(n),
    dim: new Uint32Array(n),
    striped: new Uint32Array(n),
    dimStriped: new Uint32Array(n),
  };
  fills.forEach((css, b) => {
    const c = rgba(ctx, css);
    const d = mix(bg, c, theme.dimAlpha);
    px!.plain[b] = word(c);
    px!.dim[b] = word(d);
    px!.striped[b] = word(mix(c, stripe, stripe[3]));
    px!.dimStriped[b] = word(mix(d, stripe, stripe[3]));
  });
  pixelCache.set(theme, px);
  return px;
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

/** Bucket of an item: palette index, PALETTE_SIZE for merged runs, +1 for the root. */
function bucketOf(lod: LodPayload, i: number): number {
  if (lod.node[i] === 0) return PALETTE_SIZE + 1;
  const c = lod.color[i];
  return c === MERGED_COLOR ? PALETTE_SIZE : c % PALETTE_SIZE;
}

/**
 * The rects, written as pixels: one scanline per row, copied down the row's height, then
 * the stripes of inlined frames. fillRect costs about a microsecond per rect in a
 * software-rendered canvas, which at tens of thousands of items is the whole frame budget;
 * this costs about the same for ten or fifty thousand.
 */
function drawRects(ctx: CanvasRenderingContext2D, p: DrawParams): number {
  const { lod, rowH, width, height } = p;
  const W = ctx.canvas.width;
  const H = ctx.canvas.height;
  const dpr = width > 0 ? W / width : 1;
  const pal = pixelsOf(ctx, p.theme);
  const { img, px } = imageOf(ctx, W, H);
  px.fill(pal.background);
  const k = width / (p.x1 - p.x0);
  const period = Math.max(3, Math.round(6 * dpr));
  const thick = Math.max(1, Math.round(1.5 * dpr));
  let rects = 0;
  const rows = lod.rowStart.length - 1;
  for (let r = 0; r < rows; r++) {
    const from = lod.rowStart[r];
    const to = lod.rowStart[r + 1];
    if (from === to) continue;
    const depth = lod.d0 + r;
    const y = p.flip ? height - (depth - p.top + 1) * rowH : (depth - p.top) * rowH;
    if (y + rowH < 0 || y > height) continue;
    const y0 = Math.max(0, Math.round(y * dpr));
    const y1 = Math.min(H, Math.round((y + rowH - 1) * dpr));
    if (y1 <= y0) continue;
    const line = y0 * W;
    let striped = false;
    for (let i = from; i < to; i++) {
      // Whole CSS pixels with a 1 px gap on the right, as the labels and hit-testing see it.
      const l = Math.max(-1, Math.round((lod.x[i] - p.x0) * k));
      const rr = Math.min(width + 1, Math.round((lod.x[i] + lod.width[i] - p.x0) * k));
      const w = rr - l > 2 ? rr - l - 1 : Math.max(1, rr - l);
      const x0 = Math.max(0, Math.round(l * dpr));
      const x1 = Math.min(W, Math.round((l + w) * dpr));
      if (x1 <= x0) continue;
      const b = bucketOf(lod, i);
      const dim = p.searchActive && (lod.flags[i] & FLAG_MATCH) === 0;
      px.fill(dim ? pal.dim[b] : pal.plain[b], line + x0, line + x1);
      if (lod.flags[i] & FLAG_INLINED) striped = true;
      rects++;
    }
    for (let yy = y0 + 1; yy < y1; yy++) px.copyWithin(yy * W, line, line + W);
    if (!striped) continue;
    // Inlined frames: diagonal stripes over their fill (the tooltip says "inlined").
    for (let i = from; i < to; i++) {
      if ((lod.flags[i] & FLAG_INLINED) === 0) continue;
      const l = Math.max(-1, Math.round((lod.x[i] - p.x0) * k));
      const rr = Math.min(width + 1, Math.round((lod.x[i] + lod.width[i] - p.x0) * k));
      const x0 = Math.max(0, Math.round(l * dpr));
      const x1 = Math.min(W, Math.round((l + Math.max(1, rr - l - 1)) * dpr));
      const b = bucketOf(lod, i);
      const c =
        p.searchActive && (lod.flags[i] & FLAG_MATCH) === 0 ? pal.dimStriped[b] : pal.striped[b];
      for (let yy = y0; yy < y1; yy++) {
        const at = yy * W;
        for (let x = x0 + ((period - ((x0 + yy) % period)) % period); x < x1; x += period) {
          px.fill(c, at + x, at + Math.min(x1, x + thick));
        }
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return rects;
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
    return { rects: 0, labels: 0, canvasMs: 0, chartMs: 0 };
  }
  const k = width / span;

  // Geometry of item i in CSS px, snapped to whole pixels with a 1 px gap on the right.
  const yOf = (depth: number): number =>
    p.flip ? height - (depth - p.top + 1) * rowH : (depth - p.top) * rowH;
  const left = (i: number): number => Math.max(-1, Math.round((lod.x[i] - p.x0) * k));
  const right = (i: number): number =>
    Math.min(width + 1, Math.round((lod.x[i] + lod.width[i] - p.x0) * k));

  const rects = drawRects(ctx, p);

  // Outlines: search matches, the selected function (the hovered item: drawHover).
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
    for (let i = 0; i < lod.length; i++)
      if (lod.flags[i] & FLAG_MATCH && right(i) - left(i) >= 3) outline(i, theme.matchStroke);
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
  for (let i = 0; i < lod.length; i++) {
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
  return { rects, labels: nLabels, canvasMs: 0, chartMs: 0 };
}

/** The outline of LOD item `i` (the hovered one), on a transparent layer over the frame. */
export function drawHover(ctx: CanvasRenderingContext2D, p: DrawParams, i: number): void {
  const { lod, rowH, height } = p;
  if (i < 0 || i >= lod.length) return;
  const span = p.x1 - p.x0;
  if (!(span > 0)) return;
  const k = p.width / span;
  const depth = lod.depth[i];
  const y = p.flip ? height - (depth - p.top + 1) * rowH : (depth - p.top) * rowH;
  const l = Math.max(-1, Math.round((lod.x[i] - p.x0) * k));
  const r = Math.min(p.width + 1, Math.round((lod.x[i] + lod.width[i] - p.x0) * k));
  ctx.globalAlpha = 1;
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = p.theme.hoverStroke;
  ctx.strokeRect(l + 0.5, y + 0.5, Math.max(1, r - l - 2), rowH - 2);
}

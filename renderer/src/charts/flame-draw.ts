// Draws level-of-detail flame graph items into a 2D canvas: rects grouped by colour (one
// fillStyle per bucket), inlined frames striped, labels only where they fit. Nothing here
// allocates per item except cached label strings.
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
  /** LOD item under the pointer, -1 for none. */
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

/** Label text and width caches for one canvas and font. */
export class LabelCache {
  private readonly short = new Map<number, string>();
  private readonly widths = new Map<string, number>();
  private charW = 7;

  reset(ctx: CanvasRenderingContext2D): void {
    this.widths.clear();
    ctx.font = LABEL_FONT;
    this.charW = ctx.measureText('abcdefghijklmnopqrstuvwxyz.()*').width / 30;
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

  /** The text cut to fit `avail` px with an ellipsis, or '' when not even 2 chars fit. */
  fit(ctx: CanvasRenderingContext2D, text: string, avail: number): string {
    if (avail < this.charW * 2) return '';
    let w = this.widths.get(text);
    if (w === undefined) {
      w = ctx.measureText(text).width;
      if (this.widths.size > 50_000) this.widths.clear();
      this.widths.set(text, w);
    }
    if (w <= avail) return text;
    // Average width of this string's own characters, with a margin for uneven glyphs.
    const per = w / text.length;
    const n = Math.floor((avail - per) / (per * 1.06));
    return n >= 2 ? `${text.slice(0, n)}…` : '';
  }
}

const stripeCache = new WeakMap<
  CanvasRenderingContext2D,
  { colour: string; pattern: CanvasPattern | null }
>();

function stripes(ctx: CanvasRenderingContext2D, colour: string): CanvasPattern | null {
  const hit = stripeCache.get(ctx);
  if (hit && hit.colour === colour) return hit.pattern;
  const tile = document.createElement('canvas');
  tile.width = 6;
  tile.height = 6;
  const t = tile.getContext('2d');
  let pattern: CanvasPattern | null = null;
  if (t) {
    t.strokeStyle = colour;
    t.lineWidth = 1.5;
    t.beginPath();
    t.moveTo(-1, 7);
    t.lineTo(7, -1);
    t.moveTo(5, 7);
    t.lineTo(7, 5);
    t.moveTo(-1, 1);
    t.lineTo(1, -1);
    t.stroke();
    pattern = ctx.createPattern(tile, 'repeat');
  }
  stripeCache.set(ctx, { colour, pattern });
  return pattern;
}

// Scratch buffers reused between frames: bucket order of items.
let order = new Int32Array(0);
const bucketCount = new Int32Array(PALETTE_SIZE + 3);

/** Bucket of an item: palette index, PALETTE_SIZE for merged runs, +1 for the root. */
function bucketOf(lod: LodPayload, i: number): number {
  if (lod.node[i] === 0) return PALETTE_SIZE + 1;
  const c = lod.color[i];
  return c === MERGED_COLOR ? PALETTE_SIZE : c % PALETTE_SIZE;
}

export function drawFlame(
  ctx: CanvasRenderingContext2D,
  p: DrawParams,
  labels: LabelCache,
): DrawStats {
  const { lod, theme, rowH, width, height } = p;
  ctx.globalAlpha = 1;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  const span = p.x1 - p.x0;
  if (lod.length === 0 || !(span > 0)) return { rects: 0, labels: 0, canvasMs: 0, chartMs: 0 };
  const k = width / span;

  // Geometry of item i in CSS px, snapped to whole pixels with a 1 px gap on the right.
  const yOf = (depth: number): number =>
    p.flip ? height - (depth - p.top + 1) * rowH : (depth - p.top) * rowH;
  const left = (i: number): number => Math.max(-1, Math.round((lod.x[i] - p.x0) * k));
  const right = (i: number): number =>
    Math.min(width + 1, Math.round((lod.x[i] + lod.width[i] - p.x0) * k));

  // Counting sort of the items by colour bucket.
  if (order.length < lod.length) order = new Int32Array(lod.length * 2);
  bucketCount.fill(0);
  for (let i = 0; i < lod.length; i++) bucketCount[bucketOf(lod, i) + 1]++;
  for (let b = 1; b < bucketCount.length; b++) bucketCount[b] += bucketCount[b - 1];
  const fillAt = bucketCount.slice();
  for (let i = 0; i < lod.length; i++) order[fillAt[bucketOf(lod, i)]++] = i;

  const fills = [...theme.buckets, theme.merged, theme.root];
  let rects = 0;
  // With a search, first everything dimmed, then the matches at full strength.
  const passes = p.searchActive ? 2 : 1;
  for (let pass = 0; pass < passes; pass++) {
    const wantMatch = pass === 1;
    ctx.globalAlpha = p.searchActive && !wantMatch ? theme.dimAlpha : 1;
    for (let b = 0; b < fills.length; b++) {
      const from = bucketCount[b];
      const to = bucketCount[b + 1];
      if (from === to) continue;
      ctx.fillStyle = fills[b];
      for (let o = from; o < to; o++) {
        const i = order[o];
        if (p.searchActive && ((lod.flags[i] & FLAG_MATCH) !== 0) !== wantMatch) continue;
        const y = yOf(lod.depth[i]);
        if (y + rowH < 0 || y > height) continue;
        const l = left(i);
        const r = right(i);
        const w = r - l > 2 ? r - l - 1 : Math.max(1, r - l);
        ctx.fillRect(l, y, w, rowH - 1);
        rects++;
      }
    }
  }

  // Inlined frames: stripes over the fill, and the tooltip says "inlined".
  const pat = stripes(ctx, theme.inlineStripe);
  if (pat) {
    ctx.globalAlpha = 1;
    ctx.fillStyle = pat;
    for (let i = 0; i < lod.length; i++) {
      if ((lod.flags[i] & FLAG_INLINED) === 0) continue;
      const y = yOf(lod.depth[i]);
      if (y + rowH < 0 || y > height) continue;
      const l = left(i);
      const r = right(i);
      ctx.fillRect(l, y, Math.max(1, r - l - 1), rowH - 1);
    }
  }

  // Outlines: search matches, the selected function, the hovered item.
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
  if (p.hover >= 0 && p.hover < lod.length) {
    ctx.lineWidth = 1.5;
    outline(p.hover, theme.hoverStroke);
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

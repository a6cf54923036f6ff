// Draws the timeline's lanes into a canvas from the Worker's level-of-detail items: one
// fillStyle per (class, opacity) bucket, then labels on spans wide enough to hold them. The
// work per frame follows the items (bounded by lanes x pixels), never the trace size.
import type { AnnotationMarks } from '../worker/trace-protocol';
import { drawMarks, type MarkGeometry } from './timeline-marks';
import {
  LANE_H,
  STRIP_H,
  STRIPS_H,
  laneY,
  type Bands,
  type FrameItems as LaneItems,
} from '../../../core/view/timeline/geometry';
import type { TimelineTheme } from './timeline-theme';

const BAR_TOP = 2;
const BAR_H = 14;

/** A Worker frame's lane items (core/view/timeline/geometry) plus what is drawn over them. */
export interface FrameItems extends LaneItems {
  /** User annotations on goroutine lanes, drawn over the spans. */
  marks?: AnnotationMarks | null;
  /** CPU samples: lane (index from lane0), time, count (absent: none drawn). */
  sampleLane?: Int32Array;
  sampleTime?: Float64Array;
}

export interface DrawParams {
  width: number;
  height: number;
  t0: number;
  t1: number;
  theme: TimelineTheme;
  frame: FrameItems | null;
  bands: Bands | null;
  /** First visible lane (fractional when scrolled mid-lane) and how many lanes exist. */
  laneOffset: number;
  laneCount: number;
  /** Span (lane index position) to outline, -1 for none. */
  selectedRef: number;
  hoverLane: number;
  /** A time to mark with a vertical line (a jump target), null for none. */
  marker: number | null;
}

export interface DrawStats {
  items: number;
  labels: number;
  /** CPU sample marks drawn. */
  samples: number;
  ms: number;
}

const ALPHAS = [1, 0.78, 0.52, 0.3];
const LEVELS = ALPHAS.length;

function alphaLevel(count: number, fill: number): number {
  if (count <= 1) return 0;
  return fill >= 200 ? 1 : fill >= 100 ? 2 : 3;
}

function rgbOf(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
}

const mixes = new Map<string, string>();

/**
 * `hex` at opacity `a` over `bg`, as an opaque colour: merged runs look faded without the GC
 * and STW bands showing through them.
 */
function over(hex: string, bg: string, a: number): string {
  const key = `${hex}|${bg}|${a}`;
  let out = mixes.get(key);
  if (out === undefined) {
    const c = rgbOf(hex);
    const b = rgbOf(bg);
    out = c && b ? `rgb(${c.map((v, i) => Math.round(v * a + b[i] * (1 - a))).join(',')})` : hex;
    mixes.set(key, out);
  }
  return out;
}

/** Light fills get dark text, dark fills light text. */
function textOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#ffffff';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h!, 16) / 255) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 ? '#15181d' : '#ffffff';
}

/** Text widths per string, for labels; cleared when the font or pixel ratio changes. */
export class TextFit {
  private widths = new Map<string, number>();
  private ellipsis = 0;

  reset(ctx: CanvasRenderingContext2D): void {
    this.widths.clear();
    this.ellipsis = ctx.measureText('…').width;
  }

  private width(ctx: CanvasRenderingContext2D, s: string): number {
    let w = this.widths.get(s);
    if (w === undefined) {
      w = ctx.measureText(s).width;
      if (this.widths.size > 20000) this.widths.clear();
      this.widths.set(s, w);
    }
    return w;
  }

  /** s, or its longest prefix + "…" that fits in `max` px ('' when nothing fits). */
  fit(ctx: CanvasRenderingContext2D, s: string, max: number): string {
    if (this.width(ctx, s) <= max) return s;
    if (max < this.ellipsis + 8) return '';
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.width(ctx, s.slice(0, mid)) + this.ellipsis <= max) lo = mid;
      else hi = mid - 1;
    }
    return lo === 0 ? '' : `${s.slice(0, lo)}…`;
  }
}

/** Where annotation marks go (timeline-marks), for drawing and hit-testing alike. */
export function markGeometry(
  p: Pick<DrawParams, 'width' | 't0' | 't1' | 'laneOffset'>,
): MarkGeometry {
  return {
    width: p.width,
    t0: p.t0,
    t1: p.t1,
    laneOffset: p.laneOffset,
    laneY,
    laneH: LANE_H,
    barTop: BAR_TOP,
    barH: BAR_H,
  };
}

function drawBands(
  ctx: CanvasRenderingContext2D,
  starts: Float64Array,
  ends: Float64Array,
  p: DrawParams,
  band: string,
  strip: string,
  stripY: number,
): void {
  const k = p.width / (p.t1 - p.t0);
  for (let i = 0; i < starts.length; i++) {
    const x0 = Math.round((starts[i] - p.t0) * k);
    const w = Math.max(1, Math.round((ends[i] - p.t0) * k) - x0);
    ctx.fillStyle = band;
    ctx.fillRect(x0, STRIPS_H, w, p.height - STRIPS_H);
    ctx.fillStyle = strip;
    ctx.fillRect(x0, stripY, w, STRIP_H - 2);
  }
}

export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  p: DrawParams,
  fit: TextFit,
): DrawStats {
  const t = performance.now();
  const { width: W, height: H, theme } = p;
  ctx.globalAlpha = 1;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, W, H);
  // Strips and lane backgrounds.
  ctx.fillStyle = theme.laneAlt;
  ctx.fillRect(0, 1, W, STRIP_H - 2);
  ctx.fillRect(0, STRIP_H + 1, W, STRIP_H - 2);
  const first = Math.max(0, Math.floor(p.laneOffset));
  const last = Math.min(p.laneCount, Math.ceil(p.laneOffset + (H - STRIPS_H) / LANE_H));
  for (let j = first; j < last; j++) {
    const y = laneY(j, p.laneOffset);
    if (j % 2 === 1) {
      ctx.fillStyle = theme.laneAlt;
      ctx.fillRect(0, y, W, LANE_H);
    }
    if (j === p.hoverLane) {
      ctx.fillStyle = theme.hoverLane;
      ctx.fillRect(0, y, W, LANE_H);
    }
  }
  if (!(p.t1 > p.t0)) return { items: 0, labels: 0, samples: 0, ms: performance.now() - t };
  if (p.bands) {
    drawBands(ctx, p.bands.gcStart, p.bands.gcEnd, p, theme.gcBand, theme.gcStrip, 1);
    drawBands(ctx, p.bands.stwStart, p.bands.stwEnd, p, theme.stwBand, theme.stwStrip, STRIP_H + 1);
  }
  const f = p.frame;
  let items = 0;
  let labels = 0;
  let sampleMarks = 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, STRIPS_H, W, H - STRIPS_H);
  ctx.clip();
  if (f) {
    const k = W / (p.t1 - p.t0);
    const n = f.start.length;
    // Bucket items by (class, opacity) with a counting sort, so fillStyle changes rarely.
    const nb = theme.classes.length * LEVELS;
    const bucket = new Int32Array(n).fill(-1);
    const x = new Float32Array(n);
    const w = new Float32Array(n);
    const y = new Float32Array(n);
    const counts = new Int32Array(nb + 1);
    for (let j = f.lane0; j < f.lane1; j++) {
      const yy = laneY(j, p.laneOffset) + BAR_TOP;
      if (yy + BAR_H < STRIPS_H || yy > H) continue;
      const li = j - f.lane0;
      for (let i = f.laneStart[li]; i < f.laneStart[li + 1]; i++) {
        // Whole pixels: adjacent items share an edge instead of blending into a seam.
        const x0 = Math.round((f.start[i] - p.t0) * k);
        const x1 = Math.round((f.end[i] - p.t0) * k);
        if (x1 < 0 || x0 > W) continue;
        const c = f.cls[i];
        if (c >= theme.classes.length) continue;
        const b = c * LEVELS + alphaLevel(f.count[i], f.fill[i]);
        bucket[i] = b;
        counts[b + 1]++;
        x[i] = x0;
        w[i] = Math.max(1, x1 - x0);
        y[i] = yy;
      }
    }
    for (let b = 0; b < nb; b++) counts[b + 1] += counts[b];
    const order = new Int32Array(counts[nb]);
    const next = counts.slice(0, nb);
    for (let i = 0; i < n; i++) if (bucket[i] >= 0) order[next[bucket[i]]++] = i;
    for (let b = 0; b < nb; b++) {
      if (counts[b + 1] === counts[b]) continue;
      ctx.fillStyle = over(
        theme.classes[Math.floor(b / LEVELS)],
        theme.background,
        ALPHAS[b % LEVELS],
      );
      for (let o = counts[b]; o < counts[b + 1]; o++) {
        const i = order[o];
        ctx.fillRect(x[i], y[i], w[i], BAR_H);
      }
    }
    items = order.length;
    ctx.globalAlpha = 1;
    // Labels on single spans wide enough to read.
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let o = 0; o < order.length; o++) {
      const i = order[o];
      if (f.label[i] < 0 || w[i] < 30 || f.count[i] > 1) continue;
      const x0 = Math.max(0, x[i]);
      const room = Math.min(W, x[i] + w[i]) - x0 - 6;
      const s = fit.fit(ctx, f.labels[f.label[i]] ?? '', room);
      if (!s) continue;
      ctx.fillStyle = textOn(theme.classes[f.cls[i]]);
      ctx.fillText(s, x0 + 3, y[i] + BAR_H / 2 + 0.5);
      labels++;
    }
    if (f.marks) drawMarks(ctx, f.marks, markGeometry(p), theme);
    // CPU samples: per pixel column holding any, a line across the lane's bar under a
    // small downward triangle.
    if (f.sampleLane && f.sampleTime) {
      ctx.fillStyle = theme.selectStroke;
      ctx.beginPath();
      for (let i = 0; i < f.sampleLane.length; i++) {
        const yy = laneY(f.lane0 + f.sampleLane[i], p.laneOffset) + BAR_TOP;
        if (yy + BAR_H < STRIPS_H || yy > H) continue;
        const sx = Math.round((f.sampleTime[i] - p.t0) * k);
        if (sx < 0 || sx > W) continue;
        ctx.rect(sx - 1, yy, 2, BAR_H);
        ctx.moveTo(sx - 4, yy - 2);
        ctx.lineTo(sx + 4, yy - 2);
        ctx.lineTo(sx, yy + 4);
        ctx.closePath();
      }
      ctx.fill();
      sampleMarks = f.sampleLane.length;
    }
    if (p.selectedRef >= 0) {
      ctx.strokeStyle = theme.selectStroke;
      ctx.lineWidth = 2;
      for (let o = 0; o < order.length; o++) {
        const i = order[o];
        if (f.ref[i] === p.selectedRef) ctx.strokeRect(x[i] - 1, y[i] - 1, w[i] + 2, BAR_H + 2);
      }
    }
  }
  ctx.restore();
  if (p.marker !== null && p.marker >= p.t0 && p.marker <= p.t1) {
    const mx = Math.round(((p.marker - p.t0) / (p.t1 - p.t0)) * W) + 0.5;
    ctx.strokeStyle = theme.marker;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(mx, 0);
    ctx.lineTo(mx, H);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  return { items, labels, samples: sampleMarks, ms: performance.now() - t };
}

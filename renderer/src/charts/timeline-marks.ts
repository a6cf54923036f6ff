// User annotations drawn over the goroutine lanes (the Worker's AnnotationMarks): a region is
// a 3 px band along the top of the lane's bar (full and faded in turn), one band lower per
// nesting level; a task a
// 2 px line along the lane's bottom edge; a log message a small triangle at the lane's top.
// Hit-testing finds the mark under the pointer for the tooltip.
import type { AnnotationMarks } from '../worker/trace-protocol';
import type { TimelineTheme } from './timeline-theme';

/** The lane geometry of timeline-draw (kept in step by its tests). */
export interface MarkGeometry {
  width: number;
  t0: number;
  t1: number;
  laneOffset: number;
  /** y of lane j's top in the lanes canvas. */
  laneY: (lane: number, laneOffset: number) => number;
  laneH: number;
  barTop: number;
  barH: number;
}

const REGION_H = 4;
const LOG_W = 6;

function markRect(
  m: AnnotationMarks,
  i: number,
  g: MarkGeometry,
): { x: number; y: number; w: number; h: number } {
  const k = g.width / (g.t1 - g.t0);
  const y = g.laneY(m.lane[i], g.laneOffset);
  const x0 = Math.round((m.start[i] - g.t0) * k);
  if (m.kind[i] === 2) return { x: x0 - LOG_W / 2, y, w: LOG_W, h: 5 };
  const w = Math.max(1, Math.round((m.end[i] - g.t0) * k) - x0);
  if (m.kind[i] === 1) return { x: x0, y: y + g.laneH - 2, w, h: 2 };
  // A pixel of gap before each region, so back-to-back regions read as several.
  const gap = w > 3 ? 1 : 0;
  return { x: x0 + gap, y: y + g.barTop + m.depth[i] * REGION_H, w: w - gap, h: REGION_H - 1 };
}

export function drawMarks(
  ctx: CanvasRenderingContext2D,
  m: AnnotationMarks,
  g: MarkGeometry,
  theme: TimelineTheme,
): number {
  let n = 0;
  // Regions alternate between full and faded colour along a lane and level.
  const parity = new Map<number, number>();
  for (const kind of [1, 0, 2]) {
    ctx.fillStyle = kind === 0 ? theme.region : kind === 1 ? theme.task : theme.log;
    for (let i = 0; i < m.kind.length; i++) {
      if (m.kind[i] !== kind) continue;
      const r = markRect(m, i, g);
      if (kind === 0) {
        const key = m.lane[i] * 8 + m.depth[i];
        const p = (parity.get(key) ?? 0) ^ 1;
        parity.set(key, p);
        ctx.globalAlpha = p ? 1 : 0.55;
      } else ctx.globalAlpha = 1;
      if (r.x + r.w < 0 || r.x > g.width) continue;
      if (kind === 2) {
        ctx.beginPath();
        ctx.moveTo(r.x, r.y);
        ctx.lineTo(r.x + r.w, r.y);
        ctx.lineTo(r.x + r.w / 2, r.y + r.h);
        ctx.closePath();
        ctx.fill();
      } else ctx.fillRect(r.x, r.y, r.w, r.h);
      n++;
    }
  }
  ctx.globalAlpha = 1;
  return n;
}

/** The mark under (x, y) in the lanes canvas (a pixel of slack), -1 for none; logs first. */
export function hitMark(m: AnnotationMarks | null, x: number, y: number, g: MarkGeometry): number {
  if (!m) return -1;
  let best = -1;
  let bestRank = 9;
  for (let i = 0; i < m.kind.length; i++) {
    const r = markRect(m, i, g);
    if (x < r.x - 1 || x > r.x + r.w + 1 || y < r.y - 1 || y > r.y + r.h + 1) continue;
    // Logs, then the deepest region, then tasks.
    const rank = m.kind[i] === 2 ? 0 : m.kind[i] === 0 ? 4 - m.depth[i] : 8;
    if (rank < bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  return best;
}

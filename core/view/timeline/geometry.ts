// Where things sit on the timeline's lanes, in CSS pixels, and what is under a point: the GC
// and STW strips on top, then one lane per goroutine or P. Pure arithmetic over the Worker's
// level-of-detail items (core/trace/timeline-*), shared by the drawing and the hit testing
// (renderer/src/charts/timeline-draw.ts), and tested in Node.

/** Height of a lane, px. */
export const LANE_H = 18;
/** Height of the GC strip and of the STW strip, px. */
export const STRIP_H = 10;
/** The GC and STW strips above the lanes (not scrolled). */
export const STRIPS_H = 2 * STRIP_H + 4;

/** What the drawing needs of a Worker frame (trace-protocol FramePayload). */
export interface FrameItems {
  lane0: number;
  lane1: number;
  laneStart: Int32Array;
  start: Float64Array;
  end: Float64Array;
  cls: Uint8Array;
  count: Uint32Array;
  ref: Int32Array;
  fill: Uint8Array;
  label: Int32Array;
  labels: string[];
}

export interface Bands {
  gcStart: Float64Array;
  gcEnd: Float64Array;
  stwStart: Float64Array;
  stwEnd: Float64Array;
}

/** Top of lane `lane` when the view starts at lane `laneOffset` (fractional when mid-lane). */
export function laneY(lane: number, laneOffset: number): number {
  return STRIPS_H + (lane - laneOffset) * LANE_H;
}

/** What hit testing needs of a view: its width and time window, lanes and items. */
export interface HitParams {
  width: number;
  t0: number;
  t1: number;
  laneOffset: number;
  laneCount: number;
  frame: FrameItems | null;
  bands: Bands | null;
}

export type Hit =
  | { kind: 'item'; lane: number; index: number }
  | { kind: 'band'; band: 'gc' | 'stw'; index: number }
  | { kind: 'lane'; lane: number };

/** What is under (x, y) in the lanes area (CSS px from its top left), with a pixel of slack. */
export function hitTest(x: number, y: number, p: HitParams): Hit | null {
  if (x < 0 || x > p.width || !(p.t1 > p.t0)) return null;
  const k = p.width / (p.t1 - p.t0);
  const t = p.t0 + x / k;
  const slack = 2 / k;
  if (y < STRIPS_H) {
    if (!p.bands) return null;
    const gc = y < STRIP_H;
    const s = gc ? p.bands.gcStart : p.bands.stwStart;
    const e = gc ? p.bands.gcEnd : p.bands.stwEnd;
    for (let i = 0; i < s.length; i++) {
      if (s[i] - slack <= t && t <= e[i] + slack)
        return { kind: 'band', band: gc ? 'gc' : 'stw', index: i };
    }
    return null;
  }
  const lane = Math.floor((y - STRIPS_H) / LANE_H + p.laneOffset);
  if (lane < 0 || lane >= p.laneCount) return null;
  const f = p.frame;
  if (!f || lane < f.lane0 || lane >= f.lane1) return { kind: 'lane', lane };
  const li = lane - f.lane0;
  const a = f.laneStart[li];
  const b = f.laneStart[li + 1];
  // Last item starting at or before t + slack; items narrower than a pixel are drawn 1 px wide.
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f.start[mid] <= t + slack) lo = mid + 1;
    else hi = mid;
  }
  let best = -1;
  let bestD = Infinity;
  for (let i = Math.max(a, lo - 3); i < lo; i++) {
    const e = Math.max(f.end[i], f.start[i] + 1 / k);
    const d = t < f.start[i] ? f.start[i] - t : t > e ? t - e : 0;
    if (d <= slack && d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best >= 0 ? { kind: 'item', lane, index: best } : { kind: 'lane', lane };
}

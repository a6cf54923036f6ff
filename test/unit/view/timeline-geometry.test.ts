// Hit-testing of the timeline (core/view/timeline/geometry: what the tooltip and clicks act on)
// and its time labels, on frames cut by the real trace session from a trace of the Go target.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANE_H, STRIP_H, STRIPS_H, hitTest, laneY } from '../../../core/view/timeline/geometry';
import { formatAxisTime } from '../../../core/view/format';
import { TraceSession } from '../../../renderer/src/worker/trace-session';

const repo = resolve(__dirname, '..', '..', '..');
const s = new TraceSession(
  new Uint8Array(readFileSync(join(repo, 'test/fixtures/before/trace.out'))),
);
const lanes = s.setFilter('');
const W = 1000;
const q = {
  lanesVersion: lanes.version,
  t0: s.info.durationNs * 0.2,
  t1: s.info.durationNs * 0.3,
  widthPx: W,
  minPx: 2,
  lane0: 0,
  lane1: 40,
};
const frame = s.frame(q);
const bands = s.overlay({ t0: q.t0, t1: q.t1, widthPx: W });
const base = { width: W, t0: q.t0, t1: q.t1, laneCount: lanes.length, frame, bands };
const xOf = (t: number): number => ((t - q.t0) / (q.t1 - q.t0)) * W;

describe('hitTest', () => {
  it('finds each item at its middle, in its lane, scrolled or not', () => {
    let checked = 0;
    for (const offset of [0, 3.5]) {
      for (let j = Math.ceil(offset); j < 30; j++) {
        const li = j - frame.lane0;
        for (let i = frame.laneStart[li]; i < frame.laneStart[li + 1]; i++) {
          const x0 = xOf(frame.start[i]);
          const x1 = xOf(frame.end[i]);
          if (x1 - x0 < 6) continue;
          const y = laneY(j, offset) + LANE_H / 2;
          const h = hitTest((x0 + x1) / 2, y, { ...base, laneOffset: offset });
          expect(h).toEqual({ kind: 'item', lane: j, index: i });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('reaches items narrower than a pixel with a little slack, and misses empty space', () => {
    const li = 0;
    const a = frame.laneStart[li];
    const b = frame.laneStart[li + 1];
    expect(b).toBeGreaterThan(a);
    const i = a + Math.floor((b - a) / 2);
    const y = laneY(0, 0) + LANE_H / 2;
    const h = hitTest(xOf(frame.start[i]) + 0.5, y, { ...base, laneOffset: 0 });
    expect(h?.kind).toBe('item');
    // Past the end of the window and above the lanes: nothing or a band.
    expect(hitTest(W + 5, y, { ...base, laneOffset: 0 })).toBeNull();
    expect(hitTest(10, laneY(lanes.length + 5, 0), { ...base, laneOffset: 0 })).toBeNull();
    // A lane outside the frame is a lane, not an item.
    const far = hitTest(10, laneY(60, 0) + 2, { ...base, laneOffset: 0 });
    expect(far).toEqual({ kind: 'lane', lane: 60 });
  });

  it('finds GC and STW bands in their strips', () => {
    expect(bands.gcStart.length).toBeGreaterThan(0);
    const g = bands.gcStart.length - 1;
    const mid = (xOf(bands.gcStart[g]) + xOf(bands.gcEnd[g])) / 2;
    expect(hitTest(mid, STRIP_H / 2, { ...base, laneOffset: 0 })).toEqual({
      kind: 'band',
      band: 'gc',
      index: g,
    });
    if (bands.stwStart.length > 0) {
      const x = xOf(bands.stwStart[0]);
      expect(hitTest(Math.max(0, x), STRIP_H + STRIP_H / 2, { ...base, laneOffset: 0 })?.kind).toBe(
        'band',
      );
    }
    expect(STRIPS_H).toBeGreaterThan(2 * STRIP_H);
  });
});

describe('formatAxisTime', () => {
  it('labels ticks in the unit of the window with just enough decimals', () => {
    expect(formatAxisTime(1.5e9, 10e9)).toBe('2 s');
    expect(formatAxisTime(1.25e9, 1e9)).toBe('1,250 ms');
    expect(formatAxisTime(40_452_500_000, 5e6)).toBe('40,452.5 ms');
    expect(formatAxisTime(1_000_000_250, 2000)).toBe('1,000,000.25 µs');
    expect(formatAxisTime(1_000_000_250, 500)).toBe('1,000,000,250 ns');
  });
});

// The flame zoom window's model (core/view/flame/window): clamping, wheel zoom around the
// pointer and panning never leave the whole graph.
import { describe, expect, it } from 'vitest';
import {
  clampWindow,
  fullWindow,
  isZoomed,
  MIN_SPAN,
  panBy,
  zoomAround,
} from '../../../../core/view/flame/window';

const full = { x0: 0, x1: 1000 };

describe('flame window', () => {
  it('keeps a window inside the graph exactly as it is', () => {
    const w = { x0: 0.1 + 0.2, x1: 0.1 + 0.2 + 123.456 };
    const c = clampWindow(w, full);
    expect(c.x0).toBe(w.x0);
    expect(c.x1).toBe(w.x1);
  });

  it('never zooms out past the whole graph', () => {
    expect(clampWindow({ x0: -200, x1: 5000 }, full)).toEqual(full);
    let w = { x0: 100, x1: 200 };
    for (let i = 0; i < 50; i++) w = zoomAround(w, full, 0.3, 1.5);
    expect(w).toEqual(full);
    expect(isZoomed(w, full)).toBe(false);
  });

  it('never pans beyond either end, keeping the width', () => {
    const w = { x0: 800, x1: 900 };
    expect(panBy(w, full, 500)).toEqual({ x0: 900, x1: 1000 });
    expect(panBy(w, full, -5000)).toEqual({ x0: 0, x1: 100 });
    expect(panBy(full, full, 100)).toEqual(full);
  });

  it('zooms around the point under the pointer', () => {
    const w = zoomAround({ x0: 0, x1: 1000 }, full, 0.25, 0.5);
    expect(w).toEqual({ x0: 125, x1: 625 });
    // The point at 25 % stays at 25 %.
    expect(w.x0 + 0.25 * (w.x1 - w.x0)).toBe(250);
  });

  it('never gets narrower than the minimum span, nor NaN', () => {
    let w = { x0: 400, x1: 600 };
    for (let i = 0; i < 400; i++) w = zoomAround(w, full, 0.5, 0.5);
    expect(w.x1 - w.x0).toBeCloseTo(1000 * MIN_SPAN, 12);
    expect(clampWindow({ x0: NaN, x1: NaN }, full)).toEqual(full);
    expect(clampWindow({ x0: 5, x1: 5 }, full).x1).toBeGreaterThan(5);
  });

  it('works on a graph that does not start at 0 and on an empty one', () => {
    const f = { x0: 10, x1: 20 };
    expect(clampWindow({ x0: 0, x1: 15 }, f)).toEqual({ x0: 10, x1: 20 });
    expect(clampWindow({ x0: 18, x1: 22 }, f)).toEqual({ x0: 16, x1: 20 });
    expect(fullWindow(0).x1).toBeGreaterThan(0);
    expect(fullWindow(-50)).toEqual({ x0: 0, x1: 50 });
  });
});

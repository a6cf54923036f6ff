// Pointer and outline geometry of a flame pane (core/view/flame/geometry): the row and value
// under a point, top-down and flipped, and the outline box of an item as the raster draws it.
import { describe, expect, it } from 'vitest';
import { itemBox, pointAt, type PaneView } from '../../../../core/view/flame/geometry';

const view: PaneView = { x0: 100, x1: 300, width: 400, height: 180, rowH: 18, top: 0, flip: false };

describe('flame pane geometry', () => {
  it('maps a point to its row and value', () => {
    expect(pointAt(view, 0, 0)).toEqual({ depth: 0, value: 100 });
    expect(pointAt(view, 200, 18 * 3 + 1)).toEqual({ depth: 3, value: 200 });
    expect(pointAt(view, 400, 179)).toEqual({ depth: 9, value: 300 });
  });

  it('counts rows from the bottom when flipped, and from the scrolled top', () => {
    expect(pointAt({ ...view, flip: true }, 10, 179)?.depth).toBe(0);
    expect(pointAt({ ...view, flip: true }, 10, 1)?.depth).toBe(9);
    expect(pointAt({ ...view, top: 2.5 }, 10, 0)?.depth).toBe(2);
    expect(pointAt({ ...view, top: 2.5 }, 10, 10)?.depth).toBe(3);
  });

  it('is nothing outside the drawing area', () => {
    expect(pointAt(view, -1, 10)).toBeNull();
    expect(pointAt(view, 10, 181)).toBeNull();
    expect(pointAt({ ...view, width: 0 }, 0, 0)).toBeNull();
  });

  it('outlines an item on whole pixels with the 1 px gap', () => {
    const items = {
      length: 2,
      x: new Float64Array([100, 150]),
      width: new Float64Array([50, 25]),
      depth: new Uint16Array([0, 2]),
    };
    expect(itemBox(items, 0, view)).toEqual({ x: 0.5, y: 0.5, width: 98, height: 16 });
    expect(itemBox(items, 1, view)).toEqual({ x: 100.5, y: 36.5, width: 48, height: 16 });
    expect(itemBox(items, 1, { ...view, flip: true })?.y).toBe(180 - 3 * 18 + 0.5);
    expect(itemBox(items, 2, view)).toBeNull();
    expect(itemBox(items, 0, { ...view, x1: 100 })).toBeNull();
  });
});

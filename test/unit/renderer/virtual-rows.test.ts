// The virtual-rows composable every table and long list scrolls through: which rows are in the
// DOM for a scroll offset and a view height, with rows of one height and a few taller ones (the
// goroutine list's leak lines and expanded stacks), driven here through a plain scroll box.
import { describe, expect, it } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import {
  listHeight,
  normalizeTall,
  rowAt,
  rowRange,
  rowTop,
  useVirtualRows,
  type ScrollBox,
  type TallRow,
} from '../../../renderer/src/composables/virtual-rows';

describe('row layout', () => {
  const tall = normalizeTall([
    { index: 5, extra: 10 },
    { index: 2, extra: 100 },
    { index: 5, extra: 8 },
    { index: -1, extra: 50 },
  ]);

  it('adds up extras per row and drops rows not in the list', () => {
    expect(tall).toEqual([
      { index: 2, extra: 100 },
      { index: 5, extra: 18 },
    ]);
  });

  it('places rows and finds the row at an offset', () => {
    expect(rowTop(0, 40, tall)).toBe(0);
    expect(rowTop(3, 40, tall)).toBe(220);
    expect(rowTop(6, 40, tall)).toBe(358);
    expect(listHeight(10, 40, tall)).toBe(518);
    for (let i = 0; i < 10; i++) {
      const top = rowTop(i, 40, tall);
      expect(rowAt(top, 10, 40, tall)).toBe(i);
      expect(rowAt(top + 39, 10, 40, tall)).toBe(i);
    }
    // Inside the extra part of a tall row.
    expect(rowAt(80 + 40 + 99, 10, 40, tall)).toBe(2);
    expect(rowAt(1e9, 10, 40, tall)).toBe(9);
    expect(rowAt(0, 0, 40, tall)).toBe(0);
  });

  it('renders the rows in view plus the overscan, within the list', () => {
    // 24 px rows, a 100 px view at 240 px: rows 10..14 are (partly) in view.
    expect(rowRange(240, 100, 1000, 24)).toEqual({ first: 10, last: 15 });
    expect(rowRange(240, 100, 1000, 24, [], 4)).toEqual({ first: 6, last: 19 });
    expect(rowRange(0, 100, 3, 24, [], 4)).toEqual({ first: 0, last: 3 });
    expect(rowRange(1e6, 100, 50, 24, [], 2)).toEqual({ first: 47, last: 50 });
    expect(rowRange(0, 100, 0, 24)).toEqual({ first: 0, last: 0 });
    // A row ending exactly at the view's bottom edge is the last one.
    expect(rowRange(0, 48, 10, 24)).toEqual({ first: 0, last: 2 });
  });
});

/** A scroll box that clamps like the browser's. */
function box(height: number): ScrollBox & { content: number } {
  let top = 0;
  return {
    content: 0,
    clientHeight: height,
    get scrollTop() {
      return top;
    },
    set scrollTop(v: number) {
      top = Math.max(0, Math.min(v, Math.max(0, this.content - this.clientHeight)));
    },
  };
}

describe('useVirtualRows', () => {
  it('follows scrolling, a resize and a change of the row count', async () => {
    const el = box(240);
    const body = ref<ScrollBox | null>(el);
    const count = ref(10_000);
    const scope = effectScope();
    const vr = scope.run(() =>
      useVirtualRows(body, { count, rowHeight: 24, overscan: 3, initialHeight: 240 }),
    )!;
    el.content = vr.height.value;
    expect(vr.height.value).toBe(240_000);
    expect([vr.first.value, vr.last.value]).toEqual([0, 13]);
    expect(vr.indexes.value).toEqual([...Array(13).keys()]);

    el.scrollTop = 24 * 500 + 12;
    vr.onScroll();
    expect([vr.first.value, vr.last.value]).toEqual([497, 514]);
    // Only the rows in view and the overscan, whatever the number of rows.
    expect(vr.indexes.value.length).toBeLessThanOrEqual(240 / 24 + 1 + 2 * 3);
    expect(vr.top(500)).toBe(12_000);

    el.clientHeight = 480;
    vr.onScroll();
    expect(vr.last.value).toBe(524);

    count.value = 505;
    await nextTick();
    expect(vr.last.value).toBe(505);
    expect(vr.height.value).toBe(505 * 24);

    vr.scrollToIndex(100, 8);
    expect(el.scrollTop).toBe(100 * 24 - 8);
    expect(vr.first.value).toBe(96);
    vr.scrollToTop();
    expect(el.scrollTop).toBe(0);
    expect(vr.first.value).toBe(0);
    scope.stop();
  });

  it('places taller rows and scrolls to a row below them', () => {
    const el = box(200);
    const tall = ref<TallRow[]>(normalizeTall([{ index: 3, extra: 300 }]));
    const scope = effectScope();
    const vr = scope.run(() =>
      useVirtualRows(ref<ScrollBox | null>(el), {
        count: () => 100,
        rowHeight: 40,
        tall,
        overscan: 0,
        initialHeight: 200,
      }),
    )!;
    el.content = vr.height.value;
    expect(vr.height.value).toBe(100 * 40 + 300);
    expect(vr.heightOf(3)).toBe(340);
    // Rows 0..2 take 120 px, row 3 takes 340: a 200 px view at the top shows rows 0..3.
    expect([vr.first.value, vr.last.value]).toEqual([0, 4]);
    vr.scrollToIndex(4);
    expect(el.scrollTop).toBe(460);
    expect(vr.first.value).toBe(4);
    tall.value = [];
    expect(vr.top(4)).toBe(160);
    scope.stop();
  });

  it('keeps its estimate until the element is there, and never goes negative', () => {
    const body = ref<ScrollBox | null>(null);
    const scope = effectScope();
    const vr = scope.run(() =>
      useVirtualRows(body, { count: () => -5, rowHeight: 24, initialHeight: 100 }),
    )!;
    vr.onScroll();
    expect(vr.viewHeight.value).toBe(100);
    expect([vr.first.value, vr.last.value]).toEqual([0, 0]);
    expect(vr.height.value).toBe(0);
    vr.scrollToTop();
    expect(vr.scrollTop.value).toBe(0);
    scope.stop();
  });
});

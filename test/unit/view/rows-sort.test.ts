// core/view/rows sortOrder: the one row-order rule of the sortable tables (computed in a Worker).
import { describe, expect, it } from 'vitest';
import { sortOrder, sortRowsBy } from '../../../core/view/rows';

describe('sortOrder', () => {
  it('puts numbers largest first when descending, ties in the rows’ own order', () => {
    const v = [3, 9, 3, Number.NaN, 9, 1];
    expect(Array.from(sortOrder({ kind: 'number', values: v }, 'desc'))).toEqual([
      1, 4, 0, 2, 5, 3,
    ]);
    // Ascending is that order reversed, ties included.
    expect(Array.from(sortOrder({ kind: 'number', values: v }, 'asc'))).toEqual([3, 5, 2, 0, 4, 1]);
  });

  it('puts text A to Z when ascending, and filters rows', () => {
    const v = ['b', 'a', 'c', 'a'];
    expect(Array.from(sortOrder({ kind: 'text', values: v }, 'asc'))).toEqual([1, 3, 0, 2]);
    expect(Array.from(sortOrder({ kind: 'text', values: v }, 'desc'))).toEqual([2, 0, 3, 1]);
    expect(Array.from(sortOrder({ kind: 'text', values: v }, 'asc', (i) => v[i] !== 'a'))).toEqual([
      0, 2,
    ]);
    expect(Array.from(sortOrder({ kind: 'number', values: new Float64Array(0) }, 'desc'))).toEqual(
      [],
    );
  });

  it('sorts rows by a key', () => {
    const rows = [
      { site: 'b', delay: 5 },
      { site: 'a', delay: 7 },
      { site: 'c', delay: 5 },
    ];
    expect(sortRowsBy(rows, 'number', (r) => r.delay, 'desc').map((r) => r.site)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(sortRowsBy(rows, 'text', (r) => r.site, 'desc').map((r) => r.site)).toEqual([
      'c',
      'b',
      'a',
    ]);
  });
});

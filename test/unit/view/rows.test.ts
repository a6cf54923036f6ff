// Sort and page of the rows a Worker keeps (core/view/rows): the top table, the diff table.
import { describe, expect, it } from 'vitest';
import type { DiffTable } from '../../../core/pprof/diff';
import {
  OrderCache,
  pageOf,
  sortDiffRows,
  sortTopRows,
  type TopRows,
} from '../../../core/view/rows';

describe('sortTopRows', () => {
  const rows: TopRows = {
    total: 10,
    names: ['c', 'a', 'b', 'd'],
    flat: Float64Array.from([5, 2, 2, 0]),
    cum: Float64Array.from([5, 9, 3, 9]),
  };
  it('keeps the engine’s order for ties and reverses for the other direction', () => {
    expect(Array.from(sortTopRows(rows, 'flat', 'desc', null))).toEqual([0, 1, 2, 3]);
    expect(Array.from(sortTopRows(rows, 'flat', 'asc', null))).toEqual([3, 2, 1, 0]);
    expect(Array.from(sortTopRows(rows, 'cum', 'desc', null))).toEqual([1, 3, 0, 2]);
    expect(Array.from(sortTopRows(rows, 'name', 'asc', null))).toEqual([1, 2, 0, 3]);
    expect(Array.from(sortTopRows(rows, 'name', 'desc', null))).toEqual([3, 0, 2, 1]);
    expect(Array.from(sortTopRows(rows, 'flat', 'desc', /^[ab]$/))).toEqual([1, 2]);
  });
  it('sorts negative values (a diff profile) by magnitude', () => {
    const neg: TopRows = { ...rows, flat: Float64Array.from([1, -7, 3, 0]) };
    expect(Array.from(sortTopRows(neg, 'flat', 'desc', null))).toEqual([1, 2, 0, 3]);
  });
});

describe('sortDiffRows', () => {
  const row = (name: string, bf: number, nf: number, bc: number, nc: number) => ({
    name,
    baseFlat: bf,
    newFlat: nf,
    baseCum: bc,
    newCum: nc,
  });
  // In diffTable's order: |Δ cum| descending, then name.
  const t = {
    rows: [row('grew', 1, 9, 2, 20), row('new', 0, 5, 0, 6), row('shrank', 4, 1, 8, 3)],
  } as unknown as DiffTable;
  const order = (
    ...a: Parameters<typeof sortDiffRows> extends [DiffTable, ...infer R] ? R : never
  ) => Array.from(sortDiffRows(t, ...a));

  it('sorts deltas by magnitude, values by value, names alphabetically', () => {
    expect(order('deltaCum', 'desc', null)).toEqual([0, 1, 2]);
    expect(order('deltaFlat', 'desc', null)).toEqual([0, 1, 2]);
    expect(order('beforeCum', 'desc', null)).toEqual([2, 0, 1]);
    expect(order('afterFlat', 'desc', null)).toEqual([0, 1, 2]);
    expect(order('afterCum', 'asc', null)).toEqual([2, 1, 0]);
    expect(order('name', 'asc', null)).toEqual([0, 1, 2]);
    expect(order('name', 'desc', null)).toEqual([2, 1, 0]);
  });
  it('puts a function new in after first by change, and filters by name', () => {
    expect(order('change', 'desc', null)).toEqual([1, 0, 2]);
    expect(order('deltaCum', 'desc', /^(new|shrank)$/)).toEqual([1, 2]);
  });
});

describe('pageOf', () => {
  it('clamps the window to the rows', () => {
    expect(pageOf(10, 2, 3)).toEqual({ from: 2, to: 5 });
    expect(pageOf(10, 8, 5)).toEqual({ from: 8, to: 10 });
    expect(pageOf(10, 20, 5)).toEqual({ from: 10, to: 10 });
    expect(pageOf(10, -4, 3)).toEqual({ from: 0, to: 3 });
    expect(pageOf(10, 0, -1)).toEqual({ from: 0, to: 0 });
    expect(pageOf(0, 0, 100)).toEqual({ from: 0, to: 0 });
    expect(pageOf(10, Number.NaN, Number.NaN)).toEqual({ from: 0, to: 0 });
  });
});

describe('OrderCache', () => {
  it('computes an order once per key and keeps at most `max` of them', () => {
    const c = new OrderCache(2);
    let made = 0;
    const make = () => {
      made++;
      return Int32Array.from([made]);
    };
    const a = c.get('a', make);
    expect(c.get('a', make)).toBe(a);
    c.get('b', make);
    expect(made).toBe(2);
    c.get('c', make); // beyond max: the old orders go
    c.get('a', make);
    expect(made).toBe(4);
  });
});

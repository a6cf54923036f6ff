import { describe, expect, it } from 'vitest';
import type { CallTree } from '../../../core/pprof/tree';
import {
  diffCallTrees,
  isWithinNoise,
  normalizationScale,
  oneSidedFrames,
} from '../../../core/pprof/tree-diff';

/** Builds a CallTree from root-first stacks with a value each (test input, not a profile). */
function treeFrom(stacks: Array<[string[], number]>): CallTree {
  type N = { name: string; self: number; total: number; kids: Map<string, N> };
  const root: N = { name: '', self: 0, total: 0, kids: new Map() };
  for (const [path, v] of stacks) {
    let n = root;
    n.total += v;
    for (const f of path) {
      let c = n.kids.get(f);
      if (!c) n.kids.set(f, (c = { name: f, self: 0, total: 0, kids: new Map() }));
      c.total += v;
      n = c;
    }
    n.self += v;
  }
  const flat: Array<{ n: N; parent: number; depth: number }> = [{ n: root, parent: -1, depth: 0 }];
  const first: number[] = [];
  const count: number[] = [];
  for (let i = 0; i < flat.length; i++) {
    const { n, depth } = flat[i];
    first[i] = n.kids.size ? flat.length : -1;
    count[i] = n.kids.size;
    for (const c of n.kids.values()) flat.push({ n: c, parent: i, depth: depth + 1 });
  }
  const names = ['', ...new Set(flat.slice(1).map((f) => f.n.name))];
  const len = flat.length;
  return {
    length: len,
    parent: Int32Array.from(flat, (f) => f.parent),
    firstChild: Int32Array.from(first),
    childCount: Int32Array.from(count),
    depth: Uint16Array.from(flat, (f) => f.depth),
    name: Int32Array.from(flat, (f) => names.indexOf(f.n.name)),
    file: new Int32Array(len),
    line: new Float64Array(len),
    inlined: new Uint8Array(len),
    self: Float64Array.from(flat, (f) => f.n.self),
    total: Float64Array.from(flat, (f) => f.n.total),
    names,
    sampleType: { type: 'cpu', unit: 'nanoseconds' },
  };
}

const childNames = (d: ReturnType<typeof diffCallTrees>, u: number) =>
  Array.from({ length: d.childCount[u] }, (_, k) => d.names[d.name[d.firstChild[u] + k]]);

describe('diffCallTrees', () => {
  const base = treeFrom([
    [['main', 'a', 'x'], 10],
    [['main', 'b'], 5],
    [['main', 'gone'], 2],
  ]);
  const next = treeFrom([
    [['main', 'b'], 20],
    [['main', 'a', 'x'], 4],
    [['main', 'fresh'], 3],
  ]);
  const d = diffCallTrees(base, next);

  it('keeps the base child order and appends new-only frames', () => {
    expect(childNames(d, 0)).toEqual(['main']);
    const main = d.firstChild[0];
    expect(childNames(d, main)).toEqual(['a', 'b', 'gone', 'fresh']);
  });

  it('carries both sides values on matched paths', () => {
    const find = (path: string[]) => {
      let u = 0;
      for (const f of path) {
        const kids = childNames(d, u);
        u = d.firstChild[u] + kids.indexOf(f);
      }
      return u;
    };
    const x = find(['main', 'a', 'x']);
    expect([d.beforeTotal[x], d.afterTotal[x], d.beforeSelf[x], d.afterSelf[x]]).toEqual([
      10, 4, 10, 4,
    ]);
    const b = find(['main', 'b']);
    expect([d.beforeTotal[b], d.afterTotal[b]]).toEqual([5, 20]);
    expect(d.beforeTotal[0]).toBe(17);
    expect(d.afterTotal[0]).toBe(27);
    const gone = find(['main', 'gone']);
    expect(d.afterNode[gone]).toBe(-1);
    expect(d.beforeNode[gone]).toBeGreaterThan(0);
  });

  it('lists frames present on one side only', () => {
    const { onlyBefore, onlyAfter } = oneSidedFrames(d);
    expect(onlyBefore).toEqual([{ path: ['main', 'gone'], total: 2 }]);
    expect(onlyAfter).toEqual([{ path: ['main', 'fresh'], total: 3 }]);
  });

  it('keeps siblings contiguous and parents before children', () => {
    for (let i = 1; i < d.length; i++) {
      const p = d.parent[i];
      expect(p).toBeLessThan(i);
      expect(i).toBeGreaterThanOrEqual(d.firstChild[p]);
      expect(i).toBeLessThan(d.firstChild[p] + d.childCount[p]);
    }
  });
});

describe('normalization and noise', () => {
  it('scales per second and by share, and says when a mode is unavailable', () => {
    const common = {
      beforeTotal: 200,
      afterTotal: 400,
      beforeDurationNanos: 10e9,
      afterDurationNanos: 20e9,
    };
    expect(normalizationScale({ mode: 'absolute', ...common })).toMatchObject({
      before: 1,
      after: 1,
    });
    expect(normalizationScale({ mode: 'per-second', ...common })).toMatchObject({
      before: 0.1,
      after: 0.05,
    });
    expect(normalizationScale({ mode: 'share', ...common })).toMatchObject({
      before: 1 / 200,
      after: 1 / 400,
    });
    expect(
      normalizationScale({ mode: 'per-second', ...common, afterDurationNanos: 0 }).unavailable,
    ).toMatch(/duration/);
  });

  it('treats changes within two Poisson standard deviations as noise', () => {
    const period = 10_000_000; // 10 ms per CPU sample
    // 100 vs 110 samples: |10| <= 2*sqrt(210) ≈ 29 → noise.
    expect(isWithinNoise(100 * period, 110 * period, period)).toBe(true);
    // 100 vs 150 samples: 50 > 2*sqrt(250) ≈ 31.6 → a real change.
    expect(isWithinNoise(100 * period, 150 * period, period)).toBe(false);
    expect(isWithinNoise(0, 1, 0)).toBe(false);
  });
});

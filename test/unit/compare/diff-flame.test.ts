import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../../core/pprof/calltree';
import {
  BUCKET_ADDED,
  BUCKET_DOWN,
  BUCKET_NOISE,
  BUCKET_REMOVED,
  BUCKET_UNCHANGED,
  BUCKET_UP,
  DIFF_BUCKETS,
  changeBucket,
  colorDiffTree,
  combinedTree,
  diffLegend,
  goMatchKey,
  goMatchKeyWithRenames,
  noisePeriodOf,
  sideTree,
  unionRank,
  withinNoiseScaled,
} from '../../../core/pprof/diff-flame';
import { layoutFlame } from '../../../core/pprof/flamegraph';
import { diffCallTrees, isWithinNoise, type DiffTree } from '../../../core/pprof/tree-diff';
import { buildProfile, type SampleSpec } from '../pprof/build-profile';

const PERIOD = 10_000_000;

function cpu(samples: Array<[string[], number]>, durationNanos = 10e9) {
  return buildProfile({
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    periodType: ['cpu', 'nanoseconds'],
    period: PERIOD,
    durationNanos,
    samples: samples.map(([stack, n]): SampleSpec => ({ stack, values: [n, n * PERIOD] })),
  });
}

function pathNode(d: DiffTree, path: string[]): number {
  let u = 0;
  for (const f of path) {
    let found = -1;
    for (let c = d.firstChild[u], e = c + d.childCount[u]; c < e && c >= 0; c++) {
      if (d.names[d.name[c]] === f) found = c;
    }
    if (found < 0) throw new Error(`no ${path.join('>')}`);
    u = found;
  }
  return u;
}

const base = cpu([
  [['main', 'hot'], 400],
  [['main', 'steady'], 100],
  [['main', 'gone'], 50],
  [['main', 'tiny'], 3],
]);
const next = cpu([
  [['main', 'hot'], 100],
  [['main', 'steady'], 104],
  [['main', 'fresh'], 80],
  [['main', 'tiny'], 5],
]);
const tree = (p: typeof base, sampleIndex: number) => buildCallTree(p, { sampleIndex });
const d = diffCallTrees(tree(base, 1), tree(next, 1));

describe('changeBucket', () => {
  it('maps halving and doubling to the strongest levels, symmetric in log ratio', () => {
    expect(changeBucket(100, 200, false)).toBe(BUCKET_UP + 9);
    expect(changeBucket(200, 100, false)).toBe(BUCKET_DOWN + 9);
    expect(changeBucket(100, 1000, false)).toBe(BUCKET_UP + 9);
    expect(changeBucket(100, 110, false) - BUCKET_UP).toBe(
      changeBucket(110, 100, false) - BUCKET_DOWN,
    );
    // Stronger changes never get a weaker level.
    let last = 0;
    for (let r = 1.01; r < 3; r += 0.05) {
      const b = changeBucket(100, 100 * r, false);
      expect(b).toBeGreaterThanOrEqual(last);
      last = b;
    }
  });

  it('has buckets for unchanged, noise, removed and added that fit the palette', () => {
    expect(changeBucket(100, 100.05, false)).toBe(BUCKET_UNCHANGED);
    expect(changeBucket(100, 300, true)).toBe(BUCKET_NOISE);
    expect(changeBucket(0, 5, false)).toBe(BUCKET_ADDED);
    expect(changeBucket(5, 0, false)).toBe(BUCKET_REMOVED);
    expect(changeBucket(0, 0, false)).toBe(BUCKET_UNCHANGED);
    expect(BUCKET_ADDED).toBeLessThan(DIFF_BUCKETS);
  });
});

describe('the 2√n noise rule under normalization', () => {
  it('equals tree-diff isWithinNoise with unit scales', () => {
    for (const [a, b] of [
      [100, 110],
      [100, 150],
      [0, 1],
      [3, 5],
      [400, 100],
      [0, 9],
    ] as const) {
      expect(withinNoiseScaled(a * PERIOD, b * PERIOD, PERIOD, 1, 1), `${a} vs ${b}`).toBe(
        isWithinNoise(a * PERIOD, b * PERIOD, PERIOD),
      );
    }
  });

  it('compares rates, not counts, per second: 100 samples in 10 s vs 200 in 20 s is no change', () => {
    const s = (ns: number) => 1e9 / ns;
    expect(withinNoiseScaled(100 * PERIOD, 200 * PERIOD, PERIOD, s(10e9), s(20e9))).toBe(true);
    // 100 in 10 s vs 400 in 20 s: the rate doubled, far outside the band.
    expect(withinNoiseScaled(100 * PERIOD, 400 * PERIOD, PERIOD, s(10e9), s(20e9))).toBe(false);
  });

  it('applies to CPU sample types only', () => {
    const cpuType = { type: 'cpu', unit: 'nanoseconds' };
    expect(noisePeriodOf(cpuType, cpuType, PERIOD)).toBe(PERIOD);
    expect(noisePeriodOf({ type: 'samples', unit: 'count' }, cpuType, PERIOD)).toBe(1);
    expect(
      noisePeriodOf(
        { type: 'inuse_space', unit: 'bytes' },
        { type: 'space', unit: 'bytes' },
        524288,
      ),
    ).toBe(0);
    expect(
      noisePeriodOf(
        { type: 'contentions', unit: 'count' },
        { type: 'contentions', unit: 'count' },
        1,
      ),
    ).toBe(0);
  });
});

describe('colorDiffTree', () => {
  it('colours real changes, marks changes within the noise neutral, one-sided frames apart', () => {
    const c = colorDiffTree(d, {
      mode: 'absolute',
      beforeDurationNanos: 10e9,
      afterDurationNanos: 10e9,
      noisePeriod: PERIOD,
    });
    const at = (path: string[]) => pathNode(d, path);
    // hot: 400 -> 100 samples, a real decrease.
    expect(c.bucket[at(['main', 'hot'])]).toBe(BUCKET_DOWN + 9);
    expect(c.noise[at(['main', 'hot'])]).toBe(0);
    // steady: 100 -> 104, |4| <= 2*sqrt(204): noise.
    expect(c.noise[at(['main', 'steady'])]).toBe(1);
    expect(c.bucket[at(['main', 'steady'])]).toBe(BUCKET_NOISE);
    // tiny: 3 -> 5 is noise too, though +67%.
    expect(c.bucket[at(['main', 'tiny'])]).toBe(BUCKET_NOISE);
    expect(c.bucket[at(['main', 'gone'])]).toBe(BUCKET_REMOVED);
    expect(c.bucket[at(['main', 'fresh'])]).toBe(BUCKET_ADDED);
    // Width: before + after.
    const hot = at(['main', 'hot']);
    expect(c.width[hot]).toBe(500 * PERIOD);
    expect(c.change[hot]).toBeCloseTo(-0.75, 12);
    expect(c.change[at(['main', 'fresh'])]).toBe(Infinity);
  });

  it('normalizes per second and by share, and falls back to absolute when it cannot', () => {
    const perSecond = colorDiffTree(d, {
      mode: 'per-second',
      beforeDurationNanos: 10e9,
      afterDurationNanos: 5e9,
      noisePeriod: 0,
    });
    expect(perSecond.mode).toBe('per-second');
    const main = pathNode(d, ['main']);
    expect(perSecond.before[main]).toBeCloseTo((553 * PERIOD) / 10, 3);
    expect(perSecond.after[main]).toBeCloseTo((289 * PERIOD) / 5, 3);
    const share = colorDiffTree(d, {
      mode: 'share',
      beforeDurationNanos: 0,
      afterDurationNanos: 0,
      noisePeriod: 0,
    });
    expect(share.before[0]).toBeCloseTo(1, 12);
    expect(share.after[0]).toBeCloseTo(1, 12);
    const missing = colorDiffTree(d, {
      mode: 'per-second',
      beforeDurationNanos: 0,
      afterDurationNanos: 5e9,
      noisePeriod: 0,
    });
    expect(missing.mode).toBe('absolute');
    expect(missing.unavailable).toMatch(/duration/);
  });

  it('names the normalization in force in the legend', () => {
    for (const [mode, text] of [
      ['absolute', 'absolute values'],
      ['per-second', 'per second of each profile'],
      ['share', 'share of total'],
    ] as const) {
      const c = colorDiffTree(d, {
        mode,
        beforeDurationNanos: 10e9,
        afterDurationNanos: 10e9,
        noisePeriod: PERIOD,
      });
      const l = diffLegend(c);
      expect(l.normalization).toContain(`Normalization: ${text}`);
      expect(l.special.map((e) => e.bucket)).toContain(BUCKET_NOISE);
    }
    const noNoise = diffLegend({ mode: 'absolute', noiseRule: false });
    expect(noNoise.special.map((e) => e.bucket)).not.toContain(BUCKET_NOISE);
    // The scale runs from the strongest decrease to the strongest increase.
    expect(noNoise.scale[0].bucket).toBe(BUCKET_DOWN + 9);
    expect(noNoise.scale[noNoise.scale.length - 1].bucket).toBe(BUCKET_UP + 9);
  });
});

describe('pane trees and layouts', () => {
  it('lays every pane out in the union order, so towers stay in place', () => {
    const c = colorDiffTree(d, {
      mode: 'absolute',
      beforeDurationNanos: 1,
      afterDurationNanos: 1,
      noisePeriod: 0,
    });
    const rank = unionRank(d);
    const before = layoutFlame(sideTree(d, 'before'), { rank });
    const after = layoutFlame(sideTree(d, 'after'), { rank });
    const diff = layoutFlame(combinedTree(d, c), { rank });
    const main = pathNode(d, ['main']);
    const kids = Array.from({ length: d.childCount[main] }, (_, k) => d.firstChild[main] + k);
    for (const layout of [before, after, diff]) {
      const drawn = kids
        .filter((k) => layout.width[k] > 0)
        .sort((a, b) => layout.x[a] - layout.x[b]);
      // Left to right in union order (the before order, new-only frames last).
      expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
    }
    // In the after pane, hot (now 100) still comes before steady (104): the before's order.
    expect(after.x[pathNode(d, ['main', 'hot'])]).toBeLessThan(
      after.x[pathNode(d, ['main', 'steady'])],
    );
    expect(diff.width[0]).toBe(c.width[0]);
  });
});

describe('Go-aware matching across builds', () => {
  it('folds closure numbers and generic instantiations', () => {
    expect(goMatchKey('main.(*service).reserveAll.func1')).toBe(
      goMatchKey('main.(*service).reserveAll.func3'),
    );
    expect(goMatchKey('main.run.func2.1')).toBe(goMatchKey('main.run.func1.4'));
    expect(goMatchKey('main.Map[go.shape.int,go.shape.string]')).toBe(goMatchKey('main.Map[...]'));
    expect(goMatchKey('main.handle.gowrap1')).toBe(goMatchKey('main.handle.gowrap2'));
    expect(goMatchKey('main.a')).not.toBe(goMatchKey('main.b'));
    const renamed = goMatchKeyWithRenames([{ from: 'main.parseOld', to: 'main.parseNew' }]);
    expect(renamed('main.parseOld')).toBe(renamed('main.parseNew'));
  });

  it('matches renumbered closures instead of listing one removed and one added', () => {
    const b = cpu([
      [['main', 'main.work.func1'], 10],
      [['main', 'main.work.func2'], 20],
    ]);
    const n = cpu([
      [['main', 'main.work.func2'], 12],
      [['main', 'main.work.func3'], 21],
    ]);
    const bt = tree(b, 0);
    const nt = tree(n, 0);
    const exact = diffCallTrees(bt, nt);
    const loose = diffCallTrees(bt, nt, { matchKey: goMatchKey });
    const oneSided = (t: DiffTree) =>
      Array.from({ length: t.length }, (_, i) => i).filter(
        (i) => i > 0 && (t.beforeNode[i] === -1 || t.afterNode[i] === -1),
      );
    expect(oneSided(exact).length).toBe(2);
    expect(oneSided(loose).length).toBe(0);
    // Exact names still win: func2 pairs with func2; the leftovers func1 and func3 pair up.
    const f2 = pathNode(loose, ['main', 'main.work.func2']);
    expect([loose.beforeTotal[f2], loose.afterTotal[f2]]).toEqual([20, 12]);
    const f1 = pathNode(loose, ['main', 'main.work.func1']);
    expect([loose.beforeTotal[f1], loose.afterTotal[f1]]).toEqual([10, 21]);
  });
});

// Merge identity rules, ScaleN/normalize and -diff_base vs -base on hand-built profiles.
import { describe, expect, it } from 'vitest';
import { combineForDiff, diffTable } from '../../../core/pprof/diff';
import {
  compatibilizeSampleTypes,
  mergeProfiles,
  normalizeTo,
  scaleSamples,
} from '../../../core/pprof/merge';
import { prepareProfile } from '../../../core/pprof/report';
import { topTable } from '../../../core/pprof/top';
import { buildProfile, sampleStacks, type ProfileSpec } from './build-profile';

const cpu: Array<[string, string]> = [
  ['samples', 'count'],
  ['cpu', 'nanoseconds'],
];

const before: ProfileSpec = {
  sampleTypes: cpu,
  durationNanos: 10,
  timeNanos: 500,
  period: 10,
  samples: [
    { stack: ['main', 'slow'], values: [8, 80] },
    { stack: ['main', 'common'], values: [2, 20], labels: { route: '/a' } },
  ],
};
const after: ProfileSpec = {
  sampleTypes: cpu,
  durationNanos: 20,
  timeNanos: 300,
  period: 20,
  samples: [
    { stack: ['main', 'fast'], values: [1, 10] },
    { stack: ['main', 'common'], values: [3, 30], labels: { route: '/a' } },
    { stack: ['main', 'common'], values: [1, 10] },
  ],
};

describe('merge', () => {
  it('adds samples with the same locations and labels, keeps the others apart', () => {
    const m = mergeProfiles([buildProfile(before), buildProfile(after)]);
    expect(m.samples.length).toBe(4);
    const stacks = sampleStacks(m).map((s) => s.join('>'));
    expect(stacks).toEqual(['main>slow', 'main>common', 'main>fast', 'main>common']);
    const nt = 2;
    expect(Array.from(m.samples.values.subarray(nt, 2 * nt))).toEqual([5, 50]);
    expect(m.functions.length).toBe(4);
    expect(m.locations.length).toBe(4);
    expect(m.mappings.length).toBe(1);
    // headers: earliest time, summed duration, largest period
    expect([m.timeNanos, m.durationNanos, m.period]).toEqual([300, 30, 20]);
    // ids renumbered 1..n
    expect(Array.from(m.locations.id)).toEqual([1, 2, 3, 4]);
  });

  it('drops samples that sum to zero and what only they used', () => {
    const a = buildProfile({
      sampleTypes: cpu,
      samples: [
        { stack: ['x', 'gone'], values: [1, 5] },
        { stack: ['x'], values: [1, 1] },
      ],
    });
    const b = scaleSamples(a, [-1, -1]);
    const m = mergeProfiles([
      a,
      scaleSamples(
        buildProfile({ sampleTypes: cpu, samples: [{ stack: ['x', 'gone'], values: [1, 5] }] }),
        [-1, -1],
      ),
    ]);
    expect(sampleStacks(m)).toEqual([['x']]);
    expect(m.functions.length).toBe(1);
    expect(b.samples.values[1]).toBe(-5);
  });

  it('keeps only common sample types, in the first profile order', () => {
    const periodType: [string, string] = ['x', 'count'];
    const a = buildProfile({
      sampleTypes: [
        ['a', 'count'],
        ['b', 'count'],
        ['c', 'count'],
      ],
      periodType,
      samples: [{ stack: ['f'], values: [1, 2, 3] }],
    });
    const b = buildProfile({
      sampleTypes: [
        ['c', 'count'],
        ['a', 'count'],
      ],
      periodType,
      samples: [{ stack: ['f'], values: [30, 10] }],
    });
    const [a2, b2] = compatibilizeSampleTypes([a, b]);
    expect(a2!.sampleTypes.map((t) => t.type)).toEqual(['a', 'c']);
    expect(Array.from(b2!.samples.values)).toEqual([10, 30]);
    const m = mergeProfiles([a, b]);
    expect(Array.from(m.samples.values)).toEqual([11, 33]);
  });

  it('rejects profiles with different period types', () => {
    const a = buildProfile({
      sampleTypes: [['a', 'count']],
      periodType: ['x', 'count'],
      samples: [],
    });
    const b = buildProfile({
      sampleTypes: [['a', 'count']],
      periodType: ['y', 'count'],
      samples: [],
    });
    expect(() => mergeProfiles([a, b])).toThrow(/incompatible/);
  });

  it('rejects profiles without common types', () => {
    const a = buildProfile({ sampleTypes: [['a', 'count']], samples: [] });
    const b = buildProfile({ sampleTypes: [['b', 'count']], samples: [] });
    expect(() => mergeProfiles([a, b])).toThrow(/no sample type in common/);
  });

  it('ScaleN rounds half away from zero and keeps a sample only for rescaled non-zeros', () => {
    const p = buildProfile({
      sampleTypes: cpu,
      samples: [
        { stack: ['f'], values: [5, 1] },
        { stack: ['g'], values: [5, 3] },
      ],
    });
    const s = scaleSamples(p, [1, 0.5]);
    // 1 * 0.5 = 0.5 -> 1 (away from zero); 3 * 0.5 = 1.5 -> 2
    expect(Array.from(s.samples.values)).toEqual([5, 1, 5, 2]);
    const z = scaleSamples(p, [1, 0.2]);
    // 1 * 0.2 rounds to 0: that sample goes although its first value is 5 (pprof's rule)
    expect(Array.from(z.samples.values)).toEqual([5, 1]);
    const n = normalizeTo(buildProfile(after), buildProfile(before));
    const sums = [0, 0];
    for (let i = 0; i < n.samples.length; i++)
      for (let t = 0; t < 2; t++) sums[t] += n.samples.values[i * 2 + t];
    expect(sums).toEqual([10, 100]);
  });
});

describe('diff', () => {
  const B = buildProfile(before);
  const A = buildProfile(after);

  it('-diff_base keeps base and new stacks apart; total is the sum of |base|', () => {
    const merged = combineForDiff(B, A, 'diff_base');
    expect(merged.samples.length).toBe(5);
    const prep = prepareProfile(merged, { sampleIndex: 'cpu' });
    expect(prep.total).toBe(100);
    const t = topTable(prep, { order: 'flat' });
    expect(Object.fromEntries(t.rows.map((r) => [r.name, [r.flat, r.cum]]))).toEqual({
      fast: [10, 10],
      common: [20, 20],
      main: [0, -50],
      slow: [-80, -80],
    });
  });

  it('-base cancels identical stacks; total is the sum of |merged|', () => {
    const merged = combineForDiff(B, A, 'base');
    expect(merged.samples.length).toBe(4);
    expect(prepareProfile(merged, { sampleIndex: 'cpu' }).total).toBe(10 + 10 + 10 + 80);
  });

  it('reports base and new side by side, sorted by |change of cum|', () => {
    const d = diffTable(B, A, { sampleIndex: 'cpu' });
    expect(d).toMatchObject({ baseTotal: 100, newTotal: 50, pprofTotal: 100, mode: 'diff_base' });
    expect(d.rows).toEqual([
      { name: 'slow', baseFlat: 80, newFlat: 0, baseCum: 80, newCum: 0 },
      { name: 'main', baseFlat: 0, newFlat: 0, baseCum: 100, newCum: 50 },
      { name: 'common', baseFlat: 20, newFlat: 40, baseCum: 20, newCum: 40 },
      { name: 'fast', baseFlat: 0, newFlat: 10, baseCum: 0, newCum: 10 },
    ]);
    const b = diffTable(B, A, { sampleIndex: 'cpu', mode: 'base', nodeCount: 2 });
    expect(b.pprofTotal).toBe(110);
    expect(b.rows.map((r) => r.name)).toEqual(['slow', 'main']);
    expect(b.rowCount).toBe(4);
  });

  it('normalizes NEW to BASE totals per sample type', () => {
    const d = diffTable(B, A, { sampleIndex: 'cpu', normalize: true });
    expect(d.newTotal).toBe(100);
    expect(d.rows.find((r) => r.name === 'main')!.newCum).toBe(100);
  });
});

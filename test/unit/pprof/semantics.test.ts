// flat/cum, totals, sample index choice and granularities on hand-built profiles.
import { describe, expect, it } from 'vitest';
import { prepareProfile } from '../../../core/pprof/report';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import { topTable } from '../../../core/pprof/top';
import { computeFrameKeys, parseGranularity } from '../../../core/pprof/granularity';
import { isReportError } from '../../../core/pprof/report-error';
import { buildProfile } from './build-profile';

function rows(
  p: Parameters<typeof prepareProfile>[0],
  opts: Parameters<typeof prepareProfile>[1] = {},
  top: Parameters<typeof topTable>[1] = {},
) {
  const t = topTable(prepareProfile(p, opts), { order: 'flat', ...top });
  return Object.fromEntries(t.rows.map((r) => [r.name, [r.flat, r.cum]]));
}

describe('sample index (SampleIndexByName)', () => {
  const types: Array<[string, string]> = [
    ['alloc_objects', 'count'],
    ['alloc_space', 'bytes'],
    ['inuse_objects', 'count'],
    ['inuse_space', 'bytes'],
  ];
  const heap = buildProfile({ sampleTypes: types, samples: [] });
  const allocs = buildProfile({
    sampleTypes: types,
    defaultSampleType: 'alloc_space',
    samples: [],
  });

  it('uses default_sample_type, else the last type', () => {
    expect(resolveSampleIndex(heap).index).toBe(3);
    expect(resolveSampleIndex(allocs).index).toBe(1);
    const badDefault = buildProfile({ sampleTypes: types, defaultSampleType: 'nope', samples: [] });
    expect(resolveSampleIndex(badDefault).index).toBe(3);
  });

  it('accepts numbers, names, the inuse_ prefix and mean_', () => {
    expect(resolveSampleIndex(heap, 0).index).toBe(0);
    expect(resolveSampleIndex(heap, '2').index).toBe(2);
    expect(resolveSampleIndex(heap, 'alloc_space').index).toBe(1);
    const legacy = buildProfile({
      sampleTypes: [
        ['objects', 'count'],
        ['space', 'bytes'],
      ],
      samples: [],
    });
    expect(resolveSampleIndex(legacy, 'inuse_space').index).toBe(1);
    const mutex = buildProfile({
      sampleTypes: [
        ['contentions', 'count'],
        ['delay', 'nanoseconds'],
      ],
      samples: [],
    });
    const mean = resolveSampleIndex(mutex, 'mean_delay');
    expect(mean).toMatchObject({ index: 1, mean: true, label: 'mean_delay' });
  });

  it('rejects out-of-range and unknown indexes with a clear message', () => {
    expect(() => resolveSampleIndex(heap, 4)).toThrow(/outside the range \[0\.\.3\]/);
    expect(() => resolveSampleIndex(heap, 'cpu')).toThrow(/must be one of: alloc_objects/);
    let thrown: unknown;
    try {
      resolveSampleIndex(heap, -1);
    } catch (e) {
      thrown = e;
    }
    expect(thrown, 'a negative index is rejected').toBeDefined();
    expect(isReportError(thrown) && thrown.kind).toBe('bad-sample-index');
  });
});

describe('flat and cum', () => {
  const cpu: Array<[string, string]> = [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ];

  it('counts recursion once per sample and flat to the leaf', () => {
    const p = buildProfile({
      sampleTypes: cpu,
      samples: [
        { stack: ['main', 'walk', 'walk', 'walk', 'leaf'], values: [1, 10] },
        { stack: ['main', 'walk', 'walk'], values: [2, 20] },
        { stack: ['main', 'other'], values: [4, 40] },
      ],
    });
    expect(rows(p)).toEqual({
      other: [40, 40],
      walk: [20, 30],
      leaf: [10, 10],
      main: [0, 70],
    });
    expect(rows(p, { sampleIndex: 0 })).toMatchObject({ walk: [2, 3], main: [0, 7] });
  });

  it('gives inlined frames their own rows and flat to the innermost Line', () => {
    const p = buildProfile({
      sampleTypes: cpu,
      samples: [
        // one location: hash inlined into score inlined into process
        { stack: ['main', ['hash', 'score', 'process']], values: [1, 5] },
        { stack: ['main', ['score', 'process']], values: [1, 7] },
        // recursion through an inlined copy is still counted once
        { stack: ['main', ['walk', 'walk'], 'walk'], values: [1, 3] },
      ],
    });
    expect(rows(p)).toEqual({
      hash: [5, 5],
      score: [7, 12],
      walk: [3, 3],
      process: [0, 12],
      main: [0, 15],
    });
    // noinlines keeps only the real caller of each location.
    expect(rows(p, {}, { noInlines: true })).toEqual({
      process: [12, 12],
      walk: [3, 3],
      main: [0, 15],
    });
  });

  it('skips zero samples, keeps negative values and reports the total of |values|', () => {
    const p = buildProfile({
      sampleTypes: cpu,
      samples: [
        { stack: ['a', 'b'], values: [0, 0] },
        { stack: ['a', 'c'], values: [1, -30] },
        { stack: ['a', 'c'], values: [1, 10] },
      ],
    });
    const t = topTable(prepareProfile(p), { order: 'flat' });
    expect(t.rows).toEqual([
      { name: 'a', flat: 0, cum: -20 },
      { name: 'c', flat: -20, cum: -20 },
    ]);
    expect(t.total).toBe(40);
  });

  it('computes the mean over value[0] with truncation', () => {
    const p = buildProfile({
      sampleTypes: [
        ['contentions', 'count'],
        ['delay', 'nanoseconds'],
      ],
      samples: [
        { stack: ['m', 'lock'], values: [3, 100] },
        { stack: ['m', 'wait'], values: [2, 7] },
      ],
    });
    const t = topTable(prepareProfile(p, { sampleIndex: 'mean_delay' }), { order: 'flat' });
    expect(t.typeLabel).toBe('mean_delay');
    expect(t.total).toBe(Math.trunc(107 / 5));
    expect(Object.fromEntries(t.rows.map((r) => [r.name, [r.flat, r.cum]]))).toEqual({
      lock: [33, 33],
      wait: [3, 3],
      m: [0, 21],
    });
  });

  it('sorts flat desc, cum desc, name (JSON order) and keeps pprof order for text', () => {
    const p = buildProfile({
      sampleTypes: cpu,
      samples: [
        { stack: ['z', 'y', 'x'], values: [1, 10] },
        { stack: ['b', 'a'], values: [1, 10] },
        { stack: ['c'], values: [1, 5] },
      ],
    });
    const json = topTable(prepareProfile(p), { order: 'flat' }).rows.map((r) => r.name);
    expect(json).toEqual(['a', 'x', 'c', 'b', 'y', 'z']);
    const text = topTable(prepareProfile(p)).rows.map((r) => r.name);
    expect(text).toEqual(['a', 'x', 'c', 'b', 'y', 'z']);
  });

  it('applies nodecount after sorting and nodefraction against the summed flat', () => {
    const p = buildProfile({
      sampleTypes: cpu,
      samples: [
        { stack: ['m', 'big'], values: [1, 990] },
        { stack: ['m', 'tiny'], values: [1, 4] },
        { stack: ['m', 'mid'], values: [1, 6] },
      ],
    });
    const t = topTable(prepareProfile(p), { nodeCount: 2 });
    expect(t.rows.map((r) => r.name)).toEqual(['big', 'mid']);
    expect(t.origCount).toBe(4);
    const f = topTable(prepareProfile(p), { nodeFraction: 0.005 });
    // cutoff = trunc(1000 * 0.005) = 5: tiny (cum 4) is dropped
    expect(f.rows.map((r) => r.name)).toEqual(['big', 'mid', 'm']);
    expect(f.droppedNodes).toBe(1);
  });
});

describe('granularity', () => {
  const p = buildProfile({
    sampleTypes: [['samples', 'count']],
    files: { 'pkg.A': 'src/pkg/a.go', 'pkg.B': 'src/pkg/a.go', main: '/proc/self/cwd/./main.go' },
    startLines: { 'pkg.A': 3, 'pkg.B': 40 },
    samples: [
      { stack: ['main', 'pkg.A'], values: [2] },
      { stack: ['main', 'pkg.B'], values: [3] },
    ],
  });

  it('names nodes like pprof at each granularity', () => {
    expect(Object.keys(rows(p, {}, { granularity: 'functions' })).sort()).toEqual([
      'main',
      'pkg.A',
      'pkg.B',
    ]);
    expect(Object.keys(rows(p, {}, { granularity: 'filefunctions' })).sort()).toEqual([
      'main main.go',
      'pkg.A src/pkg/a.go',
      'pkg.B src/pkg/a.go',
    ]);
    const lines = Object.keys(rows(p, {}, { granularity: 'lines' }));
    expect(lines.every((n) => /^\S+ \S+:\d+$/.test(n))).toBe(true);
  });

  it('keeps two functions of one file apart at files granularity (pprof keys on start line)', () => {
    const t = topTable(prepareProfile(p), { granularity: 'files', order: 'flat' });
    expect(t.rows).toEqual([
      { name: 'src/pkg/a.go', flat: 3, cum: 3 },
      { name: 'src/pkg/a.go', flat: 2, cum: 2 },
      { name: 'main.go', flat: 0, cum: 5 },
    ]);
  });

  it('prints addresses as 16 hex digits', () => {
    const keys = computeFrameKeys(p, { granularity: 'addresses' });
    expect(keys.names.some((n) => /^0000000000401000 main main\.go:\d+$/.test(n))).toBe(true);
  });

  it('rejects unknown granularities', () => {
    expect(parseGranularity(undefined)).toBe('functions');
    expect(() => parseGranularity('modules')).toThrow(/unknown granularity 'modules'/);
  });
});

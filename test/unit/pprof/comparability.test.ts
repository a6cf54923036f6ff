import { describe, expect, it } from 'vitest';
import { checkComparability, type ComparableSide } from '../../../core/pprof/comparability';

const cpu = (over: Partial<ComparableSide> = {}): ComparableSide => ({
  sampleTypes: [
    { type: 'samples', unit: 'count' },
    { type: 'cpu', unit: 'nanoseconds' },
  ],
  periodType: { type: 'cpu', unit: 'nanoseconds' },
  period: 10_000_000,
  durationNanos: 30e9,
  totals: [3000, 30e9],
  buildIds: ['abc'],
  kind: 'cpu',
  ...over,
});

const kinds = (a: ComparableSide, b: ComparableSide) => checkComparability(a, b).map((f) => f.kind);

describe('checkComparability', () => {
  it('finds nothing for like profiles', () => {
    expect(checkComparability(cpu(), cpu())).toEqual([]);
  });

  it('flags different sample types as an error', () => {
    const heap = cpu({
      sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }],
      totals: [10],
      kind: 'heap',
    });
    const f = checkComparability(cpu(), heap);
    expect(f[0]).toMatchObject({ kind: 'sample-types', severity: 'error' });
    expect(f[0].message).toContain('inuse_space/bytes');
  });

  it('flags different periods', () => {
    expect(kinds(cpu(), cpu({ period: 1_000_000 }))).toContain('period');
  });

  it('flags durations more than 10% apart, not 10% or less', () => {
    expect(kinds(cpu(), cpu({ durationNanos: 27e9 }))).not.toContain('duration');
    const f = checkComparability(cpu(), cpu({ durationNanos: 10e9 }));
    expect(f.map((x) => x.kind)).toContain('duration');
    // Read as durations, not as a percentage (issue 12 item 9), in before/after words.
    const msg = f.find((x) => x.kind === 'duration')!.message;
    expect(msg).toContain('30 s vs 10 s (3×');
    expect(msg).toContain('the before profile is longer');
    expect(msg).not.toMatch(/%|\bbase\b|\bnew\b/);
    const r = checkComparability(cpu({ durationNanos: 10e9 }), cpu({ durationNanos: 15e9 }));
    expect(r.find((x) => x.kind === 'duration')!.message).toContain('15 s vs 10 s (1.5×');
  });

  it('flags a delta capture against a cumulative one', () => {
    const f = checkComparability(cpu({ isDelta: true }), cpu({ isDelta: false }));
    expect(f).toContainEqual(
      expect.objectContaining({ kind: 'delta-vs-cumulative', side: 'base', severity: 'error' }),
    );
    expect(kinds(cpu({ isDelta: true }), cpu())).not.toContain('delta-vs-cumulative');
  });

  it('names the fix when a mutex or block profile is empty', () => {
    const mutex = (totals: number[]) =>
      cpu({
        sampleTypes: [
          { type: 'contentions', unit: 'count' },
          { type: 'delay', unit: 'nanoseconds' },
        ],
        totals,
        kind: 'mutex',
      });
    const f = checkComparability(mutex([10, 5000]), mutex([0, 0]));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'empty-contention', side: 'new' });
    expect(f[0].message).toContain('runtime.SetMutexProfileFraction');
    const block = checkComparability(
      { ...mutex([0, 0]), kind: 'block' },
      { ...mutex([1, 1]), kind: 'block' },
    );
    expect(block[0].message).toContain('runtime.SetBlockProfileRate');
  });

  it('flags different builds and Go versions', () => {
    expect(kinds(cpu(), cpu({ buildIds: ['def'] }))).toContain('build');
    expect(kinds(cpu({ goVersion: 'go1.25.1' }), cpu({ goVersion: 'go1.26.0' }))).toContain(
      'go-version',
    );
  });
});

// An empty capture explains itself (issue 12 item 2): the library records how many samples a
// profile holds, and an empty one gets a reason a user can act on: no GC in a heap/allocs
// delta window, profiling rates off for mutex/block (Contention's own message).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProfileReason } from '../../../core/library/empty';
import { contentionEmptyMessage } from '../../../core/pprof/contention';
import { detectSnapshot } from '../../../electron/services/library/detect';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

describe('empty profiles', () => {
  it('the library counts samples: real profiles have some, a no-rates mutex profile none', async () => {
    const cpu = await detectSnapshot(
      readFileSync(join(FIXTURES, 'before', 'cpu.pb.gz')),
      'cpu.pb.gz',
    );
    expect(cpu.sampleCount).toBeGreaterThan(0);
    const mutex = await detectSnapshot(
      readFileSync(join(FIXTURES, 'no-rates', 'mutex.pb.gz')),
      'mutex.pb.gz',
    );
    expect(mutex.sampleCount).toBe(0);
    const trace = await detectSnapshot(
      readFileSync(join(FIXTURES, 'before', 'trace.out')),
      't.out',
    );
    expect(trace.sampleCount).toBeNull();
  });

  it('an allocs or heap delta with no GC in the window says so and what to do', () => {
    for (const kind of ['allocs', 'heap'] as const) {
      const why = emptyProfileReason({
        kind,
        durationNanos: 30e9,
        delta: true,
        seconds: 30,
        sampleCount: 0,
      });
      expect(why).toContain('no GC ran during the 30 s window: lengthen it or capture with gc=1');
    }
  });

  it('mutex and block reuse the Contention message naming the rate setting', () => {
    expect(emptyProfileReason({ kind: 'mutex', durationNanos: 5e9, sampleCount: 0 })).toBe(
      contentionEmptyMessage('mutex', 5e9),
    );
    expect(emptyProfileReason({ kind: 'block', durationNanos: null, sampleCount: 0 })).toContain(
      'runtime.SetBlockProfileRate',
    );
  });

  it('a profile with samples, or an unknown count, has no reason', () => {
    expect(
      emptyProfileReason({ kind: 'allocs', durationNanos: null, delta: true, sampleCount: 3 }),
    ).toBeNull();
    expect(emptyProfileReason({ kind: 'allocs', durationNanos: null, delta: true })).toBeNull();
  });
});

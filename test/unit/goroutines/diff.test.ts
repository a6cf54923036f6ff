import { describe, expect, it } from 'vitest';
import { diffGoroutines } from '../../../core/goroutines/diff';
import { goroutineDumpFromProfile } from '../../../core/goroutines/from-profile';
import { groupGoroutines } from '../../../core/goroutines/groups';
import { parseGoroutineDump } from '../../../core/goroutines/parse';
import { decodeProfile } from '../../../core/pprof/decode';
import { testdata } from './testdata';

const AWAIT = 'main.(*notifier).awaitAck';
const text = (name: string) => groupGoroutines(parseGoroutineDump(testdata(name)));
const proto = (name: string) =>
  groupGoroutines(goroutineDumpFromProfile(decodeProfile(testdata(name))));

describe('goroutine diff', () => {
  const early = text('goroutine-early-debug2.txt');
  const late = text('goroutine-late-debug2.txt');

  it('finds the group that grew and calls it a leak suspect', () => {
    const d = diffGoroutines([early, late], { longWaitMinutes: 2 });
    expect(d.totals).toEqual([54, 65]);
    const top = d.rows[0];
    expect(top.title).toBe(AWAIT);
    expect(top.counts).toEqual([37, 48]);
    expect(top.delta).toBe(11);
    expect(top.change).toBe('grew');
    expect(top.longWaiting).toEqual([0, 37]);
    expect(top.leakSuspect).toBe(true);
    expect(top.reason).toBe(
      `${AWAIT}: 37 → 48 goroutines (+11), growing between the two snapshots; 37 parked ≥ 2 minutes, 37 more than before`,
    );
    expect(d.suspects.map((r) => r.title)).toEqual([AWAIT]);
    // Every other group is unchanged (the writer's stack is the same in both dumps).
    expect(
      d.rows.slice(1).every((r) => r.change === 'same' && !r.leakSuspect && r.reason === ''),
    ).toBe(true);
    const chan = d.byState.find((s) => s.state === 'chan receive')!;
    expect(chan.counts).toEqual([39, 50]);
  });

  it('needs growth at every step, and at least minGrowth', () => {
    const three = diffGoroutines([early, late, late]);
    expect(three.rows[0].growsEveryTime).toBe(false);
    expect(three.suspects).toEqual([]);
    expect(diffGoroutines([early, late], { minGrowth: 12 }).suspects).toEqual([]);
    const shrink = diffGoroutines([late, early]);
    expect(shrink.rows[0].change).toBe('shrank');
    expect(shrink.rows[0].delta).toBe(-11);
    expect(shrink.suspects).toEqual([]);
  });

  it('matches a text dump against a proto profile by function names', () => {
    const d = diffGoroutines([proto('goroutine-early.pb.gz'), late]);
    const top = d.rows[0];
    expect([top.title, ...top.counts]).toEqual([AWAIT, 37, 48]);
    expect(top.longWaiting).toEqual([null, 0]);
    // Only the writer's stack differs between a proto profile and a debug=2 dump; the deep
    // recursion matches on its innermost 50 frames.
    const changed = d.rows.filter((r) => r.change !== 'same');
    expect(changed.map((r) => [r.change, r.title]).sort()).toEqual([
      ['grew', AWAIT],
      ['new', 'main.writeProfile'],
      ['vanished', 'main.writeProfile'],
    ]);
    expect(d.rows.find((r) => r.title === 'main.recurse')!.counts).toEqual([1, 1]);
  });

  it('reports new and vanished groups', () => {
    const d = diffGoroutines([
      text('goroutine-early-debug1.txt'),
      text('goroutine-late-debug1.txt'),
    ]);
    expect(d.rows[0].counts).toEqual([37, 48]);
    expect(() => diffGoroutines([late])).toThrow(RangeError);
  });
});

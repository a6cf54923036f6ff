import { describe, expect, it } from 'vitest';
import { gcRateSeries, readGcTrace, summarizeGcTrace } from '../../../core/gctrace';
import { REAL_BEFORE } from './real-lines';

/** A synthetic line in the runtime's layout. */
function line(
  num: number,
  atS: number,
  stw1: number,
  stw2: number,
  live: number,
  goal: number,
  forced = false,
): string {
  return (
    `gc ${num} @${atS.toFixed(3)}s 5%: ${stw1}+1.0+${stw2} ms clock, 0.1+0.2/0.3/0.4+0.5 ms cpu, ` +
    `${live + 2}->${live + 3}->${live} MB, ${goal} MB goal, 0 MB stacks, 0 MB globals, 4 P${forced ? ' (forced)' : ''}`
  );
}

describe('summarizeGcTrace', () => {
  it('gives the guide figures: GCs per second, pause total and max, heap growth per minute', () => {
    // 81 cycles 0.125 s apart (10 s): 8 GCs per second; live heap +1 MB per cycle = 480 MB/min.
    const n = 81;
    const lines = Array.from({ length: n }, (_, i) =>
      line(i + 1, 10 + i * 0.125, 0.1, 0.05 * (i + 1), 10 + i, 20 + 2 * i, i === n - 1),
    );
    const s = summarizeGcTrace(readGcTrace(lines.join('\n')).streams[0]);
    expect(s.cycles).toBe(n);
    expect(s.forced).toBe(1);
    expect(s.spanS).toBeCloseTo(10, 9);
    expect(s.gcPerSecond).toBeCloseTo(8, 9);
    expect(s.peakGcPerSecond).toBe(8);
    // Pauses: 0.1 + 0.05·k for k = 1..81.
    expect(s.pauseTotalMs).toBeCloseTo(0.1 * n + (0.05 * n * (n + 1)) / 2, 9);
    expect(s.pauseMaxMs).toBeCloseTo(0.1 + 0.05 * n, 9);
    expect(s.pauseMaxNum).toBe(n);
    expect(s.heapGrowthMBPerMin).toBeCloseTo(480, 6);
    expect([s.heapLiveFirstMB, s.heapLiveLastMB, s.heapGoalLastMB, s.heapGoalMaxMB]).toEqual([
      10,
      10 + n - 1,
      20 + 2 * (n - 1),
      20 + 2 * (n - 1),
    ]);
    expect(s.gcCpuPct).toBe(5);
    expect(s.procs).toBe(4);
  });

  it('gives no rate under a second and no growth per minute under five seconds', () => {
    // Two start-up GCs 18 ms apart are not "55 GCs per second".
    const short = summarizeGcTrace(
      readGcTrace([line(1, 0.101, 0.1, 0.1, 3, 5), line(2, 0.119, 0.1, 0.1, 6, 7)].join('\n'))
        .streams[0],
    );
    expect(short.gcPerSecond).toBeNull();
    expect(short.heapGrowthMBPerMin).toBeNull();
    expect(short.peakGcPerSecond).toBe(2);
    const three = summarizeGcTrace(
      readGcTrace([line(1, 1, 0.1, 0.1, 3, 5), line(2, 4, 0.1, 0.1, 6, 7)].join('\n')).streams[0],
    );
    expect(three.gcPerSecond).toBeCloseTo(1 / 3, 9);
    expect(three.heapGrowthMBPerMin).toBeNull();
  });

  it('sums the real log the way a reader would by hand', () => {
    const s = summarizeGcTrace(readGcTrace(REAL_BEFORE).streams[0]);
    // 0.25+0.008, 0.18+0.20, 0.26+0.20, 0.16+0.008, 6.0+1.8, 0.084+0.15, 0.080+0.18, 0.20+0.12,
    // 10+0.15, 0.31+0.006, 0.29+0.005
    expect(s.pauseTotalMs).toBeCloseTo(20.641, 9);
    expect(s.pauseMaxMs).toBeCloseTo(10.15, 9);
    expect(s.pauseMaxNum).toBe(9);
    expect(s.gcPerSecond).toBeCloseTo(10 / (2.255 - 0.011), 9);
    expect(s.releasedKiB).toBe(6008);
  });

  it('has no rate or growth for a single cycle', () => {
    const s = summarizeGcTrace(readGcTrace(line(1, 1, 0.1, 0.1, 1, 4)).streams[0]);
    expect(s.gcPerSecond).toBeNull();
    expect(s.heapGrowthMBPerMin).toBeNull();
  });
});

describe('gcRateSeries', () => {
  it('counts cycle starts per second in 1 s bins', () => {
    const lines = [0.1, 0.2, 0.9, 1.5, 3.2].map((t, i) => line(i + 1, t, 0.1, 0.1, 1, 4));
    const r = gcRateSeries(readGcTrace(lines.join('\n')).streams[0].cycles);
    expect(r.binS).toBe(1);
    expect(Array.from(r.startS)).toEqual([0, 1, 2, 3]);
    expect(Array.from(r.perSecond)).toEqual([3, 1, 0, 1]);
  });

  it('widens the bins for a long log and keeps the rate per second', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => line(i + 1, i * 2, 0.1, 0.1, 1, 4));
    const r = gcRateSeries(readGcTrace(lines.join('\n')).streams[0].cycles, 100);
    expect(r.perSecond.length).toBeLessThanOrEqual(100);
    expect(r.binS).toBe(20);
    expect(r.perSecond[0]).toBeCloseTo(0.5, 9);
  });
});

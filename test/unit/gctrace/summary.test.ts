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
    // 9 cycles, 0.125 s apart: 8 GCs per second; live heap +1 MB per cycle = 8 MB/s = 480 MB/min.
    const lines = Array.from({ length: 9 }, (_, i) =>
      line(i + 1, 10 + i * 0.125, 0.1, 0.05 * (i + 1), 10 + i, 20 + 2 * i, i === 8),
    );
    const s = summarizeGcTrace(readGcTrace(lines.join('\n')).streams[0]!);
    expect(s.cycles).toBe(9);
    expect(s.forced).toBe(1);
    expect(s.spanS).toBeCloseTo(1, 9);
    expect(s.gcPerSecond).toBeCloseTo(8, 9);
    expect(s.peakGcPerSecond).toBe(8);
    // Pauses: 0.1 + 0.05·k for k = 1..9.
    expect(s.pauseTotalMs).toBeCloseTo(0.9 + 0.05 * 45, 9);
    expect(s.pauseMaxMs).toBeCloseTo(0.55, 9);
    expect(s.pauseMaxNum).toBe(9);
    expect(s.heapGrowthMBPerMin).toBeCloseTo(480, 6);
    expect([s.heapLiveFirstMB, s.heapLiveLastMB, s.heapGoalLastMB, s.heapGoalMaxMB]).toEqual([
      10, 18, 36, 36,
    ]);
    expect(s.gcCpuPct).toBe(5);
    expect(s.procs).toBe(4);
  });

  it('sums the real log the way a reader would by hand', () => {
    const s = summarizeGcTrace(readGcTrace(REAL_BEFORE).streams[0]!);
    // 0.25+0.008, 0.18+0.20, 0.26+0.20, 0.16+0.008, 6.0+1.8, 0.084+0.15, 0.080+0.18, 0.20+0.12,
    // 10+0.15, 0.31+0.006, 0.29+0.005
    expect(s.pauseTotalMs).toBeCloseTo(20.641, 9);
    expect(s.pauseMaxMs).toBeCloseTo(10.15, 9);
    expect(s.pauseMaxNum).toBe(9);
    expect(s.gcPerSecond).toBeCloseTo(10 / (2.255 - 0.011), 9);
    expect(s.releasedKiB).toBe(6008);
  });

  it('has no rate or growth for a single cycle', () => {
    const s = summarizeGcTrace(readGcTrace(line(1, 1, 0.1, 0.1, 1, 4)).streams[0]!);
    expect(s.gcPerSecond).toBeNull();
    expect(s.heapGrowthMBPerMin).toBeNull();
  });
});

describe('gcRateSeries', () => {
  it('counts cycle starts per second in 1 s bins', () => {
    const lines = [0.1, 0.2, 0.9, 1.5, 3.2].map((t, i) => line(i + 1, t, 0.1, 0.1, 1, 4));
    const r = gcRateSeries(readGcTrace(lines.join('\n')).streams[0]!.cycles);
    expect(r.binS).toBe(1);
    expect(Array.from(r.startS)).toEqual([0, 1, 2, 3]);
    expect(Array.from(r.perSecond)).toEqual([3, 1, 0, 1]);
  });

  it('widens the bins for a long log and keeps the rate per second', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => line(i + 1, i * 2, 0.1, 0.1, 1, 4));
    const r = gcRateSeries(readGcTrace(lines.join('\n')).streams[0]!.cycles, 100);
    expect(r.perSecond.length).toBeLessThanOrEqual(100);
    expect(r.binS).toBe(20);
    expect(r.perSecond[0]).toBeCloseTo(0.5, 9);
  });
});

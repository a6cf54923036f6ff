// GC logs of the real target (test/targets/orders) under GODEBUG=gctrace=1, with the
// installed Go (1.26) and Go 1.27 (GOTOOLCHAIN=go1.27.3): the reader's counts and sums agree
// with the program's own runtime.ReadMemStats, printed at exit by -memstats-at-exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GC_FORCED, readGcTrace, summarizeGcTrace } from '../../core/gctrace';
import { runWithGcTrace, type GcTraceRun, type Toolchain } from '../helpers/gctrace-run';

/**
 * The runtime starts its pause clock (stw.startedStopping) a moment after the printed phase
 * start (work.tSweepTerm) and may add a short pause when mark termination restarts, which
 * gctrace does not print: allowed per cycle, on top of the printed values' truncation.
 */
const PER_CYCLE_SLACK_MS = 0.05;

/** The truncation step of a printed fmtNSAsMS value: 1 ms for "12", 0.001 ms for "0.018". */
function unitOf(printed: string): number {
  const dot = printed.indexOf('.');
  return dot < 0 ? 1 : 10 ** -(printed.length - dot - 1);
}

/** Printed pauses of cycles 1..numGC, read by an independent split of the text. */
function printedPauses(stderr: string, numGC: number): { sum: number; units: number; n: number } {
  let sum = 0;
  let units = 0;
  let n = 0;
  for (const l of stderr.split('\n')) {
    if (!l.startsWith('gc ')) continue;
    const num = Number(l.slice(3, l.indexOf(' ', 3)));
    if (num > numGC) continue;
    const clock = l.slice(l.indexOf(': ') + 2, l.indexOf(' ms clock'));
    const [a, , c] = clock.split('+') as [string, string, string];
    sum += Number(a) + Number(c);
    units += unitOf(a) + unitOf(c);
    n++;
  }
  return { sum, units, n };
}

const TOOLCHAINS: [string, Toolchain, RegExp][] = [
  ['installed Go (1.26)', 'local', /^go1\.26/],
  ['Go 1.27', 'go1.27.3', /^go1\.27\.3$/],
];

describe.each(TOOLCHAINS)('gctrace of orders with %s', (_name, toolchain, version) => {
  let dir: string;
  let run: GcTraceRun;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pprofstudio-gctrace-'));
    run = await runWithGcTrace({
      toolchain,
      mode: 'before',
      dir,
      duration: '2s',
      godebug: 'scavtrace=1',
    });
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ran the toolchain asked for', () => {
    expect(run.goVersion).toMatch(version);
  });

  it('reads one cycle per GC the runtime counted, forced ones included', () => {
    const t = readGcTrace(run.stderr);
    expect(t.streams).toHaveLength(1);
    expect(t.unreadable.count).toBe(0);
    const c = t.streams[0].cycles;
    const m = run.memstats;
    expect(m.NumGC).toBeGreaterThan(3);
    // A GC may start after ReadMemStats and print before exit: compare cycles 1..NumGC.
    const counted = Array.from(c.num).filter((n) => n <= m.NumGC);
    expect(counted).toEqual(Array.from({ length: m.NumGC }, (_, i) => i + 1));
    let forced = 0;
    for (let i = 0; i < c.length; i++) if (c.num[i] <= m.NumGC && c.flags[i] & GC_FORCED) forced++;
    expect(forced).toBe(m.NumForcedGC);
    expect(m.NumForcedGC).toBeGreaterThanOrEqual(1); // write mode calls runtime.GC()
    expect(t.streams[0].scav.length).toBeGreaterThan(0);
  });

  it('sums pauses to PauseTotalNs within the rounding of the printed values', () => {
    const m = run.memstats;
    const t = readGcTrace(run.stderr);
    const s = summarizeGcTrace(t.streams[0]);
    const p = printedPauses(run.stderr, m.NumGC);
    expect(p.n).toBe(m.NumGC);
    // The reader's pause total over every cycle it read equals the independent sum, when
    // no cycle ran after ReadMemStats.
    if (s.cycles === m.NumGC) expect(s.pauseTotalMs).toBeCloseTo(p.sum, 9);
    const pauseMs = m.PauseTotalNs / 1e6;
    const slack = PER_CYCLE_SLACK_MS * p.n;
    expect(pauseMs).toBeGreaterThanOrEqual(p.sum - slack);
    expect(pauseMs).toBeLessThanOrEqual(p.sum + p.units + slack);
  });
});

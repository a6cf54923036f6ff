// gc-pressure from a GC log at the edges of its thresholds (gcPerSecond, stwShare, gcPauseMax,
// heapGrowthPerMinute), GC logs told by content in a snapshot set, and the report's GC rows.
import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../../../core/insights/thresholds';
import { loadSnapshotSet } from '../../../core/insights/snapshot-set';
import { runInsights } from '../../../core/insights/insights';
import { buildReport } from '../../../core/insights/report';
import { gcLogMetrics } from '../../../core/insights/rules-gclog';
import type { LoadedSnapshot, SnapshotSet } from '../../../core/insights/model';
import type { TraceModel } from '../../../core/trace/model';

interface Cycle {
  atS: number;
  /** STW sweep termination and mark termination, ms. */
  stw: [number, number];
  live: number;
}

function line(num: number, c: Cycle): string {
  return (
    `gc ${num} @${c.atS.toFixed(3)}s 3%: ${c.stw[0]}+1.0+${c.stw[1]} ms clock, 0.1+0.2/0.3/0.4+0.5 ms cpu, ` +
    `${c.live + 2}->${c.live + 3}->${c.live} MB, ${c.live * 2 + 4} MB goal, 0 MB stacks, 0 MB globals, 4 P`
  );
}

/** n cycles `dt` s apart from 1 s, each pausing `stw`, the live heap growing `grow` MB per cycle. */
function log(n: number, dt: number, stw: [number, number] = [0.01, 0.01], grow = 0): string {
  const lines = ['service starting'];
  for (let i = 0; i < n; i++)
    lines.push(line(i + 1, { atS: 1 + i * dt, stw, live: 10 + i * grow }));
  return lines.join('\n') + '\n';
}

function setOf(...texts: string[]): SnapshotSet {
  return loadSnapshotSet(
    'set',
    texts.map((t, i) => ({
      id: `/logs/${i}.log`,
      name: `${i}.log`,
      bytes: new TextEncoder().encode(t),
    })),
  );
}

function gcFinding(text: string) {
  return runInsights(setOf(text)).filter((f) => f.kind === 'gc-pressure');
}

describe('gc-pressure from a GC log', () => {
  it('reads a GC log in a set by its content, and skips text that is not one with the reason', () => {
    const set = setOf(log(5, 1), 'just a log line\n');
    expect(set.snapshots.map((s) => s.kind)).toEqual(['gc-log']);
    expect(set.skipped).toHaveLength(1);
    expect(set.skipped[0].reason).toMatch(/GC log/);
  });

  it('GCs per second: none just under 2/s, low at 2/s, high at 8/s', () => {
    expect(THRESHOLDS.gcPerSecond.low).toBe(2);
    expect(gcFinding(log(21, 0.501))).toEqual([]);
    const low = gcFinding(log(21, 0.5));
    expect(low).toHaveLength(1);
    expect(low[0].severity).toBe('low');
    expect(low[0].evidence.threshold).toMatch(/^GC cycles per second: 2\/s ≥ 2\/s \(gcPerSecond/);
    expect(low[0].evidence.snapshot).toBe('0.log');
    expect(low[0].evidence.source).toMatch(/GC log/);
    expect(low[0].link).toEqual({ tab: 'gc', snapshot: '/logs/0.log' });
    expect(low[0].title).toMatch(/GC ran 21 times in 10\.0 s of log \(2\.0\/s\)/);
    expect(gcFinding(log(81, 0.125))[0].severity).toBe('high');
  });

  it('pause total as a share of the log span: none at 0.495%, low at 0.55%', () => {
    // 11 cycles over 10 s (1/s): 4.5 ms or 5 ms of pause each, no single pause ≥ 10 ms.
    expect(gcFinding(log(11, 1, [2.25, 2.25]))).toEqual([]);
    const f = gcFinding(log(11, 1, [2.5, 2.5]));
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('low');
    expect(f[0].evidence.threshold).toMatch(/\(stwShare/);
  });

  it('longest pause: none at 9.999 ms, low at 10 ms, medium at 50 ms', () => {
    // 4 cycles 3 s apart: 0.33 GC/s, pause share 0.44% (under 0.5%) at 10 ms each.
    expect(gcFinding(log(4, 3, [5, 4.999]))).toEqual([]);
    const low = gcFinding(log(4, 3, [5, 5]));
    expect(low[0].severity).toBe('low');
    expect(low[0].evidence.threshold).toMatch(/^longest GC pause in the GC log: 10ms ≥ 10ms/);
    expect(gcFinding(log(4, 3, [25, 25]))[0].severity).toBe('medium');
  });

  it('live heap growth per minute: none at 240 MB/min, low at 300, medium at 1080', () => {
    expect(gcFinding(log(11, 1, [0.01, 0.01], 4))).toEqual([]);
    const low = gcFinding(log(11, 1, [0.01, 0.01], 5));
    expect(low[0].severity).toBe('low');
    expect(low[0].evidence.threshold).toMatch(/\(heapGrowthPerMinute/);
    expect(low[0].title).toMatch(/grew 300 MB per minute/);
    expect(gcFinding(log(11, 1, [0.01, 0.01], 18))[0].severity).toBe('medium');
  });

  it('no rate, share or growth from a log shorter than a second: only the pause rule applies', () => {
    expect(gcFinding(log(5, 0.1))).toEqual([]);
  });
});

describe('report rows from GC logs', () => {
  it('gives GC count, GCs per second, pause total and max from the log, resolved when the storm is gone', () => {
    const rep = buildReport(setOf(log(81, 0.125, [1, 2])), setOf(log(11, 1, [0.5, 0.5])));
    const row = (m: string) => rep.rows.find((r) => r.metric === m)!;
    // Spans 10 s each: compared as they are.
    expect([row('gc-count').before, row('gc-count').after]).toEqual([81, 11]);
    expect([row('gc-per-second').before, row('gc-per-second').after]).toEqual([8, 1]);
    expect(row('gc-pause-total').before).toBeCloseTo(81 * 3e6, 0);
    expect(row('gc-pause-total').after).toBeCloseTo(11 * 1e6, 0);
    expect([row('gc-pause-max').before, row('gc-pause-max').after]).toEqual([3e6, 1e6]);
    expect(row('gc-count').beforeSnapshot).toBe('0.log');
    expect(row('gc-count').label).toBe('GC cycles');
    expect(rep.findings.resolved.map((f) => f.kind)).toEqual(['gc-pressure']);
    expect(rep.findings.new).toEqual([]);
  });

  it('says a GC row comes from the log when the set also has a trace', () => {
    const set = setOf(log(11, 1));
    const trace = {
      id: 't',
      name: 'trace.out',
      timeMs: null,
      order: 1,
      type: 'trace',
      kind: 'trace',
      trace: {} as TraceModel,
    } satisfies LoadedSnapshot;
    const labels = gcLogMetrics({ ...set, snapshots: [...set.snapshots, trace] }).rows.map(
      (r) => `${r[0]}: ${r[2]}`,
    );
    expect(labels).toContain('gc-count: GC cycles (GC log; not the trace)');
    expect(labels).toContain('gc-per-second: GC cycles per second (GC log; not the trace)');
  });
});

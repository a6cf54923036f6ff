// GC logs in insights and the before/after report, from the real order service
// (test/targets/orders) run under GODEBUG=gctrace=1 in -mode before (allocation churn: the
// schema re-parsed per order) and -mode after (fixed). The logs go through the CLI as files
// detected by content; the report's GC rows are checked against the runtime's own
// MemStats (NumGC) printed at exit and an independent count of the printed lines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { runWithGcTrace, type GcTraceRun } from '../helpers/gctrace-run';

interface JsonFinding {
  kind: string;
  severity: string;
  title: string;
  evidence: { snapshot: string; source: string; threshold: string };
  snapshot: string;
  link: { tab: string; snapshot: string };
}
interface JsonRow {
  metric: string;
  label?: string;
  unit: string;
  before: number | null;
  after: number | null;
}

let root = '';
let beforeLog = '';
let afterLog = '';
let runs: { before: GcTraceRun; after: GcTraceRun };

/** gctrace lines of cycles 1..numGC, counted by a plain split of the text. */
function printedCycles(stderr: string): number {
  return stderr.split('\n').filter((l) => /^gc \d+ @/.test(l)).length;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pprofstudio-insights-gclog-'));
  const run = async (mode: 'before' | 'after') => {
    const dir = join(root, `${mode}-out`);
    const r = await runWithGcTrace({ toolchain: 'local', mode, dir, duration: '6s' });
    const file = join(root, `${mode}.log`);
    // Other log text around the gctrace lines, as in a service's log.
    writeFileSync(file, `starting orders (${mode})\n${r.stderr}shutting down\n`);
    return { r, file };
  };
  const b = await run('before');
  const a = await run('after');
  beforeLog = b.file;
  afterLog = a.file;
  runs = { before: b.r, after: a.r };
}, 600_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a GC log in insights and the report (orders before/after)', () => {
  it('insights finds gc-pressure in the before log, with evidence naming the log and a GC tab link', async () => {
    const r = await cli(['insights', beforeLog, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    console.log(`insights before.log:\n${(await cli(['insights', beforeLog])).stdout}`);
    const gc = findings.find((f) => f.kind === 'gc-pressure');
    expect(gc).toBeDefined();
    expect(gc!.evidence.snapshot).toBe('before.log');
    expect(gc!.evidence.source).toMatch(/GC log/);
    expect(gc!.evidence.threshold).toMatch(/gcPerSecond|stwShare|gcPauseMax|heapGrowthPerMinute/);
    expect(gc!.link).toEqual({ tab: 'gc', snapshot: beforeLog });
    expect(gc!.snapshot).toBe(beforeLog);
  });

  it('the report lists gc-pressure as resolved and takes GC rows from the logs', async () => {
    const r = await cli(['report', beforeLog, afterLog, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as {
      rows: JsonRow[];
      findings: { resolved: JsonFinding[]; new: JsonFinding[]; persisting: JsonFinding[] };
    };
    console.log(`report:\n${(await cli(['report', beforeLog, afterLog])).stdout}`);
    expect(rep.findings.resolved.map((f) => f.kind)).toContain('gc-pressure');
    expect(rep.findings.new.map((f) => f.kind)).not.toContain('gc-pressure');
    expect(rep.findings.persisting.map((f) => f.kind)).not.toContain('gc-pressure');
    const row = (m: string) => rep.rows.find((x) => x.metric === m)!;
    for (const m of ['gc-count', 'gc-per-second', 'gc-pause-total', 'gc-pause-max']) {
      expect(row(m), m).toBeDefined();
      expect(row(m).before, m).not.toBeNull();
      expect(row(m).after, m).not.toBeNull();
    }
    // GC cycles: every printed line, and at least the runtime's own count at exit (a cycle may
    // start after ReadMemStats). Compared as counts when the log spans are within 10%.
    const gcCount = row('gc-count');
    if (gcCount.unit === 'count') {
      expect(gcCount.before).toBe(printedCycles(runs.before.stderr));
      expect(gcCount.after).toBe(printedCycles(runs.after.stderr));
      expect(gcCount.before!).toBeGreaterThanOrEqual(runs.before.memstats.NumGC);
      expect(gcCount.after!).toBeGreaterThanOrEqual(runs.after.memstats.NumGC);
    } else {
      expect(gcCount.unit).toBe('count/s');
    }
    expect(row('gc-per-second').before!).toBeGreaterThan(row('gc-per-second').after!);
  });

  it('a GC log file in a folder with other files is read by content, whatever its name', async () => {
    const dir = join(root, 'mixed');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(dir);
    copyFileSync(beforeLog, join(dir, 'stderr.txt'));
    writeFileSync(join(dir, 'notes.txt'), 'not a snapshot\n');
    const r = await cli(['insights', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped .*notes\.txt/);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.find((f) => f.kind === 'gc-pressure')?.evidence.snapshot).toBe('stderr.txt');
  });

  it('with the run’s profiles and trace in the set, GC rows come from the log once and say so', async () => {
    const { copyFileSync } = await import('node:fs');
    const dirs = { before: join(root, 'before-out'), after: join(root, 'after-out') };
    copyFileSync(beforeLog, join(dirs.before, 'gctrace.log'));
    copyFileSync(afterLog, join(dirs.after, 'gctrace.log'));
    const r = await cli(['report', dirs.before, dirs.after, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as {
      rows: (JsonRow & { note: string; beforeSnapshot: string | null })[];
      findings: { resolved: JsonFinding[]; new: JsonFinding[]; persisting: JsonFinding[] };
    };
    const gcCount = rep.rows.filter((x) => x.metric === 'gc-count');
    expect(gcCount).toHaveLength(1);
    expect(gcCount[0].label).toBe('GC cycles (GC log; not the trace)');
    expect(gcCount[0].beforeSnapshot).toBe('gctrace.log');
    expect(gcCount[0].note).toMatch(/from the GC log, not the trace \(before and after\)/);
    if (gcCount[0].unit === 'count')
      expect(gcCount[0].before).toBe(printedCycles(runs.before.stderr));
    // The trace still gives its own figures.
    expect(rep.rows.find((x) => x.metric === 'stw-total')!.before).not.toBeNull();
    // One gc-pressure finding per function, whichever source crossed a threshold.
    const all = [...rep.findings.resolved, ...rep.findings.new, ...rep.findings.persisting];
    expect(all.filter((f) => f.kind === 'gc-pressure').length).toBeLessThanOrEqual(1);
    const text = await cli(['report', dirs.before, dirs.after]);
    console.log(`report with profiles, trace and GC log:\n${text.stdout}`);
    expect(text.stdout).toMatch(/gc-count .*from the GC log, not the trace/);
  });
});

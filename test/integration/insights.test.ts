// Insights and the before/after report on the real order service (test/targets/orders),
// written fresh into a temp folder (the committed fixtures are not used, so this holds
// whatever they are): "before" has the planted causes (schema parsed at package init,
// every receipt retained, the schema re-parsed per order as allocation churn, 37 leaked
// goroutines, one global lock), "after" has the fixes. The `goroutines` and
// `heap-inuse-bytes` rows are checked against `go tool pprof`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { TARGET_FACTS, writeProfiles } from '../helpers/go-target';
import { parseRaw, rawTotal, runPprof } from '../helpers/pprof-raw';

interface JsonFinding {
  kind: string;
  severity: string;
  function: string;
  title: string;
  evidence: { snapshot: string; source: string; threshold: string; figures: unknown[] };
  snapshot: string;
}

interface JsonReport {
  rows: {
    metric: string;
    unit: string;
    before: number | null;
    after: number | null;
    change: number | null;
    function?: string;
  }[];
  findings: { resolved: JsonFinding[]; new: JsonFinding[]; persisting: JsonFinding[] };
}

let root = '';
let before = '';
let after = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pprofstudio-insights-'));
  before = join(root, 'before');
  after = join(root, 'after');
  // Long enough for the retained receipts (64 KiB per order) to pass 512 KiB on a slow box.
  await writeProfiles(before, { mode: 'before', duration: '6s', traceFor: '2s' });
  await writeProfiles(after, { mode: 'after', duration: '6s', traceFor: '2s' });
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The planted causes of "before", as kind and own-code function. */
const PLANTED = [
  ['init-hotspot', 'main.parseSchema'],
  ['heap-retention', TARGET_FACTS.retainedAllocator],
  ['alloc-churn', 'main.parseSchema'],
  ['goroutine-leak', TARGET_FACTS.leakFunction],
  ['lock-contention', TARGET_FACTS.mutexContended],
  ['channel-wait', TARGET_FACTS.blockContended],
] as const;

const key = (f: { kind: string; function: string }) => `${f.kind} ${f.function}`;

describe('pprof-studio insights on the order service', () => {
  it('names each planted cause at its own-code function in "before"', async () => {
    const run = await cli(['insights', before, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { findings } = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    const keys = findings.map(key);
    for (const [kind, func] of PLANTED)
      expect(keys, `${kind} at ${func}`).toContain(`${kind} ${func}`);
    const leak = findings.find((f) => f.kind === 'goroutine-leak')!;
    expect(leak.title).toContain(String(TARGET_FACTS.leakedGoroutines));
    // Never a library or runtime function.
    for (const f of findings)
      expect(f.function, f.title).not.toMatch(/^(runtime|sync|encoding\/json|crypto\/\w+)\./);
    for (const f of findings) {
      expect(f.evidence.threshold).toMatch(/≥/);
      expect(f.evidence.figures.length).toBeGreaterThan(0);
      expect(f.snapshot.startsWith(before)).toBe(true);
    }
  });

  it('finds no goroutine leak in a clean run ("after")', async () => {
    const run = await cli(['insights', after, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { findings } = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(findings.filter((f) => f.kind === 'goroutine-leak')).toEqual([]);
    expect(findings.map(key)).not.toContain(`lock-contention ${TARGET_FACTS.mutexContended}`);
  });

  it('prints the findings as text by default', async () => {
    const run = await cli(['insights', join(before, 'mutex.pb.gz')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\[high\] lock-contention main\.\(\*inventory\)\.reserve: /m);
    expect(run.stdout).toContain('evidence: mutex.pb.gz');
  });
});

describe('pprof-studio report before after', () => {
  let report: JsonReport;
  beforeAll(async () => {
    const run = await cli(['report', before, after, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    report = JSON.parse(run.stdout) as JsonReport;
  });

  it('lists the planted causes as resolved', () => {
    const resolved = report.findings.resolved.map(key);
    for (const [kind, func] of PLANTED)
      expect(resolved, `${kind} at ${func}`).toContain(`${kind} ${func}`);
    expect(report.findings.new.map((f) => f.kind)).not.toContain('goroutine-leak');
  });

  it('has goroutines and heap-inuse-bytes equal to go tool pprof', () => {
    const row = (m: string) => report.rows.find((r) => r.metric === m)!;
    for (const [side, dir] of [
      ['before', before],
      ['after', after],
    ] as const) {
      const g = parseRaw(runPprof(['-raw', join(dir, 'goroutine.pb.gz')]));
      expect(row('goroutines')[side]).toBe(rawTotal(g, 0));
      const h = parseRaw(runPprof(['-raw', '-sample_index=inuse_space', join(dir, 'heap.pb.gz')]));
      const i = h.sampleTypes.findIndex((t) => t.type === 'inuse_space');
      expect(row('heap-inuse-bytes')[side]).toBe(rawTotal(h, i));
    }
    expect(row('goroutines').before! - row('goroutines').after!).toBe(
      TARGET_FACTS.leakedGoroutines,
    );
    expect(row('mutex-delay').after!).toBeLessThan(row('mutex-delay').before!);
    expect(row('cpu-time').change!).toBeLessThan(0);
    for (const r of report.rows) expect(r.metric).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('exports Markdown and one self-contained HTML file', async () => {
    const md = await cli(['report', before, after, '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| heap-inuse-bytes |');
    expect(md.stdout).toMatch(/#### Resolved \(\d+\)/);
    const html = await cli(['report', before, after, '--format', 'html']);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).not.toMatch(/<script|\bsrc=|\bhref=|@import|url\(/i);
    expect(html.stdout).toContain('<svg');
  });

  it('exits 1 on a missing path and 2 on a usage error', async () => {
    const missing = await cli(['report', before, join(root, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope');
    expect((await cli(['report', before])).code).toBe(2);
    expect((await cli(['report', before, after, '--format', 'pdf'])).code).toBe(2);
    expect((await cli(['insights'])).code).toBe(2);
  });
});

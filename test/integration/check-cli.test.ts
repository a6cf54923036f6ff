// `pprof-studio check` as a CI gate, and `pprof-studio diff --format markdown`, on the real
// before/after fixtures of the Go target: the "before" build is the regression (schema parsed
// per order, string-formatted prices, every receipt retained), "after" is the fix. So
// `check after before` must fail and `check before after` must pass. Totals are checked
// against `go tool pprof -raw` (with the same focus), exit codes against a real process.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../core/pprof/format';
import { cli, type CliRun } from '../helpers/cli';
import { findGo } from '../helpers/go-target';
import { fixturePath, parseRaw, rawTotal, runPprof } from '../helpers/pprof-raw';

interface CheckJson {
  pass: boolean;
  sampleType: string;
  baseTotal: number;
  newTotal: number;
  change: number;
  ratio: number | null;
  limit: string;
  regressions: {
    name: string;
    baseFlat: number;
    newFlat: number;
    baseCum: number;
    newCum: number;
  }[];
}

async function checkJson(args: string[]): Promise<{ run: CliRun; json: CheckJson }> {
  const run = await cli(['check', ...args, '--json']);
  return { run, json: JSON.parse(run.stdout) as CheckJson };
}

/** pprof's own total of one sample type after the filters (as -raw prints the samples). */
function pprofTotal(file: string, sampleIndex: string, focus?: string): number {
  const raw = parseRaw(
    runPprof(['-raw', `-sample_index=${sampleIndex}`, ...(focus ? [`-focus=${focus}`] : []), file]),
  );
  const i = raw.sampleTypes.findIndex((t) => t.type === sampleIndex);
  return rawTotal(raw, i);
}

const cpuB = () => fixturePath('before', 'cpu');
const cpuA = () => fixturePath('after', 'cpu');
const heapB = () => fixturePath('before', 'heap');
const heapA = () => fixturePath('after', 'heap');
const PRICE = 'main\\.computePrice';

beforeAll(() => {
  findGo();
});

describe('check on the CPU profiles of the regression and its fix', () => {
  it('fails on before-as-new (the regression) and passes on after-as-new (the fix)', async () => {
    const bad = await cli(['check', cpuA(), cpuB(), '--max-increase', '10%']);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL: cpu\/nanoseconds \+/);
    expect(bad.stdout).toContain('Top regressions');
    const good = await cli(['check', cpuB(), cpuA(), '--max-increase', '10%']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^PASS: cpu\/nanoseconds -/);
  });

  it('compares totals equal to pprof’s, and lists functions that grew, largest flat growth first', async () => {
    const { run, json } = await checkJson([cpuA(), cpuB(), '--max-increase', '10%']);
    expect(run.code).toBe(1);
    expect(json.pass).toBe(false);
    expect(json.baseTotal).toBe(pprofTotal(cpuA(), 'cpu'));
    expect(json.newTotal).toBe(pprofTotal(cpuB(), 'cpu'));
    expect(json.ratio).toBeCloseTo((json.newTotal - json.baseTotal) / json.baseTotal, 12);
    expect(json.regressions.length).toBe(10);
    const growth = json.regressions.map((r) => r.newFlat - r.baseFlat);
    for (let i = 1; i < growth.length; i++) expect(growth[i]).toBeLessThanOrEqual(growth[i - 1]);
    for (const r of json.regressions)
      expect(r.newFlat - r.baseFlat > 0 || r.newCum - r.baseCum > 0).toBe(true);
  });

  it('gates the focused total: the hot path in computePrice regressed in before', async () => {
    const { run, json } = await checkJson([
      cpuA(),
      cpuB(),
      '--focus',
      PRICE,
      '--max-increase',
      '10%',
    ]);
    expect(run.code).toBe(1);
    expect(json.baseTotal).toBe(pprofTotal(cpuA(), 'cpu', PRICE));
    expect(json.newTotal).toBe(pprofTotal(cpuB(), 'cpu', PRICE));
    expect(json.newTotal).toBeGreaterThan(json.baseTotal);
    // The regression's own functions are what the gate points at.
    const text = await cli([
      'check',
      cpuA(),
      cpuB(),
      '--focus',
      PRICE,
      '--max-increase',
      '10%',
      '--top',
      '40',
    ]);
    expect(text.stdout).toMatch(/main\.unitPriceNaive|fmt\./);
    const fixed = await cli(['check', cpuB(), cpuA(), '--focus', PRICE, '--max-increase', '10%']);
    expect(fixed.code, fixed.stdout).toBe(0);
  });

  it('holds the limit exactly: just above the growth passes, just below fails', async () => {
    const { json } = await checkJson([cpuA(), cpuB(), '--max-increase', '10%']);
    const pct = json.ratio! * 100;
    expect(
      (await cli(['check', cpuA(), cpuB(), '--max-increase', `${(pct + 0.01).toFixed(2)}%`])).code,
    ).toBe(0);
    expect(
      (await cli(['check', cpuA(), cpuB(), '--max-increase', `${(pct - 0.01).toFixed(2)}%`])).code,
    ).toBe(1);
    // An absolute limit in the sample type's units.
    const ms = json.change / 1e6;
    expect((await cli(['check', cpuA(), cpuB(), '--max-increase', `${ms}ms`])).code).toBe(0);
    expect((await cli(['check', cpuA(), cpuB(), '--max-increase', `${ms - 10}ms`])).code).toBe(1);
  });

  it('compares per second of profile duration with --per-second', async () => {
    const { json } = await checkJson([cpuA(), cpuB(), '--per-second', '--max-increase', '10%']);
    expect(json).toMatchObject({ perSecond: true });
    const dur = (f: string) =>
      Number(/Duration: ([\d.]+)s/.exec(runPprof(['-top', '-nodecount=1', f]))![1]) * 1e9;
    // pprof prints the duration rounded to 10 ms; the totals per second agree to that.
    expect(json.baseTotal).toBeCloseTo((pprofTotal(cpuA(), 'cpu') * 1e9) / dur(cpuA()), -7);
  });
});

describe('check on the heap profiles', () => {
  it('fails when the retained receipts come back, passes on the fix', async () => {
    const args = [
      '--sample-index',
      'inuse_space',
      '--focus',
      'main\\.renderReceipt',
      '--max-increase',
      '10%',
    ];
    const bad = await cli(['check', heapA(), heapB(), ...args]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain('inuse_space/bytes');
    expect(bad.stdout).toContain('main.renderReceipt');
    expect((await cli(['check', heapB(), heapA(), ...args])).code).toBe(0);
    const { json } = await checkJson([heapA(), heapB(), ...args]);
    expect(json.newTotal).toBe(pprofTotal(heapB(), 'inuse_space', 'main\\.renderReceipt'));
  });
});

describe('check usage and input errors', () => {
  it.each([
    [['check', 'a.pb.gz', 'b.pb.gz'], /--max-increase is required/],
    [['check', 'a.pb.gz', '--max-increase', '10%'], /give two profiles/],
    [['check', 'a.pb.gz', 'b.pb.gz', '--max-increase', 'ten'], /percentage/],
    [['check', 'a.pb.gz', 'b.pb.gz', '--max-increase', '10%', '--bogus'], /unknown option --bogus/],
  ])('%j exits 2', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('rejects a limit in the wrong unit for the sample type (exit 2)', async () => {
    const r = await cli(['check', cpuA(), cpuB(), '--max-increase', '5MB']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'MB' is not a unit of nanoseconds/);
    const bare = await cli(['check', cpuA(), cpuB(), '--max-increase', '5']);
    expect(bare.code).toBe(2);
  });

  it('names a missing file (exit 1)', async () => {
    const r = await cli(['check', cpuA(), '/nonexistent/new.pb.gz', '--max-increase', '10%']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('pprof-studio check: /nonexistent/new.pb.gz: no such file');
  });
});

describe('diff --format markdown', () => {
  it('renders the same rows as --json, ready for a pull-request comment', async () => {
    const md = await cli(['diff', cpuB(), cpuA(), '--format', 'markdown', '--nodecount', '15']);
    expect(md.code, md.stderr).toBe(0);
    const json = JSON.parse(
      (await cli(['diff', cpuB(), cpuA(), '--json', '--nodecount', '15'])).stdout,
    ) as {
      rows: { name: string; baseCum: number; newCum: number }[];
      baseTotal: number;
      newTotal: number;
    };
    expect(md.stdout).toMatch(/^### pprof-studio diff: cpu\n/);
    const rows = md.stdout.split('\n').filter((l) => l.startsWith('| `'));
    const changed = json.rows.filter((r) => r.newCum !== r.baseCum);
    expect(rows.length).toBe(changed.length);
    rows.forEach((line, i) => {
      const r = changed[i];
      const d = r.newCum - r.baseCum;
      expect(line).toContain(`\`${r.name}\``);
      expect(line).toContain(`| ${d > 0 ? '+' : '−'}${formatValue(Math.abs(d), 'nanoseconds')} |`);
    });
    expect(md.stdout).toContain(
      `| ${formatValue(json.baseTotal, 'nanoseconds')} | ${formatValue(json.newTotal, 'nanoseconds')} |`,
    );
    const bad = await cli(['diff', cpuB(), cpuA(), '--format', 'html']);
    expect(bad.code).toBe(2);
  });
});

describe('the built command in a real process', () => {
  let dir: string;
  let bin: string;
  beforeAll(() => {
    // A private bundle, so parallel builds of out/cli by other tests cannot interfere.
    dir = mkdtempSync(join(tmpdir(), 'check-cli-'));
    bin = join(dir, 'cli.cjs');
    const root = resolve(__dirname, '..', '..');
    buildSync({
      entryPoints: [join(root, 'electron', 'cli', 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bin,
      external: ['electron', 'chokidar', 'playwright-core'],
      logLevel: 'warning',
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]): Promise<number> =>
    new Promise((done) => {
      execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (err) =>
        done(err ? (typeof err.code === 'number' ? err.code : -1) : 0),
      );
    });

  it('exits 1 on the regression, 0 on the fix, 2 on a usage error', async () => {
    expect(await run(['check', cpuA(), cpuB(), '--max-increase', '10%'])).toBe(1);
    expect(await run(['check', cpuB(), cpuA(), '--max-increase', '10%'])).toBe(0);
    expect(await run(['check', cpuB(), cpuA()])).toBe(2);
  });
});

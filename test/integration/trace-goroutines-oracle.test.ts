// Oracle: the Timeline's goroutine analysis by start function against the same figures in
// `go tool trace`'s goroutine analysis (its /goroutines page, on its HTTP server started here
// on a loopback port): per start location, the goroutine count and the total execution time,
// for every fixture trace and every successful case of Go's trace test corpus. Go prints the time as a Go duration ("1.22029501s"), which is
// exact to the nanosecond.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeGoroutines, groupByStartFunction } from '../../core/trace/analysis';
import { parseTrace } from '../../core/trace/parse';
import { findGo } from '../helpers/go-target';
import { parseTxtar, textTraceToBinary } from '../unit/trace/trace-writer';

const repo = resolve(__dirname, '..', '..');
const TRACES = [
  'test/fixtures/before/trace.out',
  'test/fixtures/after/trace.out',
  'test/unit/trace/fixtures/go122.trace',
  'test/unit/trace/fixtures/go126.trace',
].map((rel) => join(repo, rel));
// Go's trace test corpus: its successful cases, as binary traces.
const corpusDir = mkdtempSync(join(tmpdir(), 'pprofstudio-trace-goroutines-'));
const goroot = execFileSync(findGo(), ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const corpus = join(goroot, 'src', 'internal', 'trace', 'testdata', 'tests');
for (const f of readdirSync(corpus).sort()) {
  if (!f.endsWith('.test')) continue;
  const { expect: want, trace } = parseTxtar(readFileSync(join(corpus, f), 'utf8'));
  if (!want.startsWith('SUCCESS')) continue;
  const file = join(corpusDir, `${f}.bin`);
  writeFileSync(file, textTraceToBinary(trace));
  TRACES.push(file);
}
const counts = { traces: 0, groups: 0 };
const running: ChildProcess[] = [];

afterAll(() => {
  stop();
  rmSync(corpusDir, { recursive: true, force: true });
  console.log(
    `trace goroutines oracle: ${counts.groups} start-location groups of ${counts.traces} traces equal go tool trace's /goroutines`,
  );
});

/** Starts `go tool trace` on FILE and resolves its loopback URL once it listens. */
function startGoTrace(file: string): Promise<string> {
  return new Promise((res, rej) => {
    const p = spawn(findGo(), ['tool', 'trace', '-http=127.0.0.1:0', file], {
      env: { ...process.env, GOTOOLCHAIN: 'local', BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own group: the go command's child (the trace tool) goes with it
    });
    running.push(p);
    let out = '';
    const timer = setTimeout(
      () => rej(new Error(`go tool trace did not listen:\n${out}`)),
      120_000,
    );
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`go tool trace exited (${code}):\n${out}`));
    });
  });
}

function stop(): void {
  for (const p of running.splice(0)) {
    if (p.exitCode === null && p.pid !== undefined) process.kill(-p.pid, 'SIGTERM');
  }
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  µs: 1_000n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** A Go time.Duration string ("1h2m3.5s", "312.45472ms", "0s") in nanoseconds, exactly. */
export function parseGoDuration(text: string): number {
  if (text === '0s') return 0;
  let ns = 0n;
  const re = /(\d+)(?:\.(\d+))?(ns|µs|us|ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(text)) !== null) {
    const unit = UNIT_NS[m[3]];
    const frac = m[2] ?? '';
    ns += BigInt(m[1]) * unit + (BigInt(frac || '0') * unit) / 10n ** BigInt(frac.length);
    at = re.lastIndex;
  }
  if (at !== text.length) throw new Error(`not a Go duration: ${JSON.stringify(text)}`);
  return Number(ns);
}

/** The rows of Go's /goroutines table: start location, count, total execution time. */
function parseGoroutinesPage(html: string): Array<{ name: string; count: number; execNs: number }> {
  const rows: Array<{ name: string; count: number; execNs: number }> = [];
  const text = (s: string): string =>
    s
      .replace(/<[^>]*>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#34;/g, '"')
      .replace(/&#39;/g, "'")
      .trim();
  for (const tr of html.split(/<tr[ >]/).slice(1)) {
    const cells = [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]));
    if (cells.length !== 3) continue;
    // Go names the group of goroutines never seen with a stack this way; ours is ''.
    const name = cells[0] === '(Inactive, no stack trace sampled)' ? '' : cells[0];
    rows.push({ name, count: Number(cells[1]), execNs: parseGoDuration(cells[2]) });
  }
  return rows;
}

describe("goroutine analysis equals go tool trace's", () => {
  it('parses Go durations exactly', () => {
    expect(parseGoDuration('1.22029501s')).toBe(1_220_295_010);
    expect(parseGoDuration('312.45472ms')).toBe(312_454_720);
    expect(parseGoDuration('1m2.000000003s')).toBe(62_000_000_003);
    expect(parseGoDuration('850ns')).toBe(850);
    expect(parseGoDuration('1.5µs')).toBe(1500);
    expect(() => parseGoDuration('1.5 s')).toThrow(/not a Go duration/);
  });

  it('has fixtures and corpus traces', () => {
    expect(TRACES.length).toBeGreaterThan(20);
  });

  it.each(TRACES)('%s: count and execution time per start location', async (file) => {
    const model = parseTrace(readFileSync(file));
    const ours = groupByStartFunction(model, analyzeGoroutines(model));
    try {
      const url = await startGoTrace(file);
      const html = await (await fetch(`${url}/goroutines`)).text();
      const go = parseGoroutinesPage(html);
      // A trace without goroutines: Go lists none, and so do we.
      if (model.goroutines.length > 0) expect(go.length, 'Go listed no groups').toBeGreaterThan(0);
      const key = (g: { name: string; count: number; execNs: number }): string =>
        `${g.name} ${g.count} ${g.execNs}`;
      expect(ours.map(key).sort()).toEqual(go.map(key).sort());
      counts.traces++;
      counts.groups += go.length;
    } finally {
      stop();
    }
  });
});

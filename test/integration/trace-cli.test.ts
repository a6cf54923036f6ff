// `pprof-studio trace FILE [--json]` on real traces: the JSON equals the Go oracle's figures,
// the text summary is readable, bad input gives exit 1 and one line on stderr.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { findGo } from '../helpers/go-target';
import { runOracle } from '../unit/trace/go-oracle';

const repo = resolve(__dirname, '..', '..');
const fixture = join(repo, 'test/fixtures/before/trace.out');
let dir = '';

beforeAll(() => {
  findGo();
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-trace-cli-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pprof-studio trace', () => {
  it('--json prints exactly the oracle figures', async () => {
    for (const file of [fixture, join(repo, 'test/fixtures/after/trace.out')]) {
      const r = await cli(['trace', file, '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.endsWith('\n')).toBe(true);
      const got = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(Object.keys(got)).toEqual([
        'goVersion',
        'durationNs',
        'gcCount',
        'stwNs',
        'goroutines',
      ]);
      const { eventCount, eventsSha256, error, ...want } = await runOracle(file);
      void eventCount;
      void eventsSha256;
      expect(error).toBeUndefined();
      expect(got).toEqual(want);
      const first = (got.goroutines as Array<Record<string, unknown>>)[0];
      expect(Object.keys(first)).toEqual([
        'id',
        'startFunction',
        'runningNs',
        'runnableNs',
        'blockedNs',
        'syscallNs',
      ]);
    }
  }, 120_000);

  it('prints a readable summary', async () => {
    const r = await cli(['trace', fixture]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Duration: \d/m);
    expect(r.stdout).toMatch(/^GC: \d+ mark phases?; stop-the-world /m);
    expect(r.stdout).toContain('main.(*service).worker');
    expect(r.stdout).toMatch(/Goroutine groups by execution time/);
  });

  it('keeps the complete generations of a cut-short trace, with a warning', async () => {
    const bytes = readFileSync(fixture);
    const cut = join(dir, 'cut.out');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.9)));
    const r = await cli(['trace', cut, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: .*cut short/);
    const { eventCount, eventsSha256, error, ...want } = await runOracle(cut);
    void eventCount;
    void eventsSha256;
    expect(error).toBeDefined();
    expect(JSON.parse(r.stdout)).toEqual(want);
  }, 60_000);

  it('exits 1 with one clear line on bad input', async () => {
    const notTrace = join(dir, 'not-a-trace');
    writeFileSync(notTrace, 'hello world, this is not a trace file at all');
    const old = join(dir, 'go121.trace');
    writeFileSync(old, Buffer.concat([Buffer.from('go 1.21 trace\0\0\0'), Buffer.alloc(64)]));
    const cutEarly = join(dir, 'cut-early.out');
    writeFileSync(cutEarly, readFileSync(fixture).subarray(0, 5000));
    const cases: Array<[string, RegExp]> = [
      [notTrace, /not a Go execution trace/],
      [old, /written by Go 1\.21 .*Go 1\.22 or newer/],
      [join(dir, 'missing.out'), /cannot read .*missing\.out: ENOENT/],
      [dir, /not a file/],
      [cutEarly, /cut short/],
    ];
    for (const [file, msg] of cases) {
      const r = await cli(['trace', file, '--json']);
      expect(r.code, file).toBe(1);
      expect(r.stdout, file).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, file).toHaveLength(1);
      expect(lines[0], file).toMatch(/^pprof-studio trace: /);
      expect(lines[0], file).toMatch(msg);
    }
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli(['trace'])).code).toBe(2);
    expect((await cli(['trace', fixture, fixture])).code).toBe(2);
    expect((await cli(['trace', fixture, '--bogus'])).code).toBe(2);
  });
});

// The built `pprof-studio` command (top, diff, merge, filter) on the real fixtures: JSON
// shapes, order and numbers against `go tool pprof`, text output, files that
// `go tool pprof` reads, and exit codes 1 and 2 with one clear line on stderr.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo } from '../helpers/go-target';
import {
  FIXTURE_KINDS,
  fixturePath,
  removeFixtureSnapshot,
  isBaseSample,
  oracleNodes,
  parseRaw,
  rawTotal,
  runPprof,
} from '../helpers/pprof-raw';

const root = resolve(__dirname, '..', '..');
// A private bundle of the command (as check-cli.test.ts builds): out/cli is rebuilt by other
// runs while test files run in parallel, and a half-written bundle would fail them.
let bin = '';
let bundleDir = '';
let work: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: work,
        env: { ...process.env, TZ: 'UTC' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Exit 1 (or 2) with exactly one line on stderr. */
function expectOneLineError(r: Run, code: number, ...mustContain: string[]): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  for (const s of mustContain) expect(lines[0]).toContain(s);
}

beforeAll(() => {
  findGo();
  bundleDir = mkdtempSync(join(tmpdir(), 'cli-pprof-bin-'));
  bin = join(bundleDir, 'cli.cjs');
  buildSync({
    entryPoints: [join(root, 'electron', 'cli', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bin,
    external: ['electron', 'chokidar', 'playwright-core'],
    logLevel: 'warning',
  });
  work = mkdtempSync(join(tmpdir(), 'cli-pprof-'));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  removeFixtureSnapshot();
});

interface TopJson {
  sampleType: string;
  total: number;
  rows: Array<{ name: string; flat: number; cum: number }>;
}

function expectTopOrder(rows: TopJson['rows']): void {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const ordered =
      a.flat > b.flat ||
      (a.flat === b.flat && (a.cum > b.cum || (a.cum === b.cum && a.name < b.name)));
    expect(ordered, `${a.name} before ${b.name}`).toBe(true);
  }
}

describe('top', () => {
  it.each(FIXTURE_KINDS)(
    '--json for %s: exact shape, order, every row equal to go tool pprof -raw',
    async (kind) => {
      const file = fixturePath('before', kind);
      const raw = parseRaw(runPprof(['-raw', file]));
      const dflt = raw.sampleTypes.findIndex((t) => t.dflt);
      const indexes = [...raw.sampleTypes.keys()];
      for (const i of indexes) {
        const args = ['top', file, '--json', '--nodecount', '0'];
        // The default sample index must be chosen like pprof when none is given.
        if (i !== (dflt >= 0 ? dflt : indexes.length - 1))
          args.push('--sample-index', raw.sampleTypes[i].type);
        const r = await cli(args);
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as TopJson;
        expect(Object.keys(out)).toEqual(['sampleType', 'total', 'rows']);
        expect(out.sampleType).toBe(`${raw.sampleTypes[i].type}/${raw.sampleTypes[i].unit}`);
        expect(out.total).toBe(rawTotal(raw, i));
        for (const row of out.rows) expect(Object.keys(row)).toEqual(['name', 'flat', 'cum']);
        expectTopOrder(out.rows);
        const oracle = [...oracleNodes(raw, i).values()].map((n) => ({
          name: n.name,
          flat: n.flat,
          cum: n.cum,
        }));
        expect([...out.rows].sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(
          oracle.sort((a, b) => (a.name < b.name ? -1 : 1)),
        );
      }
    },
  );

  it('--nodecount limits rows, filters apply, numbers stay', async () => {
    const file = fixturePath('before', 'cpu');
    const all = JSON.parse((await cli(['top', file, '--json'])).stdout) as TopJson;
    const five = JSON.parse(
      (await cli(['top', file, '--json', '--nodecount', '5'])).stdout,
    ) as TopJson;
    expect(five.rows).toHaveLength(5);
    expect(five.total).toBe(all.total);
    const focused = JSON.parse(
      (await cli(['top', file, '--json', '--focus', 'main\\.', '--hide', 'runtime'])).stdout,
    ) as TopJson;
    const raw = parseRaw(runPprof(['-raw', '-focus=main\\.', '-hide=runtime', file]));
    const last = raw.sampleTypes.length - 1;
    expect(focused.rows.map((r) => `${r.name} ${r.flat} ${r.cum}`).sort()).toEqual(
      [...oracleNodes(raw, last).values()].map((n) => `${n.name} ${n.flat} ${n.cum}`).sort(),
    );
    expect(focused.rows.every((r) => !r.name.startsWith('runtime.'))).toBe(true);
  });

  it('text output equals go tool pprof -top', async () => {
    for (const kind of ['cpu', 'heap', 'mutex'] as const) {
      const file = fixturePath('before', kind);
      const r = await cli(['top', file]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(runPprof(['-top', file]));
    }
    const file = fixturePath('before', 'allocs');
    const r = await cli([
      'top',
      file,
      '--sample-index',
      'alloc_objects',
      '--granularity',
      'lines',
      '--nodecount',
      '12',
      '--focus',
      'main',
    ]);
    expect(r.stdout).toBe(
      runPprof([
        '-top',
        '-sample_index=alloc_objects',
        '-lines',
        '-nodecount=12',
        '-focus=main',
        file,
      ]),
    );
  });

  describe('from a URL', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/debug/pprof/heap') {
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          res.end(readFileSync(fixturePath('before', 'heap')));
        } else {
          res.writeHead(404, { 'Content-Type': 'text/plain', 'X-Go-Pprof': '1' });
          res.end('Unknown profile\n');
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address() as { port: number };
      base = `http://127.0.0.1:${addr.port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('reads a profile over HTTP', async () => {
      const r = await cli(['top', `${base}/debug/pprof/heap`, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const fromFile = await cli(['top', fixturePath('before', 'heap'), '--json']);
      expect(r.stdout).toBe(fromFile.stdout);
    });

    it('says what the server answered', async () => {
      const r = await cli(['top', `${base}/debug/pprof/nope`]);
      expectOneLineError(r, 1, `${base}/debug/pprof/nope`, '404', 'Unknown profile');
    });

    it('says when nothing listens', async () => {
      const r = await cli(['top', 'http://127.0.0.1:1/debug/pprof/heap', '--timeout', '5']);
      expectOneLineError(r, 1, 'http://127.0.0.1:1/debug/pprof/heap', 'cannot fetch');
    });
  });
});

describe('diff', () => {
  it.each(['cpu', 'heap', 'mutex', 'goroutine'] as const)(
    '--json for %s: shape, order, numbers of -diff_base',
    async (kind) => {
      const b = fixturePath('before', kind);
      const a = fixturePath('after', kind);
      const r = await cli(['diff', b, a, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        sampleType: string;
        baseTotal: number;
        newTotal: number;
        rows: Array<{
          name: string;
          baseFlat: number;
          newFlat: number;
          baseCum: number;
          newCum: number;
        }>;
      };
      expect(Object.keys(out)).toEqual(['sampleType', 'baseTotal', 'newTotal', 'rows']);
      for (const row of out.rows)
        expect(Object.keys(row)).toEqual(['name', 'baseFlat', 'newFlat', 'baseCum', 'newCum']);
      for (let i = 1; i < out.rows.length; i++) {
        const x = out.rows[i - 1];
        const y = out.rows[i];
        const dx = Math.abs(x.newCum - x.baseCum);
        const dy = Math.abs(y.newCum - y.baseCum);
        expect(dx > dy || (dx === dy && x.name <= y.name), `${x.name} before ${y.name}`).toBe(true);
      }
      const raw = parseRaw(runPprof(['-raw', `-diff_base=${b}`, a]));
      const rawB = parseRaw(runPprof(['-raw', b]));
      const i =
        rawB.sampleTypes.findIndex((t) => t.dflt) >= 0
          ? rawB.sampleTypes.findIndex((t) => t.dflt)
          : rawB.sampleTypes.length - 1;
      expect(out.sampleType).toBe(`${rawB.sampleTypes[i].type}/${rawB.sampleTypes[i].unit}`);
      expect(out.baseTotal).toBe(rawTotal(raw, i, isBaseSample));
      expect(out.newTotal).toBe(rawTotal(raw, i, (s) => !isBaseSample(s)));
      const base = new Map(
        [...oracleNodes(raw, i, 'functions', { select: isBaseSample }).values()].map((n) => [
          n.name,
          n,
        ]),
      );
      const next = new Map(
        [...oracleNodes(raw, i, 'functions', { select: (s) => !isBaseSample(s) }).values()].map(
          (n) => [n.name, n],
        ),
      );
      expect(out.rows.length).toBe(new Set([...base.keys(), ...next.keys()]).size);
      for (const row of out.rows) {
        expect(row.baseFlat).toBe(-(base.get(row.name)?.flat ?? 0) + 0);
        expect(row.baseCum).toBe(-(base.get(row.name)?.cum ?? 0) + 0);
        expect(row.newFlat).toBe(next.get(row.name)?.flat ?? 0);
        expect(row.newCum).toBe(next.get(row.name)?.cum ?? 0);
      }
    },
  );

  it('--base-mode base, --normalize and text output', async () => {
    const b = fixturePath('before', 'cpu');
    const a = fixturePath('after', 'cpu');
    const r = await cli([
      'diff',
      b,
      a,
      '--base-mode',
      'base',
      '--normalize',
      '--json',
      '--nodecount',
      '10',
    ]);
    const out = JSON.parse(r.stdout) as { baseTotal: number; newTotal: number; rows: unknown[] };
    expect(out.rows).toHaveLength(10);
    // Normalized per sample with Go's rounding: equal to the base total up to rounding.
    expect(Math.abs(out.newTotal - out.baseTotal)).toBeLessThan(out.baseTotal * 1e-6);
    const t = await cli(['diff', b, a, '--nodecount', '5']);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Type: cpu');
    expect(
      lines.filter((l) =>
        /^\s+\S+\s+\S+\s+[-+]?\S+\s+\S+\s+\S+\s+[-+]?\S+\s+[-+ ]\S+%\s+\S/.test(l),
      ),
    ).toHaveLength(5);
  });
});

describe('merge and filter write files go tool pprof reads', () => {
  it('merge: -raw of the output equals go tool pprof -raw A B', async () => {
    for (const kind of ['cpu', 'heap', 'goroutine'] as const) {
      const out = join(work, `merged-${kind}.pb.gz`);
      const b = fixturePath('before', kind);
      const a = fixturePath('after', kind);
      const r = await cli(['merge', b, a, '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ samples from 2 profiles`,
        ),
      );
      expect(runPprof(['-raw', out])).toBe(runPprof(['-raw', b, a]));
    }
  });

  it('filter: -raw of the output equals go tool pprof -raw with the same filters', async () => {
    const file = fixturePath('before', 'cpu');
    const out = join(work, 'filtered.pb.gz');
    const r = await cli([
      'filter',
      file,
      '--focus',
      'main',
      '--hide',
      'runtime',
      '--tagfocus',
      'tenant=acme',
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(runPprof(['-raw', out])).toBe(
      runPprof(['-raw', '-focus=main', '-hide=runtime', '-tagfocus=tenant=acme', file]),
    );
  });
});

describe('errors', () => {
  it('missing file: exit 1, one line naming it', async () => {
    expectOneLineError(await cli(['top', 'nope.pb.gz']), 1, 'nope.pb.gz', 'no such file');
  });

  it('corrupt and truncated files: exit 1, one line naming the file and the problem', async () => {
    const good = readFileSync(fixturePath('before', 'cpu'));
    const cut = join(work, 'cut.pb.gz');
    writeFileSync(cut, good.subarray(0, Math.floor(good.length / 2)));
    expectOneLineError(await cli(['top', cut]), 1, cut, 'truncated');
    const junk = join(work, 'junk.pb.gz');
    writeFileSync(junk, 'this is not a profile\n');
    const r = await cli(['top', junk]);
    expectOneLineError(r, 1, junk);
  });

  it('a sample index the profile does not have: exit 1 naming the file', async () => {
    const file = fixturePath('before', 'cpu');
    expectOneLineError(
      await cli(['top', file, '--sample-index', 'inuse_space']),
      1,
      file,
      'must be one of: samples, cpu',
    );
  });

  it('usage errors exit 2', async () => {
    const file = fixturePath('before', 'cpu');
    for (const args of [
      ['top'],
      ['top', file, '--bogus'],
      ['top', file, '--focus', 'a('],
      ['top', file, '--granularity', 'modules'],
      ['top', file, '--nodecount', '-3'],
      ['diff', file],
      ['diff', file, file, '--base-mode', 'sideways'],
      ['merge', file],
      ['filter', file],
    ]) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^pprof-studio (top|diff|merge|filter): \S/);
    }
  });

  it('merge of incompatible profiles: exit 1 naming the file, no output left', async () => {
    const out = join(work, 'bad-merge.pb.gz');
    const cpu = fixturePath('before', 'cpu');
    const heap = fixturePath('before', 'heap');
    expectOneLineError(
      await cli(['merge', cpu, heap, '-o', out]),
      1,
      heap,
      'no sample type in common',
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('bad-merge'))).toEqual([]);
  });

  it('filter into a folder that does not exist: exit 1, nothing written', async () => {
    const out = join(work, 'no-such-dir', 'x.pb.gz');
    expectOneLineError(
      await cli(['filter', fixturePath('before', 'cpu'), '--focus', 'main', '-o', out]),
      1,
      out,
      'folder does not exist',
    );
    expect(existsSync(join(work, 'no-such-dir'))).toBe(false);
  });
});

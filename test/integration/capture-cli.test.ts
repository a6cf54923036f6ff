// `pprof-studio capture` against the real Go target: the files it writes open in
// `go tool pprof -raw`; failures exit 1 with one stderr line and leave no file behind.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';
import { runCli } from '../../electron/cli/main';
import { tempDir } from '../unit/live/support';

let target: RunningTarget;

beforeAll(async () => {
  target = await startTarget({ mode: 'before' });
});
afterAll(async () => {
  await target?.stop();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['capture', ...argv], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

function pprofRaw(file: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      findGo(),
      ['tool', 'pprof', '-raw', file],
      { timeout: 120_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`go tool pprof -raw ${file}: ${stderr || err.message}`))
          : resolve(stdout),
    ),
  );
}

describe('pprof-studio capture', () => {
  it('writes profiles that go tool pprof opens', async () => {
    const dir = tempDir('cli');
    const cases: [string[], string, RegExp][] = [
      [['--kind', 'cpu', '--seconds', '1'], 'cpu.pb.gz', /cpu profile, 1 s/],
      [['--kind', 'heap', '--gc'], 'heap.pb.gz', /heap profile/],
      [['--kind', 'allocs', '--seconds', '1'], 'allocs.pb.gz', /allocs profile, delta over 1 s/],
      [['--kind', 'goroutine'], 'goroutine.pb.gz', /goroutine profile/],
      [['--kind', 'mutex'], 'mutex.pb.gz', /mutex profile/],
      [['--kind', 'block'], 'block.pb.gz', /block profile/],
      [['--kind', 'threadcreate'], 'threadcreate.pb.gz', /threadcreate profile/],
    ];
    for (const [args, name, summary] of cases) {
      const out = join(dir, name);
      const r = await cli(target.baseUrl, ...args, '-o', out);
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
      expect(r.stdout).toMatch(summary);
      const raw = await pprofRaw(out);
      expect(raw, name).toMatch(/^PeriodType: /m);
      if (name === 'goroutine.pb.gz') expect(raw).toContain(TARGET_FACTS.leakFunction);
    }
    // Endpoint URL, trace and the text dump.
    const trace = join(dir, 'trace.out');
    expect((await cli(`${target.pprofUrl}/trace`, '--seconds', '1', '-o', trace)).code).toBe(0);
    expect((await fs.readFile(trace)).subarray(0, 16).toString('latin1')).toMatch(
      /^go 1\.\d+ trace\0/,
    );
    const dump = join(dir, 'goroutines.txt');
    expect(
      (await cli(target.pprofUrl, '--kind', 'goroutine', '--debug', '2', '-o', dump)).code,
    ).toBe(0);
    expect(await fs.readFile(dump, 'utf8')).toMatch(/^goroutine \d+ \[/);
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('fails with one line and leaves no file', async () => {
    const dir = tempDir('cli-fail');
    const cases: [string[], RegExp][] = [
      [
        [`${target.baseUrl}/wrong/prefix`, '--kind', 'heap'],
        /404 Not Found: is the pprof handler mounted under another path prefix/,
      ],
      [[`${target.baseUrl}/html`, '--kind', 'heap'], /HTML page .* instead of a profile/],
      [[`${target.baseUrl}/truncated`, '--kind', 'heap'], /truncated gzip stream/],
      [
        [`${target.baseUrl}/slow`, '--kind', 'heap', '--timeout', '1'],
        /no complete answer .* within 1 s/,
      ],
      [['http://127.0.0.1:1', '--kind', 'heap'], /connection refused/],
      [
        ['https://127.0.0.1:1', '--kind', 'heap', '--cacert', join(dir, 'missing.pem')],
        /CA file .* is not a readable file of at most 1 MiB/,
      ],
    ];
    for (const [args, message] of cases) {
      const out = join(dir, 'out.pb.gz');
      const r = await cli(...args, '-o', out);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('exits 2 on usage errors', async () => {
    const out = join(tempDir('cli-usage'), 'x');
    for (const args of [
      [target.baseUrl, '--kind', 'nope', '-o', out],
      [target.baseUrl, '--kind', 'cpu', '--gc', '-o', out],
      [target.baseUrl, '--kind', 'heap', '--debug', '2', '-o', out],
      [target.baseUrl, '--kind', 'cpu', '--seconds', 'x', '-o', out],
      [target.baseUrl, '--kind', 'cpu'],
      ['--kind', 'cpu', '-o', out],
      [`${target.baseUrl}/debug/pprof/heap?gc=1`, '-o', out],
      [target.baseUrl, '--kind', 'cpu', '--insecure-skip-verify', '-o', out],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^pprof-studio capture: /);
    }
  });
});

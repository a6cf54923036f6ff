// Capture bundles against the real Go target built with Go 1.27 (which serves goroutineleak)
// and leaking goroutines: `pprof-studio capture --bundle` writes every part, go tool pprof
// reads each profile, Go's trace reader finds CPU samples in the trace, and the
// goroutineleak part holds the leaked goroutines and nothing else. Also: a bundle where the
// target answers 500 for mutex keeps the other parts; a Go 1.26 target without the
// experiment gets "not served", not a failure.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { findGo, GO127, startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';
import { oracleDump } from '../unit/trace/go-oracle';
import { tempDir } from '../unit/live/support';
import type { BundleManifest } from '../../electron/services/capture/bundle';

function pprof(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      findGo(),
      ['tool', 'pprof', ...args],
      { timeout: 120_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`go tool pprof ${args.join(' ')}: ${stderr || err.message}`))
          : resolve(stdout),
    ),
  );
}

async function leakedNow(t: RunningTarget): Promise<number> {
  const r = await fetch(`${t.baseUrl}/info`);
  return ((await r.json()) as { leakedGoroutines: number }).leakedGoroutines;
}

let go127: RunningTarget;
/** The bundle folder the first test writes (the CLI tests below read it). */
let bundleDir = '';

beforeAll(async () => {
  go127 = await startTarget({
    mode: 'before',
    toolchain: GO127,
    extraArgs: ['-leak-interval', '1s'],
    startTimeoutMs: 120_000,
  });
}, 300_000);
afterAll(async () => {
  await go127?.stop();
});

describe('capture --bundle against Go 1.27', () => {
  it('writes every part, each readable by go tool pprof, and bundle.json', async () => {
    const dir = join(tempDir('bundle'), 'b');
    bundleDir = dir;
    const leakedBefore = await leakedNow(go127);
    const r = await cli([
      'capture',
      go127.baseUrl,
      '--bundle',
      '--seconds',
      '2',
      '--note',
      'incident 42',
      '-o',
      dir,
    ]);
    const leakedAfter = await leakedNow(go127);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bundle of 11 of 11 parts over 2 s/);
    expect((await fs.readdir(dir)).sort()).toEqual(
      [
        'allocs.pb.gz',
        'block.pb.gz',
        'bundle.json',
        'cpu.pb.gz',
        'goroutine-debug2.txt',
        'goroutine.pb.gz',
        'goroutineleak.pb.gz',
        'heap.pb.gz',
        'memstats.txt',
        'mutex.pb.gz',
        'threadcreate.pb.gz',
        'trace.out',
      ].sort(),
    );
    const m = JSON.parse(await fs.readFile(join(dir, 'bundle.json'), 'utf8')) as BundleManifest;
    expect(m.format).toBe('pprof-studio-bundle');
    expect(m.note).toBe('incident 42');
    expect(m.window?.seconds).toBe(2);
    expect(m.failures).toEqual([]);
    expect(m.parts.map((p) => p.state)).toEqual(Array(11).fill('done'));
    expect(m.build.binary).toMatch(/orders$/);
    expect(m.build.buildId).toMatch(/^[0-9a-f]{20,}$/);
    expect(m.build.traceFormat).toMatch(/^go 1\.2\d$/);
    expect(m.memStats?.HeapAlloc).toBeGreaterThan(0);
    expect(await fs.readFile(join(dir, 'memstats.txt'), 'utf8')).toMatch(
      /^# runtime\.MemStats\n# Alloc = \d+/,
    );

    for (const p of m.parts.filter((x) => x.file.endsWith('.pb.gz'))) {
      const raw = await pprof(['-raw', join(dir, p.file)]);
      expect(raw, p.file).toMatch(/^PeriodType: /m);
    }
    // The CPU profile covers the window and shows the hot code of "before".
    expect(await pprof(['-top', join(dir, 'cpu.pb.gz')])).toContain(TARGET_FACTS.cpuHotBefore[0]);

    // Taken with the CPU profile running, the trace carries CPU samples (Go's reader).
    const events = await oracleDump(join(dir, 'trace.out'));
    const samples = events.split('\n').filter((l) => l.startsWith('StackSample ')).length;
    expect(samples).toBeGreaterThan(0);

    // goroutineleak: the leaked awaitAck goroutines, and nothing else (the idle workers
    // and the audit drain are blocked too, but reachable: not leaked).
    const leakRaw = await pprof(['-raw', join(dir, 'goroutineleak.pb.gz')]);
    expect(leakRaw).toMatch(/^PeriodType: goroutineleak count/m);
    const counts = [...leakRaw.split('Locations')[0].matchAll(/^\s+(\d+):/gm)].map((x) =>
      Number(x[1]),
    );
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(Math.max(TARGET_FACTS.leakedGoroutines, leakedBefore));
    // A goroutine parks before the target counts it, so one more may be in flight.
    expect(total).toBeLessThanOrEqual(leakedAfter + 1);
    const top = await pprof(['-top', '-cum', join(dir, 'goroutineleak.pb.gz')]);
    expect(top).toMatch(
      new RegExp(`${total}\\s+100%\\s+${TARGET_FACTS.leakFunction.replace(/[().*]/g, '\\$&')}`),
    );
    expect(top).not.toContain(TARGET_FACTS.workerFunction);
    expect(top).not.toContain(TARGET_FACTS.auditDrainFunction);
  }, 180_000);

  it('insights, report and top take the bundle folder', async () => {
    expect(bundleDir).not.toBe('');
    const top = await cli(['top', bundleDir]);
    expect(top.code).toBe(0);
    expect(top.stdout).toBe((await cli(['top', join(bundleDir, 'cpu.pb.gz')])).stdout);
    const ins = await cli(['insights', '--json', bundleDir]);
    expect(ins.stderr).toBe(''); // bundle.json and memstats.txt are not reported as skipped
    expect(ins.code).toBe(0);
    const findings = (JSON.parse(ins.stdout) as { findings: { kind: string; function: string }[] })
      .findings;
    expect(findings.some((f) => f.function === TARGET_FACTS.leakFunction)).toBe(true);
    const rep = await cli(['report', bundleDir, bundleDir]);
    expect(rep.stderr).toBe('');
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(/CPU/);
  }, 120_000);

  it('captures goroutineleak as a single kind', async () => {
    const out = join(tempDir('leak'), 'leak.pb.gz');
    const r = await cli(['capture', go127.pprofUrl + '/goroutineleak', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/goroutineleak profile/);
    expect(await pprof(['-top', out])).toContain('runtime.gopark');
  }, 60_000);
});

describe('bundle failures', () => {
  it('keeps the other parts when the target answers 500 for mutex; Go 1.26 does not serve goroutineleak', async () => {
    const t = await startTarget({ mode: 'before', extraArgs: ['-fail-profile', 'mutex'] });
    try {
      const dir = join(tempDir('bundle-fail'), 'b');
      const r = await cli(['capture', t.baseUrl, '--bundle', '--seconds', '1', '-o', dir]);
      expect(r.code).toBe(0);
      const warnings = r.stderr.trim().split('\n');
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(
        /^pprof-studio capture: warning: mutex: failed: the target refused .*mutex \(500 Internal Server Error\): profile failed on purpose/,
      );
      expect(warnings[1]).toMatch(
        /^pprof-studio capture: warning: goroutineleak: not-served: .*not served by this Go version/,
      );
      const m = JSON.parse(await fs.readFile(join(dir, 'bundle.json'), 'utf8')) as BundleManifest;
      expect(m.failures.map((f) => f.kind)).toEqual(['mutex']);
      const states = Object.fromEntries(m.parts.map((p) => [p.kind, p.state]));
      expect(states).toMatchObject({
        mutex: 'failed',
        goroutineleak: 'not-served',
        cpu: 'done',
        block: 'done',
      });
      const files = await fs.readdir(dir);
      expect(files).not.toContain('mutex.pb.gz');
      expect(files).not.toContain('goroutineleak.pb.gz');
      expect(files).toContain('block.pb.gz');
      expect(r.stdout).toMatch(/bundle of 9 of 11 parts/);

      // A single goroutineleak capture: one clear line, exit 1.
      const one = await cli([
        'capture',
        t.baseUrl,
        '--kind',
        'goroutineleak',
        '-o',
        join(dir, '..', 'l.pb.gz'),
      ]);
      expect(one.code).toBe(1);
      expect(one.stderr).toMatch(
        /goroutineleak is not served by this Go version \(it needs Go 1\.27/,
      );
    } finally {
      await t.stop();
    }
  }, 120_000);

  it('exits 1 when every part failed', async () => {
    // A port nothing listens on: every part fails to connect.
    const dir = join(tempDir('bundle-none'), 'b');
    const r = await cli(['capture', 'http://127.0.0.1:9', '--bundle', '--seconds', '1', '-o', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/every part of the bundle failed/);
    const m = JSON.parse(await fs.readFile(join(dir, 'bundle.json'), 'utf8')) as BundleManifest;
    expect(m.failures).toHaveLength(11);
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('cold start: capture --wait-start', () => {
  it('waits for a target that starts 3 s after arming, then captures its first seconds', async () => {
    const port = await freePort();
    const dir = join(tempDir('cold'), 'b');
    const armed = cli([
      'capture',
      `http://127.0.0.1:${port}`,
      '--bundle',
      '--wait-start',
      '--timeout',
      '60s',
      '--seconds',
      '2',
      '-o',
      dir,
    ]);
    await new Promise((r) => setTimeout(r, 3000));
    const t = await startTarget({
      mode: 'before',
      addr: `127.0.0.1:${port}`,
      toolchain: GO127,
      // Sample allocations finely enough that package init's one parse is surely recorded.
      extraArgs: ['-memprofilerate', '4096'],
    });
    try {
      const r = await armed;
      expect(r.code).toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toBe(
        `waiting up to 60 s for http://127.0.0.1:${port}/debug/pprof/ to answer`,
      );
      const attempts = Number(/\((\d+) attempts\)/.exec(lines[1])?.[1]);
      expect(attempts).toBeGreaterThan(1); // it really waited
      expect(lines[1]).toMatch(/capture started \d+ ms after its first answer$/);
      const m = JSON.parse(await fs.readFile(join(dir, 'bundle.json'), 'utf8')) as BundleManifest;
      expect(m.coldStart?.msToCapture).toBeGreaterThanOrEqual(0);
      expect(m.failures).toEqual([]);
      // Start-up work done before the listener opened shows in the allocation profile: package
      // init (runtime.doInit1 → main.init.0 → main.parseSchema, "before" mode's init-time parse).
      const allocs = await pprof([
        '-top',
        '-cum',
        '-sample_index=alloc_space',
        join(dir, 'allocs.pb.gz'),
      ]);
      expect(allocs).toMatch(/\bmain\.init\.0\b/);
      expect(allocs).toMatch(/\bruntime\.doInit1\b/);
      // And the CPU profile holds the service's first seconds of work.
      expect(await pprof(['-top', join(dir, 'cpu.pb.gz')])).toContain(TARGET_FACTS.cpuHotBefore[0]);
    } finally {
      await t.stop();
    }
  }, 180_000);
});

// #20 item 2: no regular expression runs in super-linear time on bytes from a target, a file
// or a dump. Each parser that applies patterns to such bytes is fed the shapes that make a
// backtracking pattern explode (long runs of what an optional part or a `\s*` can eat, many
// near-matches), a few MiB at most, and must answer within a bound that is orders of
// magnitude above its linear cost (the unbounded index pattern took 13 s on the first input).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { contentionBySite } from '../../../core/pprof/contention';
import { parseGoroutineDump } from '../../../core/goroutines/parse';
import { detectSnapshot } from '../../../electron/services/library/detect';
import { parseGoroutineTotal, parseMemStats } from '../../../electron/services/poll/memstats';
import { LiveService } from '../../../electron/services/targets/live-service';
import { parsePprofIndex } from '../../../electron/services/targets/pprof-index';
import { MemorySecretStore } from '../../../electron/services/targets/secret-store';
import { buildProfile } from '../pprof/build-profile';
import { openLibrary, tempDir } from '../live/support';

/** Generous: each input is parsed in well under 100 ms by a linear pattern. */
const BOUND_MS = 2000;
const N = 200_000;

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  try {
    fn();
  } catch {
    // A parser may refuse the input: that is fine, as long as it answers in time.
  }
  return performance.now() - t0;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn().catch(() => undefined);
  return performance.now() - t0;
}

const spaces = ' '.repeat(N);

describe('pathological input meets only linear patterns', () => {
  it.each([
    ['<tr><td> + 200k spaces (the reported 13 s)', `<tr><td>${spaces}`],
    ['<tr><td>\\s*digits\\s* runs', `<tr><td>${' 1'.repeat(N / 2)}`],
    ['rows cut before the link ends', `<tr><td></td><td><a href='${'<tr>'.repeat(N / 4)}`],
    [
      'a description label of colons and spaces',
      `<li><div class=profile-name>${': '.repeat(N / 2)}`,
    ],
    ['<li> and <tr> repeated', `${'<li> <tr> '.repeat(N / 10)}`],
    ['4 MiB of one row opening', `<tr><td>1</td><td><a href='x'>${'x'.repeat(4 * 1024 * 1024)}`],
  ])('pprof index page: %s', (_name, page) => {
    expect(timed(() => parsePprofIndex(page))).toBeLessThan(BOUND_MS);
  });

  it.each([
    ['value of spaces then a letter', `# runtime.MemStats\n# HeapInuse = ${spaces}x\n`],
    ['a key then only = signs', `# runtime.MemStats\n# HeapInuse ${'='.repeat(N)}\n`],
    ['a PauseNs list that never closes', `# runtime.MemStats\n# PauseNs = [${'1 '.repeat(N)}\n`],
    ['a Stack pair of spaces', `# runtime.MemStats\n# Stack = 1${spaces}/${spaces}x\n`],
  ])('heap?debug=1 MemStats: %s', (_name, text) => {
    expect(timed(() => parseMemStats(text))).toBeLessThan(BOUND_MS);
    expect(timed(() => parseGoroutineTotal(text))).toBeLessThan(BOUND_MS);
  });

  it.each([
    ['debug=2 header of "]:" runs', `goroutine 1 [${']:]'.repeat(N / 3)}x\n`],
    [
      'debug=2 frame line of ":1 +0x1" runs',
      `goroutine 1 [running]:\nmain.f()\n\t${':1 +0x1'.repeat(N / 7)}z\n`,
    ],
    [
      'debug=2 created-by of " in goroutine 1" runs',
      `goroutine 1 [running]:\nmain.f()\n\t/a.go:1\ncreated by ${' in goroutine 1'.repeat(N / 14)}x\n`,
    ],
    [
      'debug=1 record header of " 0x1" runs',
      `goroutine profile: total 1\n1 @${' 0x1'.repeat(N / 4)}z\n`,
    ],
    [
      'debug=1 frame of "+0x1" runs',
      `goroutine profile: total 1\n1 @ 0x1\n#\t0x1\t${'+0x1'.repeat(N / 4)}z\t${':1'.repeat(N / 2)}z\n`,
    ],
    [
      'debug=2 frame line of tabs and colons',
      `goroutine 1 [running]:\nmain.f()\n\t${'\t:'.repeat(N / 2)}\n`,
    ],
  ])('goroutine dump: %s', (_name, text) => {
    expect(timed(() => parseGoroutineDump(text))).toBeLessThan(BOUND_MS);
  });

  it('file detection of text that nearly looks like a dump or a trace', async () => {
    for (const text of [
      `goroutine 1 [${'x'.repeat(N)}`,
      `goroutine profile: total ${'1'.repeat(N)}`,
      `go 1.${'1'.repeat(N)}`,
      `${' '.repeat(N)}`,
    ]) {
      const bytes = new TextEncoder().encode(text);
      expect(await timedAsync(() => detectSnapshot(bytes, 'x.txt'))).toBeLessThan(BOUND_MS);
    }
  });

  it('contention classification of hostile leaf function names', () => {
    const names = [
      `.unlock${'a'.repeat(N)}.`,
      '.unlock'.repeat(N / 7),
      `(*Mutex).${'R'.repeat(N)}`,
    ];
    const p = buildProfile({
      sampleTypes: [
        ['contentions', 'count'],
        ['delay', 'nanoseconds'],
      ],
      samples: names.map((n) => ({ stack: ['main.main', n], values: [1, 1000] })),
    });
    expect(timed(() => contentionBySite(p))).toBeLessThan(BOUND_MS);
  });

  it('probing a target whose index page is <tr><td> + 200k spaces leaves the back end free', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<tr><td>${spaces}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { sink } = await openLibrary();
    const live = await LiveService.open({
      settingsDir: tempDir('sec-redos'),
      secrets: new MemorySecretStore(),
      sink,
    });
    try {
      const t = await live.saveTarget({
        name: 'hostile',
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      let result: Awaited<ReturnType<LiveService['probe']>> | undefined;
      const ms = await timedAsync(async () => (result = await live.probe(t.id)));
      expect(ms).toBeLessThan(BOUND_MS);
      expect(result?.health.state).not.toBe('ok');
    } finally {
      await live.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

// #20 item 3, measured: gzip bombs uploaded to a real `pprof-studio serve` process, several at
// once, must not raise its peak resident memory (VmHWM) towards their inflated size. Before
// the ratio cap one 1.96 MB bomb took the server from 62 MB to 4.05 GB, two to 5.5 GB.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileThenZeros, zeroBomb } from '../helpers/gzip-bomb';
import { prepareServe, peakRssBytes, runCli, waitForUrl } from '../helpers/serve-child';

let work: string;
let cli: string;
let renderer: string;

beforeAll(async () => {
  ({ work, cli, renderer } = await prepareServe('bomb'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const MiB = 1024 * 1024;

describe.skipIf(process.platform !== 'linux')('gzip bombs against serve mode', () => {
  it('four bombs at once leave the peak RSS far below their inflated size', async () => {
    const r = runCli(cli, ['serve', '--data', join(work, 'data'), '--renderer', renderer]);
    try {
      const url = new URL(await waitForUrl(r));
      const token = url.searchParams.get('token')!;
      const pid = r.child.pid!;
      const before = peakRssBytes(pid);
      // 2 GiB of zeros each: two that fail the prefix check, two a real profile then zeros.
      const bombs = [zeroBomb(2), zeroBomb(2), profileThenZeros(2), profileThenZeros(2)];
      const answers = await Promise.all(
        bombs.map(async (body, i) => {
          const res = await fetch(`${url.origin}/api/importSnapshot?name=bomb-${i}.pb.gz`, {
            method: 'POST',
            headers: { 'content-type': 'application/octet-stream', 'x-pprof-studio-token': token },
            body: new Uint8Array(body),
          });
          return {
            status: res.status,
            body: (await res.json()) as { ok: boolean; error?: { message: string } },
          };
        }),
      );
      const after = peakRssBytes(pid);
      console.log(
        `gzip bombs (4 × ${(bombs[0].length / MiB).toFixed(2)} MiB of gzip, 2 GiB inflated each): ` +
          `serve peak RSS ${(before / MiB).toFixed(0)} MiB before, ${(after / MiB).toFixed(0)} MiB after`,
      );
      for (const a of answers) {
        expect(a.body.ok).toBe(false);
        expect(a.status).toBeGreaterThanOrEqual(400);
      }
      expect(answers[0].body.error!.message).toContain('not a pprof profile');
      expect(answers[2].body.error!.message).toContain('decompression bomb');
      // Two detections at a time, each capped at 100 × ~2 MB: a few hundred MiB at most.
      expect(after).toBeLessThan(1024 * MiB);
    } finally {
      r.child.kill('SIGTERM');
      await r.exit;
    }
  });
});

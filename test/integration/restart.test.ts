// Target restarts are noticed (issue 12 item 3), against the real Go target restarted in
// place on the same port: the poller marks the first sample of the new process (cumulative
// counters went backwards), and a comparison of cumulative heap profiles taken across the
// restart gets a comparability warning that names it, while two captures of one process get
// none.
import { afterAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { startTarget, type RunningTarget } from '../helpers/go-target';
import type { MetricsSample } from '../../core/contract/live';
import { TargetPoller } from '../../electron/services/poll/poller';
import { resolveConnection } from '../../electron/services/targets/connection';
import { decodeProfile } from '../../core/pprof/decode';
import { checkComparability, comparableSide } from '../../core/pprof/comparability';
import { parseMemStats } from '../../electron/services/poll/memstats';
import { freePort, waitFor } from '../unit/live/support';

let target: RunningTarget | undefined;

afterAll(async () => {
  await target?.stop();
});

async function heap(baseUrl: string): Promise<Uint8Array> {
  const res = await fetch(`${baseUrl}/debug/pprof/heap`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

function side(bytes: Uint8Array) {
  const p = decodeProfile(bytes);
  return comparableSide(p, { kind: 'heap', isDelta: false });
}

describe('a target restarted in place', () => {
  it('is marked on the dashboard samples and named by the guard of a cumulative heap diff', async () => {
    const port = await freePort();
    const addr = ['-addr', `127.0.0.1:${port}`];
    const baseUrl = `http://127.0.0.1:${port}`;
    target = await startTarget({ mode: 'before', extraArgs: addr });
    const conn = await resolveConnection(
      {
        baseUrl,
        pathPrefix: '/debug/pprof',
        headers: [],
        auth: { type: 'none' },
        tls: { caFile: null, skipVerify: false },
        timeoutSeconds: null,
      },
      undefined,
    );
    const samples: MetricsSample[] = [];
    const poller = new TargetPoller({
      targetId: 't1',
      connection: async () => conn,
      intervalMs: 200,
      maxBackoffMs: 400,
      onSample: (s) => samples.push(s),
    });
    try {
      // The first process runs a while, so its cumulative allocation total is well ahead.
      poller.start();
      await waitFor('three samples', () => samples.length >= 3, 20_000);
      const early = await heap(baseUrl);
      await waitFor(
        'the first process to allocate more',
        () => (samples[samples.length - 1]?.totalAlloc ?? 0) > 2 * (samples[0].totalAlloc ?? 0),
        30_000,
      );
      const late = await heap(baseUrl);
      expect(samples.every((s) => !s.restart)).toBe(true);

      await target.stop();
      const before = samples.length;
      target = await startTarget({ mode: 'after', extraArgs: addr });
      await waitFor('a sample of the new process', () => samples.length > before, 20_000);
      const fresh = await heap(baseUrl);
      const first = samples[before];
      expect(first.restart).toBe(true);
      expect(samples.slice(before + 1).every((s) => !s.restart)).toBe(true);

      // Same process: no restart finding. Across the restart: a warning that names it.
      const same = checkComparability(side(early), side(late));
      expect(same.map((f) => f.kind)).not.toContain('restart');
      const across = checkComparability(side(late), side(fresh));
      const r = across.find((f) => f.kind === 'restart');
      expect(r?.severity).toBe('warning');
      expect(r?.message).toMatch(/restarted between the two captures/);
      expect(r?.message).toMatch(/alloc_space/);
      // The gzip bytes are real profiles (not empty): the check is about their content.
      expect(gunzipSync(fresh).length).toBeGreaterThan(100);
    } finally {
      poller.stop();
    }
  });

  it('is marked when the new process has other arguments, even with its counters ahead', async () => {
    // The first process allocates little; the poller pauses over the restart and resumes only
    // once the second (busier) process is ahead on every counter the counter rule reads, so
    // only the changed cmdline can tell.
    const port = await freePort();
    const addr = ['-addr', `127.0.0.1:${port}`];
    const baseUrl = `http://127.0.0.1:${port}`;
    await target?.stop();
    target = await startTarget({ mode: 'after', extraArgs: [...addr, '-rate', '1'] });
    const conn = await resolveConnection(
      {
        baseUrl,
        pathPrefix: '/debug/pprof',
        headers: [],
        auth: { type: 'none' },
        tls: { caFile: null, skipVerify: false },
        timeoutSeconds: null,
      },
      undefined,
    );
    const samples: MetricsSample[] = [];
    const poller = new TargetPoller({
      targetId: 't2',
      connection: async () => conn,
      intervalMs: 200,
      maxBackoffMs: 400,
      onSample: (s) => samples.push(s),
    });
    try {
      await poller.pollOnce();
      await poller.pollOnce();
      expect(samples.length).toBe(2);
      expect(samples.every((s) => !s.restart)).toBe(true);
      const last = samples[1];

      await target.stop();
      target = await startTarget({ mode: 'after', extraArgs: [...addr, '-rate', '500'] });
      const ahead = async (): Promise<boolean> => {
        const res = await fetch(`${baseUrl}/debug/pprof/heap?debug=1`);
        const ms = parseMemStats(await res.text());
        return (
          !!ms &&
          (ms.NumGC ?? 0) >= (last.numGC ?? 0) &&
          (ms.TotalAlloc ?? 0) >= (last.totalAlloc ?? 0) + (1 << 20) &&
          (ms.Mallocs ?? 0) >= (last.mallocs ?? 0) + 10_000
        );
      };
      let isAhead = false;
      for (let i = 0; i < 300 && !isAhead; i++) {
        isAhead = await ahead();
        if (!isAhead) await new Promise((r) => setTimeout(r, 100));
      }
      expect(isAhead).toBe(true);

      await poller.pollOnce();
      await poller.pollOnce();
      expect(samples.length).toBe(4);
      const first = samples[2];
      // The counters did not go backwards: the restart is known by the cmdline alone.
      expect(first.numGC!).toBeGreaterThanOrEqual(last.numGC!);
      expect(first.totalAlloc!).toBeGreaterThan(last.totalAlloc!);
      expect(first.mallocs!).toBeGreaterThan(last.mallocs!);
      expect(first.restart).toBe(true);
      expect(samples[3].restart).toBeUndefined();
    } finally {
      poller.stop();
    }
  });
});

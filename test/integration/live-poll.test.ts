// Dashboard polling against the real Go target: samples with the goroutine count and heap
// figures, backoff while the target is down, recovery when it comes back on the same port.
import { afterAll, describe, expect, it } from 'vitest';
import { startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';
import { TargetPoller, type PollStatus } from '../../electron/services/poll/poller';
import { resolveConnection } from '../../electron/services/targets/connection';
import { LiveService } from '../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../electron/services/targets/secret-store';
import { freePort, openLibrary, tempDir, waitFor } from '../unit/live/support';

let target: RunningTarget | undefined;

afterAll(async () => {
  await target?.stop();
});

describe('live polling', () => {
  it('samples goroutines and MemStats, backs off while the target is down, and recovers', async () => {
    const port = await freePort();
    const addr = ['-addr', `127.0.0.1:${port}`];
    target = await startTarget({ mode: 'before', extraArgs: addr });
    const baseUrl = `http://127.0.0.1:${port}`;
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
    const statuses: PollStatus[] = [];
    const poller = new TargetPoller({
      targetId: 't1',
      connection: async () => conn,
      intervalMs: 200,
      maxBackoffMs: 800,
      onStatus: (s) => statuses.push(s),
    });
    poller.start();
    try {
      await waitFor('two samples', () => poller.samples().length >= 2);
      const s = poller.samples()[1];
      expect(s.goroutines).toBeGreaterThanOrEqual(
        TARGET_FACTS.workers + TARGET_FACTS.leakedGoroutines,
      );
      expect(s.heapInuse).toBeGreaterThan(0);
      expect(s.heapAlloc).toBeGreaterThan(0);
      expect(s.heapSys).toBeGreaterThanOrEqual(s.heapInuse!);
      expect(s.numGC).not.toBeNull();
      expect(s.nextGC).toBeGreaterThan(0);
      expect(s.sys).toBeGreaterThan(0);
      if (s.numGC! <= 256) expect(s.pauseTotalNs).not.toBeNull();

      await target.stop();
      await waitFor('polls to fail', () => poller.status.failures >= 2);
      expect(poller.status.state).toBe('failing');
      expect(poller.status.error?.kind).toBe('unreachable');
      expect(poller.status.error?.message).toMatch(/connection refused/);
      expect(poller.nextDelayMs()).toBeGreaterThan(200);
      expect(poller.nextDelayMs()).toBeLessThanOrEqual(800);
      const samplesWhileDown = poller.samples().length;

      target = await startTarget({ mode: 'before', extraArgs: addr });
      await waitFor('polling to recover', () =>
        statuses.find((st) => st.state === 'ok' && st.recovered),
      );
      await waitFor('a new sample', () => poller.samples().length > samplesWhileDown);
      expect(poller.status).toMatchObject({ state: 'ok', failures: 0, error: null });
      expect(poller.nextDelayMs()).toBe(200);
    } finally {
      poller.stop();
    }
    expect(poller.status.state).toBe('stopped');
  });

  it('feeds the service: metrics events and health that follows the target', async () => {
    const { sink } = await openLibrary();
    const live = await LiveService.open({
      settingsDir: tempDir('settings'),
      secrets: new MemorySecretStore(),
      sink,
      pollIntervalSeconds: 1,
    });
    try {
      const running = target!;
      const t = await live.saveTarget({ name: 'orders', baseUrl: running.baseUrl });
      const samples: unknown[] = [];
      live.on((e) => {
        if (e.type === 'metrics') samples.push(e.sample);
      });
      expect((await live.connect(t.id)).health.state).toBe('ok');
      await waitFor('a metrics event', () => samples.length >= 1);
      expect(live.metrics(t.id).length).toBeGreaterThanOrEqual(1);
      await running.stop();
      await waitFor('health to turn unreachable', () => live.status(t.id).health === 'unreachable');
      expect(live.status(t.id).message).toMatch(/connection refused/);
      await live.disconnect(t.id);
      expect(live.status(t.id).connected).toBe(false);
    } finally {
      await live.close();
    }
  });
});

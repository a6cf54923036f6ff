// The live dashboard's leaked-goroutine count, through the app services, against the real Go
// target built with Go 1.27 (serves goroutineleak) and with the local Go 1.26 (does not):
// whether it is served is read from the pprof index without any GC in the target; a count is
// the documented leak of 37 and costs the target a forced GC (NumForcedGC goes up), which is
// why the dashboard counts only on demand or at an opt-in low rate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, type Backend, type OperationName } from '../../core/contract';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { parseMemStats } from '../../electron/services/poll/memstats';
import { GO127, startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';
import { tempDir } from '../unit/live/support';

let t127: RunningTarget;
let t126: RunningTarget;
let app: AppServices;

async function call<K extends OperationName>(
  name: K,
  req: Parameters<Backend[K]>[0],
): Promise<Awaited<ReturnType<Backend[K]>>> {
  expect(operations[name].request.check(req, '').ok).toBe(true);
  const value = await (app.backend[name] as (r: unknown) => Promise<unknown>)(req);
  const r = operations[name].response.check(value, '');
  expect(r.ok ? [] : r.problems, `${name} response`).toEqual([]);
  return value as Awaited<ReturnType<Backend[K]>>;
}

async function forcedGCs(t: RunningTarget): Promise<number> {
  const text = await (await fetch(`${t.pprofUrl}/heap?debug=1`)).text();
  return parseMemStats(text)!.NumForcedGC!;
}

beforeAll(async () => {
  [t127, t126] = await Promise.all([
    startTarget({ mode: 'before', toolchain: GO127, startTimeoutMs: 120_000 }),
    startTarget({ mode: 'before' }),
  ]);
  app = await createAppServices({
    dataDir: tempDir('leak-check'),
    demoDir: null,
    transport: 'http',
    version: 'test',
  });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await t127?.stop();
  await t126?.stop();
});

describe('leaked goroutines on the live dashboard', () => {
  it('Go 1.27: served (read for free), and a count is the leak of 37 at the cost of a GC', async () => {
    const t = await call('saveTarget', { target: { name: 'orders 1.27', baseUrl: t127.baseUrl } });
    const gc0 = await forcedGCs(t127);
    const served = await call('checkGoroutineLeaks', { targetId: t.id, count: false });
    expect(served).toMatchObject({ served: true, leaked: null, message: null });
    expect(await forcedGCs(t127)).toBe(gc0); // learning that it is served costs no GC
    const counted = await call('checkGoroutineLeaks', { targetId: t.id, count: true });
    expect(counted).toMatchObject({
      served: true,
      leaked: TARGET_FACTS.leakedGoroutines,
      message: null,
    });
    expect(await forcedGCs(t127)).toBeGreaterThan(gc0); // each count runs a GC in the target
  }, 60_000);

  it('Go 1.26: not served by this Go version, with or without a count', async () => {
    const t = await call('saveTarget', { target: { name: 'orders 1.26', baseUrl: t126.baseUrl } });
    for (const count of [false, true]) {
      const r = await call('checkGoroutineLeaks', { targetId: t.id, count });
      expect(r.served).toBe(false);
      expect(r.leaked).toBeNull();
      expect(r.message).toMatch(/not served by this Go version: Go 1\.27 serves it/);
    }
  });
});

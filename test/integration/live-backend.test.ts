// The contract's live operations through createLiveBackend, against the real Go target:
// every response and event passes the contract's (strict) validators, and errors come out
// as the contract's error kinds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventHub,
  eventValidators,
  operations,
  ServiceError,
  type AnyEvent,
  type OperationName,
} from '../../core/contract';
import { startTarget, type RunningTarget } from '../helpers/go-target';
import { createLiveBackend, type LiveBackend } from '../../electron/services/targets/live-backend';
import { MemorySecretStore } from '../../electron/services/targets/secret-store';
import { openLibrary, tempDir, waitFor } from '../unit/live/support';

let target: RunningTarget;
let lb: LiveBackend;
const events: AnyEvent[] = [];

beforeAll(async () => {
  target = await startTarget({ mode: 'after' });
  const { sink } = await openLibrary();
  const hub = new EventHub();
  hub.listen((e) => events.push(e));
  lb = await createLiveBackend({
    settingsDir: tempDir('settings'),
    secrets: new MemorySecretStore(),
    sink,
    events: hub,
    pollIntervalSeconds: 1,
  });
});

afterAll(async () => {
  await lb?.close();
  await target?.stop();
});

function valid<K extends OperationName>(name: K, value: unknown): void {
  const r = operations[name].response.check(value, '');
  expect(r.ok ? [] : r.problems, name).toEqual([]);
}

describe('live backend on the contract', () => {
  it('answers every live operation with contract-valid values', async () => {
    const saved = await lb.backend.saveTarget({
      target: { name: 'orders', baseUrl: target.baseUrl, auth: { type: 'bearer', token: 't' } },
    });
    valid('saveTarget', saved);
    expect(saved.auth).toEqual({ type: 'bearer', hasToken: true });
    valid('listTargets', await lb.backend.listTargets({}));
    const connected = await lb.backend.connectTarget({ id: saved.id });
    valid('connectTarget', connected);
    expect(connected).toMatchObject({ connected: true, health: 'ok' });
    valid('probeTarget', await lb.backend.probeTarget({ id: saved.id }));
    const { captureId } = await lb.backend.startCapture({
      targetId: saved.id,
      kind: 'cpu',
      seconds: 1,
    });
    valid('startCapture', { captureId });
    const recipe = await lb.backend.startRecipe({
      targetId: saved.id,
      group: 'before',
      items: [{ kind: 'heap' }, { kind: 'goroutine-text' }],
    });
    valid('startRecipe', recipe);
    await waitFor('captures to finish', async () => {
      const all = await lb.backend.listCaptures({});
      return all.length === 3 && all.every((c) => c.state === 'done') && all;
    });
    valid('listCaptures', await lb.backend.listCaptures({}));
    valid('cancelCapture', await lb.backend.cancelCapture({ captureId }));
    await waitFor(
      'a metrics sample',
      async () => (await lb.backend.getTargetMetrics({ id: saved.id })).length > 0,
    );
    valid('getTargetMetrics', await lb.backend.getTargetMetrics({ id: saved.id }));
    const folder = await lb.backend.addWatchFolder({ path: tempDir('watched') });
    valid('addWatchFolder', folder);
    valid('listWatchFolders', await lb.backend.listWatchFolders({}));
    valid('removeWatchFolder', await lb.backend.removeWatchFolder({ id: folder.id }));
    valid('disconnectTarget', await lb.backend.disconnectTarget({ id: saved.id }));
    valid('deleteTarget', await lb.backend.deleteTarget({ id: saved.id }));

    const names = new Set(events.map((e) => e.name));
    for (const n of ['capture.progress', 'target.health', 'target.metrics'] as const)
      expect(names).toContain(n);
    for (const e of events) {
      const r = (
        eventValidators[e.name] as {
          check: (v: unknown, p: string) => { ok: boolean; problems?: unknown };
        }
      ).check(e.payload, e.name);
      expect(r.ok ? [] : r.problems, e.name).toEqual([]);
    }
  });

  it('reports errors with the contract kinds', async () => {
    const missing = await lb.backend.probeTarget({ id: 'no-such-target' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ServiceError);
    expect((missing as ServiceError).kind).toBe('not-found');
    const bad = await lb.backend
      .saveTarget({ target: { name: 'x', baseUrl: 'http://u:p@h:1' } })
      .catch((e: unknown) => e);
    expect((bad as ServiceError).kind).toBe('invalid-request');
    expect((bad as Error).message).toMatch(/credentials/);
  });
});

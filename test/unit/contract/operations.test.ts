import { describe, expect, it } from 'vitest';
import {
  ERROR_KINDS,
  OPERATION_NAMES,
  ServiceError,
  checkEvent,
  dispatch,
  httpStatusOf,
  operations,
  type Backend,
  type OperationName,
} from '../../../core/contract';

const meta = {
  id: 'abc',
  name: 'cpu.pb.gz',
  fileName: 'cpu.pb.gz',
  kind: 'cpu',
  format: 'pprof-gzip',
  source: { type: 'upload' },
  target: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  capturedAt: null,
  sampleTypes: [{ type: 'samples', unit: 'count' }],
  defaultSampleType: '',
  periodType: null,
  period: 0,
  durationNanos: null,
  goVersion: null,
  size: 3,
  sha256: 'a'.repeat(64),
  note: '',
  group: null,
  trashedAt: null,
};

function backendWith(
  overrides: Partial<Record<OperationName, (req: never) => Promise<unknown>>>,
): Backend {
  const b: Record<string, unknown> = {};
  for (const name of OPERATION_NAMES)
    b[name] =
      overrides[name] ??
      (async () => {
        throw new ServiceError('unsupported', `${name} not in this test`);
      });
  return b as Backend;
}

describe('operations table', () => {
  it('declares the library, settings and app operations as implemented and the live ones as live', () => {
    const live = OPERATION_NAMES.filter((n) => operations[n].live).sort();
    expect(live).toEqual(
      [
        'addWatchFolder',
        'cancelBundle',
        'cancelCapture',
        'cancelRecipe',
        'deleteRecipe',
        'getTunnelOutput',
        'listBundles',
        'listRecipes',
        'listTargetStatuses',
        'saveRecipe',
        'confirmTunnel',
        'startBundle',
        'connectTarget',
        'deleteTarget',
        'disconnectTarget',
        'getTargetMetrics',
        'listCaptures',
        'listTargets',
        'listWatchFolders',
        'probeTarget',
        'removeWatchFolder',
        'saveTarget',
        'startCapture',
        'startRecipe',
        'checkGoroutineLeaks',
      ].sort(),
    );
    for (const n of [
      'listSnapshots',
      'importSnapshot',
      'exportSnapshot',
      'listLibraryBundles',
      'exportBundle',
      'bundleFolderFiles',
      'importBundle',
      'getSettings',
      'appInfo',
    ] as const)
      expect(operations[n].live).toBe(false);
  });

  it('validates the live-targets requests too', () => {
    const ok = operations.saveTarget.request.check(
      {
        target: {
          name: 'orders',
          baseUrl: 'http://127.0.0.1:6060',
          auth: { type: 'bearer', token: 'secret' },
          headers: [{ name: 'X-Env', value: 'prod' }],
          tunnel: { command: 'kubectl port-forward svc/orders 6060:6060', localPort: 6060 },
        },
      },
      '',
    );
    expect(ok.ok).toBe(true);
    const badUrl = operations.saveTarget.request.check(
      { target: { name: 'x', baseUrl: 'file:///etc/passwd' } },
      '',
    );
    expect(badUrl.ok).toBe(false);
    const headerInjection = operations.saveTarget.request.check(
      {
        target: { name: 'x', baseUrl: 'http://a', headers: [{ name: 'X', value: 'a\r\nEvil: 1' }] },
      },
      '',
    );
    expect(headerInjection.ok).toBe(false);
    expect(
      operations.startCapture.request.check({ targetId: 't1', kind: 'cpu', seconds: 30 }, '').ok,
    ).toBe(true);
    expect(
      operations.startCapture.request.check({ targetId: 't1', kind: 'cpu', seconds: 0 }, '').ok,
    ).toBe(false);
    expect(operations.startCapture.request.check({ targetId: '../x', kind: 'cpu' }, '').ok).toBe(
      false,
    );
  });

  it('gives every error kind an HTTP status', () => {
    for (const k of ERROR_KINDS) expect(httpStatusOf(k)).toBeGreaterThanOrEqual(400);
    expect(httpStatusOf('unsupported')).toBe(405);
    expect(httpStatusOf('not-found')).toBe(404);
  });
});

describe('dispatch', () => {
  it('runs a valid request and returns the validated response', async () => {
    const backend = backendWith({ getSnapshot: async () => meta });
    expect(await dispatch(backend, 'getSnapshot', { id: 'abc' })).toEqual({
      ok: true,
      value: meta,
    });
  });

  it('rejects an invalid request before the back end sees it', async () => {
    let called = false;
    const backend = backendWith({
      getSnapshot: async () => {
        called = true;
        return meta;
      },
    });
    const r = await dispatch(backend, 'getSnapshot', { id: '../../etc/passwd' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalid-request');
      expect(r.error.message).toContain('id: must be a snapshot id');
    }
    expect(called).toBe(false);
    const unknown = await dispatch(backend, 'deleteEverything', {});
    expect(unknown.ok ? '' : unknown.error.message).toBe("unknown operation 'deleteEverything'");
  });

  it('turns a thrown ServiceError into its error value and other throws into internal', async () => {
    const backend = backendWith({
      getSnapshot: async () => {
        throw new ServiceError('not-found', 'no snapshot with id abc');
      },
      listSnapshots: async () => {
        throw new TypeError('boom');
      },
    });
    expect(await dispatch(backend, 'getSnapshot', { id: 'abc' })).toEqual({
      ok: false,
      error: { kind: 'not-found', message: 'no snapshot with id abc' },
    });
    expect(await dispatch(backend, 'listSnapshots', {})).toEqual({
      ok: false,
      error: { kind: 'internal', message: 'boom' },
    });
  });

  it('refuses to send a response that breaks the contract', async () => {
    const backend = backendWith({ getSnapshot: async () => ({ ...meta, kind: 'banana' }) });
    const r = await dispatch(backend, 'getSnapshot', { id: 'abc' });
    expect(r.ok ? '' : r.error.kind).toBe('internal');
  });

  it('accepts an omitted request for operations without fields', async () => {
    const backend = backendWith({ listSnapshots: async () => [meta] });
    expect(await dispatch(backend, 'listSnapshots', undefined)).toEqual({
      ok: true,
      value: [meta],
    });
  });
});

describe('events', () => {
  it('checks names and payloads', () => {
    expect(checkEvent('snapshot.removed', { id: 'abc', trashed: true })).toEqual({
      name: 'snapshot.removed',
      payload: { id: 'abc', trashed: true },
    });
    expect(checkEvent('snapshot.removed', { id: 'abc' })).toBeNull();
    expect(checkEvent('app.showView', { view: 'flame' })).not.toBeNull();
    expect(checkEvent('app.showView', { view: 'settings' })).toBeNull();
    expect(checkEvent('toString', {})).toBeNull();
  });
});

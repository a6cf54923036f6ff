import { beforeAll, describe, expect, it, vi } from 'vitest';
import { API_GLOBAL, IPC_EVENT_CHANNEL, OPERATION_NAMES } from '../../../core/contract';

vi.mock('electron', () => import('./electron-mock'));

const mock = await import('./electron-mock');
let api: Record<string, unknown>;

beforeAll(async () => {
  await import('../../../electron/preload/index');
  const [name, exposed] = mock.contextBridge.exposeInMainWorld.mock.calls[0] as [
    string,
    Record<string, unknown>,
  ];
  expect(name).toBe(API_GLOBAL);
  api = exposed;
});

const emit = (message: unknown) =>
  mock.ipcRenderer.emit(IPC_EVENT_CHANNEL, { sender: 'leak' }, message);

describe('preload', () => {
  it('exposes exactly the contract: one function per operation plus subscribe', () => {
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, 'subscribe'].sort());
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(mock.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  });

  it('invokes the operation channel and turns a broken invoke into a transport error value', async () => {
    mock.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: [] });
    expect(await (api.listSnapshots as () => Promise<unknown>)()).toEqual({ ok: true, value: [] });
    expect(mock.ipcRenderer.invoke).toHaveBeenLastCalledWith('pprof:listSnapshots', {});
    mock.ipcRenderer.invoke.mockRejectedValueOnce(new Error('channel closed'));
    const r = (await (api.getSnapshot as (r: unknown) => Promise<unknown>)({ id: 'a' })) as {
      ok: boolean;
      error: { kind: string };
    };
    expect(r.ok).toBe(false);
    expect(r.error.kind).toBe('transport');
  });

  it('delivers valid events without the IPC event object, and stops after unsubscribe', () => {
    const subscribe = api.subscribe as (e: string, l: (p: unknown) => void) => () => void;
    const got: unknown[] = [];
    const stop = subscribe('snapshot.removed', (p) => got.push(p));
    emit({ name: 'snapshot.removed', payload: { id: 'abc', trashed: true } });
    emit({ name: 'snapshot.removed', payload: { id: 'abc' } }); // invalid payload: dropped
    emit({ name: 'not.an.event', payload: {} });
    emit('garbage');
    expect(got).toEqual([{ id: 'abc', trashed: true }]);
    stop();
    emit({ name: 'snapshot.removed', payload: { id: 'def', trashed: true } });
    expect(got).toHaveLength(1);
    expect(() => subscribe('no.such.event', () => undefined)).toThrow(/unknown event/);
  });

  it('keeps app events that arrive before the page listens (a file opened at launch)', async () => {
    emit({ name: 'app.openSnapshot', payload: { id: 'early1' } });
    const subscribe = api.subscribe as (e: string, l: (p: unknown) => void) => () => void;
    const got: unknown[] = [];
    subscribe('app.openSnapshot', (p) => got.push(p));
    await Promise.resolve();
    expect(got).toEqual([{ id: 'early1' }]);
  });
});

// The Source panel's back end through the contract, over serve mode's HTTP and through the
// same dispatch the IPC handlers use: source settings (persisted, validated), a fixture's
// source found through a root, a not-found answer listing what was tried, and files the
// profile does not name refused.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpApi,
  dispatch,
  type Api,
  type FetchLike,
  type Result,
} from '../../../core/contract';
import { startHarness, type Harness } from '../server/helpers';

const ORDERS = resolve(__dirname, '../../targets/orders');
const FIXTURE = resolve(__dirname, '../../fixtures/before/cpu.pb.gz');

let h: Harness;
let api: Api;
let id: string;

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  h = await startHarness();
  api = createHttpApi({
    baseUrl: h.base,
    token: h.server.token,
    fetch: fetch as unknown as FetchLike,
  });
  const imported = unwrap(
    await api.importSnapshot({ bytes: new Uint8Array(readFileSync(FIXTURE)), name: 'cpu.pb.gz' }),
  );
  id = imported.snapshot.id;
});
afterAll(async () => {
  await h?.close();
});

describe('readSource', () => {
  it('answers not-found with the places tried and a prefix to map, before a root exists', async () => {
    unwrap(await api.setSourceSettings({ roots: [], goroot: '', gomodcache: '' }));
    const r = unwrap(await api.readSource({ id, file: 'pprofstudio/targets/orders/pricing.go' }));
    expect(r.status).toBe('not-found');
    if (r.status !== 'not-found') return;
    expect(r.suggestedPrefix).toBe('pprofstudio/targets/orders');
    // GOROOT from `go env` was tried (this machine has Go) and has no such file.
    expect(r.tried.some((t) => t.via === 'goroot' && t.outcome === 'missing')).toBe(true);
  });

  it('reads the file through a source root, over HTTP and over the IPC dispatch', async () => {
    const info = unwrap(
      await api.setSourceSettings({
        roots: [{ prefix: 'pprofstudio/targets/orders', folder: ORDERS }],
        goroot: '',
        gomodcache: '',
      }),
    );
    expect(info.roots).toHaveLength(1);
    expect(info.detectedGoroot).not.toBe('');
    const http = unwrap(
      await api.readSource({ id, file: 'pprofstudio/targets/orders/pricing.go' }),
    );
    expect(http.status).toBe('found');
    if (http.status !== 'found') return;
    expect(http.via).toBe('root');
    expect(http.path).toBe(join(ORDERS, 'pricing.go'));
    expect(http.text).toBe(readFileSync(join(ORDERS, 'pricing.go'), 'utf8'));
    const ipc = await dispatch(h.services.backend, 'readSource', {
      id,
      file: 'pprofstudio/targets/orders/pricing.go',
    });
    expect(ipc).toEqual({ ok: true, value: http });
    // The roots are kept in settings.json.
    const saved = JSON.parse(readFileSync(h.services.settings.file, 'utf8')) as {
      source: unknown;
    };
    expect(saved.source).toEqual({
      roots: [{ prefix: 'pprofstudio/targets/orders', folder: ORDERS }],
      goroot: '',
      gomodcache: '',
    });
  });

  it('reads the standard library from GOROOT', async () => {
    const r = unwrap(await api.readSource({ id, file: 'runtime/malloc.go' }));
    expect(r.status).toBe('found');
    if (r.status === 'found') expect(r.via).toBe('goroot');
  });

  it('refuses a file the profile does not name, even under a root', async () => {
    const r = await api.readSource({ id, file: 'pprofstudio/targets/orders/go.sum' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalid-request');
      expect(r.error.message).toContain('names no source file');
    }
    const etc = await api.readSource({ id, file: '/etc/passwd' });
    expect(etc.ok).toBe(false);
  });

  it('refuses a relative source root folder', async () => {
    const r = await api.setSourceSettings({
      roots: [{ prefix: 'x', folder: 'relative/folder' }],
      goroot: '',
      gomodcache: '',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('absolute path');
  });
});

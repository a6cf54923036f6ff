import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpApi,
  snapshotDownloadUrl,
  type Api,
  type ApiEvents,
  type FetchLike,
  type SnapshotMeta,
} from '../../../core/contract';
import { DEMO_DIR, raw, startHarness, type Harness } from './helpers';

let h: Harness;
let api: Api;
beforeAll(async () => {
  h = await startHarness();
  api = createHttpApi({
    baseUrl: h.base,
    token: h.server.token,
    fetch: fetch as unknown as FetchLike,
  });
  // One listener for the whole file keeps the client's single event stream open; wait until
  // the server has it, so no event below can be missed.
  api.subscribe('library.changed', () => undefined);
  for (let i = 0; i < 500 && h.services.events.size === 0; i++)
    await new Promise((r) => setTimeout(r, 10));
  expect(h.services.events.size).toBe(1);
});
afterAll(async () => {
  await h?.close();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function unwrap<T>(
  r: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } },
): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

function nextEvent<E extends keyof ApiEvents>(
  event: E,
  match: (p: ApiEvents[E]) => boolean,
): Promise<ApiEvents[E]> {
  return new Promise((resolveEvent, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${event} event within 10 s`));
    }, 10_000);
    const stop = api.subscribe(event, (p) => {
      if (!match(p)) return;
      clearTimeout(timer);
      stop();
      resolveEvent(p);
    });
  });
}

describe('serve mode API through the HTTP client', () => {
  it('lists the seeded demo snapshots and reads their exact bytes', async () => {
    const list = unwrap(await api.listSnapshots());
    const manifest = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')) as {
      snapshots: { file: string }[];
    };
    expect(list.map((s) => s.fileName).sort()).toEqual(
      manifest.snapshots.map((s) => s.file).sort(),
    );
    for (const s of list.slice(0, 4)) {
      const bytes = unwrap(await api.readSnapshotBytes({ id: s.id }));
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.byteLength).toBe(s.size);
      expect(sha(bytes)).toBe(s.sha256);
      expect(Buffer.from(bytes).equals(readFileSync(join(DEMO_DIR, s.fileName)))).toBe(true);
    }
  });

  it('delivers snapshot.added over SSE after an import, and the binary GET returns the exact bytes', async () => {
    // Bytes that are not among the demo snapshots: a demo profile with a gzip header tweak
    // would change the meaning, so use a real profile's raw (uncompressed) protobuf instead.
    const gz = readFileSync(join(DEMO_DIR, 'orders-after-cpu.pb.gz'));
    const { gunzipSync } = await import('node:zlib');
    const bytes = new Uint8Array(gunzipSync(gz));
    const added = nextEvent('snapshot.added', (p) => p.snapshot.sha256 === sha(bytes));
    const imported = unwrap(
      await api.importSnapshot({ name: 'after cpu (raw).pb', bytes, note: 'uploaded' }),
    );
    expect(imported.outcome).toBe('added');
    expect(imported.snapshot).toMatchObject({
      kind: 'cpu',
      format: 'pprof',
      source: { type: 'upload' },
      note: 'uploaded',
    });
    const event = await added;
    expect(event.snapshot).toEqual(imported.snapshot);

    const back = unwrap(await api.readSnapshotBytes({ id: imported.snapshot.id }));
    expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);

    const dl = await fetch(snapshotDownloadUrl(h.base, imported.snapshot.id), {
      headers: { 'x-pprof-studio-token': h.server.token },
    });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/octet-stream');
    expect(dl.headers.get('content-disposition')).toContain(
      'attachment; filename="after cpu (raw).pb"',
    );
    expect(Buffer.from(await dl.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    const dup = unwrap(await api.importSnapshot({ name: 'again.pb', bytes }));
    expect(dup).toEqual({ snapshot: imported.snapshot, outcome: 'duplicate' });
  });

  it('carries rename, note, delete and restore with their events', async () => {
    const [first] = unwrap(await api.listSnapshots()) as [SnapshotMeta];
    const changed = nextEvent('snapshot.changed', (p) => p.snapshot.id === first.id);
    expect(
      unwrap(await api.renameSnapshot({ id: first.id, name: '<img src=x onerror=alert(1)>' })).name,
    ).toBe('<img src=x onerror=alert(1)>');
    expect((await changed).snapshot.name).toBe('<img src=x onerror=alert(1)>');
    unwrap(await api.setSnapshotNote({ id: first.id, note: 'checked' }));
    const removed = nextEvent('snapshot.removed', (p) => p.id === first.id);
    expect(unwrap(await api.deleteSnapshot({ id: first.id }))).toEqual({ id: first.id });
    expect(await removed).toEqual({ id: first.id, trashed: true });
    expect(unwrap(await api.listSnapshots({ trashed: true })).map((s) => s.id)).toContain(first.id);
    expect(unwrap(await api.restoreSnapshot({ id: first.id })).note).toBe('checked');
  });

  it('answers validation errors with their field, and unknown ids with not-found', async () => {
    const bad = await api.getSnapshot({ id: '../../etc/passwd' });
    expect(bad).toEqual({
      ok: false,
      error: {
        kind: 'invalid-request',
        message: 'getSnapshot: id: must be a snapshot id (letters, digits, - and _)',
      },
    });
    const missing = await api.getSnapshot({ id: 'no-such-id' });
    expect(missing.ok ? '' : missing.error.kind).toBe('not-found');
    const notProfile = await api.importSnapshot({
      name: 'page.html',
      bytes: new TextEncoder().encode('<html>login</html>'),
    });
    expect(notProfile.ok ? '' : notProfile.error.kind).toBe('unrecognized-format');
    const exportNoPath = await api.exportSnapshot({ id: 'x' });
    expect(exportNoPath.ok ? '' : exportNoPath.error.kind).toBe('not-found');
    const [some] = unwrap(await api.listSnapshots()) as [SnapshotMeta];
    const browserExport = await api.exportSnapshot({ id: some.id });
    expect(browserExport.ok ? '' : browserExport.error.kind).toBe('unsupported');
  });

  it('answers the live-targets operations through the live back end', async () => {
    expect(unwrap(await api.listTargets())).toEqual([]);
    const c = await api.startCapture({ targetId: 't1', kind: 'cpu', seconds: 5 });
    expect(c.ok).toBe(false);
    expect(c.ok ? '' : c.error.kind).toBe('not-found');
    expect(c.ok ? '' : c.error.message).toContain('t1');
  });

  it('reads and updates settings and reports the library', async () => {
    const s = unwrap(await api.getSettings());
    expect(s).toEqual({
      theme: 'system',
      pollIntervalSeconds: 5,
      recentFiles: [],
      gcStormPerSecond: 2,
      language: 'auto',
    });
    const updated = nextEvent('settings.changed', (p) => p.settings.theme === 'dark');
    expect(unwrap(await api.updateSettings({ theme: 'dark' })).theme).toBe('dark');
    await updated;
    expect(unwrap(await api.updateSettings({ language: 'zh-CN' })).language).toBe('zh-CN');
    const badLanguage = await api.updateSettings({ language: 'fr' as 'en' });
    expect(badLanguage.ok).toBe(false);
    const badPatch = await api.updateSettings({ pollIntervalSeconds: 0 });
    expect(badPatch.ok ? '' : badPatch.error.message).toContain('pollIntervalSeconds: must be ≥ 1');
    const info = unwrap(await api.libraryInfo());
    expect(info.dir).toBe(h.services.library.dir);
    expect(info.problems).toEqual([]);
  });
});

describe('serve mode request handling', () => {
  const auth = () => ({ 'x-pprof-studio-token': h.server.token });

  it('answers invalid JSON with 400 and a clear message', async () => {
    const r = await raw(h.server.port, '/api/getSnapshot', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"id": ',
    });
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body.toString()) as {
      ok: boolean;
      error: { kind: string; message: string };
    };
    expect(body.ok).toBe(false);
    expect(body.error.kind).toBe('invalid-request');
    expect(body.error.message).toMatch(/^the request body is not valid JSON: /);
  });

  it('validates every request against the contract', async () => {
    const r = await raw(h.server.port, '/api/renameSnapshot', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'abc', name: '', admin: true }),
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body.toString()).error.message).toBe(
      'renameSnapshot: admin: unknown field; name: must not be empty',
    );
    const q = await raw(h.server.port, '/api/importSnapshot?name=x.pb.gz&evil=1', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream' },
      body: readFileSync(join(DEMO_DIR, 'orders-after-cpu.pb.gz')),
    });
    expect(q.status).toBe(400);
    expect(JSON.parse(q.body.toString()).error.message).toContain('evil: unknown field');
  });

  it('limits body sizes and checks content types and methods', async () => {
    const big = await raw(h.server.port, '/api/listSnapshots', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}`,
    });
    expect(big.status).toBe(413);
    const form = await raw(h.server.port, '/api/listSnapshots', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
    const get = await raw(h.server.port, '/api/listSnapshots', { headers: auth() });
    expect(get.status).toBe(405);
    const readByPost = await raw(h.server.port, '/api/readSnapshotBytes', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"id":"x"}',
    });
    expect(readByPost.status).toBe(400);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Library as SnapshotLibrary } from '../../../electron/services/library';

vi.mock('electron', () => import('./electron-mock'));

const mock = await import('./electron-mock');
const { createAppProtocolHandler, registerAppScheme, handleAppProtocol } =
  await import('../../../electron/main/app-protocol');
const { CONTENT_SECURITY_POLICY } = await import('../../../electron/server/csp');
const { Library } = await import('../../../electron/services/library');
const { preloadBytesUrl } = await import('../../../renderer/src/api/ipc');
const { demoOfKind } = await import('../library/demo-files');

let root: string;
let renderer: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pprof-app-protocol-'));
  renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>pprof Studio</title>');
  writeFileSync(join(renderer, 'assets', 'index.js'), 'export {}');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(root, 'secret.txt'), join(renderer, 'assets', 'escape.txt'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The handler reads only url and method, so a plain object can carry a URL that Node's
// Request would have normalised (Chromium hands over what the page asked for).
const req = (url: string, method = 'GET') => ({ url, method }) as Request;
const noLibrary = () => null;

describe('app:// protocol', () => {
  it('registers app:// as a standard, secure scheme with fetch support', () => {
    registerAppScheme();
    expect(mock.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: expect.objectContaining({
          standard: true,
          secure: true,
          supportFetchAPI: true,
        }),
      },
    ]);
    handleAppProtocol(renderer, () => null);
    expect(mock.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('serves the renderer with the strict CSP header and MIME types', async () => {
    const handler = createAppProtocolHandler(renderer, noLibrary);
    const index = await handler(req('app://renderer/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>pprof Studio</title>');
    const js = await handler(req('app://renderer/assets/index.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('rejects traversal, other hosts and other methods', async () => {
    const handler = createAppProtocolHandler(renderer, noLibrary);
    for (const url of [
      'app://renderer/../secret.txt',
      'app://renderer/%2e%2e/secret.txt',
      'app://renderer/assets/..%2f..%2fsecret.txt',
      'app://renderer/assets/..%5c..%5csecret.txt',
      'app://renderer/%00',
      'app://renderer/assets/escape.txt',
    ]) {
      const r = await handler(req(url));
      expect([url, r.status >= 400]).toEqual([url, true]);
      expect(await r.text()).not.toContain('TOP SECRET');
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    expect((await handler(req('app://evil/index.html'))).status).toBe(404);
    expect((await handler(req('app://renderer/index.html', 'POST'))).status).toBe(405);
  });
});

describe('app:// snapshot bytes', () => {
  let libDir: string;
  let library: SnapshotLibrary;
  let traceId: string;
  let traceBytes: Buffer;
  beforeAll(async () => {
    libDir = mkdtempSync(join(tmpdir(), 'pprof-app-protocol-lib-'));
    library = await Library.open(libDir);
    const trace = demoOfKind('trace');
    const r = await library.import({
      bytes: trace.bytes,
      fileName: trace.file,
      source: { type: 'upload' },
    });
    traceId = r.snapshot.id;
    traceBytes = trace.bytes;
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    rmSync(libDir, { recursive: true, force: true });
  });

  const handlerWithLibrary = () => createAppProtocolHandler(renderer, () => library);

  it('streams exactly the stored bytes with their length, uncached, under the CSP', async () => {
    const res = await handlerWithLibrary()(req(`app://renderer/snapshots/${traceId}/bytes`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe(String(traceBytes.length));
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // Read as the trace Worker does: chunk by chunk (more than one for a 400 KB trace).
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(chunks.length).toBeGreaterThan(1);
    const got = Buffer.concat(chunks);
    expect(got.equals(traceBytes)).toBe(true);
    expect(got.equals(Buffer.from(await library.readBytes(traceId)))).toBe(true);
  });

  it('is the URL the renderer builds under app://, and none under another origin', async () => {
    vi.stubGlobal('location', { protocol: 'app:', origin: 'app://renderer' });
    const url = preloadBytesUrl(traceId);
    expect(url).toBe(`app://renderer/snapshots/${traceId}/bytes`);
    const res = await handlerWithLibrary()(req(url!));
    expect(Buffer.from(await res.arrayBuffer()).equals(traceBytes)).toBe(true);
    vi.stubGlobal('location', { protocol: 'http:', origin: 'http://localhost:5173' });
    expect(preloadBytesUrl(traceId)).toBeNull();
    vi.unstubAllGlobals();
  });

  it('answers 404 with a short text for unknown and malformed ids, traversal included', async () => {
    // Malformed ids are refused before the library is asked (it validates them too).
    const asked: string[] = [];
    const handler = createAppProtocolHandler(renderer, () => ({
      openReadStream: (id: string) => {
        asked.push(id);
        return library.openReadStream(id);
      },
    }));
    for (const path of [
      '/snapshots/20260101-000000-deadbeef/bytes',
      '/snapshots/..%2f..%2fsecret.txt/bytes',
      '/snapshots/..%2f..%2f..%2frenderer%2findex.html/bytes',
      `/snapshots/..%2f${traceId}/bytes`,
      '/snapshots/..%5csecret.txt/bytes',
      `/snapshots/${traceId}%00/bytes`,
      `/snapshots/${'a'.repeat(65)}/bytes`,
      '/snapshots//bytes',
      `/snapshots/${traceId}`,
      `/snapshots/${traceId}/bytes/more`,
      `/snapshots/${traceId}/bytes%2f`,
    ]) {
      const r = await handler(req(`app://renderer${path}`));
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const text = await r.text();
      expect(text.length).toBeLessThan(200);
      expect(text).not.toContain('TOP SECRET');
    }
    expect(asked).toEqual(['20260101-000000-deadbeef']);
    const unknown = await handler(req('app://renderer/snapshots/20260101-000000-deadbeef/bytes'));
    expect(await unknown.text()).toContain('no snapshot with id 20260101-000000-deadbeef');
    // Dot segments are resolved by URL parsing before routing, so these leave the bytes route
    // for the renderer's own files (/bytes is the page's fallback): never a library file.
    for (const url of [
      'app://renderer/snapshots/%2e%2e/bytes',
      'app://renderer/snapshots/%2e%2e/%2e%2e/secret.txt',
      'app://renderer/snapshots/../../secret.txt',
    ]) {
      const r = await handler(req(url));
      expect([url, r.headers.get('content-type')]).not.toEqual([url, 'application/octet-stream']);
      expect(await r.text()).not.toContain('TOP SECRET');
    }
  });

  it('answers only GET', async () => {
    const handler = handlerWithLibrary();
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD']) {
      const r = await handler(req(`app://renderer/snapshots/${traceId}/bytes`, method));
      expect([method, r.status]).toEqual([method, 405]);
    }
  });

  it('answers 503 before the library is open', async () => {
    const r = await createAppProtocolHandler(
      renderer,
      noLibrary,
    )(req(`app://renderer/snapshots/${traceId}/bytes`));
    expect(r.status).toBe(503);
    expect(await r.text()).toContain('not open yet');
  });

  it('fails the read when the bytes changed on disk (sha256 checked as they stream)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pprof-app-protocol-corrupt-'));
    try {
      const lib = await Library.open(dir);
      const cpu = demoOfKind('cpu');
      const { snapshot } = await lib.import({
        bytes: cpu.bytes,
        fileName: cpu.file,
        source: { type: 'upload' },
      });
      const changed = Buffer.from(cpu.bytes);
      changed[10] ^= 0xff;
      writeFileSync(join(dir, `${snapshot.id}.pb.gz`), changed);
      const handler = createAppProtocolHandler(renderer, () => lib);
      const r = await handler(req(`app://renderer/snapshots/${snapshot.id}/bytes`));
      expect(r.status).toBe(200);
      await expect(r.arrayBuffer()).rejects.toThrow(/sha256 mismatch/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still serves the renderer, with the CSP header, beside the bytes route', async () => {
    const handler = handlerWithLibrary();
    for (const url of ['app://renderer/index.html', 'app://renderer/', 'app://renderer/trace']) {
      const r = await handler(req(url));
      expect([url, r.status]).toEqual([url, 200]);
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await r.text()).toContain('<title>pprof Studio</title>');
    }
    const js = await handler(req('app://renderer/assets/index.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });
});

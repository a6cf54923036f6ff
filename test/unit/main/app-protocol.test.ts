import { mkdirSync, mkdtempSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const mock = await import('./electron-mock');
const { createAppProtocolHandler, registerAppScheme, handleAppProtocol } =
  await import('../../../electron/main/app-protocol');
const { CONTENT_SECURITY_POLICY } = await import('../../../electron/server/csp');

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
    handleAppProtocol(renderer);
    expect(mock.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('serves the renderer with the strict CSP header and MIME types', async () => {
    const handler = createAppProtocolHandler(renderer);
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
    const handler = createAppProtocolHandler(renderer);
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

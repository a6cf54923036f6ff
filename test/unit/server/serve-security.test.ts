import { symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/server/csp';
import { startServer } from '../../../electron/server/server';
import { raw, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const json = { 'content-type': 'application/json' };

describe('serve mode token (401, checked before routing)', () => {
  it('refuses every /api/ request without the right token, whatever the path', async () => {
    const port = h.server.port;
    const paths = [
      '/api/appInfo',
      '/api/listSnapshots',
      '/api/no-such-operation',
      '/api/events',
      '/api/snapshots/x/bytes',
      '/api',
      '/api/',
    ];
    for (const path of paths) {
      for (const method of ['GET', 'POST']) {
        const none = await raw(port, path, {
          method,
          headers: json,
          body: method === 'POST' ? '{}' : undefined,
        });
        expect([path, method, none.status]).toEqual([path, method, 401]);
        const wrong = await raw(port, `${path}?token=${'x'.repeat(h.server.token.length)}`, {
          method,
        });
        expect([path, wrong.status]).toEqual([path, 401]);
        const wrongHeader = await raw(port, path, {
          method,
          headers: { 'x-pprof-studio-token': h.server.token.slice(1) },
        });
        expect([path, wrongHeader.status]).toEqual([path, 401]);
      }
    }
  });

  it('accepts the token in the header, never in the query', async () => {
    const port = h.server.port;
    const viaHeader = await raw(port, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, 'x-pprof-studio-token': h.server.token },
      body: '{}',
    });
    expect(viaHeader.status).toBe(200);
    expect(JSON.parse(viaHeader.body.toString())).toMatchObject({
      ok: true,
      value: { transport: 'http', version: '0.0.0-test' },
    });
    const viaQuery = await raw(port, `/api/appInfo?token=${h.server.token}`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(viaQuery.status).toBe(401);
    // With the token, an unknown operation is a 404, not a 401.
    const unknown = await raw(port, '/api/nope', {
      method: 'POST',
      headers: { ...json, 'x-pprof-studio-token': h.server.token },
      body: '{}',
    });
    expect(unknown.status).toBe(404);
  });

  it('prints a URL carrying a 32-byte random token', () => {
    expect(h.server.url).toBe(`http://127.0.0.1:${h.server.port}/?token=${h.server.token}`);
    expect(Buffer.from(h.server.token, 'base64url')).toHaveLength(32);
  });
});

describe('serve mode Host and Origin (403, whatever the path)', () => {
  it('refuses a foreign Host, even with the token and even for static files', async () => {
    const port = h.server.port;
    const token = h.server.token;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `localhost.evil.example:${port}`,
    ]) {
      for (const path of [
        '/',
        '/index.html',
        `/api/appInfo?token=${token}`,
        '/api/nope',
        '/../secret.txt',
      ]) {
        const r = await raw(port, path, { method: 'POST', headers: { ...json, host }, body: '{}' });
        expect([host, path, r.status]).toEqual([host, path, 403]);
      }
    }
  });

  it('refuses a request without a Host header', async () => {
    const reply = await new Promise<string>((resolveReply, reject) => {
      const socket = connect(h.server.port, '127.0.0.1', () =>
        socket.end('GET / HTTP/1.0\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolveReply(text));
      socket.on('error', reject);
    });
    expect(reply.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
  });

  it('accepts the loopback names of this port', async () => {
    const port = h.server.port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `LOCALHOST:${port}`,
    ]) {
      const r = await raw(port, '/', { headers: { host } });
      expect([host, r.status]).toEqual([host, 200]);
    }
  });

  it('refuses a foreign or opaque Origin and cross-site fetches', async () => {
    const port = h.server.port;
    const auth = { ...json, 'x-pprof-studio-token': h.server.token };
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port + 1}`,
    ]) {
      const r = await raw(port, '/api/listSnapshots', {
        method: 'POST',
        headers: { ...auth, origin },
        body: '{}',
      });
      expect([origin, r.status]).toEqual([origin, 403]);
    }
    const same = await raw(port, '/api/listSnapshots', {
      method: 'POST',
      headers: { ...auth, origin: `http://localhost:${port}` },
      body: '{}',
    });
    expect(same.status).toBe(200);
    const crossSite = await raw(port, '/', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
  });

  it('binds only loopback unless remote access is allowed explicitly', async () => {
    await expect(
      startServer({
        backend: h.services.backend,
        events: h.services.events,
        rendererDir: h.rendererDir,
        host: '0.0.0.0',
        port: 0,
        allowRemote: false,
      }),
    ).rejects.toThrow(/not a loopback address; add --allow-remote/);
  });
});

describe('serve mode static files', () => {
  it('serves the renderer with MIME types and the app CSP', async () => {
    const port = h.server.port;
    const index = await raw(port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const js = await raw(port, '/assets/app.js');
    expect([js.status, js.headers['content-type']]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    expect(js.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const css = await raw(port, '/assets/app.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    // The single page answers extension-less paths; missing assets are 404.
    expect((await raw(port, '/library/some-view')).body.toString()).toContain(
      '<title>pprof Studio</title>',
    );
    expect((await raw(port, '/assets/missing.js')).status).toBe(404);
    expect((await raw(port, '/', { method: 'POST' })).status).toBe(405);
  });

  it('rejects path traversal in every spelling', async () => {
    const port = h.server.port;
    symlinkSync(join(h.root, 'secret.txt'), join(h.rendererDir, 'assets', 'link.txt'));
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/..\\secret.txt',
      '/%00/../secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/C:/Windows/win.ini',
      '/assets/link.txt',
      '/%E0%A4%A',
    ];
    for (const path of attempts) {
      const r = await raw(port, path);
      expect(r.body.toString()).not.toContain('TOP SECRET');
      expect(r.body.toString()).not.toContain('root:');
      expect([path, r.status >= 400]).toEqual([path, true]);
    }
    // An absolute-looking path stays inside the folder: it is the page's fallback, not /etc.
    const rooted = await raw(port, '//etc/passwd');
    expect(rooted.body.toString()).toContain('<title>pprof Studio</title>');
  });
});

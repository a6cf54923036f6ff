// #20 item 5 (serve mode): the token leaves URLs (traded for an HttpOnly SameSite=Strict
// cookie, never accepted in a query), refused requests close their connection without
// reading the body, and every request but the event stream has a time limit.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../electron/server/server';
import { tokenCookieName } from '../../../electron/server/guard';
import { raw, startHarness, type Harness } from '../server/helpers';

let h: Harness;
let strict: RunningServer;
beforeAll(async () => {
  h = await startHarness();
  // The same back end behind a server with short limits, to see them act.
  strict = await startServer({
    backend: h.services.backend,
    events: h.services.events,
    rendererDir: h.rendererDir,
    host: '127.0.0.1',
    port: 0,
    allowRemote: false,
    requestTimeoutMs: 1000,
    idleTimeoutMs: 1000,
    heartbeatSeconds: 3600,
  });
});
afterAll(async () => {
  await strict?.close();
  await h?.close();
});

const json = { 'content-type': 'application/json' };

/** Opens a socket, writes `head`, and resolves with what came back once the server closed it. */
function converse(
  port: number,
  head: string,
  trickle: { every: number; max: number } | null,
  boundMs = 10_000,
): Promise<{ reply: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    let reply = '';
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      if (trickle) {
        let sent = 0;
        timer = setInterval(() => {
          if (sent++ < trickle.max && !socket.destroyed) socket.write('x');
        }, trickle.every);
      }
    });
    const bound = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolve({ reply, closedByServer: false });
    }, boundMs);
    socket.on('data', (d) => (reply += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(bound);
      resolve({ reply, closedByServer: true });
    });
    socket.on('timeout', reject);
  });
}

describe('the token is never in a URL after the first one', () => {
  it('refuses the token in the query on every route', async () => {
    const t = h.server.token;
    for (const [method, path] of [
      ['POST', `/api/appInfo?token=${t}`],
      ['GET', `/api/events?token=${t}`],
      ['GET', `/api/snapshots/x/bytes?token=${t}`],
      ['POST', `/api/importSnapshot?name=a.pb&token=${t}`],
    ] as const) {
      const r = await raw(h.server.port, path, { method, headers: json, body: '{}' });
      expect([path, r.status]).toEqual([path, 401]);
    }
  });

  it('trades the printed URL for an HttpOnly SameSite=Strict cookie and a redirect to /', async () => {
    const port = h.server.port;
    const first = await raw(port, `/?token=${h.server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain(`${tokenCookieName(port)}=${h.server.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const pair = cookie.split(';')[0];
    const withCookie = await raw(port, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, cookie: pair, 'sec-fetch-site': 'same-origin' },
      body: '{}',
    });
    expect(withCookie.status).toBe(200);
    // A page on another port of this host is the same site: its requests carry the cookie.
    const sameSite = await raw(port, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, cookie: pair, 'sec-fetch-site': 'same-site' },
      body: '{}',
    });
    expect(sameSite.status).toBe(403);
    const wrong = await raw(port, `/?token=${h.server.token.slice(1)}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });
});

describe('refused requests and slow clients', () => {
  it.each([
    ['401 (no token)', 'POST /api/appInfo HTTP/1.1', ''],
    ['415 (wrong content type)', 'POST /api/appInfo HTTP/1.1', 'content-type: text/plain'],
    ['405 (wrong method)', 'PUT /api/appInfo HTTP/1.1', ''],
    ['403 (foreign origin)', 'POST /api/appInfo HTTP/1.1', 'origin: http://evil.example'],
  ])('%s: connection: close, and the announced body is not waited for', async (_n, line, extra) => {
    const port = h.server.port;
    const needsToken = !_n.startsWith('401');
    const head = [
      line,
      `host: 127.0.0.1:${port}`,
      'content-length: 10000000',
      ...(needsToken ? [`x-pprof-studio-token: ${h.server.token}`] : []),
      ...(extra ? [extra] : []),
      '',
      'x',
    ].join('\r\n');
    const { reply, closedByServer } = await converse(port, head, { every: 200, max: 1000 });
    expect(reply).toMatch(/^HTTP\/1\.1 (401|403|405|415)/);
    expect(reply.toLowerCase()).toContain('connection: close');
    expect(closedByServer).toBe(true);
  });

  it('an authenticated upload trickled a byte at a time is cut by the request timeout', async () => {
    const port = strict.port;
    const head = [
      `POST /api/importSnapshot?name=slow.pb HTTP/1.1`,
      `host: 127.0.0.1:${port}`,
      `x-pprof-studio-token: ${strict.token}`,
      'content-type: application/octet-stream',
      'content-length: 100000',
      '',
      '',
    ].join('\r\n');
    const { closedByServer } = await converse(port, head, { every: 200, max: 1000 });
    expect(closedByServer).toBe(true);
  });

  it('the event stream is not cut by the idle timeout', async () => {
    const port = strict.port;
    const head = [
      'GET /api/events HTTP/1.1',
      `host: 127.0.0.1:${port}`,
      `x-pprof-studio-token: ${strict.token}`,
      '',
      '',
    ].join('\r\n');
    // Three idle timeouts long, no event, no heartbeat: still open.
    const { reply, closedByServer } = await converse(port, head, null, 3000);
    expect(reply).toContain('text/event-stream');
    expect(closedByServer).toBe(false);
  });
});

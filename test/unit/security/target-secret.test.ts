// #20 item 1: a stored token or password never follows a target to another scheme, host or
// port, nor survives certificate checks being turned off, unless a new one comes with the save.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveService } from '../../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../../electron/services/targets/secret-store';
import { secretKey, secretMayFollow } from '../../../electron/services/targets/target-store';
import { openLibrary, tempDir } from '../live/support';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A loopback HTTP server that records the headers of every request it gets. */
async function recorder(): Promise<{ port: number; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(404).end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as AddressInfo).port, seen };
}

describe('a stored secret does not follow a target to another host', () => {
  it('re-pointing a production target to a loopback http URL sends no Authorization', async () => {
    const { sink } = await openLibrary();
    const secrets = new MemorySecretStore();
    const live = await LiveService.open({ settingsDir: tempDir('sec-t'), secrets, sink });
    closers.push(() => live.close());
    const prod = await live.saveTarget({
      name: 'prod',
      baseUrl: 'https://prod.example.invalid:6060',
      auth: { type: 'bearer', token: 'the-production-token' },
    });
    const { port, seen } = await recorder();
    const moved = await live.saveTarget({
      id: prod.id,
      name: 'prod',
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { type: 'bearer' },
    });
    expect(moved.auth).toEqual({ type: 'bearer', hasToken: false });
    expect(await secrets.get(secretKey(prod.id))).toBeUndefined();
    const probe = await live.probe(prod.id);
    // Before the fix the probe sent `Bearer the-production-token` here over plain http; now
    // the target has no token until one is typed, and says so.
    for (const h of seen) expect(h.authorization).toBeUndefined();
    expect(probe.health.state).not.toBe('ok');
    expect(probe.health.message).toMatch(/token/i);
  });

  it('drops the secret on a scheme, host or port change, or TLS checks turned off', async () => {
    const cases: { baseUrl: string; skipVerify?: boolean; caFile?: string }[] = [
      { baseUrl: 'http://svc.example.invalid:8443' },
      { baseUrl: 'https://other.example.invalid:8443' },
      { baseUrl: 'https://svc.example.invalid:9443' },
      { baseUrl: 'https://svc.example.invalid:8443', skipVerify: true },
      { baseUrl: 'https://svc.example.invalid:8443', caFile: '/tmp/other-ca.pem' },
    ];
    for (const c of cases) {
      const secrets = new MemorySecretStore();
      const live = await LiveService.open({
        settingsDir: tempDir('sec-t'),
        secrets,
        sink: (await openLibrary()).sink,
      });
      closers.push(() => live.close());
      const t = await live.saveTarget({
        name: 'svc',
        baseUrl: 'https://svc.example.invalid:8443',
        auth: { type: 'basic', username: 'ops', password: 'pw' },
      });
      const after = await live.saveTarget({
        id: t.id,
        name: 'svc',
        baseUrl: c.baseUrl,
        auth: { type: 'basic', username: 'ops' },
        tls: { skipVerify: c.skipVerify ?? false, caFile: c.caFile ?? null },
      });
      expect(after.auth, JSON.stringify(c)).toEqual({
        type: 'basic',
        username: 'ops',
        hasPassword: false,
      });
      // A new secret given with the same save is stored.
      const withNew = await live.saveTarget({
        id: t.id,
        name: 'svc',
        baseUrl: c.baseUrl,
        auth: { type: 'basic', username: 'ops', password: 'pw2' },
        tls: { skipVerify: c.skipVerify ?? false, caFile: c.caFile ?? null },
      });
      expect(withNew.auth).toEqual({ type: 'basic', username: 'ops', hasPassword: true });
      expect(await secrets.get(secretKey(t.id))).toBe('pw2');
    }
  });

  it('keeps it for edits that leave scheme, host, port and TLS checks alone', () => {
    const before = {
      baseUrl: 'https://svc.example.invalid:443',
      tls: { caFile: null, skipVerify: false },
    };
    expect(secretMayFollow(before, { ...before, baseUrl: 'https://svc.example.invalid' })).toBe(
      true,
    );
    expect(
      secretMayFollow(before, { ...before, baseUrl: 'https://svc.example.invalid/proxy' }),
    ).toBe(true);
    // Turning checks back on is not a reason to drop it.
    expect(secretMayFollow({ ...before, tls: { caFile: null, skipVerify: true } }, before)).toBe(
      true,
    );
  });
});

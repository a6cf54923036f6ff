// What a user sees when a target is wrong or hostile: wrong prefix, wrong token, an HTML
// login page, a truncated gzip body, a 1-byte-per-second answer, TLS with and without the
// CA, nothing listening. Against the real Go target (which serves the hostile answers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../helpers/go-target';
import { makeTlsFiles } from '../helpers/tls';
import { LiveService } from '../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../electron/services/targets/secret-store';
import { LiveError } from '../../electron/services/targets/errors';
import { httpGet } from '../../electron/services/targets/http-client';
import type { Library } from '../../electron/services/library';
import { freePort, openLibrary, tempDir } from '../unit/live/support';

let plain: RunningTarget;
let library: Library;
let live: LiveService;

beforeAll(async () => {
  plain = await startTarget({ mode: 'after' });
  const lib = await openLibrary();
  library = lib.library;
  live = await LiveService.open({
    settingsDir: tempDir('settings'),
    secrets: new MemorySecretStore(),
    sink: lib.sink,
  });
});

afterAll(async () => {
  await live?.close();
  await plain?.stop();
});

async function captureError(
  targetId: string,
  spec: Parameters<LiveService['startCapture']>[1],
): Promise<LiveError> {
  const before = library.list().length;
  const err = await (await live.startCapture(targetId, spec)).done.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LiveError);
  await library.idle();
  expect(library.list().length).toBe(before); // nothing stored
  return err as LiveError;
}

describe('target health and capture errors', () => {
  it('says "wrong prefix" for a 404 under the prefix and names the right one', async () => {
    const t = await live.saveTarget({
      name: 'wrong prefix',
      baseUrl: plain.baseUrl,
      pathPrefix: '/admin/pprof',
    });
    const r = await live.probe(t.id);
    expect(r.health.state).toBe('wrong-prefix');
    expect(r.health.message).toMatch(/404/);
    expect(r.health.message).toMatch(/set the prefix to that/);
    expect(r.health.message).toContain('/debug/pprof');
    const err = await captureError(t.id, { kind: 'heap' });
    expect(err.kind).toBe('wrong-prefix');
  });

  it('says "auth failed" for 401 with a wrong token and works with the right one', async () => {
    const guarded = await startTarget({ mode: 'after', token: 'right-token' });
    try {
      const t = await live.saveTarget({
        name: 'guarded',
        baseUrl: guarded.baseUrl,
        auth: { type: 'bearer', token: 'wrong-token' },
      });
      const r = await live.probe(t.id);
      expect(r.health.state).toBe('auth-failed');
      expect(r.health.message).toMatch(/401.*token or credentials/);
      const err = await captureError(t.id, { kind: 'heap' });
      expect(err.kind).toBe('auth');
      expect(err.status).toBe(401);
      await live.saveTarget({
        id: t.id,
        name: 'guarded',
        baseUrl: guarded.baseUrl,
        auth: { type: 'bearer', token: 'right-token' },
      });
      expect((await live.probe(t.id)).health.state).toBe('ok');
      await expect((await live.startCapture(t.id, { kind: 'heap' })).done).resolves.toMatchObject({
        outcome: 'added',
      });
    } finally {
      await guarded.stop();
    }
  });

  it('refuses an HTML page instead of a profile', async () => {
    const t = await live.saveTarget({ name: 'sso', baseUrl: plain.baseUrl, pathPrefix: '/html' });
    const r = await live.probe(t.id);
    expect(r.health.state).toBe('not-pprof');
    expect(r.health.message).toMatch(/not a pprof index/);
    const err = await captureError(t.id, { kind: 'heap' });
    expect(err.kind).toBe('invalid-body');
    expect(err.message).toMatch(/HTML page \(text\/html; charset=utf-8\) instead of a profile/);
  });

  it('refuses a truncated gzip body', async () => {
    const t = await live.saveTarget({
      name: 'truncated',
      baseUrl: plain.baseUrl,
      pathPrefix: '/truncated',
    });
    const err = await captureError(t.id, { kind: 'heap' });
    expect(err.kind).toBe('invalid-body');
    expect(err.message).toMatch(
      /^truncated gzip stream from .*\/truncated\/heap \(\d+ bytes received\): the answer was cut short/,
    );
    // The connection closing before the declared Content-Length is a lost connection.
    const cut = await httpGet(
      new URL(`${plain.baseUrl}/truncated/heap?cut=1`),
      { headers: {} },
      { timeoutMs: 10_000, maxBytes: 1 << 20 },
    ).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(LiveError);
    expect((cut as LiveError).kind).toBe('connection-lost');
    expect((cut as LiveError).message).toMatch(/was lost after \d+ bytes/);
  });

  it('times out on a 1-byte-per-second answer', async () => {
    const t = await live.saveTarget({
      name: 'slow',
      baseUrl: plain.baseUrl,
      pathPrefix: '/slow',
      timeoutSeconds: 2,
    });
    const err = await captureError(t.id, { kind: 'heap' });
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(
      /no complete answer from .*\/slow\/heap within 2 s \(\d+ bytes received\)/,
    );
  });

  it('says unreachable when nothing listens', async () => {
    const port = await freePort();
    const t = await live.saveTarget({ name: 'down', baseUrl: `http://127.0.0.1:${port}` });
    const r = await live.probe(t.id);
    expect(r.health.state).toBe('unreachable');
    expect(r.health.message).toMatch(/connection refused.*tunnel up/);
  });

  it('speaks TLS with a self-signed CA given as the CA file, and fails without it', async () => {
    const tls = makeTlsFiles(tempDir('tls'));
    const secure = await startTarget({
      mode: 'after',
      tlsCert: tls.serverCert,
      tlsKey: tls.serverKey,
    });
    try {
      expect(secure.baseUrl).toMatch(/^https:/);
      const withCa = await live.saveTarget({
        name: 'tls',
        baseUrl: secure.baseUrl,
        tls: { caFile: tls.caCert, skipVerify: false },
      });
      expect((await live.probe(withCa.id)).health.state).toBe('ok');
      const o = await (await live.startCapture(withCa.id, { kind: 'goroutine' })).done;
      expect(library.get(o.snapshotId).kind).toBe('goroutine');

      const noCa = await live.saveTarget({ name: 'tls no ca', baseUrl: secure.baseUrl });
      const r = await live.probe(noCa.id);
      expect(r.health.state).toBe('tls-error');
      expect(r.health.message).toMatch(/not trusted .*add the CA that signed it/);
      expect((await captureError(noCa.id, { kind: 'heap' })).kind).toBe('tls');

      const skip = await live.saveTarget({
        name: 'tls skip',
        baseUrl: secure.baseUrl,
        tls: { caFile: null, skipVerify: true },
      });
      expect(skip.warnings.join()).toMatch(/verification is OFF/);
      expect((await live.probe(skip.id)).health.state).toBe('ok');

      // Plain http to the TLS port: the message says to use https.
      const plainToTls = await live.saveTarget({
        name: 'http to tls',
        baseUrl: secure.baseUrl.replace('https:', 'http:'),
      });
      const p = await live.probe(plainToTls.id);
      expect(p.health.state).toBe('tls-error');
      expect(p.health.message).toMatch(/https:\/\//);
    } finally {
      await secure.stop();
    }
  });
});

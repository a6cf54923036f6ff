import { promises as fs } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FileSecretStore,
  MemorySecretStore,
} from '../../../electron/services/targets/secret-store';
import {
  secretKey,
  TargetStore,
  TARGETS_FILE,
} from '../../../electron/services/targets/target-store';
import { LiveError } from '../../../electron/services/targets/errors';
import { requestTimeoutMs, resolveConnection } from '../../../electron/services/targets/connection';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'pprof-studio-targets-'));

describe('TargetStore', () => {
  it('persists targets without their secrets and reloads them', async () => {
    const dir = tmp();
    const secrets = new MemorySecretStore();
    const store = await TargetStore.open(dir, secrets);
    const v = await store.save({
      name: 'orders',
      baseUrl: 'http://127.0.0.1:6060/',
      auth: { type: 'bearer', token: 's3cret-token' },
      headers: [{ name: 'X-Tenant', value: 'blue' }],
    });
    expect(v.pathPrefix).toBe('/debug/pprof');
    expect(v.baseUrl).toBe('http://127.0.0.1:6060');
    expect(v.auth).toEqual({ type: 'bearer', hasToken: true });
    const text = await fs.readFile(join(dir, TARGETS_FILE), 'utf8');
    expect(text).not.toContain('s3cret-token');
    expect(await secrets.get(secretKey(v.id))).toBe('s3cret-token');

    const again = await TargetStore.open(dir, secrets);
    expect(again.list().map((t) => t.name)).toEqual(['orders']);
    expect((await again.view(v.id)).headers).toEqual([{ name: 'X-Tenant', value: 'blue' }]);
  });

  it('keeps the secret on edit, drops it when the auth type changes', async () => {
    const secrets = new MemorySecretStore();
    const store = await TargetStore.open(tmp(), secrets);
    const v = await store.save({
      name: 'a',
      baseUrl: 'https://svc.example:8443',
      auth: { type: 'basic', username: 'ops', password: 'pw' },
    });
    await store.save({
      id: v.id,
      name: 'a2',
      baseUrl: 'https://svc.example:8443',
      auth: { type: 'basic', username: 'ops' },
    });
    expect(await secrets.get(secretKey(v.id))).toBe('pw');
    await store.save({
      id: v.id,
      name: 'a2',
      baseUrl: 'https://svc.example:8443',
      auth: { type: 'bearer' },
    });
    expect(await secrets.get(secretKey(v.id))).toBeUndefined();
    await store.remove(v.id);
    expect(store.list()).toEqual([]);
  });

  it('refuses bad input with a message naming the problem', async () => {
    const store = await TargetStore.open(tmp(), new MemorySecretStore());
    const bad = async (input: Parameters<TargetStore['save']>[0], msg: RegExp): Promise<void> => {
      const err = await store.save(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LiveError);
      expect((err as LiveError).kind).toBe('config');
      expect((err as Error).message).toMatch(msg);
    };
    await bad({ name: 'x', baseUrl: 'ftp://h' }, /http:\/\/ or https:\/\//);
    await bad({ name: 'x', baseUrl: 'http://u:p@h:1' }, /credentials/);
    await bad(
      { name: 'x', baseUrl: 'http://h:1', headers: [{ name: 'Authorization', value: 'Bearer t' }] },
      /auth settings/,
    );
    await bad(
      { name: 'x', baseUrl: 'http://h:1', tls: { caFile: '/ca.pem', skipVerify: false } },
      /https/,
    );
    await bad(
      {
        name: 'x',
        baseUrl: 'http://10.0.0.1:6060',
        tunnel: { command: 'ssh -L', localPort: 6060 },
      },
      /loopback/,
    );
    await bad(
      {
        name: 'x',
        baseUrl: 'http://127.0.0.1:6060',
        tunnel: { command: 'ssh -L', localPort: 7070 },
      },
      /same/,
    );
  });

  it('surfaces skip-verify as a warning', async () => {
    const store = await TargetStore.open(tmp(), new MemorySecretStore());
    const v = await store.save({
      name: 'x',
      baseUrl: 'https://h:1',
      tls: { caFile: null, skipVerify: true },
    });
    expect(v.warnings.join(' ')).toMatch(/certificate verification is OFF/);
  });

  it('moves an unreadable targets file aside instead of overwriting it', async () => {
    const dir = tmp();
    await fs.writeFile(join(dir, TARGETS_FILE), '{ not json');
    const store = await TargetStore.open(dir, new MemorySecretStore());
    expect(store.loadProblems[0]).toMatch(/moved to/);
    const names = await fs.readdir(dir);
    expect(names.some((n) => n.startsWith(`${TARGETS_FILE}.unreadable-`))).toBe(true);
  });

  it('builds auth headers and the timeout rule', async () => {
    const c = await resolveConnection(
      {
        baseUrl: 'http://h:1',
        pathPrefix: '/debug/pprof',
        headers: [],
        auth: { type: 'basic', username: 'ops' },
        tls: { caFile: null, skipVerify: false },
        timeoutSeconds: null,
      },
      'pw',
    );
    expect(c.conn.headers.Authorization).toBe(`Basic ${Buffer.from('ops:pw').toString('base64')}`);
    expect(c.pprofBase).toBe('http://h:1/debug/pprof');
    expect(requestTimeoutMs(null, 30)).toBe(50_000);
    expect(requestTimeoutMs(null, undefined)).toBe(65_000);
    expect(requestTimeoutMs(2, 30)).toBe(2000);
    await expect(
      resolveConnection(
        {
          baseUrl: 'http://h:1',
          pathPrefix: '',
          headers: [],
          auth: { type: 'bearer' },
          tls: { caFile: null, skipVerify: false },
          timeoutSeconds: null,
        },
        undefined,
      ),
    ).rejects.toThrow(/no[n]?e? is stored|none is stored/);
  });
});

describe('FileSecretStore', () => {
  it('creates the file with mode 0600 and reads it back', async () => {
    const file = join(tmp(), 'secrets.json');
    const s = await FileSecretStore.open(file);
    await s.set('target:a:secret', 'tok');
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const again = await FileSecretStore.open(file);
    expect(await again.get('target:a:secret')).toBe('tok');
    await again.delete('target:a:secret');
    expect(await (await FileSecretStore.open(file)).get('target:a:secret')).toBeUndefined();
  });

  it.skipIf(process.platform === 'win32')('refuses a file others can read', async () => {
    const file = join(tmp(), 'secrets.json');
    await fs.writeFile(file, '{"version":1,"secrets":{}}', { mode: 0o644 });
    await fs.chmod(file, 0o644);
    await expect(FileSecretStore.open(file)).rejects.toThrow(/mode 0644.*chmod 600/);
  });
});

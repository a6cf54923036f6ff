// #20 item 5 (outside the server): settings files are private, CA files are bounded and their
// errors reveal nothing about other paths, custom headers can be secret, `capture` reads
// headers from a file or the environment, and `serve --open` keeps the token off command lines.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { browserCommand, writeLaunchPage } from '../../../electron/cli/commands/serve';
import { HEADERS_ENV } from '../../../electron/cli/commands/capture';
import { RecipeStore } from '../../../electron/services/capture/recipe-store';
import { SettingsStore } from '../../../electron/services/settings/settings-store';
import { MAX_CA_FILE_BYTES, readCaFile } from '../../../electron/services/targets/connection';
import { LiveService } from '../../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../../electron/services/targets/secret-store';
import { headerSecretKey, TARGETS_FILE } from '../../../electron/services/targets/target-store';
import { WatchService } from '../../../electron/services/watch/watch-service';
import { openLibrary, tempDir } from '../live/support';

const HEAP = readFileSync(resolve(__dirname, '../../fixtures/before/heap.pb.gz'));
const posix = process.platform !== 'win32';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A loopback target answering a real heap profile, recording each request's headers. */
async function recordingTarget(): Promise<{ base: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(HEAP);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(!posix)('settings files are written with mode 0600', () => {
  it('targets.json, recipes, watch folders and settings.json', async () => {
    const dir = tempDir('sec-modes');
    const live = await LiveService.open({
      settingsDir: dir,
      secrets: new MemorySecretStore(),
      sink: (await openLibrary()).sink,
    });
    closers.push(() => live.close());
    await live.saveTarget({ name: 'a', baseUrl: 'http://127.0.0.1:1' });
    expect(mode(join(dir, TARGETS_FILE))).toBe(0o600);

    const recipes = await RecipeStore.open(dir);
    await recipes.save({ name: 'r', steps: [{ kind: 'heap' }] });
    const watch = await WatchService.open({ settingsDir: dir, sink: (await openLibrary()).sink });
    closers.push(() => watch.close());
    await watch.add(tempDir('sec-watched'));
    const settings = await SettingsStore.open(join(dir, 'settings.json'));
    await settings.update({ theme: 'dark' });
    for (const f of ['recipes.json', 'watch-folders.json', 'settings.json'])
      expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
  });
});

describe('CA files', () => {
  it('a regular file of at most 1 MiB; every failure says the same, so paths cannot be probed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pprof-ca-'));
    const notPem = join(dir, 'notes.txt');
    writeFileSync(notPem, 'hello');
    const huge = join(dir, 'huge.pem');
    writeFileSync(huge, `-----BEGIN CERTIFICATE-----\n${'A'.repeat(MAX_CA_FILE_BYTES)}\n`);
    const candidates = [join(dir, 'missing.pem'), dir, notPem, huge, '/dev/zero', '/etc/shadow'];
    if (posix) {
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      candidates.push(fifo);
    }
    for (const path of candidates) {
      let message = '';
      try {
        await readCaFile(path);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.replace(path, 'PATH')).toBe(
        'the CA file PATH is not a readable file of at most 1 MiB holding a PEM certificate (-----BEGIN CERTIFICATE-----)',
      );
    }
    const good = join(dir, 'ca.pem');
    writeFileSync(good, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(await readCaFile(good)).toContain('BEGIN CERTIFICATE');
  });
});

describe('secret custom headers live in the secret store', () => {
  it('are sent, never written to targets.json nor shown, and follow the URL rule', async () => {
    const dir = tempDir('sec-headers');
    const secrets = new MemorySecretStore();
    const live = await LiveService.open({
      settingsDir: dir,
      secrets,
      sink: (await openLibrary()).sink,
    });
    closers.push(() => live.close());
    const { base, seen } = await recordingTarget();
    const t = await live.saveTarget({
      name: 'keyed',
      baseUrl: base,
      headers: [
        { name: 'X-Api-Key', value: 'k-123-secret', secret: true },
        { name: 'X-Tenant', value: 'blue' },
      ],
    });
    expect(t.headers).toEqual([
      { name: 'X-Api-Key', value: '', secret: true },
      { name: 'X-Tenant', value: 'blue' },
    ]);
    expect(readFileSync(join(dir, TARGETS_FILE), 'utf8')).not.toContain('k-123-secret');
    expect(await secrets.get(headerSecretKey(t.id, 'X-Api-Key'))).toBe('k-123-secret');
    await live.probe(t.id);
    expect(seen.at(-1)!['x-api-key']).toBe('k-123-secret');
    expect(seen.at(-1)!['x-tenant']).toBe('blue');

    // Saved again with an empty value: kept.
    await live.saveTarget({ id: t.id, name: 'keyed', baseUrl: base, headers: t.headers });
    await live.probe(t.id);
    expect(seen.at(-1)!['x-api-key']).toBe('k-123-secret');
    // Pointed elsewhere without a new value: dropped, and the probe says so.
    await live.saveTarget({
      id: t.id,
      name: 'keyed',
      baseUrl: 'http://127.0.0.1:9',
      headers: t.headers,
    });
    expect(await secrets.get(headerSecretKey(t.id, 'X-Api-Key'))).toBeUndefined();
    const probe = await live.probe(t.id);
    expect(probe.health.message).toContain('secret header X-Api-Key has no stored value');
  });
});

describe('capture reads headers from a file or the environment', () => {
  it('--header-file and PPROF_STUDIO_HEADERS send headers that never were arguments', async () => {
    const { base, seen } = await recordingTarget();
    const dir = mkdtempSync(join(tmpdir(), 'pprof-hdr-'));
    const file = join(dir, 'headers');
    writeFileSync(file, '# token for prod\nAuthorization: Bearer file-secret\n\nX-Tenant: blue\n', {
      mode: 0o600,
    });
    const out = join(dir, 'heap.pb.gz');
    let stderr = '';
    const before = process.env[HEADERS_ENV];
    process.env[HEADERS_ENV] = 'X-Env-Key: env-secret';
    try {
      const code = await runCli(
        ['capture', base, '--kind', 'heap', '--header-file', file, '-o', out],
        { stdout: () => undefined, stderr: (t) => (stderr += t) },
      );
      expect([code, stderr]).toEqual([0, '']);
    } finally {
      if (before === undefined) delete process.env[HEADERS_ENV];
      else process.env[HEADERS_ENV] = before;
    }
    expect(seen.at(-1)).toMatchObject({
      authorization: 'Bearer file-secret',
      'x-tenant': 'blue',
      'x-env-key': 'env-secret',
    });
    expect(existsSync(out)).toBe(true);

    writeFileSync(file, 'Authorization Bearer no-colon-secret\n');
    stderr = '';
    const bad = await runCli(
      ['capture', base, '--kind', 'heap', '--header-file', file, '-o', out],
      {
        stdout: () => undefined,
        stderr: (t) => (stderr += t),
      },
    );
    expect(bad).toBe(2);
    expect(stderr).toContain("a line is not 'Name: value'");
    expect(stderr).not.toContain('no-colon-secret');
  });
});

describe.skipIf(!posix)('serve --open keeps the token off command lines', () => {
  it('opens a private launch page whose path and command carry no token', async () => {
    const token = 'T0k3n-abcdefghijklmnopqrstuvwxyz0123456789ABC';
    const page = await writeLaunchPage(`http://127.0.0.1:4242/?token=${token}`);
    try {
      expect(page.path).not.toContain(token);
      expect(mode(page.path)).toBe(0o600);
      expect(mode(join(page.path, '..'))).toBe(0o700);
      expect(readFileSync(page.path, 'utf8')).toContain(
        `url=http://127.0.0.1:4242/?token=${token}`,
      );
      const [cmd, args] = browserCommand(`file://${page.path}`);
      expect([cmd, ...args].join(' ')).not.toContain(token);
    } finally {
      page.remove();
    }
    expect(existsSync(page.path)).toBe(false);
  });
});

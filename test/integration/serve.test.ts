// `pprof-studio serve` as a user runs it: the bundled command in its own process.
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/server/csp';
import { prepareServe, runCli, waitForUrl } from '../helpers/serve-child';

let work: string;
let cli: string;
let renderer: string;

beforeAll(async () => {
  ({ work, cli, renderer } = await prepareServe('serve-int'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[]) => runCli(cli, args);

describe('pprof-studio serve', () => {
  it('serves the renderer and the token-protected API, then stops on SIGTERM', async () => {
    const data = join(work, 'data');
    const r = run(['serve', '--data', data, '--renderer', renderer]);
    try {
      const url = await waitForUrl(r);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
      const u = new URL(url);
      const token = u.searchParams.get('token')!;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.text()).toContain('<title>pprof Studio</title>');

      const noToken = await fetch(`${u.origin}/api/appInfo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(noToken.status).toBe(401);
      const info = await fetch(`${u.origin}/api/appInfo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pprof-studio-token': token },
        body: '{}',
      });
      expect(await info.json()).toMatchObject({
        ok: true,
        value: { transport: 'http', dataDir: data },
      });
      const list = (await (
        await fetch(`${u.origin}/api/listSnapshots`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-pprof-studio-token': token },
          body: '{}',
        })
      ).json()) as { ok: boolean; value: { source: { type: string } }[] };
      expect(list.ok).toBe(true);
      expect(list.value.length).toBeGreaterThan(0);
      expect(list.value.every((s) => s.source.type === 'demo')).toBe(true);
    } finally {
      r.child.kill('SIGTERM');
    }
    expect(await r.exit).toBe(0);
  });

  it('refuses to expose the API on the network without --allow-remote', async () => {
    const r = run([
      'serve',
      '--host',
      '0.0.0.0',
      '--renderer',
      renderer,
      '--data',
      join(work, 'd2'),
    ]);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toContain('--host 0.0.0.0 is not a loopback address; add --allow-remote');
    const r2 = run(['serve', '--allow-remote', '--renderer', renderer, '--data', join(work, 'd2')]);
    expect(await r2.exit).toBe(2);
    expect(r2.stderr()).toContain('--allow-remote needs an explicit --host');
  });

  it('with --allow-remote, warns plainly and keeps tunnels, folders and CA files off unless flagged', async () => {
    const r = run([
      'serve',
      '--host',
      '127.0.0.1',
      '--allow-remote',
      '--allow-watch-folders',
      '--renderer',
      renderer,
      '--data',
      join(work, 'd4'),
    ]);
    try {
      await waitForUrl(r);
      for (let i = 0; i < 100 && !r.stderr().includes('CA-file paths'); i++)
        await new Promise((res) => setTimeout(res, 50));
      expect(r.stderr()).toContain('holds the token acts as');
      expect(r.stderr()).toContain('tunnel commands: off (add --allow-tunnels)');
      expect(r.stderr()).toContain('folder watching: ON (--allow-watch-folders)');
      expect(r.stderr()).toContain('CA-file paths:   off (add --allow-ca-files)');
    } finally {
      r.child.kill('SIGTERM');
    }
    expect(await r.exit).toBe(0);
    const r2 = run([
      'serve',
      '--allow-tunnels',
      '--renderer',
      renderer,
      '--data',
      join(work, 'd4'),
    ]);
    expect(await r2.exit).toBe(2);
    expect(r2.stderr()).toContain('--allow-tunnels only applies with --allow-remote');
  });

  it('says what is wrong when the renderer is missing or the port is taken', async () => {
    const r = run(['serve', '--renderer', join(work, 'nowhere'), '--data', join(work, 'd3')]);
    expect(await r.exit).toBe(1);
    expect(r.stderr()).toContain('no built renderer at');
    expect(r.stderr()).toContain('npm run build');

    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r2 = run([
        'serve',
        '--port',
        String(port),
        '--renderer',
        renderer,
        '--data',
        join(work, 'd3'),
      ]);
      expect(await r2.exit).toBe(1);
      expect(r2.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });
});

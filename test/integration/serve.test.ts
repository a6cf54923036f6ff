// `pprof-studio serve` as a user runs it: the bundled command in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/server/csp';

const ROOT = resolve(__dirname, '../..');
let work: string;
let cli: string;
let renderer: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pprof-serve-int-'));
  cli = join(work, 'cli.cjs');
  // The same bundle `npm run build` makes (scripts/build-cli.mjs), built here so the test
  // does not depend on a stale out/.
  await build({
    entryPoints: [join(ROOT, 'electron/cli/index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: cli,
    logLevel: 'silent',
    external: ['electron', 'chokidar', 'playwright-core'],
  });
  renderer = join(work, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>pprof Studio</title>');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[]): Run {
  // cwd = the repository: the command finds resources/demo and out/ from its install root.
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitForUrl(r: Run): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const m = /^pprof Studio serving at (http:\/\/\S+)$/m.exec(r.stdout());
    if (m) return m[1]!;
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`serve printed no URL: ${r.stdout()} ${r.stderr()}`);
}

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
        await fetch(`${u.origin}/api/listSnapshots?token=${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
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

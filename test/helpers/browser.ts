// Browser tests' plumbing: find Chromium, launch it headless with playwright-core, and run
// `pprof-studio serve` on a throwaway data folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium to drive: $PPROF_STUDIO_CHROMIUM, else the first of the usual paths. */
export function findChromium(): string | null {
  const env = process.env.PPROF_STUDIO_CHROMIUM;
  if (env) return existsSync(env) ? env : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export function requireChromium(): string {
  const path = findChromium();
  if (!path) {
    throw new Error(
      `no Chromium found (looked at ${process.env.PPROF_STUDIO_CHROMIUM ? `PPROF_STUDIO_CHROMIUM=${process.env.PPROF_STUDIO_CHROMIUM}` : CANDIDATES.join(', ')}): install Debian's chromium or set PPROF_STUDIO_CHROMIUM`,
    );
  }
  return path;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium(),
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      // The suites read English; a page that tests Chinese asks for it with `locale`.
      '--lang=en-US',
    ],
  });
}

/** Builds the renderer and the CLI when their output is missing (`npm test` builds first). */
export function ensureBuilt(): void {
  const renderer = join(ROOT, 'out', 'renderer', 'index.html');
  const cli = join(ROOT, 'out', 'cli', 'index.cjs');
  if (existsSync(renderer) && existsSync(cli)) return;
  for (const [cmd, args] of [
    ['npx', ['electron-vite', 'build']],
    [process.execPath, ['scripts/build-cli.mjs']],
  ] as const) {
    const r = spawnSync(cmd, [...args], {
      cwd: ROOT,
      stdio: 'pipe',
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0)
      throw new Error(`build failed: ${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  }
}

export interface ServeHandle {
  /** The printed URL, token included. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `pprof-studio serve --port 0` on a fresh data folder and waits for its URL. */
export async function startServe(opts: { dataDir?: string } = {}): Promise<ServeHandle> {
  ensureBuilt();
  const owned = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pprof-studio-e2e-'));
  mkdirSync(dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'pprof-studio.cjs'), 'serve', '--port', '0', '--data', dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`serve printed no URL within 30 s:\n${out}`)),
      30_000,
    );
    const check = (): void => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token') ?? '',
    dataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      if (owned) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads one of the UI's test hooks (renderer/src/test-hooks.ts). */
export async function readHook<T>(page: Page, name: string): Promise<T | null> {
  return page.evaluate((n) => {
    const t = (window as unknown as { __pprofStudioTest?: { read(n: string): unknown } })
      .__pprofStudioTest;
    return (t ? t.read(n) : null) as never;
  }, name) as Promise<T | null>;
}

/** Polls a hook until `ok` accepts its value (bounded). */
export async function waitForHook<T>(
  page: Page,
  name: string,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | null = null;
  while (Date.now() < end) {
    last = await readHook<T>(page, name);
    if (last !== null && ok(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(
    `hook ${name} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)?.slice(0, 2000)}`,
  );
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return join(RESULTS_DIR, `${name}.png`);
}

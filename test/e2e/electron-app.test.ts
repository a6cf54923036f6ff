// The real desktop app through Playwright's _electron, where an Electron binary exists. Where
// it does not (CI machines cannot download one), the test is reported as skipped with the
// reason. The checks stay on the shell's side: window, app:// load, security settings, the
// library through the page's Api, a file from the command line. What the renderer shows is
// covered by the renderer's own end-to-end tests.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/** The Electron executable, found without require('electron') (which would try to download it). */
function electronBinary(): { path: string } | { reason: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const rel = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : process.platform === 'win32'
      ? 'electron.exe'
      : 'electron';
  const candidate = override ? join(override, rel) : join(pkg, 'dist', rel);
  if (!existsSync(candidate))
    return {
      reason: `no Electron binary at ${candidate} (fetch one with \`npx install-electron --no\` where downloads are possible)`,
    };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { reason: 'no display: run under xvfb-run (Electron needs an X or Wayland server)' };
  return { path: candidate };
}

const found = electronBinary();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

if ('reason' in found) {
  describe('electron app', () => {
    it.skip(`skipped: ${found.reason}`, () => undefined);
  });
} else {
  describe('electron app', () => {
    it('opens a sandboxed window on app:// with the demo library, and imports a file given on the command line', async () => {
      for (const f of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'])
        expect(existsSync(join(ROOT, f)), `${f} is missing: run \`npm run build\` first`).toBe(
          true,
        );
      const { _electron } = await import('playwright-core');
      const data = mkdtempSync(join(tmpdir(), 'pprof-e2e-app-'));
      dirs.push(data);
      // Bytes not in the demo set (the raw protobuf of a demo profile), so it is a new entry.
      const profile = join(data, 'from-command-line.pb');
      writeFileSync(
        profile,
        gunzipSync(readFileSync(join(ROOT, 'resources', 'demo', 'orders-after-cpu.pb.gz'))),
      );
      const app = await _electron.launch({
        executablePath: found.path,
        args: [join(ROOT, 'out', 'main', 'index.js'), profile],
        cwd: ROOT,
        env: { ...process.env, PPROF_STUDIO_DATA: data },
        timeout: 60_000,
      });
      try {
        const page = await app.firstWindow();
        await page.waitForLoadState('domcontentloaded');
        expect(page.url()).toBe('app://renderer/index.html');

        const windows = await app.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()),
        );
        expect(windows).toEqual(['app://renderer/index.html']);

        const page_ = await page.evaluate(async () => {
          const w = window as unknown as {
            pprofStudio: Record<string, (r?: unknown) => Promise<{ ok: boolean; value: unknown }>>;
            require?: unknown;
            process?: unknown;
          };
          type Meta = { id: string; size: number; source: { type: string; path?: string } };
          let snapshots: Meta[] = [];
          // The command-line file is imported once the window exists: wait for it (bounded).
          for (let i = 0; i < 100; i++) {
            snapshots = (await w.pprofStudio.listSnapshots!()).value as Meta[];
            if (snapshots.some((s) => s.source.type === 'file')) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          const first = snapshots.find((s) => s.source.type === 'demo')!;
          const bytes = await w.pprofStudio.readSnapshotBytes!({ id: first.id });
          return {
            keys: Object.keys(w.pprofStudio).sort(),
            noNode: typeof w.require === 'undefined' && typeof w.process === 'undefined',
            count: snapshots.length,
            sources: [...new Set(snapshots.map((s) => s.source.type))].sort(),
            fromArgv: snapshots.filter((s) => s.source.type === 'file').map((s) => s.source.path),
            readOk: bytes.ok && (bytes.value as Uint8Array).byteLength === first.size,
          };
        });
        expect(page_.noNode).toBe(true);
        expect(page_.keys).toContain('subscribe');
        expect(page_.keys).not.toContain('invoke');
        expect(page_.count).toBeGreaterThan(5);
        expect(page_.readOk).toBe(true);
        expect(page_.sources).toEqual(['demo', 'file']);
        expect(page_.fromArgv).toEqual([profile]);
        const csp = await page.evaluate(async () =>
          (await fetch('app://renderer/index.html')).headers.get('content-security-policy'),
        );
        expect(csp).toContain("script-src 'self'");
      } finally {
        await app.close();
      }
    });
  });
}

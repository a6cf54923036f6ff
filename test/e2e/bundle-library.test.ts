// Bundles in the library, in Chromium against `pprof-studio serve`: a bundle folder written by
// `pprof-studio capture --bundle` from the real Go target is imported with "Import folder…"
// (a directory chosen in the file input), its manifest is shown (target, window, build info,
// MemStats, every part with its state), it is exported as a folder and the folder's files
// are the same bytes, and importing it again gives the same bundle and adds no snapshot.
// The export writes through the File System Access API; the folder picker (an OS dialog)
// is answered with the origin-private file system's root, a real writable folder.
// Screenshots (light and dark, 1280×800 and 1440×900) go to test-results/.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath, startServe, type ServeHandle } from '../helpers/browser';
import { cli } from '../helpers/cli';
import { startTarget, type RunningTarget } from '../helpers/go-target';
import { tempDir } from '../unit/live/support';

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let target: RunningTarget;
let folder: string;
const problems: string[] = [];

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  // The header's theme switch sits under the open dialog's backdrop: click it directly.
  await page.locator(`[data-theme-choice=${theme}]`).dispatchEvent('click');
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

async function shots(name: string): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(theme);
      await page.screenshot({ path: screenshotPath(`bundle-library-${name}-${w}x${h}-${theme}`) });
    }
  }
  await setTheme('light');
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function snapshotCount(): Promise<number> {
  return page.locator('[data-test=snapshot-list] li.snap').count();
}

describe('bundles in the library, in Chromium', () => {
  beforeAll(async () => {
    target = await startTarget({ mode: 'before' });
    folder = join(tempDir('e2e-bundle'), 'incident-42');
    const r = await cli([
      'capture',
      target.baseUrl,
      '--bundle',
      '--seconds',
      '1',
      '--note',
      'incident 42',
      '-o',
      folder,
    ]);
    expect(r.code, r.stderr).toBe(0);
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await target?.stop();
  });

  it('imports a bundle folder and shows its manifest', async () => {
    const demo = await snapshotCount();
    await page.locator('[data-test=folder-input]').setInputFiles(folder);
    await expect
      .poll(() => page.locator('[data-test=bundle-note]').textContent(), { timeout: 30_000 })
      .toMatch(/imported the folder incident-42 as the bundle .*: 10 of 11 parts/);
    // Nine snapshots (memstats lives in the manifest); the bundle is listed and shown.
    expect(await snapshotCount()).toBe(demo + 9);
    await expect.poll(() => page.locator('[data-test=library-bundle]').count()).toBe(1);
    const details = page.locator('[data-test=bundle-details]');
    await details.waitFor();
    expect(await details.locator('[data-test=bundle-manifest-note]').textContent()).toBe(
      'incident 42',
    );
    expect(await details.locator('[data-test=bundle-target]').textContent()).toContain(
      target.baseUrl,
    );
    expect(await details.locator('[data-test=bundle-window]').textContent()).toMatch(/^1 s from /);
    expect(await details.locator('[data-test=bundle-binary]').textContent()).toMatch(/orders$/);
    expect(await details.locator('[data-test=bundle-trace-format]').textContent()).toMatch(
      /^go 1\.\d+$/,
    );
    const mem = await details.locator('[data-test=bundle-memstats]').textContent();
    expect(mem).toMatch(/HeapAlloc\s*[\d.]+ [KMG]i?B/);
    expect(mem).toMatch(/NumGC\s*[1-9]/);
    const states = await details
      .locator('[data-test=bundle-parts] tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => `${r.getAttribute('data-part')}:${r.getAttribute('data-part-state')}`),
      );
    expect(states).toEqual([
      'cpu:done',
      'trace:done',
      'heap:done',
      'allocs:done',
      'goroutine:done',
      'goroutine-text:done',
      'mutex:done',
      'block:done',
      'threadcreate:done',
      'goroutineleak:not-served',
      'memstats:done',
    ]);
    expect(await details.locator('tr[data-part=goroutineleak]').textContent()).toMatch(
      /not served.*not served by this Go version/,
    );
    await shots('details');
  }, 120_000);

  it('exports the bundle as a folder of the same files', async () => {
    // The OS folder picker is answered with the origin-private file system's root.
    await page.evaluate(() => {
      (window as unknown as { showDirectoryPicker: () => Promise<unknown> }).showDirectoryPicker =
        () => navigator.storage.getDirectory();
    });
    await page.click('[data-test=export-bundle]');
    await expect
      .poll(() => page.locator('[data-test=bundle-note]').textContent(), { timeout: 30_000 })
      .toMatch(/exported .* as the folder .* \(11 files\)/);
    const written = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const out: Record<string, number[]> = {};
      for await (const [, dir] of (
        root as unknown as { entries(): AsyncIterable<[string, FileSystemDirectoryHandle]> }
      ).entries()) {
        for await (const [name, h] of (
          dir as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }
        ).entries()) {
          const bytes = new Uint8Array(await (await h.getFile()).arrayBuffer());
          out[name] = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
        }
      }
      return out;
    });
    const hex = (a: number[]): string => a.map((x) => x.toString(16).padStart(2, '0')).join('');
    const names = (await fs.readdir(folder)).sort();
    expect(Object.keys(written).sort()).toEqual(names);
    for (const name of names) {
      if (name === 'bundle.json') continue; // names this library's snapshot ids
      expect(hex(written[name]), name).toBe(sha(await fs.readFile(join(folder, name))));
    }
  }, 60_000);

  it('importing the folder again gives the same bundle and no new snapshot', async () => {
    await page.click('[data-test=close-bundle]');
    const before = await snapshotCount();
    await page.locator('[data-test=folder-input]').setInputFiles(folder);
    await expect
      .poll(() => page.locator('[data-test=bundle-note]').textContent(), { timeout: 30_000 })
      .toMatch(/imported the folder incident-42/);
    expect(await snapshotCount()).toBe(before);
    expect(await page.locator('[data-test=library-bundle]').count()).toBe(1);
  }, 60_000);

  it('opens the bundle in Insights', async () => {
    await page.click('[data-test=bundle-insights]');
    await page.waitForSelector('[data-test=insights]');
    await expect
      .poll(() => page.locator('[data-test=findings]').count(), { timeout: 60_000 })
      .toBe(1);
    const set = await page.locator('[data-test=insights-set]').inputValue();
    expect(set).toMatch(/^group:run:/);
    expect(problems).toEqual([]);
  }, 90_000);
});

// Everything from a profile is text: a real profile whose function names, file names and
// file name carry HTML and script payloads is opened, and the payloads show literally in
// the tooltip, breadcrumb, top table, context menu, sandwich and sidebar, while none of them
// runs (a global flag they would set stays unset, no dialog opens, no <img> appears).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import { encodeProfile } from '../../core/pprof/encode';
import {
  ROOT,
  launchChromium,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';

const FN_PAYLOAD = '<img src=x onerror="window.__xss=1;alert(1)">';
const FILE_PAYLOAD = '</script><script>window.__xss=2;alert(2)</script>';
const FILE_NAME = '<img src=x onerror=window.__xss=3>.pb.gz';

interface Item {
  name: string | null;
  depth: number;
  x: number;
  width: number;
  merged: boolean;
}
interface Pane {
  version: number;
  drawnVersion: number;
  drawn: number;
  window: { x0: number; x1: number };
  drawnWindow: { x0: number; x1: number };
  items: Item[];
}

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let tmp: string;
const problems: string[] = [];

/** A real fixture with every function and file name prefixed by a payload. */
function hostileProfile(): Uint8Array {
  const p = decodeProfile(readFileSync(join(ROOT, 'test', 'fixtures', 'before', 'cpu.pb.gz')));
  const fnStrings = new Set<number>();
  const fileStrings = new Set<number>();
  for (let f = 0; f < p.functions.length; f++) {
    fnStrings.add(p.functions.name[f]);
    fileStrings.add(p.functions.filename[f]);
  }
  for (const s of fnStrings) if (s > 0) p.strings[s] = FN_PAYLOAD + p.strings[s];
  for (const s of fileStrings)
    if (s > 0 && !fnStrings.has(s)) p.strings[s] = FILE_PAYLOAD + p.strings[s];
  return encodeProfile(p);
}

async function pane(): Promise<Pane> {
  return waitForHook<Pane>(
    page,
    'flame:main',
    (p) =>
      p.drawnVersion === p.version &&
      p.drawn > 0 &&
      p.drawnWindow.x0 === p.window.x0 &&
      p.drawnWindow.x1 === p.window.x1,
  );
}

async function pointAt(p: Pane, it: Item): Promise<{ x: number; y: number }> {
  const box = await page.locator('[data-test=flame-main] .flame-chart').boundingBox();
  if (!box) throw new Error('no flame chart');
  const { x0, x1 } = p.window;
  const mid = (Math.max(it.x, x0) + Math.min(it.x + it.width, x1)) / 2;
  return { x: box.x + ((mid - x0) / (x1 - x0)) * box.width, y: box.y + 22 + it.depth * 18 + 9 };
}

describe('profile text is never HTML', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pprof-studio-xss-'));
    writeFileSync(join(tmp, FILE_NAME), hostileProfile());
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows the payloads literally everywhere and runs none of them', async () => {
    await page.setInputFiles('[data-test=file-input]', join(tmp, FILE_NAME));
    await expect
      .poll(() => page.locator('[data-test=current-snapshot] .name').textContent(), {
        timeout: 20_000,
      })
      .toBe(FILE_NAME);
    await expect
      .poll(() => page.locator('[data-test=snapshot-list] .snap.on .name').textContent())
      .toBe(FILE_NAME);
    let p = await pane();
    const first = p.items.find((i) => i.depth === 1 && !i.merged)!;
    expect(first.name!.startsWith(FN_PAYLOAD)).toBe(true);

    // Tooltip: name and file as text.
    const at = await pointAt(p, first);
    await page.mouse.move(at.x, at.y);
    const tip = page.locator('[data-test=flame-tooltip]');
    await expect
      .poll(() => tip.locator('.fn').textContent(), { timeout: 5000 })
      .toContain(first.name!);
    expect(await tip.locator('.file').textContent()).toContain(FILE_PAYLOAD);
    await page.screenshot({ path: screenshotPath('xss-tooltip') });

    // Context menu header and the sandwich header.
    await page.mouse.click(at.x, at.y, { button: 'right' });
    await expect
      .poll(() => page.locator('[data-test=context-menu] .head').textContent())
      .toBe(first.name);
    await page.click('[data-test=context-menu] [data-action=sandwich]');
    await expect
      .poll(() => page.locator('[data-test=sandwich] .sandwich-head .fn').textContent())
      .toBe(first.name);

    // Zoom: the breadcrumb names the frames as text.
    p = await pane();
    const deeper = p.items
      .filter((i) => i.depth === 4 && !i.merged && i.width < first.width)
      .sort((a, b) => b.width - a.width)[0];
    const at2 = await pointAt(p, deeper);
    await page.mouse.click(at2.x, at2.y);
    await expect
      .poll(() => page.locator('[data-test=breadcrumb] button.last').textContent())
      .toBe(deeper.name);
    expect(
      await page.locator('[data-test=breadcrumb] button', { hasText: FN_PAYLOAD }).count(),
    ).toBe(4);
    await page.screenshot({ path: screenshotPath('xss-breadcrumb') });

    // Search with a pattern that needs the payload's characters.
    await page.fill('[data-test=flame-search]', '<img src=x');
    await page.press('[data-test=flame-search]', 'Enter');
    await waitForHook<{ search: { matchedNames: number } | null }>(
      page,
      'flame',
      (s) => (s.search?.matchedNames ?? 0) > 0,
    );

    // Top table rows.
    await page.click('[data-tab=top]');
    await waitForHook<{ rows: unknown[] }>(page, 'top', (t) => t.rows.length > 0);
    const row =
      (await page.locator('[data-test=top-table] [data-row="0"] .name').textContent()) ?? '';
    expect(row.startsWith(FN_PAYLOAD)).toBe(true);
    await page.screenshot({ path: screenshotPath('xss-top') });

    // Nothing ran and no markup was made from the payloads.
    expect(
      await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
    ).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    const scripts = await page.evaluate(() =>
      Array.from(document.scripts, (s) => s.textContent ?? ''),
    );
    expect(scripts.some((t) => t.includes('__xss'))).toBe(false);
    expect(problems).toEqual([]);
  });
});

// The Source panel in Chromium against `pprof-studio serve`: right-click the hottest frame
// of the order service, "Show source"; the source is missing at first (the profile records
// pprofstudio/targets/orders/…, which is not on this machine), the panel lists what it tried
// and adds a source root in one click; then every line's flat and cum equal
// `go tool pprof -list` with the same folder as -source_path. Also: the standard library
// from GOROOT, the top table's row button, a hostile source line shown as text, and
// screenshots in both themes at 1280×800 and 1440×900.
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  launchChromium,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { runPprof } from '../helpers/pprof-raw';
import { requireGo } from './pprof-raw';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const SHOTS = join(ROOT, 'test-results', 'source');
const AXIS = 22;
const ROW = 18;
const HOSTILE = '// <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let tmp: string;
let cpuFile: string;
let orders: string;
const problems: string[] = [];

interface Item {
  name: string | null;
  node: number;
  depth: number;
  x: number;
  width: number;
  total: number;
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

interface ListedLine {
  flat: string;
  cum: string;
  line: number;
  code: string;
}

/** The lines of the one routine `go tool pprof -list` printed. */
function pprofLines(text: string): { header: string; lines: ListedLine[] } {
  const all = text.split('\n');
  const at = all.findIndex((l) => l.startsWith('ROUTINE'));
  expect(at, text).toBeGreaterThanOrEqual(0);
  expect(
    all.filter((l) => l.startsWith('ROUTINE')),
    text,
  ).toHaveLength(1);
  const lines: ListedLine[] = [];
  for (const l of all.slice(at + 2)) {
    const m = /^\s*(\S+)\s+(\S+)\s+(\d+):(.*)$/.exec(l);
    if (!m) continue;
    lines.push({ flat: m[1], cum: m[2], line: Number(m[3]), code: m[4] });
  }
  return { header: all[at + 1], lines };
}

async function panelLines(): Promise<ListedLine[]> {
  return page.$$eval('[data-test=source-row]', (rows) =>
    rows.map((r) => ({
      flat: r.querySelector('.flat')?.textContent ?? '',
      cum: r.querySelector('.cum')?.textContent ?? '',
      line: Number(r.getAttribute('data-line')),
      code: r.querySelector('.code')?.textContent ?? '',
    })),
  );
}

async function mainPane(): Promise<Pane> {
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

async function rightClick(p: Pane, it: Item): Promise<void> {
  const box = await page.locator('[data-test=flame-main] .flame-chart').boundingBox();
  if (!box) throw new Error('no flame chart on the page');
  const { x0, x1 } = p.window;
  const a = Math.max(it.x, x0);
  const b = Math.min(it.x + it.width, x1);
  const px = box.x + (((a + b) / 2 - x0) / (x1 - x0)) * box.width;
  const py = box.y + AXIS + it.depth * ROW + ROW / 2;
  await page.mouse.click(px, py, { button: 'right' });
}

async function shoot(name: string): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.click(`[data-theme-choice=${theme}]`);
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(SHOTS, `${name}-${theme}-${w}x${h}.png`) });
    }
  }
  await page.click('[data-theme-choice=light]');
  await page.setViewportSize({ width: 1440, height: 900 });
}

describe('Source panel in Chromium, served by `pprof-studio serve`', () => {
  beforeAll(async () => {
    requireGo();
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'pprof-studio-source-'));
    cpuFile = join(tmp, 'orders-cpu-source.pb.gz');
    writeFileSync(
      cpuFile,
      gzipSync(gunzipSync(readFileSync(join(FIXTURES, 'before', 'cpu.pb.gz'))), { level: 1 }),
    );
    // The sources, somewhere the profile's recorded paths do not point to; a hostile line
    // after the last function, where no listing window reaches unless the whole file is shown.
    orders = join(tmp, 'checkout', 'orders');
    cpSync(join(ROOT, 'test', 'targets', 'orders'), orders, { recursive: true });
    appendFileSync(join(orders, 'service.go'), `\n${HOSTILE}\n`);
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
    await page.setInputFiles('[data-test=file-input]', cpuFile);
    await page
      .locator('[data-test=current-snapshot] .name', { hasText: 'orders-cpu-source.pb.gz' })
      .waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('right-click a hot frame, "Show source": missing, then a root in one click, then pprof -list\'s numbers', async () => {
    const p = await mainPane();
    // The hottest function of the order service on the first rows.
    const hot = p.items
      .filter((i) => !i.merged && i.name?.startsWith('main.') && i.depth <= 3)
      .sort((a, b) => b.total - a.total)[0];
    expect(hot, 'a main. frame on the first rows').toBeTruthy();
    const name = hot!.name!;
    await rightClick(p, hot!);
    await page.click('[data-test=context-menu] [data-action=source]');
    await page.waitForSelector('[data-test=source-panel]');

    // Missing source: what was tried, and the recorded folder offered as the prefix.
    const missing = page.locator('[data-test=source-missing]');
    await missing.waitFor({ timeout: 20_000 });
    const tried = await page.locator('[data-test=source-tried]').allTextContents();
    expect(tried.join('\n')).toContain('GOROOT');
    expect(tried.join('\n')).toContain('pprofstudio/targets/orders/');
    expect(await page.inputValue('[data-test=source-root-prefix]')).toBe(
      'pprofstudio/targets/orders',
    );
    // The line costs are there without the code.
    const esc = name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    const wantMissing = runPprof([`-list=^${esc}$`, `-source_path=${tmp}/nowhere`, cpuFile]);
    expect(wantMissing).toContain(' Error: could not find file');
    const sampled = await panelLines();
    expect(sampled.length).toBeGreaterThan(0);
    for (const l of sampled) expect(l.code).toBe('');
    await shoot('source-missing');

    // One click (after typing the folder) adds the root and shows the file.
    await page.fill('[data-test=source-root-folder]', orders);
    await page.click('[data-test=source-add-root]');
    await page.locator('[data-test=source-found]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-test=source-found]').textContent()).toContain('source root');

    const want = pprofLines(runPprof([`-list=^${esc}$`, `-source_path=${orders}`, cpuFile]));
    const got = await panelLines();
    expect(got.map((l) => l.line)).toEqual(want.lines.map((l) => l.line));
    expect(got).toEqual(want.lines);
    // Hot lines are shaded and the panel scrolled to the hottest one.
    expect(await page.locator('[data-test=source-row].hot').count()).toBeGreaterThan(0);
    const hottest = page.locator('[data-test=source-row].hottest');
    expect(await hottest.count()).toBe(1);
    expect(await hottest.isVisible()).toBe(true);
    await shoot('source-found');
    // The root is a setting, listed (and editable) under "Source roots".
    await page.click('[data-test=source-settings-toggle]');
    const root = page.locator('[data-test=source-settings-root]');
    await root.waitFor();
    expect(await root.count()).toBe(1);
    expect(await root.locator('input').nth(0).inputValue()).toBe('pprofstudio/targets/orders');
    expect(await root.locator('input').nth(1).inputValue()).toBe(orders);
    await shoot('source-settings');
    await page.click('[data-test=source-settings-toggle]');

    // It follows the view's sample type and filters.
    await page.selectOption('[data-test=sample-type]', '0');
    const samples = pprofLines(
      runPprof([`-list=^${esc}$`, `-source_path=${orders}`, '-sample_index=0', cpuFile]),
    );
    expect(samples.lines).not.toEqual(want.lines);
    await expect.poll(panelLines, { timeout: 20_000 }).toEqual(samples.lines);
    await page.selectOption('[data-test=sample-type]', '1');
    await expect.poll(panelLines, { timeout: 20_000 }).toEqual(want.lines);
  });

  it('shows a hostile source line as text', async () => {
    await page.check('[data-test=source-whole-file]');
    const row = page.locator('[data-test=source-row]', { hasText: 'window.__pwned=1' });
    await row.waitFor();
    expect(await row.locator('.code').textContent()).toBe(HOSTILE);
    expect(await page.locator('[data-test=source-panel] img').count()).toBe(0);
    expect(await page.locator('[data-test=source-panel] script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.uncheck('[data-test=source-whole-file]');
  });

  it('opens the standard library from GOROOT through a top-table row, inlined calls included', async () => {
    await page.locator('[data-test=source-panel] .sp-code').click();
    await page.keyboard.press('Escape');
    await page.locator('[data-test=source-panel]').waitFor({ state: 'detached' });
    await page.click('[data-tab=top]');
    await page.fill('[data-test=top-filter]', '^runtime\\.mallocgcSmallScanNoHeader$');
    const row = page.locator('[data-test=top-table] .tbl-body .tbl-row').first();
    await expect
      .poll(() => page.locator('[data-test=top-table] .tbl-body .tbl-row').count(), {
        timeout: 20_000,
      })
      .toBe(1);
    expect(await row.locator('.name').textContent()).toMatch(/^runtime\.mallocgc/);
    await row.hover();
    await row.locator('[data-test=top-source]').click();
    await page.locator('[data-test=source-found]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-test=source-found]').textContent()).toContain('GOROOT');
    const gorootSrc = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const want = pprofLines(
      runPprof([
        '-list=^runtime\\.mallocgcSmallScanNoHeader$',
        `-source_path=${gorootSrc}/src`,
        cpuFile,
      ]),
    );
    expect(await panelLines()).toEqual(want.lines);
    // It calls functions the compiler inlined: each is listed under its call line.
    const inlined = await page.$$eval('[data-test=source-inlined]', (rows) =>
      rows.map((r) => {
        let line = r.previousElementSibling;
        while (line && line.getAttribute('data-test') !== 'source-row')
          line = line.previousElementSibling;
        return { under: Number(line?.getAttribute('data-line') ?? 0), text: r.textContent ?? '' };
      }),
    );
    expect(inlined.length).toBeGreaterThan(0);
    // `go tool pprof -raw`: heapSetTypeNoHeader (mbitmap.go:709) inlined at malloc.go:1540.
    const heapSet = inlined.find((i) => i.text.includes('runtime.heapSetTypeNoHeader'));
    expect(heapSet).toMatchObject({ under: 1540 });
    expect(heapSet!.text).toContain('mbitmap.go:709');
    await shoot('source-goroot-inlined');
    await page.click('[data-test=source-close]');
  });

  it('shows before and after per line side by side in Compare', async () => {
    const snap = (text: string) =>
      page.locator('[data-test=snapshot-list] .snap', { hasText: text });
    await snap('orders-after-cpu').hover();
    await snap('orders-after-cpu').locator('[data-test=compare-previous]').click();
    const after = await waitForHook<Pane>(
      page,
      'compare:after',
      (p) =>
        p.drawnVersion === p.version &&
        p.drawn > 0 &&
        p.items.some((i) => i.name === 'main.scoreFraud' && !i.merged),
    );
    const it = after.items.find((i) => i.name === 'main.scoreFraud' && !i.merged)!;
    const box = await page.locator('[data-test=compare-pane-after] .flame-chart').boundingBox();
    if (!box) throw new Error('no after pane');
    const { x0, x1 } = after.window;
    const mid = (Math.max(it.x, x0) + Math.min(it.x + it.width, x1)) / 2;
    await page.mouse.click(
      box.x + ((mid - x0) / (x1 - x0)) * box.width,
      box.y + AXIS + it.depth * ROW + ROW / 2,
      { button: 'right' },
    );
    await page.click('[data-test=context-menu] [data-action=source]');
    await page.locator('[data-test=source-found]').waitFor({ timeout: 20_000 });
    const demo = join(ROOT, 'resources', 'demo');
    const list = (side: string) =>
      pprofLines(
        runPprof([
          '-list=^main\\.scoreFraud$',
          `-source_path=${orders}`,
          join(demo, `orders-${side}-cpu.pb.gz`),
        ]),
      ).lines;
    const rows = await page.$$eval('[data-test=source-row]', (rs) =>
      rs.map((r) => ({
        line: Number(r.getAttribute('data-line')),
        before: [r.querySelector('.bflat')?.textContent, r.querySelector('.bcum')?.textContent],
        after: [r.querySelector('.flat')?.textContent, r.querySelector('.cum')?.textContent],
      })),
    );
    const byLine = new Map(rows.map((r) => [r.line, r]));
    for (const [side, want] of [
      ['before', list('before')],
      ['after', list('after')],
    ] as const) {
      expect(want.length).toBeGreaterThan(0);
      for (const l of want) {
        const r = byLine.get(l.line);
        expect(r, `${side} line ${l.line}`).toBeDefined();
        expect(r![side], `${side} line ${l.line}`).toEqual([l.flat, l.cum]);
      }
    }
    // The two sides differ somewhere: the after build spends more in fraud scoring.
    expect(rows.some((r) => r.before.join() !== r.after.join())).toBe(true);
    await shoot('source-compare');
    await page.click('[data-test=source-close]');
  });

  it("opens from a contention row, with the block profile's delay per line", async () => {
    await page
      .locator('[data-test=snapshot-list] .snap', { hasText: 'orders-before-block.pb.gz' })
      .click();
    await page.click('[data-tab=contention]');
    const row = page.locator('[data-test=contention-table] .tbl-body .tbl-row').first();
    await row.waitFor({ timeout: 20_000 });
    const site = (await row.locator('.name').textContent()) ?? '';
    await row.hover();
    await row.locator('[data-test=contention-source]').click();
    await page.locator('[data-test=source-found]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-test=source-panel] .sp-name').textContent()).toBe(site);
    const file = join(ROOT, 'resources', 'demo', 'orders-before-block.pb.gz');
    const esc = site.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    // The panel shows the profile's default sample type (delay), as pprof does.
    const want = pprofLines(runPprof([`-list=^${esc}$`, `-source_path=${orders}`, file]));
    expect(await panelLines()).toEqual(want.lines);
    expect(problems).toEqual([]);
  });
});

// The Compare tab in Chromium against `pprof-studio serve`, on the demo before/after
// snapshots of the real Go target: choosing the pair (compare with previous, drag onto the
// slots, Ctrl+click picks), side by side in lock-step (zoom, hover, search, pivot) checked
// from chart state, the diff flame graph and its legend, the diff table against
// `go tool pprof -top -diff_base`, the comparability guard, heap and goroutine diffs.
// Screenshots of every view in both themes go to test-results/.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  launchChromium,
  readHook,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { findGo } from '../helpers/go-target';
import { runPprof } from '../helpers/pprof-raw';

interface Item {
  name: string | null;
  node: number;
  depth: number;
  x: number;
  width: number;
  total: number;
  color: number;
  merged: boolean;
  match: boolean;
}
interface Pane {
  pane: string;
  version: number;
  drawnVersion: number;
  window: { x0: number; x1: number };
  drawnWindow: { x0: number; x1: number };
  drawn: number;
  hoverNode: number;
  hoverItem: number;
  items: Item[];
  /** The outlines ECharts displays (the hover series' rect), with their sizes. */
  outlines: Array<{ width: number; height: number }>;
}
interface CompareState {
  status: string;
  error: string | null;
  before: string | null;
  after: string | null;
  mode: string;
  findings: { kind: string; severity: string; message: string }[];
  palette: string;
  normalization: string;
  trees: {
    version: number;
    beforeTotal: number;
    afterTotal: number;
    legend: string;
    noiseRule: boolean;
    onlyBeforeCount: number;
    onlyAfterCount: number;
    onlyBefore: { path: string[]; total: number }[];
    pivot: string;
    fullWindows: Record<string, { x0: number; x1: number }>;
  } | null;
  windows: Record<string, { x0: number; x1: number }>;
  anchor: number;
  zoomPath: string[];
  hoverNode: number;
  search: { beforeTotal: number; afterTotal: number; matchedNames: number } | null;
}
interface TableState {
  loaded: boolean;
  pprofTotal: number;
  rowCount: number;
  filter: string;
  rows: {
    name: string;
    beforeFlat: number;
    afterFlat: number;
    beforeCum: number;
    afterCum: number;
    deltaFlatPct: string;
    deltaCumPct: string;
  }[];
}

const DEMO = join(ROOT, 'resources', 'demo');
const TESTDATA = join(ROOT, 'test', 'unit', 'goroutines', 'testdata');
const AXIS = 22;
const ROW = 18;

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let tmp: string;
const problems: string[] = [];

const compare = () => readHook<CompareState>(page, 'compare');

async function compareState(ok: (s: CompareState) => boolean): Promise<CompareState> {
  return waitForHook<CompareState>(page, 'compare', ok);
}

/** A pane whose drawing is current (its tree version and window). */
async function pane(name: string, ok: (p: Pane) => boolean = () => true): Promise<Pane> {
  return waitForHook<Pane>(
    page,
    `compare:${name}`,
    (p) =>
      p.drawnVersion === p.version &&
      p.drawn > 0 &&
      p.drawnWindow.x0 === p.window.x0 &&
      p.drawnWindow.x1 === p.window.x1 &&
      ok(p),
  );
}

/** Page coordinates of the middle of a drawn item. */
async function pointOf(name: string, p: Pane, it: Item): Promise<{ x: number; y: number }> {
  const box = await page.locator(`[data-test=compare-pane-${name}] .flame-chart`).boundingBox();
  if (!box) throw new Error(`no ${name} pane on the page`);
  const { x0, x1 } = p.window;
  const a = Math.max(it.x, x0);
  const b = Math.min(it.x + it.width, x1);
  return {
    x: box.x + (((a + b) / 2 - x0) / (x1 - x0)) * box.width,
    y: box.y + AXIS + it.depth * ROW + ROW / 2,
  };
}

function row(text: string) {
  return page.locator('[data-test=snapshot-list] .snap', { hasText: text });
}

async function openCompareTab(): Promise<void> {
  await page.click('[data-tab=compare]');
  await page.waitForSelector('[data-test=compare-view]');
}

async function setTheme(t: 'light' | 'dark'): Promise<void> {
  await page.click(`[data-theme-choice=${t}]`);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(t);
}

/** Takes the screenshot in the light and the dark theme, back to light after. */
async function shots(name: string, ready: () => Promise<unknown>): Promise<void> {
  for (const t of ['light', 'dark'] as const) {
    await setTheme(t);
    await ready();
    await page.waitForTimeout(150);
    await page.screenshot({ path: screenshotPath(`${name}-${t}`) });
  }
  await setTheme('light');
}

/** `go tool pprof -top` rows in unscaled units. */
function parseTop(
  text: string,
): Map<string, { flat: number; flatPct: string; cum: number; cumPct: string }> {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(l));
  const out = new Map<string, { flat: number; flatPct: string; cum: number; cumPct: string }>();
  for (const line of lines.slice(head + 1)) {
    const m =
      /^\s*(-?\d+)[A-Za-z]*\s+(\S+%)\s+\S+%\s+(-?\d+)[A-Za-z]*\s+(\S+%)\s+(.+?)( \(inline\))?$/.exec(
        line,
      );
    if (m) out.set(m[5], { flat: Number(m[1]), flatPct: m[2], cum: Number(m[3]), cumPct: m[4] });
  }
  return out;
}

describe('the Compare tab in Chromium', () => {
  beforeAll(async () => {
    findGo();
    tmp = mkdtempSync(join(tmpdir(), 'pprof-studio-compare-e2e-'));
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list] .snap');
    // The demo snapshots seeded on first run (before and after groups of the Go target).
    await page.waitForFunction(
      () => document.querySelectorAll('[data-test=snapshot-list] .snap').length >= 12,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('compares a snapshot with the previous one of its kind and target', async () => {
    await row('orders-after-cpu').hover();
    await row('orders-after-cpu').locator('[data-test=compare-previous]').click();
    const s = await compareState((x) => x.status === 'ready' && x.trees !== null);
    expect(s.before).toBe('orders-before-cpu.pb.gz');
    expect(s.after).toBe('orders-after-cpu.pb.gz');
    expect(s.mode).toBe('side');
    expect(s.trees!.noiseRule).toBe(true);
    expect(await page.locator('[data-tab=compare]').getAttribute('aria-selected')).toBe('true');
  });

  it('draws before and after side by side, the after pane in the before pane’s order', async () => {
    const b = await pane('before');
    const a = await pane('after');
    const s = (await compare())!;
    // One scale for both panes: the after profile is smaller, so its root is narrower.
    expect(b.window).toEqual(s.trees!.fullWindows.before);
    const rootB = b.items.find((i) => i.node === 0)!;
    const rootA = a.items.find((i) => i.node === 0)!;
    expect(rootB.total).toBe(s.trees!.beforeTotal);
    expect(rootA.total).toBe(s.trees!.afterTotal);
    expect(s.trees!.afterTotal).toBeLessThan(s.trees!.beforeTotal);
    expect(rootA.width / (a.window.x1 - a.window.x0)).toBeLessThan(
      rootB.width / (b.window.x1 - b.window.x0),
    );
    // Per depth, frames drawn in both panes come in the same left-to-right order.
    let compared = 0;
    const maxDepth = Math.max(...b.items.map((i) => i.depth));
    for (let d = 1; d <= maxDepth; d++) {
      const inA = new Set(a.items.filter((i) => i.depth === d && !i.merged).map((i) => i.node));
      const orderB = b.items
        .filter((i) => i.depth === d && !i.merged && inA.has(i.node))
        .sort((x, y) => x.x - y.x)
        .map((i) => i.node);
      const orderA = a.items
        .filter((i) => i.depth === d && !i.merged && orderB.includes(i.node))
        .sort((x, y) => x.x - y.x)
        .map((i) => i.node);
      expect(orderA, `depth ${d}`).toEqual(orderB);
      if (orderB.length > 1) compared++;
    }
    expect(compared).toBeGreaterThan(0);
    // The fix removed the schema parsing: listed as before-only instead of a zero-width box.
    expect(s.trees!.onlyBefore.some((f) => f.path[f.path.length - 1] === 'main.parseSchema')).toBe(
      true,
    );
    await expect
      .poll(() => page.locator('[data-test=only-before]').textContent())
      .toContain('main.parseSchema');
    await shots('compare-side-by-side', () => pane('after'));
  });

  it('zooms both panes to the clicked frame, checked from chart state', async () => {
    const b = await pane('before');
    const target = b.items.find((i) => i.name === 'main.(*service).processOrder' && !i.merged)!;
    expect(target).toBeDefined();
    const pt = await pointOf('before', b, target);
    await page.mouse.click(pt.x, pt.y);
    const s = await compareState((x) => x.anchor === target.node);
    expect(s.zoomPath[s.zoomPath.length - 1]).toBe('main.(*service).processOrder');
    const zb = await pane('before', (p) => p.window.x0 === target.x);
    const za = await pane('after', (p) => p.window.x0 === s.windows.after!.x0);
    // Both windows start at the same frame, each in its own layout.
    const inAfter = za.items.find((i) => i.node === target.node)!;
    expect(inAfter).toBeDefined();
    expect(za.window.x0).toBe(inAfter.x);
    expect(zb.window.x0).toBe(target.x);
    // At one scale: the window spans the larger side of the frame in both panes.
    const span = Math.max(target.total, inAfter.total);
    expect(zb.window.x1 - zb.window.x0).toBeCloseTo(span, 0);
    expect(za.window.x1 - za.window.x0).toBeCloseTo(span, 0);
    await expect
      .poll(() => page.locator('[data-test=compare-breadcrumb] button.last').textContent())
      .toContain('main.(*service).processOrder');
    await page.screenshot({ path: screenshotPath('compare-side-by-side-zoomed') });
  });

  it('follows a wheel zoom in one pane with the other, through the frame under it', async () => {
    const before = (await compare())!.windows;
    const a = await pane('after');
    const box = (await page.locator('[data-test=compare-pane-after] .flame-chart').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + 120);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    const s = await compareState(
      (x) =>
        x.windows.after!.x1 - x.windows.after!.x0 < a.window.x1 - a.window.x0 &&
        x.windows.before!.x0 !== before.before!.x0,
    );
    const wa = s.windows.after!;
    const wb = s.windows.before!;
    // The same span in both (one scale), at the same offset within the anchor frame.
    expect(wb.x1 - wb.x0).toBeCloseTo(wa.x1 - wa.x0, 0);
    await pane('before', (p) => p.window.x0 === wb.x0 && p.window.x1 === wb.x1);
    await page.click('[data-test=compare-reset-zoom]');
    const r = await compareState((x) => x.anchor === 0 && x.windows.before!.x0 === 0);
    expect(r.windows).toEqual(r.trees!.fullWindows);
  });

  it('hovers in step: the frame under the pointer is outlined in the other pane too', async () => {
    const b = await pane('before');
    const target = b.items.find((i) => i.name === 'main.scoreFraud' && !i.merged)!;
    const pt = await pointOf('before', b, target);
    await page.mouse.move(pt.x, pt.y);
    const a = await pane(
      'after',
      (p) => p.hoverNode === target.node && p.hoverItem >= 0 && p.outlines.length === 1,
    );
    expect(a.items[a.hoverItem].node).toBe(target.node);
    // The outline drawn in the other pane has the row's height (18 px less its 2 px gap).
    expect(a.outlines[0].height).toBeCloseTo(16, 0);
    await page.screenshot({ path: screenshotPath('compare-hover-in-step') });
    const tip = page.locator('[data-test=compare-tooltip]');
    await expect.poll(() => tip.textContent()).toContain('main.scoreFraud');
    expect(await tip.textContent()).toMatch(/before\s*after\s*change/);
    await page.mouse.move(2, 2);
    await compareState((x) => x.hoverNode === -1);
    await pane('after', (p) => p.hoverItem === -1 && p.outlines.length === 0);
  });

  it('searches both panes at once', async () => {
    await page.fill('[data-test=compare-search]', 'main\\.scoreFraud');
    await page.press('[data-test=compare-search]', 'Enter');
    const s = await compareState((x) => x.search !== null);
    expect(s.search!.matchedNames).toBe(1);
    expect(s.search!.beforeTotal).toBeGreaterThan(0);
    expect(s.search!.afterTotal).toBeGreaterThan(s.search!.beforeTotal);
    for (const name of ['before', 'after']) {
      const p = await pane(name, (x) => x.items.some((i) => i.match));
      expect(
        p.items.filter((i) => i.match).every((i) => i.name === 'main.scoreFraud' || i.merged),
      ).toBe(true);
    }
    await page.fill('[data-test=compare-search]', '');
    await page.press('[data-test=compare-search]', 'Enter');
    await compareState((x) => x.search === null);
  });

  it('pivots both panes on a function from the context menu', async () => {
    const b = await pane('before');
    const target = b.items.find((i) => i.name === 'main.(*service).processOrder' && !i.merged)!;
    const pt = await pointOf('before', b, target);
    await page.mouse.click(pt.x, pt.y, { button: 'right' });
    await page.click('[data-test=context-menu] [data-action=pivot]');
    const s = await compareState((x) => x.trees?.pivot === 'main.(*service).processOrder');
    for (const name of ['before', 'after']) {
      const p = await pane(name, (x) => x.version === s.trees!.version);
      expect(p.items.filter((i) => i.depth === 1).map((i) => i.name)).toEqual([
        'main.(*service).processOrder',
      ]);
    }
    await page.click('[data-test=pivot-chip] button');
    await compareState((x) => x.trees !== null && x.trees.pivot === '');
  });

  it('draws the diff flame graph with a legend naming the normalization, and a colour-blind palette', async () => {
    await page.click('[data-mode=diff]');
    const d = await pane('diff');
    const s = (await compare())!;
    const root = d.items.find((i) => i.node === 0)!;
    // Width from the combined value: before + after.
    expect(root.total).toBe(s.trees!.beforeTotal + s.trees!.afterTotal);
    const legend = page.locator('[data-test=diff-legend]');
    await expect.poll(() => legend.textContent()).toContain('Normalization: absolute');
    expect(await legend.textContent()).toContain('noise (within 2√n samples)');
    // Colours come from the change: the removed schema parsing is "removed", scoreFraud grew.
    expect(d.items.find((i) => i.name === 'main.parseSchema')!.color).toBe(22);
    expect(d.items.find((i) => i.name === 'main.scoreFraud')!.color).toBeGreaterThanOrEqual(12);
    await shots('compare-diff-flame', () => pane('diff'));
    await page.click('[data-norm=per-second]');
    await expect.poll(() => legend.textContent()).toContain('Normalization: per second');
    await page.click('[data-norm=share]');
    await expect.poll(() => legend.textContent()).toContain('Normalization: share of total');
    await pane(
      'diff',
      (p) => p.version === (s.trees!.version as number) + 2 || p.version > s.trees!.version,
    );
    await page.check('[data-test=colorblind]');
    await compareState((x) => x.palette === 'colorblind');
    await pane('diff');
    await page.screenshot({ path: screenshotPath('compare-diff-flame-colorblind-share-light') });
    await page.uncheck('[data-test=colorblind]');
    await page.click('[data-norm=absolute]');
    await compareState(
      (x) => x.normalization === 'absolute' && x.trees?.legend.includes('absolute') === true,
    );
  });

  it('lists the diff table with the numbers of go tool pprof -top -diff_base', async () => {
    await page.click('[data-mode=table]');
    const t = await waitForHook<TableState>(
      page,
      'compare:table',
      (x) => x.loaded && x.rows.length > 0,
    );
    const want = parseTop(
      runPprof([
        '-top',
        '-nodecount=1000000',
        '-nodefraction=0',
        '-edgefraction=0',
        '-sample_index=cpu',
        '-unit=ns',
        `-diff_base=${join(DEMO, 'orders-before-cpu.pb.gz')}`,
        join(DEMO, 'orders-after-cpu.pb.gz'),
      ]),
    );
    expect(want.size).toBeGreaterThan(10);
    let checked = 0;
    for (const r of t.rows) {
      const w = want.get(r.name);
      if (!w) {
        expect(r.afterFlat - r.beforeFlat).toBe(0);
        expect(r.afterCum - r.beforeCum).toBe(0);
        continue;
      }
      expect({ flat: r.afterFlat - r.beforeFlat, cum: r.afterCum - r.beforeCum }, r.name).toEqual({
        flat: w.flat,
        cum: w.cum,
      });
      expect(r.deltaFlatPct.replace(/^[+−]/, '')).toBe(w.flatPct);
      expect(r.deltaCumPct.replace(/^[+−]/, '')).toBe(w.cumPct);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    // Sorted by |Δ cum|.
    const d = t.rows.map((r) => Math.abs(r.afterCum - r.beforeCum));
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeLessThanOrEqual(d[i - 1]);
    await page.fill('[data-test=diff-table-filter]', '^main\\.');
    const f = await waitForHook<TableState>(
      page,
      'compare:table',
      (x) => x.filter === '^main\\.' && x.loaded && x.rowCount < t.rowCount,
    );
    expect(f.rows.every((r) => r.name.startsWith('main.'))).toBe(true);
    await page.screenshot({ path: screenshotPath('compare-diff-table-light') });
    await page.fill('[data-test=diff-table-filter]', '');
  });

  it('warns visibly when a profile is not comparable (a mutex profile without a rate)', async () => {
    await page.setInputFiles(
      '[data-test=file-input]',
      join(ROOT, 'test', 'fixtures', 'no-rates', 'mutex.pb.gz'),
    );
    await expect.poll(() => row('mutex.pb.gz').count()).toBeGreaterThan(0);
    const id = (text: string) =>
      page
        .locator('[data-test=snapshot-list] .snap', { hasText: text })
        .first()
        .getAttribute('data-id');
    const noRates = (await page
      .locator('[data-test=snapshot-list] .snap .name', { hasText: /^mutex\.pb\.gz$/ })
      .locator('..')
      .getAttribute('data-id'))!;
    await openCompareTab();
    await page.selectOption('[data-test=slot-before]', (await id('orders-before-mutex'))!);
    await page.selectOption('[data-test=slot-after]', noRates);
    const s = await compareState((x) => x.status === 'ready' && x.after === 'mutex.pb.gz');
    const f = s.findings.find((x) => x.kind === 'empty-contention');
    expect(f?.message).toContain('SetMutexProfileFraction');
    const banner = page.locator('[data-test=comparability]');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('rate was probably never set');
    await page.screenshot({ path: screenshotPath('compare-guard-light') });
  });

  it('diffs heap profiles dropped onto the slots: retention and churn, by function and path', async () => {
    await row('orders-before-heap').dragTo(page.locator('.cmp-slot[data-slot=before]'));
    await row('orders-after-heap').dragTo(page.locator('.cmp-slot[data-slot=after]'));
    await compareState(
      (x) =>
        x.status === 'ready' &&
        x.before === 'orders-before-heap.pb.gz' &&
        x.after === 'orders-after-heap.pb.gz',
    );
    await page.click('[data-mode=heap]');
    const h = await waitForHook<{
      loaded: boolean;
      rows: { name: string; change: string; direction: string }[];
      counts: Record<string, number>;
    }>(page, 'compare:heap', (x) => x.loaded);
    // The fix keeps 4 receipts instead of all: main.renderReceipt's in-use memory fell.
    const receipt = h.rows.find((r) => r.name === 'main.renderReceipt');
    expect(receipt).toMatchObject({ change: 'retention', direction: 'down' });
    expect(h.counts.churnDown).toBeGreaterThan(0);
    await shots('compare-heap-diff', () =>
      waitForHook(page, 'compare:heap', (x: { loaded: boolean }) => x.loaded),
    );
    await page.click('[data-test=heap-view-paths]');
    await expect
      .poll(() => page.locator('[data-test=heap-paths] tbody tr').count())
      .toBeGreaterThan(0);
  });

  it('flags heap leak suspects over three picked snapshots', async () => {
    await page.setInputFiles(
      '[data-test=file-input]',
      [1, 2, 3].map((i) => join(TESTDATA, `heap-${i}.pb.gz`)),
    );
    await expect.poll(() => row('heap-3.pb.gz').count()).toBe(1);
    for (const i of [1, 2, 3]) await row(`heap-${i}.pb.gz`).click({ modifiers: ['Control'] });
    await page.click('[data-test=compare-picked]');
    await compareState(
      (x) => x.status === 'ready' && x.before === 'heap-1.pb.gz' && x.after === 'heap-3.pb.gz',
    );
    await page.click('[data-mode=heap]');
    await page.click('[data-test=heap-view-trend]');
    const h = await waitForHook<{ trend: { names: string[]; suspects: string[] } | null }>(
      page,
      'compare:heap',
      (x) => x.trend !== null,
    );
    expect(h.trend!.names).toEqual(['heap-1.pb.gz', 'heap-2.pb.gz', 'heap-3.pb.gz']);
    expect(h.trend!.suspects).toContain('main.retain');
    expect(h.trend!.suspects).not.toContain('main.churn');
    await page.screenshot({ path: screenshotPath('compare-heap-trend-light') });
  });

  it('diffs goroutines: the demo leak vanished after the fix', async () => {
    await row('orders-before-goroutine').click({ modifiers: ['Control'] });
    await row('orders-after-goroutine').click({ modifiers: ['Control'] });
    await page.click('[data-test=compare-picked]');
    await compareState((x) => x.status === 'ready' && x.before === 'orders-before-goroutine.pb.gz');
    await page.click('[data-mode=goroutines]');
    const g = await waitForHook<{
      loaded: boolean;
      totals: number[];
      rows: { title: string; counts: number[]; change: string }[];
    }>(page, 'compare:goroutines', (x) => x.loaded && x.totals?.length === 2);
    expect(g.totals[0] - g.totals[1]).toBe(37);
    expect(g.rows.find((r) => r.title === 'main.(*notifier).awaitAck')).toMatchObject({
      counts: [37, 0],
      change: 'vanished',
    });
  });

  it('diffs debug=2 goroutine dumps: a growing, long-waiting group is a leak suspect', async () => {
    // Copies with distinct names, so they are told apart from any other dump in the library.
    const files = ['early', 'late'].map((w) => {
      const p = join(tmp, `orders-goroutines-${w}.txt`);
      writeFileSync(p, readFileSync(join(TESTDATA, `goroutine-${w}-debug2.txt`)));
      return p;
    });
    await page.setInputFiles('[data-test=file-input]', files[0]);
    await expect.poll(() => row('orders-goroutines-early.txt').count()).toBe(1);
    await page.setInputFiles('[data-test=file-input]', files[1]);
    await expect.poll(() => row('orders-goroutines-late.txt').count()).toBe(1);
    // "Compare with previous" pairs the late dump with the early one (same kind, no target).
    await row('orders-goroutines-late.txt').hover();
    await row('orders-goroutines-late.txt').locator('[data-test=compare-previous]').click();
    const s = await compareState(
      (x) => x.status === 'ready' && x.after === 'orders-goroutines-late.txt',
    );
    expect(s.before).toBe('orders-goroutines-early.txt');
    expect(s.mode).toBe('goroutines');
    await page.fill('[data-test=long-wait]', '2');
    const g = await waitForHook<{
      formats: string[];
      suspects: number;
      rows: {
        title: string;
        counts: number[];
        change: string;
        leakSuspect: boolean;
        longWaiting: (number | null)[];
      }[];
    }>(
      page,
      'compare:goroutines',
      (x: { rows: { title: string; longWaiting: (number | null)[] }[] } & object) =>
        (x.rows ?? []).some(
          (r) => r.title === 'main.(*notifier).awaitAck' && r.longWaiting[1] === 37,
        ),
    );
    expect(g.formats).toEqual(['debug2', 'debug2']);
    const leak = g.rows.find((r) => r.title === 'main.(*notifier).awaitAck')!;
    expect(leak).toMatchObject({ counts: [37, 48], change: 'grew', leakSuspect: true });
    expect(g.suspects).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-test=goroutine-suspects]').textContent())
      .toContain('main.(*notifier).awaitAck');
    await shots('compare-goroutine-diff', () =>
      waitForHook(page, 'compare:goroutines', (x: { loaded: boolean }) => x.loaded),
    );
  });

  it('raised no page errors', () => {
    expect(problems).toEqual([]);
  });
});

// User tasks, thread lanes and trace-against-trace in Chromium against `pprof-studio serve`,
// on the demo trace (orders-before-trace.out) and the after fixture, both written by the Go
// target test/targets/orders (an "order" task with five regions and a tenant log per order):
//   - the User tasks panel lists the task and region types with the counts, complete counts and
//     percentiles of Go's reader (test/oracles/trace/cmd/figures), and a type's histogram;
//   - clicking a task filters the lanes to its goroutines and zooms to its window, where its
//     regions, task line and log marks are drawn; log search finds the tenant messages;
//   - the thread view has one lane per M that Go's "by thread" view has; a click on a slice
//     shows that goroutine's lane;
//   - Compare → Traces gives both summaries, the overlaid latency histogram and MMU curves.
// Screenshots at 1280×800 and 1440×900, light and dark, go to /work/shots/traceb (or
// test-results/ when that folder is not there).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestRank } from '../../core/trace/annotations';
import { traceSummary } from '../../core/trace/compare';
import { parseTrace } from '../../core/trace/parse';
import {
  ROOT,
  launchChromium,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { buildGoTool, oracleFigures, type OracleFigures } from '../unit/trace/go-oracle';

const TRACE = 'orders-before-trace.out';
const AFTER = 'orders-after-trace.out';
const BEFORE_FILE = join(ROOT, 'test/fixtures/before/trace.out');
const AFTER_FILE = join(ROOT, 'test/fixtures/after/trace.out');
const SHOTS = '/work/shots/traceb';

interface TimelineHook {
  status: string;
  filter: string;
  laneMode: string;
  lanes: { version: number; mode: string; length: number; goroutineLanes: number } | null;
  highlightLane: number;
  view: {
    window: { t0: number; t1: number };
    drawnWindow: { t0: number; t1: number };
    laneCount: number;
    laneMode: string;
    frameLanesVersion: number;
    visibleTitles: string[];
    marks: {
      regions: number;
      tasks: number;
      logs: number;
      taskMark: { id: number; x: number; y: number } | null;
    } | null;
    spans: { ref: number; lane: number; x: number; y: number; width: number }[];
  } | null;
  tasks: {
    tasks?: {
      type: string;
      count: number;
      complete: number;
      p50: number;
      p99: number;
      bars: number;
    }[];
    regions?: { type: string; count: number }[];
    logs: number;
    picked: { kind: string; type: string } | null;
    taskRows: number;
    logMatches: number | null;
  } | null;
}

interface TraceCompareHook {
  ready: boolean;
  error: string | null;
  rows: { metric: string; before: number; after: number }[];
  mmu: { windowNs: number; before: number; after: number }[];
  latency: { buckets: number; before: number; after: number } | null;
  mmuPoints: number[] | null;
  functions: number;
}

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let before: OracleFigures;
const problems: string[] = [];

function shot(name: string): string {
  if (existsSync('/work/shots')) {
    mkdirSync(SHOTS, { recursive: true });
    return join(SHOTS, `${name}.png`);
  }
  return screenshotPath(`traceb-${name}`);
}

const timeline = (ok: (s: TimelineHook) => boolean, ms = 60_000) =>
  waitForHook<TimelineHook>(page, 'timeline', ok, ms);

/** Drawn for the current window and lane list. */
function settled(s: TimelineHook): boolean {
  const v = s.view;
  return (
    s.status === 'ready' &&
    !!v &&
    !!s.lanes &&
    v.frameLanesVersion === s.lanes.version &&
    v.drawnWindow.t0 === v.window.t0 &&
    v.drawnWindow.t1 === v.window.t1
  );
}

async function settle(ok: (s: TimelineHook) => boolean = () => true): Promise<TimelineHook> {
  const s = await timeline((x) => settled(x) && ok(x));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  return s;
}

async function setTheme(t: 'light' | 'dark'): Promise<void> {
  await page.click(`[data-theme-choice=${t}]`);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(t);
}

/** Screenshots at both sizes in both themes; `ready` waits until the view is drawn again. */
async function shots(name: string, ready: () => Promise<unknown>): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const t of ['light', 'dark'] as const) {
      await setTheme(t);
      await ready();
      await page.waitForTimeout(300);
      await page.screenshot({ path: shot(`${name}-${w}x${h}-${t}`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await setTheme('light');
}

async function pick(name: string): Promise<void> {
  await page
    .locator('li.snap')
    .filter({
      has: page.locator('.name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }),
    })
    .first()
    .click();
  await expect
    .poll(() => page.locator('[data-test=current-snapshot] .name').textContent(), {
      timeout: 20_000,
    })
    .toBe(name);
}

describe('user tasks, threads and trace compare in Chromium', () => {
  beforeAll(async () => {
    await buildGoTool('./cmd/figures');
    before = await oracleFigures(BEFORE_FILE);
    serve = await startServe();
    const r = await fetch(`${serve.origin}/api/importSnapshot?name=${encodeURIComponent(AFTER)}`, {
      method: 'POST',
      headers: { 'x-pprof-studio-token': serve.token, 'content-type': 'application/octet-stream' },
      body: readFileSync(AFTER_FILE),
    });
    expect(((await r.json()) as { ok: boolean }).ok).toBe(true);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
    await page.click('[data-theme-choice=light]');
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it("lists task and region types with Go's counts and percentiles", async () => {
    await pick(TRACE);
    await page.click('[data-tab=timeline]');
    await settle();
    await page.click('[data-panel=tasks]');
    const s = await timeline((x) => (x.tasks?.tasks?.length ?? 0) > 0 && x.tasks!.taskRows > 0);
    const want = before.tasks.map((t) => ({
      type: t.type,
      count: t.count,
      complete: t.durations.length,
      p50: nearestRank(t.durations, 0.5),
      p99: nearestRank(t.durations, 0.99),
      bars: t.histogram.buckets.length,
    }));
    expect(s.tasks!.tasks).toEqual(want);
    expect(s.tasks!.regions!.map((r) => r.type)).toEqual(before.regions.map((r) => r.type));
    expect(s.tasks!.logs).toBe(before.logs);
    expect(s.tasks!.picked).toEqual({ kind: 'task', type: 'order' });
    const cell = page.locator('[data-task-type=order] [data-col=count]');
    expect((await cell.textContent())?.trim()).toBe(String(before.tasks[0].count));
    await shots('tasks-table', () =>
      timeline((x) => (x.tasks?.taskRows ?? 0) > 0 && x.status === 'ready'),
    );
  });

  it('a task click shows its goroutines and window, with its regions, line and log marks', async () => {
    await page.locator('[data-test=task-list] .tl-row').first().click();
    const s = await settle((x) => /^task \d+$/.test(x.filter) && (x.view?.marks?.regions ?? 0) > 0);
    expect(s.lanes!.goroutineLanes).toBeGreaterThan(0);
    const m = s.view!.marks!;
    expect(m.tasks).toBeGreaterThan(0);
    expect(m.logs).toBeGreaterThan(0);
    // The window is the task's, padded by 5% on each side.
    const span = s.view!.window.t1 - s.view!.window.t0;
    expect(span).toBeLessThan(1.2e9);
    await shots('task-lanes', () => settle((x) => /^task \d+$/.test(x.filter)));
    // Log search: the tenant of one log finds its messages.
    const all = await timeline((x) => x.tasks?.logMatches === before.logs);
    expect(all.tasks!.logs).toBe(before.logs);
    await page.fill('[data-test=log-search]', 'no such tenant anywhere');
    await timeline((x) => x.tasks?.logMatches === 0);
    await page.fill('[data-test=log-search]', '');
    await timeline((x) => x.tasks?.logMatches === before.logs);
    // Back to all goroutines.
    await page.fill('[data-test=timeline-filter]', '');
    await page.press('[data-test=timeline-filter]', 'Enter');
    await settle((x) => x.filter === '');
  });

  it("has a lane per thread as Go's by-thread view; a slice click shows its goroutine", async () => {
    await page.click('button:has-text("Fit")');
    await page.click('[data-test=lane-mode] [data-mode=threads]');
    const s = await settle((x) => x.lanes?.mode === 'threads' && x.view?.laneMode === 'threads');
    expect(s.view!.laneCount).toBe(before.threads.length);
    expect(s.view!.visibleTitles).toEqual(before.threads.map((t) => `M${t.thread}`));
    await shots('thread-view', () => settle((x) => x.lanes?.mode === 'threads'));
    const hit = s.view!.spans.find((h) => h.width >= 6)!;
    expect(hit).toBeDefined();
    await page.mouse.click(hit.x, hit.y);
    const back = await timeline((x) => x.laneMode === 'goroutines' && x.highlightLane >= 0);
    expect(back.lanes!.mode).toBe('goroutines');
  });

  it('compares the before and after traces side by side', async () => {
    await page.locator('[data-test=snapshot-list] .snap', { hasText: TRACE }).click({
      modifiers: ['Control'],
    });
    await page.locator('[data-test=snapshot-list] .snap', { hasText: AFTER }).click({
      modifiers: ['Control'],
    });
    await page.click('[data-test=compare-picked]');
    await page.click('[data-tab=compare]');
    await page.click('[data-mode=trace]');
    const c = await waitForHook<TraceCompareHook>(page, 'trace-compare', (x) => x.ready, 120_000);
    expect(c.error).toBeNull();
    // The picked pair is ordered by snapshot time: the after fixture was imported last.
    const b = traceSummary(parseTrace(readFileSync(BEFORE_FILE)));
    const a = traceSummary(parseTrace(readFileSync(AFTER_FILE)));
    const row = (m: string) => c.rows.find((r) => r.metric === m)!;
    expect(row('trace-duration')).toMatchObject({ before: b.durationNs, after: a.durationNs });
    expect(row('stw-max')).toMatchObject({ before: b.stwMaxNs, after: a.stwMaxNs });
    expect(row('trace-peak-goroutines')).toMatchObject({
      before: before.peakLiveGoroutines,
      after: a.burst.peak,
    });
    expect(row('sched-latency-p99')).toMatchObject({ before: b.schedP99Ns, after: a.schedP99Ns });
    expect(c.latency!.before).toBe(b.schedCount);
    expect(c.latency!.after).toBe(a.schedCount);
    expect(c.mmuPoints).toEqual([100, 100]);
    expect(c.mmu.map((m) => m.windowNs)).toEqual([1e6, 1e7, 1e8, 1e9]);
    expect(c.functions).toBeGreaterThan(5);
    await shots('trace-compare', () =>
      waitForHook<TraceCompareHook>(page, 'trace-compare', (x) => x.ready),
    );
    expect(problems).toEqual([]);
  });
});

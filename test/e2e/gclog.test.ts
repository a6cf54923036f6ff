// The GC tab in Chromium against `pprof-studio serve`, on real GODEBUG=gctrace=1 output of
// test/targets/orders in its two modes (before: allocation churn, a GC storm; after: fixed):
// a log imported by the file chooser, by drag and drop and by pasting text opens in the GC
// tab, whose figures equal core/gctrace's on the same bytes; the storm flag follows the
// threshold setting; a pasted log of two services interleaved (kubectl-style prefixes, one
// line cut short) gives two streams and names the unreadable line; the cycle table sorts in
// the Worker. Screenshots (1280×800 and 1440×900, light and dark) go to test-results/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGcTrace, summarizeGcTrace, type GcSummary } from '../../core/gctrace';
import {
  launchChromium,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { runWithGcTrace } from '../helpers/gctrace-run';
import { startTarget, type RunningTarget } from '../helpers/go-target';

interface GcState {
  ready: boolean;
  error: string | null;
  overview: {
    streams: { label: string; cycles: number; summary: GcSummary }[];
    otherLines: number;
    unreadable: { count: number; example: { line: number; text: string; reason: string } | null };
  } | null;
  stream: number;
  storm: boolean;
  stormPerSecond: number;
  figures: { id: string; value: string; raw: number | null }[];
  cycles: number;
  order: number[];
  /** The sort the shown order is for, "pause:desc". */
  orderOf: string;
}

interface GcCompareState {
  ready: boolean;
  error: string | null;
  sides: { slot: string; name: string; stream: number; summary: GcSummary }[];
  rows: { id: string; before: string; after: string; change: string; tone: string }[];
}

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let tmp: string;
let beforeLog: string;
let afterLog: string;
const problems: string[] = [];

async function gc(ok: (s: GcState) => boolean): Promise<GcState> {
  return waitForHook<GcState>(page, 'gclog', (s) => s.ready && ok(s), 30_000);
}

async function current(): Promise<string | null> {
  return page.locator('[data-test=current-snapshot] .name').textContent();
}

function expectFiguresOf(s: GcState, text: string): void {
  const want = summarizeGcTrace(readGcTrace(text).streams[0]);
  const got = s.overview!.streams[s.stream].summary;
  expect(got).toEqual(want);
  const raw = Object.fromEntries(s.figures.map((f) => [f.id, f.raw]));
  expect(raw.gcPerSecond).toBe(want.gcPerSecond);
  expect(raw.pauseTotal).toBe(want.pauseTotalMs);
  expect(raw.pauseMax).toBe(want.pauseMaxMs);
  expect(raw.heapGrowth).toBe(want.heapGrowthMBPerMin);
  expect(raw.heapGoal).toBe(want.heapGoalLastMB);
  expect(s.cycles).toBe(want.cycles);
}

async function shots(name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.click(`[data-theme-choice=${theme}]`);
    for (const [w, h] of [
      [1280, 800],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await gc(() => true);
      await page.waitForTimeout(300); // the chart redraws on resize in the next frame
      await page.screenshot({ path: screenshotPath(`gclog-${name}-${theme}-${w}x${h}`) });
    }
  }
  await page.click('[data-theme-choice=light]');
}

describe('GC tab in Chromium (real gctrace of orders before and after the fix)', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pprof-studio-e2e-gc-'));
    const [b, a] = [
      await runWithGcTrace({
        toolchain: 'local',
        mode: 'before',
        dir: join(tmp, 'b'),
        duration: '6s',
      }),
      await runWithGcTrace({
        toolchain: 'local',
        mode: 'after',
        dir: join(tmp, 'a'),
        duration: '6s',
      }),
    ];
    beforeLog = b.stderr;
    afterLog = a.stderr;
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
    await page.click('[data-theme-choice=light]');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('opens a GC log chosen with the file chooser in the GC tab, with core/gctrace figures', async () => {
    const file = join(tmp, 'orders-before-gc.log');
    writeFileSync(file, beforeLog);
    await page.setInputFiles('[data-test=file-input]', file);
    await expect.poll(current, { timeout: 20_000 }).toBe('orders-before-gc.log');
    await expect
      .poll(() => page.locator('[data-tab=gc]').getAttribute('aria-selected'))
      .toBe('true');
    const s = await gc((x) => x.overview !== null);
    expectFiguresOf(s, beforeLog);
    expect(s.overview!.unreadable.count).toBe(0);
    expect(await page.locator('[data-tab=flame]').isDisabled()).toBe(true);
    // The figures shown are the summary's.
    const shown = await page.locator('[data-test=gc-figures] [data-figure=cycles]').textContent();
    expect(shown).toMatch(new RegExp(`^${s.cycles}`));
  });

  it('Insights on the selected GC log find gc-pressure, and its link opens the GC tab', async () => {
    await page.click('[data-tab=insights]');
    await page.waitForSelector('[data-test=insights]');
    await page.selectOption('[data-test=insights-set]', 'selected');
    await page.click('[data-test=insights-run]');
    const h = await waitForHook<{
      status: string;
      error: string;
      findings: { kind: string; link: { tab: string } }[];
    }>(page, 'insights', (x) => x.status === 'done' || x.status === 'error', 60_000);
    expect(h.error).toBe('');
    expect(h.findings.find((f) => f.kind === 'gc-pressure')?.link.tab).toBe('gc');
    await page.locator('[data-test=finding-gc-pressure]').first().waitFor();
    for (const theme of ['light', 'dark'] as const) {
      await page.click(`[data-theme-choice=${theme}]`);
      for (const [w, ht] of [
        [1280, 800],
        [1440, 900],
      ] as const) {
        await page.setViewportSize({ width: w, height: ht });
        await page.screenshot({ path: screenshotPath(`gclog-insights-${theme}-${w}x${ht}`) });
      }
    }
    await page.click('[data-theme-choice=light]');
    await page.locator('[data-test=finding-gc-pressure] .finding-open').first().click();
    await expect
      .poll(() => page.locator('[data-tab=gc]').getAttribute('aria-selected'))
      .toBe('true');
    expect(await current()).toBe('orders-before-gc.log');
  });

  it('flags a storm above the threshold setting, and not below it', async () => {
    const s = await gc(() => true);
    const rate = s.overview!.streams[0].summary.gcPerSecond!;
    expect(rate).toBeGreaterThan(0);
    const below = Math.max(0.1, Math.floor((rate - 0.05) * 10) / 10);
    await page.fill('[data-test=gc-storm-threshold]', String(below));
    await page.press('[data-test=gc-storm-threshold]', 'Enter');
    await page.locator('[data-test=gc-storm-threshold]').blur();
    await gc((x) => x.stormPerSecond === below && x.storm);
    expect(await page.locator('[data-test=gc-storm]').textContent()).toMatch(
      /GC storm: .*\/s over/,
    );
    const above = Math.ceil((rate + 0.05) * 10) / 10;
    await page.fill('[data-test=gc-storm-threshold]', String(above));
    await page.locator('[data-test=gc-storm-threshold]').blur();
    await gc((x) => x.stormPerSecond === above && !x.storm);
    expect(await page.locator('[data-test=gc-storm]').count()).toBe(0);
    // Back to the default for the screenshots.
    await page.fill('[data-test=gc-storm-threshold]', '2');
    await page.locator('[data-test=gc-storm-threshold]').blur();
    await gc((x) => x.stormPerSecond === 2);
  });

  it('sorts the cycle table in the Worker: longest pause first', async () => {
    await page.click('[data-test=gc-cycles] [data-sort=pause]');
    const s = await gc((x) => x.orderOf === 'pause:desc');
    const c = readGcTrace(beforeLog).streams[0].cycles;
    const p = (i: number): number => c.sweepTermMs[i] + c.markTermMs[i];
    for (let k = 1; k < s.order.length; k++)
      expect(p(s.order[k - 1])).toBeGreaterThanOrEqual(p(s.order[k]));
    await expect
      .poll(() =>
        page.locator('[data-test=gc-cycles] .tbl-body .tbl-row').first().getAttribute('data-num'),
      )
      .toBe(String(c.num[s.order[0]]));
    await page.click('[data-test=gc-cycles] [data-sort=num]');
    await gc((x) => x.orderOf === 'num:asc');
  });

  it('screenshots of the storm (before)', async () => {
    const s = await gc(() => true);
    await shots(s.storm ? 'before-storm' : 'before');
  });

  it('opens a dropped GC log (after the fix)', async () => {
    const dt = await page.evaluateHandle(
      ({ text, name }) => {
        const t = new DataTransfer();
        t.items.add(new File([text], name, { type: 'text/plain' }));
        return t;
      },
      { text: afterLog, name: 'orders-after-gc.log' },
    );
    for (const type of ['dragenter', 'dragover', 'drop'])
      await page.dispatchEvent('[data-test=dropzone]', type, { dataTransfer: dt });
    await expect.poll(current, { timeout: 20_000 }).toBe('orders-after-gc.log');
    const s = await gc(
      (x) => x.overview !== null && x.cycles === readGcTrace(afterLog).streams[0].cycles.length,
    );
    expectFiguresOf(s, afterLog);
    await shots('after');
  });

  it('compares the two logs side by side: GCs per second, pauses, heap goal', async () => {
    const row = page
      .locator('li.snap')
      .filter({ has: page.locator('.name', { hasText: /^orders-after-gc\.log$/ }) });
    await row.hover();
    await row.locator('[data-test=compare-previous]').click();
    const s = await waitForHook<GcCompareState>(page, 'gc-compare', (x) => x.ready, 30_000);
    expect(
      await page.locator('[data-test=compare-modes] [data-mode=gc]').getAttribute('class'),
    ).toContain('on');
    expect(s.sides.map((x) => [x.slot, x.name])).toEqual([
      ['before', 'orders-before-gc.log'],
      ['after', 'orders-after-gc.log'],
    ]);
    const want = [beforeLog, afterLog].map((t) => summarizeGcTrace(readGcTrace(t).streams[0]));
    expect(s.sides.map((x) => x.summary)).toEqual(want);
    const rows = Object.fromEntries(s.rows.map((r) => [r.id, r]));
    for (const id of ['gcPerSecond', 'pauseTotal', 'pauseMax', 'heapGoal'])
      expect(rows[id], id).toBeDefined();
    // The fix lowers the GC rate: the change is shown as a fall.
    if (want[1].gcPerSecond! < want[0].gcPerSecond!) expect(rows.gcPerSecond!.tone).toBe('down');
    expect(await page.locator('[data-test=gc-compare] [data-test=gc-chart]').count()).toBe(2);
    for (const theme of ['light', 'dark'] as const) {
      await page.click(`[data-theme-choice=${theme}]`);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: screenshotPath(`gclog-compare-${theme}-1440x900`) });
    }
    await page.click('[data-theme-choice=light]');
  });

  it('imports pasted text: two services interleaved, one line cut short', async () => {
    const lines = beforeLog.split('\n').filter((l) => l.startsWith('gc '));
    const other = afterLog.split('\n').filter((l) => l.startsWith('gc '));
    const cut = lines[2].slice(0, 50);
    const text = [
      `[pod/orders-7d9f/orders] 2026-12-07T10:00:00.000Z ${lines[0]}`,
      `[pod/billing-5c2a/billing] 2026-12-07T10:00:00.010Z ${other[0]}`,
      `[pod/orders-7d9f/orders] 2026-12-07T10:00:00.020Z ${lines[1]}`,
      `[pod/orders-7d9f/orders] 2026-12-07T10:00:00.030Z {"level":"info","msg":"order placed"}`,
      `[pod/billing-5c2a/billing] 2026-12-07T10:00:00.040Z ${other[1]}`,
      `[pod/orders-7d9f/orders] 2026-12-07T10:00:00.050Z ${cut}`,
      `[pod/orders-7d9f/orders] 2026-12-07T10:00:00.060Z ${lines[3]}`,
    ].join('\n');
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', t);
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
    }, text);
    await expect.poll(current, { timeout: 20_000 }).toMatch(/^pasted .*\.txt$/);
    const s = await gc((x) => x.overview !== null && x.overview.streams.length === 2);
    expect(s.overview!.streams.map((x) => [x.label, x.cycles])).toEqual([
      ['pod/orders-7d9f/orders', 3],
      ['pod/billing-5c2a/billing', 2],
    ]);
    expect(s.overview!.unreadable.count).toBe(1);
    expect(s.overview!.unreadable.example!.line).toBe(6);
    expect(s.overview!.otherLines).toBe(1);
    const notice = await page.locator('[data-test=gc-unreadable]').textContent();
    expect(notice).toContain('1 line looks like gctrace but could not be read');
    expect(notice).toContain(cut);
    await page.selectOption('[data-test=gc-stream]', '1');
    await gc((x) => x.stream === 1 && x.cycles === 2);
    await page.screenshot({ path: screenshotPath('gclog-pasted-two-services') });
    await page.selectOption('[data-test=gc-stream]', '0');
  });

  it('Live dashboard: GCs per second from NumGC deltas, flagged above the storm setting', async () => {
    let target: RunningTarget | undefined;
    const setStorm = async (v: number): Promise<void> => {
      const r = await fetch(`${serve.origin}/api/updateSettings`, {
        method: 'POST',
        headers: { 'x-pprof-studio-token': serve.token, 'content-type': 'application/json' },
        body: JSON.stringify({ gcStormPerSecond: v }),
      });
      expect(r.status).toBe(200);
    };
    const card = '[data-test=sparkline][data-series=gcRate]';
    try {
      target = await startTarget({ mode: 'before' });
      await page.click('[data-tab=live]');
      await page.waitForSelector('[data-test=live-view]', { timeout: 30_000 });
      await page.click('[data-test=add-target]');
      await page.fill('[data-test=target-name]', 'orders (gc storm)');
      await page.fill('[data-test=target-url]', target.baseUrl);
      await page.click('[data-test=save-target]');
      await page.click('[data-test=connect]');
      await page.selectOption('[data-test=poll-interval]', '1');
      await setStorm(1000);
      type Live = { dashboard: { samples: number; series: { gcRate: number | null } } | null };
      const rated = await waitForHook<Live>(
        page,
        'live',
        (h) => (h.dashboard?.samples ?? 0) >= 3 && h.dashboard!.series.gcRate !== null,
        30_000,
      );
      expect(rated.dashboard!.series.gcRate).toBeGreaterThanOrEqual(0);
      await expect
        .poll(() => page.textContent(`${card} [data-test=sparkline-value]`))
        .toMatch(/\/s$/);
      expect(await page.locator(`${card}[data-storm]`).count()).toBe(0);
      // The target allocates all the time: some poll interval sees GCs above 0.1/s.
      await setStorm(0.1);
      await page.waitForSelector(`${card}[data-storm=true] [data-test=gc-storm-flag]`, {
        timeout: 30_000,
      });
      const shown = await page.textContent(`${card} [data-test=sparkline-value]`);
      expect(Number(shown!.replace('/s', ''))).toBeGreaterThan(0.1);
      await page.screenshot({ path: screenshotPath('gclog-live-storm-flag-1440x900') });
      await setStorm(1000);
      await expect
        .poll(() => page.locator(`${card}[data-storm]`).count(), { timeout: 10_000 })
        .toBe(0);
      await page.click('[data-test=disconnect]').catch(() => undefined);
    } finally {
      await setStorm(2);
      await target?.stop();
    }
  });

  it('raised no page errors or dialogs', () => {
    expect(problems).toEqual([]);
  });
});

// The Insights tab in Chromium against `pprof-studio serve`, on snapshots the order service
// writes for this test (before and after its fixes; the committed fixtures are not used):
// findings listed by severity, a click on one opens the flame graph focused on its
// function, and the before/after report exports Markdown and one self-contained HTML file,
// which is then opened in Chromium. Screenshots of the tab and of the HTML report, light and
// dark, at 1280×800 and 1440×900, go to test-results/ (and $INSIGHTS_SHOTS when set).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { TARGET_FACTS, WRITTEN_FILES, writeProfiles } from '../helpers/go-target';

interface InsightsHook {
  status: string;
  error: string;
  findings: {
    kind: string;
    severity: string;
    function: string;
    title: string;
    link: { tab: string };
  }[];
  report: {
    rows: { metric: string; before: number | null; after: number | null }[];
    resolved: string[];
  } | null;
}
interface FlameHook {
  ready: boolean;
  sampleIndex: number;
  filters: { focus: string };
}

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
] as const;

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let tmp: string;
const problems: string[] = [];
const uploads: { before: string[]; after: string[] } = { before: [], after: [] };

function shotPath(name: string): string {
  const extra = process.env.INSIGHTS_SHOTS;
  if (extra) {
    mkdirSync(extra, { recursive: true });
    return join(extra, `${name}.png`);
  }
  return screenshotPath(name);
}

async function setTheme(t: 'light' | 'dark'): Promise<void> {
  await page.click(`[data-theme-choice=${t}]`);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(t);
}

async function shots(name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const t of ['light', 'dark'] as const) {
      await setTheme(t);
      await page.waitForTimeout(150);
      await page.screenshot({ path: shotPath(`${name}-${t}-${size.width}x${size.height}`) });
    }
  }
  await setTheme('light');
  await page.setViewportSize(SIZES[0]);
}

describe('the Insights tab in Chromium', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pprof-studio-insights-e2e-'));
    for (const mode of ['before', 'after'] as const) {
      const dir = join(tmp, mode);
      await writeProfiles(dir, { mode, duration: '6s', traceFor: '2s' });
      for (const f of WRITTEN_FILES) {
        if (f === 'goroutine-debug1.txt' || f === 'threadcreate.pb.gz') continue;
        const named = join(tmp, `svc-${mode}-${f}`);
        copyFileSync(join(dir, f), named);
        uploads[mode].push(named);
      }
    }
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: SIZES[0],
      colorScheme: 'light',
      acceptDownloads: true,
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list] .snap');
    await page.setInputFiles('[data-test=file-input]', [...uploads.before, ...uploads.after]);
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('[data-test=snapshot-list] .snap')].filter((e) =>
          /svc-(before|after)-/.test(e.textContent ?? ''),
        ).length >= n,
      uploads.before.length + uploads.after.length,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the findings of the ticked "before" snapshots, most severe first', async () => {
    await page.click('[data-tab=insights]');
    await page.waitForSelector('[data-test=insights]');
    await page.selectOption('[data-test=insights-set]', 'ticked');
    for (const f of uploads.before) {
      const name = f.slice(tmp.length + 1);
      await page
        .locator('[data-test=insights-ticks] .tick-row', { hasText: name })
        .locator('input')
        .check();
    }
    await page.click('[data-test=insights-run]');
    const h = await waitForHook<InsightsHook>(
      page,
      'insights',
      (s) => s.status === 'done' || s.status === 'error',
      60_000,
    );
    expect(h.error).toBe('');
    const keys = h.findings.map((f) => `${f.kind} ${f.function}`);
    expect(keys).toContain('init-hotspot main.parseSchema');
    expect(keys).toContain(`goroutine-leak ${TARGET_FACTS.leakFunction}`);
    expect(keys).toContain(`lock-contention ${TARGET_FACTS.mutexContended}`);
    expect(keys).toContain(`heap-retention ${TARGET_FACTS.retainedAllocator}`);
    const rank = { high: 0, medium: 1, low: 2 } as Record<string, number>;
    const order = h.findings.map((f) => rank[f.severity]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    await expect
      .poll(() => page.locator('[data-test=findings] .finding').count())
      .toBe(h.findings.length);
    await shots('insights-tab');
  });

  it('opens the flame graph focused on the function of a clicked finding', async () => {
    const card = page.locator('[data-test=finding-cpu-hotspot][data-function="main.parseSchema"]');
    await card.locator('.finding-open').click();
    const flame = await waitForHook<FlameHook>(
      page,
      'flame',
      (f) => f.ready && f.filters.focus !== '',
      30_000,
    );
    expect(flame.filters.focus).toBe('^main\\.parseSchema$');
    await expect
      .poll(() => page.locator('[data-tab=flame]').getAttribute('aria-selected'))
      .toBe('true');
  });

  it('opens the contention row and the goroutine group of a finding', async () => {
    await page.click('[data-tab=insights]');
    await page
      .locator(
        `[data-test=finding-lock-contention][data-function="${TARGET_FACTS.mutexContended}"] .finding-open`,
      )
      .click();
    const c = await waitForHook<{ ready: boolean; selectedSite: string | null }>(
      page,
      'contention',
      (x) => x.ready,
      30_000,
    );
    expect(c.selectedSite).toBe(TARGET_FACTS.mutexContended);
    await page.click('[data-tab=insights]');
    await page
      .locator(
        `[data-test=finding-goroutine-leak][data-function="${TARGET_FACTS.leakFunction}"] .finding-open`,
      )
      .click();
    const g = await waitForHook<{ ready: boolean; search: string; matched: number }>(
      page,
      'goroutines',
      (x) => x.ready && x.search !== '',
      30_000,
    );
    expect(g.search).toBe('^main\\.\\(\\*notifier\\)\\.awaitAck$');
    expect(g.matched).toBeGreaterThanOrEqual(TARGET_FACTS.leakedGoroutines);
  });

  it('compares before and after and exports Markdown and self-contained HTML', async () => {
    await page.click('[data-tab=insights]');
    await page.click('[data-test=report-mode]');
    await page.selectOption('[data-test=report-before]', 'ticked');
    await page.selectOption('[data-test=report-after]', 'ticked');
    for (const [side, files] of [
      ['before', uploads.before],
      ['after', uploads.after],
    ] as const) {
      for (const f of files)
        await page.check(`[data-test="tick-${side}-${f.slice(tmp.length + 1)}"]`);
    }
    await page.click('[data-test=report-run]');
    const h = await waitForHook<InsightsHook>(
      page,
      'insights',
      (s) => s.report !== null && s.status === 'done',
      60_000,
    );
    for (const k of [
      'init-hotspot main.parseSchema',
      `lock-contention ${TARGET_FACTS.mutexContended}`,
      `goroutine-leak ${TARGET_FACTS.leakFunction}`,
    ]) {
      expect(h.report!.resolved).toContain(k);
    }
    const g = h.report!.rows.find((r) => r.metric === 'goroutines')!;
    expect(g.before! - g.after!).toBe(TARGET_FACTS.leakedGoroutines);
    await shots('report-tab');

    const [md] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-test=export-markdown]'),
    ]);
    const mdPath = join(tmp, 'report.md');
    await md.saveAs(mdPath);
    const mdText = readFileSync(mdPath, 'utf8');
    expect(mdText).toContain('| heap-inuse-bytes |');
    expect(mdText).toMatch(/#### Resolved \(\d+\)/);

    const [html] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-test=export-html]'),
    ]);
    const htmlPath = join(tmp, 'report.html');
    await html.saveAs(htmlPath);
    const htmlText = readFileSync(htmlPath, 'utf8');
    expect(htmlText).not.toMatch(/<script|\bsrc=|\bhref=/i);

    // The exported file on its own, in Chromium: no request leaves the page, the table and
    // the inline SVG charts render in both colour schemes.
    const view = await browser.newPage({ viewport: SIZES[0] });
    const requests: string[] = [];
    view.on('request', (r) => requests.push(r.url()));
    await view.goto(pathToFileURL(htmlPath).href);
    expect(await view.locator('table tbody tr').count()).toBeGreaterThan(10);
    expect(await view.locator('svg.bars').count()).toBeGreaterThan(5);
    expect(await view.locator('svg.chart rect').count()).toBe(6);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    for (const size of SIZES) {
      await view.setViewportSize(size);
      for (const scheme of ['light', 'dark'] as const) {
        await view.emulateMedia({ colorScheme: scheme });
        await view.screenshot({
          path: shotPath(`report-html-${scheme}-${size.width}x${size.height}`),
          fullPage: true,
        });
      }
    }
    await view.close();
    expect(problems).toEqual([]);
  });
});

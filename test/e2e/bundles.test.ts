// Cold-start capture in Chromium against `pprof-studio serve`: a target is added while its
// service is down, "Capture on next start" is armed and shows its bounded wait, then the real
// Go 1.27 target starts on that port; the bundle captures with per-part progress, appears in
// the library as one group and opens in the Insights tab. Screenshots of the wait and of the
// capture in progress (light and dark, 1280×800 and 1440×900) go to test-results/.
import { createServer, type AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import {
  GO127,
  TARGET_FACTS,
  buildTarget,
  startTarget,
  type RunningTarget,
} from '../helpers/go-target';

function shot(name: string): string {
  return screenshotPath(`bundles-${name}`);
}

interface InsightsHook {
  status: string;
  error: string;
  findings: { kind: string; function: string }[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let target: RunningTarget | undefined;
const problems: string[] = [];

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  await page.click(`[data-theme-choice=${theme}]`);
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

async function scrollToRun(): Promise<void> {
  await page
    .locator('[data-test=bundle-run]')
    .first()
    .evaluate((e) => e.scrollIntoView({ block: 'center' }));
}

/** Screenshots in both themes and both sizes, back to light 1280×800 after. */
async function shots(name: string): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(theme);
      await scrollToRun();
      await page.screenshot({ path: shot(`${name}-${w}x${h}-${theme}`) });
    }
  }
  await setTheme('light');
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('capture on next start, in Chromium', () => {
  beforeAll(async () => {
    await buildTarget(GO127);
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

  it('waits for the target, captures everything when it starts, and opens the bundle', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    await page.click('[data-tab=live]');
    await page.waitForSelector('[data-test=live-view]');
    await page.click('[data-test=add-target]');
    await page.fill('[data-test=target-name]', 'orders cold');
    await page.fill('[data-test=target-url]', baseUrl);
    await page.click('[data-test=save-target]');
    await page.waitForSelector('[data-test=bundle-panel]');

    await page.fill('[data-test=bundle-seconds]', '3');
    await page.fill('[data-test=cold-wait]', '90');
    await page.click('[data-test=arm-cold-start]');
    const run = page.locator('[data-test=bundle-run]').first();
    await expect.poll(() => run.getAttribute('data-state')).toBe('waiting');
    // The bounded wait is on screen: elapsed of 90 s, attempts so far, the last refusal.
    await expect
      .poll(() => run.locator('[data-test=cold-start-wait]').textContent(), { timeout: 10_000 })
      .toMatch(/of\s+90 s · [2-9]\d* attempts/);
    expect(await run.locator('[data-test=cold-start-wait]').textContent()).toMatch(/refused/);
    await shots('cold-start-waiting');

    target = await startTarget({
      mode: 'before',
      addr: `127.0.0.1:${port}`,
      toolchain: GO127,
      extraArgs: ['-leak-interval', '1s'],
    });
    await expect.poll(() => run.getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    expect(await run.locator('[data-test=cold-start-delay]').textContent()).toMatch(
      /capture started \d+ ms after the first answer/,
    );
    // Mid-window: the CPU and trace parts run together with progress; the rest are queued.
    await expect
      .poll(() => run.locator('[data-part-state=cpu]').textContent(), { timeout: 10_000 })
      .toBe('running');
    expect(await run.locator('[data-part-state=trace]').textContent()).toBe('running');
    expect(await run.locator('[data-part-state=heap]').textContent()).toBe('queued');
    expect(await run.locator('[data-test=cancel-bundle]').count()).toBe(1);
    await scrollToRun();
    await page.screenshot({ path: shot('bundle-in-progress-1280x800-light') });
    await setTheme('dark');
    await page.screenshot({ path: shot('bundle-in-progress-1280x800-dark') });
    await setTheme('light');

    await expect.poll(() => run.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    const states = await run
      .locator('[data-part-state]')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-part-state')}:${e.textContent?.split(' · ')[0]}`),
      );
    expect(states).toEqual([
      'cpu:stored',
      'trace:stored',
      'heap:stored',
      'allocs:stored',
      'goroutine:stored',
      'goroutine-text:stored',
      'mutex:stored',
      'block:stored',
      'threadcreate:stored',
      'goroutineleak:stored',
      'memstats:stored',
    ]);
    await scrollToRun();
    await page.screenshot({ path: shot('bundle-done-1280x800-light') });
    // The parts are in the library, each listed by kind and time ("goroutineleak · 14:53").
    await expect
      .poll(() => page.locator('[data-test=snapshot-list]').textContent(), { timeout: 10_000 })
      .toMatch(/goroutineleak · \d\d:\d\d/);

    await run.locator('[data-test=open-bundle]').click();
    await page.waitForSelector('[data-test=insights]');
    const h = await waitForHook<InsightsHook>(
      page,
      'insights',
      (s) => s.status === 'done' || s.status === 'error',
      90_000,
    );
    expect(h.error).toBe('');
    const keys = h.findings.map((f) => `${f.kind} ${f.function}`);
    expect(keys).toContain(`goroutine-leak ${TARGET_FACTS.leakFunction}`);
    await page.screenshot({ path: shot('bundle-opened-in-insights-1280x800-light') });
    expect(problems).toEqual([]);
  }, 300_000);
});

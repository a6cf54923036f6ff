// The leaked-goroutine count on the live dashboard, in Chromium against `pprof-studio serve`:
// a Go 1.27 target says it serves goroutineleak as soon as it is connected (no GC asked of
// it) and "Count now" shows the target's leak of 37; a Go 1.26 target says "not served by
// this Go version" with no error dialog. Screenshots (light and dark, 1280×800 and 1440×900).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath, startServe, type ServeHandle } from '../helpers/browser';
import { GO127, startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let t127: RunningTarget;
let t126: RunningTarget;
const problems: string[] = [];

async function addAndConnect(name: string, baseUrl: string): Promise<void> {
  await page.click('[data-test=add-target]');
  await page.fill('[data-test=target-name]', name);
  await page.fill('[data-test=target-url]', baseUrl);
  await page.click('[data-test=save-target]');
  await page.click('[data-test=connect]');
  await expect.poll(() => page.textContent('[data-test=target-health]')).toBe('ok');
}

async function shots(name: string): Promise<void> {
  const card = page.locator('[data-test=leak-card]');
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const theme of ['light', 'dark'] as const) {
      await page.click(`[data-theme-choice=${theme}]`);
      await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
      await card.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await page.screenshot({ path: screenshotPath(`leak-card-${name}-${w}x${h}-${theme}`) });
    }
  }
  await page.click('[data-theme-choice=light]');
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('leaked goroutines on the live dashboard, in Chromium', () => {
  beforeAll(async () => {
    [t127, t126] = await Promise.all([
      startTarget({ mode: 'before', toolchain: GO127, startTimeoutMs: 120_000 }),
      startTarget({ mode: 'before' }),
    ]);
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(serve.url);
    await page.click('[data-tab=live]');
    await page.waitForSelector('[data-test=live-view]');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await t127?.stop();
    await t126?.stop();
  });

  it('Go 1.27: served, and Count now shows the leak of 37', async () => {
    await addAndConnect('orders 1.27', t127.baseUrl);
    const card = page.locator('[data-test=leak-card]');
    await expect.poll(() => card.getAttribute('data-served')).toBe('true');
    expect(await card.locator('[data-test=leak-count]').textContent()).toBe('—');
    await card.locator('[data-test=leak-count-now]').click();
    await expect
      .poll(() => card.locator('[data-test=leak-count]').textContent(), { timeout: 30_000 })
      .toBe(String(TARGET_FACTS.leakedGoroutines));
    expect(await card.textContent()).toMatch(/GC-proven, counted/);
    // The opt-in rate is off until chosen.
    expect(await card.locator('[data-test=leak-auto]').isChecked()).toBe(false);
    await shots('go127');
  }, 120_000);

  it('Go 1.26: not served by this Go version, no error dialog', async () => {
    await addAndConnect('orders 1.26', t126.baseUrl);
    const card = page.locator('[data-test=leak-card]');
    await expect.poll(() => card.getAttribute('data-served')).toBe('false');
    expect(await card.locator('[data-test=leak-not-served]').textContent()).toMatch(
      /not served by this Go version/,
    );
    expect(await card.locator('[data-test=leak-count-now]').count()).toBe(0);
    await shots('go126');
    expect(problems).toEqual([]);
  }, 120_000);
});

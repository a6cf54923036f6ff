// #18 in Chromium against serve mode: the UI follows the browser's language (zh-* gives
// Chinese), the header's switch overrides it, and the choice is kept in the settings.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath, startServe, type ServeHandle } from '../helpers/browser';

let serve: ServeHandle;
let browser: Browser;

const tabTitles = (page: Page): Promise<string[]> =>
  page.$$eval('[role=tab]', (els) => els.map((e) => (e.firstChild?.textContent ?? '').trim()));

async function open(locale: string, size = { width: 1280, height: 800 }, dark = false) {
  const page = await browser.newPage({
    viewport: size,
    locale,
    colorScheme: dark ? 'dark' : 'light',
  });
  await page.goto(serve.url);
  await page.waitForSelector('[data-tab=live]');
  return page;
}

async function storedLanguage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const res = await fetch('/api/getSettings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await res.json()) as { value: { language: string } }).value.language;
  });
}

describe('the UI language (serve mode)', () => {
  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('follows a Chinese browser with Auto, and an English one', async () => {
    const zh = await open('zh-CN');
    expect(await tabTitles(zh)).toContain('火焰图');
    expect(await tabTitles(zh)).toContain('锁竞争');
    expect(await zh.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await zh.textContent('[data-language-choice=auto].on')).toContain('自动');
    expect(await zh.textContent('[data-test=demo-hint]')).toContain('这些是演示快照');
    await zh.close();

    const en = await open('en-US');
    expect(await tabTitles(en)).toContain('Flame graph');
    expect(await en.getAttribute('html', 'lang')).toBe('en');
    await en.close();
  });

  it('switches from the header, keeps the choice in the settings, and the menu words follow', async () => {
    const page = await open('en-US');
    await page.click('[data-language-choice="zh-CN"]');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[role=tab]')].some((e) => e.textContent?.includes('火焰图')),
    );
    expect(await storedLanguage(page)).toBe('zh-CN');
    // An English browser still gets Chinese: the stored choice wins over the locale.
    await page.reload();
    await page.waitForSelector('[data-tab=live]');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await tabTitles(page)).toContain('对比');
    expect(await page.getAttribute('[data-tab=live]', 'title')).toContain('实时');

    await page.click('[data-language-choice=en]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await tabTitles(page)).toContain('Compare');
    expect(await storedLanguage(page)).toBe('en');
    await page.click('[data-language-choice=auto]');
    await page.waitForFunction(async () => {
      const res = await fetch('/api/getSettings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return ((await res.json()) as { value: { language: string } }).value.language === 'auto';
    });
    await page.close();
  });

  it('lays out the Chinese header without overlap, light and dark, at both sizes', async () => {
    for (const size of [
      { width: 1280, height: 800 },
      { width: 1440, height: 900 },
    ])
      for (const dark of [false, true]) {
        const page = await open('zh-CN', size, dark);
        // Every header control sits inside the window and none overlaps the next.
        const boxes = await page.$$eval('.titlebar > *', (els) =>
          els
            .map((e) => e.getBoundingClientRect())
            .filter((r) => r.width > 0)
            .map((r) => ({ left: r.left, right: r.right })),
        );
        for (const [i, b] of boxes.entries()) {
          expect(b.right).toBeLessThanOrEqual(size.width + 0.5);
          const next = boxes[i + 1];
          if (next) expect(next.left).toBeGreaterThanOrEqual(b.right - 0.5);
        }
        await page.screenshot({
          path: screenshotPath(`i18n-zh-${size.width}x${size.height}-${dark ? 'dark' : 'light'}`),
        });
        await page.close();
      }
  });
});

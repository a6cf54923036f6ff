// #20 in Chromium against serve mode: the page works on the cookie the printed URL was traded
// for (no token in the address bar or in script), the target form stops promising a stored
// token once the URL points elsewhere, custom headers can be secret, and a new tunnel command
// is shown for confirmation before it runs.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath, startServe, type ServeHandle } from '../helpers/browser';

let serve: ServeHandle;
let browser: Browser;
let page: Page;

async function api<T>(name: string, body: unknown): Promise<T> {
  // Through the page: the HttpOnly cookie carries the token.
  const r = await page.evaluate(
    async ([n, b]) => {
      const res = await fetch(`/api/${n}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
      return res.json();
    },
    [name, body] as const,
  );
  const result = r as { ok: boolean; value: T; error?: { message: string } };
  if (!result.ok) throw new Error(result.error?.message);
  return result.value;
}

async function openLive(): Promise<void> {
  await page.click('[data-tab=live]');
  await page.waitForSelector('[data-test=live-view]');
}

describe('security in the browser (serve mode)', () => {
  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      acceptDownloads: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('trades the printed URL for a cookie scripts cannot read', async () => {
    await page.goto(serve.url);
    await page.waitForSelector('[data-tab=live]');
    // Redirected to `/` with no query: the token is gone from the address bar (the app may then
    // write its view state into the hash, which never holds the token).
    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}${landed.search}`).toBe(`${serve.origin}/`);
    expect(page.url()).not.toContain(serve.token);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(serve.token);
    const info = await api<{ transport: string }>('appInfo', {});
    expect(info.transport).toBe('http');
  });

  it('the form stops saying "stored" once the URL points elsewhere', async () => {
    const t = await api<{ id: string }>('saveTarget', {
      target: {
        name: 'prod',
        baseUrl: 'https://prod.example.invalid:6060',
        auth: { type: 'bearer', token: 'the-production-token' },
        headers: [
          { name: 'X-Api-Key', value: 'k-secret', secret: true },
          { name: 'X-Tenant', value: 'blue' },
        ],
      },
    });
    await page.reload();
    await openLive();
    await page.click(`[data-target-id="${t.id}"]`);
    await page.click('[data-test=edit-target]');
    await page.waitForSelector('[data-test=target-form]');
    const token = page.locator('[data-test=target-token]');
    expect(await token.getAttribute('placeholder')).toBe('stored (type to replace)');
    expect(
      await page.locator('[data-test=target-header-value-0]').getAttribute('placeholder'),
    ).toBe('stored (type to replace)');
    expect(await page.locator('[data-test=target-header-value-0]').inputValue()).toBe('');
    expect(await page.locator('[data-test=target-secret-dropped]').count()).toBe(0);

    await page.fill('[data-test=target-url]', 'http://127.0.0.1:6061');
    expect(await token.getAttribute('placeholder')).toBe('token');
    expect(
      await page.locator('[data-test=target-header-value-0]').getAttribute('placeholder'),
    ).toBe('secret value');
    await page.waitForSelector('[data-test=target-secret-dropped]');
    for (const [w, h] of [
      [1280, 800],
      [1440, 900],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        await page.evaluate(
          (s) => document.querySelector<HTMLElement>(`[data-theme-choice=${s}]`)?.click(),
          scheme,
        );
        await page.screenshot({
          path: screenshotPath(`sec-target-form-url-edited-${w}x${h}-${scheme}`),
        });
      }
    }
    await page.fill('[data-test=target-url]', 'https://prod.example.invalid:6060');
    expect(await token.getAttribute('placeholder')).toBe('stored (type to replace)');
  });

  it('shows a new tunnel command for confirmation; declined, it does not run', async () => {
    const t = await api<{ id: string; tunnelApproved: boolean }>('saveTarget', {
      target: {
        name: 'tunneled',
        baseUrl: 'http://127.0.0.1:6099',
        tunnel: {
          command: 'sleep 1 # stands in for ssh -N -L 6099:localhost:6060 host',
          localPort: 6099,
        },
      },
    });
    expect(t.tunnelApproved).toBe(false);
    await page.reload();
    await openLive();
    await page.click(`[data-target-id="${t.id}"]`);
    const shown: string[] = [];
    page.once('dialog', (d) => {
      shown.push(d.message());
      void d.dismiss();
    });
    await page.click('[data-test=connect]');
    await page.waitForFunction(() =>
      document.querySelector('[data-test=live-notice]')?.textContent?.includes('not confirmed'),
    );
    expect(shown[0]).toContain('sleep 1 # stands in for ssh -N -L 6099:localhost:6060 host');
    const statuses = await api<{ targetId: string; connected: boolean }[]>(
      'listTargetStatuses',
      {},
    );
    expect(statuses.find((s) => s.targetId === t.id)?.connected).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: screenshotPath('sec-tunnel-declined-1280x800-dark') });

    page.once('dialog', (d) => void d.accept());
    await page.click('[data-test=connect]');
    await page.waitForFunction(
      async (id) => {
        const res = await fetch('/api/listTargets', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        const r = (await res.json()) as { value: { id: string; tunnelApproved?: boolean }[] };
        return r.value.find((x) => x.id === id)?.tunnelApproved === true;
      },
      t.id,
      { polling: 200, timeout: 30_000 },
    );
  });
  it('exports a snapshot as a browser download of the same bytes: no path goes to the back end', async () => {
    await page.goto(`${serve.origin}/`);
    const list = await api<{ id: string; name: string; kind: string }[]>('listSnapshots', {});
    const snap = list.find((x) => x.kind === 'cpu')!;
    await page.click(`.snap[data-id="${snap.id}"]`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`.snap[data-id="${snap.id}"] [data-test=export-snapshot]`),
    ]);
    // Named after the snapshot, with its format's extension (not `<id>.bin`).
    expect(download.suggestedFilename()).toBe(
      `${snap.name.replace(/[\\/:*?"<>|]/g, '_')}${snap.name.endsWith('.pb.gz') ? '' : '.pb.gz'}`,
    );
    const saved = readFileSync((await download.path())!);
    const served = await page.evaluate(async (id) => {
      const r = await fetch(`/api/snapshots/${encodeURIComponent(id)}/bytes`);
      return Array.from(new Uint8Array(await r.arrayBuffer()));
    }, snap.id);
    expect(saved.length).toBeGreaterThan(0);
    expect(Buffer.compare(saved, Buffer.from(served))).toBe(0);
  });
});

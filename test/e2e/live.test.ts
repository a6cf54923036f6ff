// The Live tab in Chromium against `pprof-studio serve` and the real Go target
// (test/targets/orders) on loopback: add a target, watch the dashboard fill from polls,
// capture CPU for 2 s with visible progress, open the capture in the flame graph. Checks
// read the tab's data (window.__pprofStudioTest) and the DOM; screenshots of the dashboard
// and of a capture in progress, light and dark, go to test-results/.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureStatus, MetricsSample, TargetStatus } from '../../core/contract';
import {
  ROOT,
  launchChromium,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { TARGET_FACTS, findGo, startTarget, type RunningTarget } from '../helpers/go-target';

interface LiveHook {
  loaded: boolean;
  selectedId: string | null;
  editing: boolean;
  targets: { id: string; name: string; baseUrl: string; status: TargetStatus | null }[];
  dashboard: {
    samples: number;
    version: number;
    latest: MetricsSample | null;
    series: Record<string, number | null>;
  } | null;
  captures: CaptureStatus[];
  activeCaptures: number;
  pollIntervalSeconds: number;
  notice: { kind: string; text: string } | null;
}

interface Pane {
  version: number;
  drawnVersion: number;
  drawn: number;
  sampleType: { type: string; unit: string };
  items: { name: string | null; merged: boolean }[];
}

const FIXTURES = join(ROOT, 'test', 'fixtures');

let target: RunningTarget;
let serve: ServeHandle;
let browser: Browser;
let page: Page;
const problems: string[] = [];

function live(ok: (h: LiveHook) => boolean, timeoutMs = 30_000): Promise<LiveHook> {
  return waitForHook<LiveHook>(page, 'live', ok, timeoutMs);
}

async function openLiveTab(): Promise<void> {
  await page.click('[data-tab=live]');
  try {
    await page.waitForSelector('[data-test=live-view]', { timeout: 30_000 });
  } catch (e) {
    await page.screenshot({ path: screenshotPath('live-tab-missing') });
    const body = await page.evaluate(() => document.querySelector('.tab-body')?.textContent ?? '');
    throw new Error(`the Live tab did not show; the tab body says: ${body.slice(0, 500)}`, {
      cause: e,
    });
  }
  await live((h) => h.loaded);
}

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  await page.click(`[data-theme-choice=${theme}]`);
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

/** Waits until every sparkline has drawn at least n polls. */
async function sparklinesDrawn(n: number): Promise<void> {
  await page.waitForFunction(
    (min) => {
      const els = [...document.querySelectorAll('[data-test=sparkline]')];
      return els.length === 5 && els.every((e) => Number(e.getAttribute('data-points')) >= min);
    },
    n,
    { timeout: 30_000 },
  );
}

/** Turns the target's profile hold on or off (test/targets/orders/hold.go). */
async function holdProfiles(on: boolean): Promise<void> {
  const r = await fetch(`${target.baseUrl}/hold/profile?on=${on ? 1 : 0}`);
  expect(await r.text()).toBe(`held=${on}\n`);
}

/**
 * Starts a CPU capture of `seconds` from the Live tab and returns its id once it runs. The
 * target holds the request (holdProfiles) until the test releases it, so the capture is still
 * running whenever the test looks at it, however slow the machine.
 */
async function startCpuCapture(seconds: number): Promise<CaptureStatus> {
  const before = new Set((await live(() => true)).captures.map((c) => c.captureId));
  await page.selectOption('[data-test=capture-panel] [data-test=capture-kind]', 'cpu');
  await page.fill('[data-test=capture-panel] [data-test=capture-seconds]', String(seconds));
  await page.click('[data-test=start-capture]');
  const h = await live((x) =>
    x.captures.some(
      (c) => !before.has(c.captureId) && c.state === 'running' && c.elapsedSeconds > 0,
    ),
  );
  return h.captures.find((c) => !before.has(c.captureId))!;
}

describe('the Live tab in Chromium, against the real Go target', () => {
  beforeAll(async () => {
    findGo();
    target = await startTarget({ mode: 'before' });
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
    await setTheme('light');
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await target?.stop();
  });

  it('adds a target through the form and connects to it', async () => {
    await openLiveTab();
    await page.click('[data-test=add-target]');
    await page.fill('[data-test=target-name]', 'orders (e2e)');
    await page.fill('[data-test=target-url]', target.baseUrl);
    await page.click('[data-test=save-target]');
    const added = await live((h) => h.targets.length === 1 && !h.editing);
    expect(added.targets[0]).toMatchObject({ name: 'orders (e2e)', baseUrl: target.baseUrl });

    await page.click('[data-test=connect]');
    const up = await live((h) => h.targets[0]?.status?.health === 'ok');
    expect(up.targets[0].status).toMatchObject({ connected: true, health: 'ok' });
    await expect.poll(() => page.textContent('[data-test=target-health]')).toBe('ok');
    // The probe read the index page: the offered profiles are listed with their counts.
    await expect
      .poll(() => page.textContent('[data-test=offered-profiles]'), { timeout: 10_000 })
      .toContain('goroutine');
  });

  it('updates the dashboard from polls (1 s interval through the settings)', async () => {
    await page.selectOption('[data-test=poll-interval]', '1');
    await live((h) => h.pollIntervalSeconds === 1);
    const first = await live((h) => (h.dashboard?.samples ?? 0) >= 1);
    // At least two more polls arrive as target.metrics events and are drawn.
    const later = await live((h) => (h.dashboard?.samples ?? 0) >= first.dashboard!.samples + 2);
    expect(later.dashboard!.version).toBeGreaterThan(first.dashboard!.version);
    const s = later.dashboard!.latest!;
    // "before" mode leaks goroutines: the count includes them and the workers.
    expect(s.goroutines).toBeGreaterThan(TARGET_FACTS.leakedGoroutines + TARGET_FACTS.workers);
    expect(s.heapInuse).toBeGreaterThan(0);
    expect(s.heapAlloc).toBeGreaterThan(0);
    expect(s.numGC).not.toBeNull();
    expect(later.dashboard!.series.goroutines).toBe(s.goroutines);
    // Every sparkline drew the polls; the goroutine card prints the latest count.
    await expect
      .poll(
        () =>
          page.$$eval('[data-test=sparkline]', (els) =>
            els.map((e) => Number(e.getAttribute('data-points'))),
          ),
        { timeout: 10_000 },
      )
      .toSatisfy((ns: number[]) => ns.length === 5 && ns.every((n) => n >= 3));
    const shown = await page.textContent(
      '[data-test=sparkline][data-series=goroutines] [data-test=sparkline-value]',
    );
    expect(Number((shown ?? '').replace(/,/g, ''))).toBeGreaterThan(TARGET_FACTS.leakedGoroutines);
    await sparklinesDrawn(6);
    await page.screenshot({ path: screenshotPath('live-dashboard-light') });
  });

  it('captures CPU for 2 s with visible progress, then opens it in the flame graph', async () => {
    await holdProfiles(true);
    const running = await startCpuCapture(2);
    expect(running.kind).toBe('cpu');
    expect(running.totalSeconds).toBe(2);
    expect(running.url).toBe(`${target.pprofUrl}/profile?seconds=2`);
    // Mid-capture, the DOM shows the progress bar with elapsed / total and a Cancel button.
    const row = page.locator(`[data-capture-id="${running.captureId}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('running');
    const bar = row.locator('[data-test=capture-progress]');
    expect(await bar.getAttribute('aria-valuemax')).toBe('2');
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    expect(await row.locator('[data-test=capture-elapsed]').textContent()).toMatch(/\/ 2\s*s/);
    expect(await row.locator('[data-test=cancel-capture]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('live-capture-progress-light') });
    // Released: the target profiles for the 2 s and answers.
    await holdProfiles(false);

    const done = await live((h) =>
      h.captures.some((c) => c.captureId === running.captureId && c.state === 'done'),
    );
    const c = done.captures.find((x) => x.captureId === running.captureId)!;
    expect(c.snapshotId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(c.bytes).toBeGreaterThan(0);
    expect(c.error).toBeNull();
    // The snapshot is in the library (the sidebar), stored with its capture metadata.
    await expect
      .poll(() => page.locator('[data-test=snapshot-list]').textContent(), { timeout: 10_000 })
      .toContain('cpu 2 s ·');

    await row.locator('[data-test=open-snapshot]').click();
    const pane = await waitForHook<Pane>(
      page,
      'flame:main',
      (p) => p.drawnVersion === p.version && p.drawn > 0,
      30_000,
    );
    expect(pane.sampleType.type).toBe('cpu');
    const names = pane.items.filter((i) => !i.merged).map((i) => i.name ?? '');
    expect(names.some((n) => n.startsWith('main.'))).toBe(true);
    expect(await page.textContent('[data-test=current-snapshot] .name')).toContain(
      'orders (e2e) · cpu 2 s ·',
    );
  });

  it('looks right in the dark theme, dashboard and capture in progress', async () => {
    await setTheme('dark');
    await openLiveTab();
    await sparklinesDrawn(8);
    await page.screenshot({ path: screenshotPath('live-dashboard-dark') });
    // Held by the target until after the Cancel: the button cannot vanish before the click.
    await holdProfiles(true);
    const running = await startCpuCapture(3);
    await page.screenshot({ path: screenshotPath('live-capture-progress-dark') });
    try {
      await page.click(`[data-capture-id="${running.captureId}"] [data-test=cancel-capture]`);
    } finally {
      await holdProfiles(false);
    }
    const h = await live((x) =>
      x.captures.some((c) => c.captureId === running.captureId && c.state === 'cancelled'),
    );
    expect(h.captures.find((c) => c.captureId === running.captureId)!.snapshotId).toBeNull();
  });

  it('watches a folder: a profile written into it is imported and listed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pprof-studio-e2e-watch-'));
    try {
      await page.fill('[data-test=watch-path]', dir);
      await page.click('[data-test=watch-add]');
      await expect
        .poll(() => page.locator('[data-test=watch-folder]').textContent(), { timeout: 10_000 })
        .toContain('watching');
      // New gzip bytes of a real profile, so the library has not seen them.
      const bytes = gzipSync(gunzipSync(readFileSync(join(FIXTURES, 'before', 'heap.pb.gz'))), {
        level: 1,
      });
      writeFileSync(join(dir, 'dropped-heap.pb.gz'), bytes);
      await expect
        .poll(() => page.locator('[data-test=watch-events]').textContent(), { timeout: 20_000 })
        .toMatch(/imported\s*dropped-heap\.pb\.gz/);
      await expect
        .poll(() => page.locator('[data-test=snapshot-list]').textContent(), { timeout: 10_000 })
        .toContain('dropped-heap.pb.gz');
      await page.click('[data-test=watch-remove]');
      await expect.poll(() => page.locator('[data-test=watch-folder]').count()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with a target (TLS, wrong prefix) and shows skip-verify as a warning', async () => {
    // https to a plain-http port, certificate checks off: a visible warning and a TLS error.
    await page.click('[data-test=add-target]');
    await page.fill('[data-test=target-name]', 'misconfigured');
    await page.fill('[data-test=target-url]', target.baseUrl.replace(/^http:/, 'https:'));
    await page.check('[data-test=target-skip]');
    expect(await page.textContent('[data-test=target-form]')).toContain(
      'Anyone on the network path can impersonate this target',
    );
    await page.screenshot({ path: screenshotPath('live-target-form-dark') });
    await page.click('[data-test=save-target]');
    const h = await live((x) => x.targets.length === 2 && !x.editing);
    const id = h.targets.find((t) => t.name === 'misconfigured')!.id;
    expect(h.selectedId).toBe(id);
    await expect
      .poll(() => page.textContent('[data-test=target-warning]'))
      .toContain('certificate verification is OFF');
    await page.click('[data-test=probe]');
    const tls = await live(
      (x) => x.targets.find((t) => t.id === id)?.status?.health === 'tls-error',
    );
    expect(tls.targets.find((t) => t.id === id)!.status!.message).toMatch(/http:\/\//);
    expect(await page.textContent('[data-test=target-health]')).toBe('TLS');

    // Edited to plain http under a prefix where nothing is mounted: "wrong prefix".
    await page.click('[data-test=edit-target]');
    await page.fill('[data-test=target-url]', target.baseUrl);
    await page.fill('[data-test=target-prefix]', '/nope/pprof');
    await page.click('[data-test=save-target]');
    await live((x) => !x.editing && x.targets.find((t) => t.id === id)?.baseUrl === target.baseUrl);
    expect(await page.locator('[data-test=target-warning]').count()).toBe(0);
    await page.click('[data-test=probe]');
    const probed = await live(
      (x) => x.targets.find((t) => t.id === id)?.status?.health === 'wrong-prefix',
    );
    const msg = probed.targets.find((t) => t.id === id)!.status!.message;
    expect(msg).toContain('/nope/pprof');
    expect(await page.textContent('[data-test=target-health]')).toBe('wrong prefix');
    expect(await page.textContent('[data-test=health-message]')).toContain(msg);
    await page.screenshot({ path: screenshotPath('live-target-health-dark') });
  });

  it('raised no page errors or dialogs', () => {
    expect(problems).toEqual([]);
  });
});

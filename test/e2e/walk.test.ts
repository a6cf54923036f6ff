// The on-call workflow walked as a new user would (issue 12), in Chromium against
// `pprof-studio serve` and the real Go target (test/targets/orders) on loopback at 1280×800:
// the first screen, Open from Live and a double-click in the library land in the snapshot's
// home tab; a comparison the guard rejects ends in a message, not a spinner; the header and
// toolbars fit their boxes. Checks read the DOM and the views' test hooks, never pixels.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpApi,
  type Api,
  type CaptureStatus,
  type FetchLike,
  type SnapshotMeta,
  type TargetStatus,
} from '../../core/contract';
import {
  ROOT,
  launchChromium,
  readHook,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { findGo, startTarget, type RunningTarget } from '../helpers/go-target';

interface LiveHook {
  loaded: boolean;
  captures: CaptureStatus[];
}
interface LiveHookFull extends LiveHook {
  targets: { id: string; status: TargetStatus | null }[];
}

const FIXTURES = join(ROOT, 'test', 'fixtures');
/** Screenshots of every tab, for people to look at (and test-results/ for CI). */
const SHOTS = process.env.PPROF_STUDIO_SHOTS ?? '';
function shot(name: string): string {
  if (!SHOTS) return screenshotPath(`walk-${name}`);
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, `${name}.png`);
}

let target: RunningTarget;
let quiet: RunningTarget | undefined;
let serve: ServeHandle;
let browser: Browser;
let page: Page;
let api: Api;
const problems: string[] = [];

function unwrap<T>(
  r: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } },
): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** Imports a fixture as new bytes (re-gzipped), so it is not a duplicate of a demo snapshot. */
async function importFixture(rel: string, name: string): Promise<SnapshotMeta> {
  const raw = readFileSync(join(FIXTURES, rel));
  const fresh = rel.endsWith('.gz') ? gzipSync(gunzipSync(raw), { level: 1 }) : raw;
  const bytes = new Uint8Array(fresh);
  return unwrap(await api.importSnapshot({ name, bytes })).snapshot;
}

async function activeTab(): Promise<string | null> {
  return page.getAttribute('[role=tab][aria-selected=true]', 'data-tab');
}

async function openLiveTab(): Promise<void> {
  await page.click('[data-tab=live]');
  await page.waitForSelector('[data-test=live-view]', { timeout: 30_000 });
  await waitForHook<LiveHook>(page, 'live', (h) => h.loaded, 30_000);
}

/**
 * Elements of the header, tab strip and toolbars that do not fit their box: sticking out of
 * their bar, clipped without an ellipsis and a tooltip, or wrapped onto a second line.
 */
async function overflowProblems(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const bars = document.querySelectorAll(
      '.titlebar, .tabs, .toolbar, .cmp-slots, .cmp-runs, .filterbar, .g-head, .live-section > header',
    );
    const label = (el: Element): string =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const bar of bars) {
      const b = bar.getBoundingClientRect();
      if (b.width === 0) continue;
      const barStyle = getComputedStyle(bar);
      const scrolls = barStyle.overflowX === 'auto' || barStyle.overflowX === 'scroll';
      for (const el of bar.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const st = getComputedStyle(el);
        if (st.visibility === 'hidden' || el.closest('option, select > *')) continue;
        if (!scrolls && (r.right > b.right + 1 || r.left < b.left - 1))
          out.push(`${label(el)} sticks out of ${label(bar).slice(0, 30)} sideways`);
        if (r.bottom > b.bottom + 1 || r.top < b.top - 1)
          out.push(`${label(el)} sticks out of ${label(bar).slice(0, 30)} vertically`);
        const clipped = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
        const ellipsis = st.textOverflow === 'ellipsis';
        const scrollable = st.overflowX === 'auto' || st.overflowX === 'scroll';
        if (clipped && !scrollable && el.tagName !== 'SELECT' && el.tagName !== 'INPUT') {
          if (!ellipsis)
            out.push(`${label(el)} is clipped (${el.scrollWidth} > ${el.clientWidth})`);
          else if (!el.getAttribute('title') && !el.closest('[title]'))
            out.push(`${label(el)} is cut with an ellipsis and no tooltip`);
        }
        // Text that wrapped: its text nodes' line boxes start at more than one height.
        for (const n of el.childNodes) {
          if (n.nodeType !== Node.TEXT_NODE || !(n.textContent ?? '').trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          const tops = new Set([...range.getClientRects()].map((q) => Math.round(q.top)));
          if (tops.size > 1) out.push(`${label(el)} wraps its text onto ${tops.size} lines`);
        }
        if (st.display === 'inline' && el.getClientRects().length > 1)
          out.push(`${label(el)} wraps onto ${el.getClientRects().length} lines`);
        if (
          (el.tagName === 'BUTTON' || el.tagName === 'KBD' || el.tagName === 'LABEL') &&
          st.whiteSpace !== 'nowrap' &&
          r.height > parseFloat(st.lineHeight || '0') * 1.8 + parseFloat(st.paddingTop) * 2 + 4 &&
          st.lineHeight !== 'normal'
        )
          out.push(`${label(el)} wraps (height ${Math.round(r.height)})`);
      }
    }
    return out;
  });
}

describe('the on-call workflow in Chromium, against the real Go target', () => {
  beforeAll(async () => {
    findGo();
    target = await startTarget({ mode: 'before' });
    serve = await startServe();
    api = createHttpApi({
      baseUrl: serve.origin,
      token: serve.token,
      fetch: fetch as unknown as FetchLike,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await target?.stop();
    await quiet?.stop();
  });

  it('first screen: the newest snapshot in its home tab, and one line on how to begin', async () => {
    const list = unwrap(await api.listSnapshots());
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((s) => s.source.type === 'demo')).toBe(true);
    const hint = page.locator('[data-test=demo-hint]');
    await expect.poll(() => hint.count()).toBe(1);
    const text = (await hint.textContent()) ?? '';
    expect(text).toMatch(/connect a service/i);
    expect(text).toMatch(/drop/i);
    // The newest snapshot (the top of the list) is selected, in its kind's home tab.
    const top = await page.getAttribute('[data-test=snapshot-list] .snap', 'data-id');
    await expect.poll(() => page.getAttribute('.snap[aria-selected=true]', 'data-id')).toBe(top);
    const newest = list.find((x) => x.id === top)!;
    const home = {
      trace: 'timeline',
      mutex: 'contention',
      block: 'contention',
      goroutine: 'goroutines',
    } as Record<string, string>;
    await expect.poll(activeTab).toBe(home[newest.kind] ?? 'flame');
    await page.screenshot({ path: screenshotPath('walk-first-screen') });
  });

  it('a double-click in the library opens mutex in Contention and a goroutine profile in Goroutines', async () => {
    const mutex = await importFixture('after/mutex.pb.gz', 'walk-mutex.pb.gz');
    const gor = await importFixture('after/goroutine.pb.gz', 'walk-goroutine.pb.gz');
    const trace = await importFixture('after/trace.out', 'walk-trace.out');
    await expect.poll(() => page.locator(`.snap[data-id="${trace.id}"]`).count()).toBe(1);
    // Imported files are listed by import time (the newest import on top), with the
    // profile's own, older time beside it.
    const ids = await page.$$eval('[data-test=snapshot-list] .snap', (els) =>
      els.map((e) => e.getAttribute('data-id')),
    );
    expect(ids.slice(0, 3)).toEqual([trace.id, gor.id, mutex.id]);
    expect(
      await page.locator(`.snap[data-id="${mutex.id}"] [data-test=profile-time]`).textContent(),
    ).toMatch(/^profile /);
    // Once imported files exist, the demo line goes.
    await expect.poll(() => page.locator('[data-test=demo-hint]').count()).toBe(0);
    await page.dblclick(`.snap[data-id="${mutex.id}"]`);
    await expect.poll(activeTab).toBe('contention');
    await page.dblclick(`.snap[data-id="${gor.id}"]`);
    await expect.poll(activeTab).toBe('goroutines');
    await page.dblclick(`.snap[data-id="${trace.id}"]`);
    await expect.poll(activeTab).toBe('timeline');
  });

  it('Open on a goroutine debug=2 capture from Live lands on Goroutines, not Compare', async () => {
    const t = unwrap(
      await api.saveTarget({ target: { name: 'orders (walk)', baseUrl: target.baseUrl } }),
    );
    unwrap(await api.connectTarget({ id: t.id }));
    await page.reload();
    await page.waitForSelector('[data-test=snapshot-list]');
    // The last picked tab was Compare: Open must still go to the snapshot's home tab.
    await page.click('[data-tab=compare]');
    await openLiveTab();
    const { captureId } = unwrap(
      await api.startCapture({ targetId: t.id, kind: 'goroutine-text' }),
    );
    const h = await waitForHook<LiveHook>(page, 'live', (x) =>
      x.captures.some((c) => c.captureId === captureId && c.state === 'done'),
    );
    const snapshotId = h.captures.find((c) => c.captureId === captureId)!.snapshotId!;
    await page.click(`[data-test=open-snapshot][data-snapshot-id="${snapshotId}"]`);
    await expect.poll(activeTab).toBe('goroutines');
    await expect
      .poll(() => page.getAttribute('.snap[aria-selected=true]', 'data-id'))
      .toBe(snapshotId);
    // Named as people say it: target · what · local time; the row names the target.
    const row = page.locator(`.snap[data-id="${snapshotId}"]`);
    const listed = unwrap(await api.listSnapshots()).find((x) => x.id === snapshotId)!;
    expect(listed.name).toMatch(/^orders \(walk\) · goroutine dump · \d\d:\d\d$/);
    // The row shows the target on its own, and the rest of the name beside the kind.
    expect(await row.locator('.name').textContent()).toMatch(/^goroutine dump · \d\d:\d\d$/);
    expect(await row.locator('[data-test=snapshot-target]').textContent()).toBe('orders (walk)');
    expect(await page.textContent('[data-test=current-snapshot] .name')).toMatch(
      /^orders \(walk\) · goroutine dump/,
    );
  });

  it('CPU against heap: the guard says why and no "Building the comparison…" spinner stays', async () => {
    const cpu = await importFixture('before/cpu.pb.gz', 'walk-cpu.pb.gz');
    const heap = await importFixture('before/heap.pb.gz', 'walk-heap.pb.gz');
    await expect.poll(() => page.locator(`.snap[data-id="${heap.id}"]`).count()).toBe(1);
    await page.click('[data-tab=compare]');
    await page.selectOption('[data-test=slot-before]', cpu.id);
    await page.selectOption('[data-test=slot-after]', heap.id);
    const view = page.locator('[data-test=compare-view]');
    await expect
      .poll(() => page.locator('[data-test=compare-blocked]').count(), { timeout: 20_000 })
      .toBe(1);
    expect(await page.textContent('[data-test=compare-blocked]')).toContain('share no sample type');
    expect(await view.textContent()).not.toContain('Building the comparison');
    await page.screenshot({ path: screenshotPath('walk-compare-not-comparable') });
  });

  it('recipe runs: ⇆ pairs with the same step of the previous run, "compare runs" lists every step pair', async () => {
    const t = unwrap(await api.listTargets()).find((x) => x.name === 'orders (walk)')!;
    const items = [
      { kind: 'cpu' as const, seconds: 1 },
      { kind: 'heap' as const, gc: true },
    ];
    const waitRun = async (groupId: string): Promise<SnapshotMeta[]> => {
      for (let i = 0; i < 300; i++) {
        const mine = unwrap(await api.listSnapshots()).filter((s) => s.groupId === groupId);
        if (mine.length === items.length) return mine;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`run ${groupId} did not finish`);
    };
    const before = unwrap(await api.startRecipe({ targetId: t.id, group: 'before', items }));
    const beforeSnaps = await waitRun(before.groupId);
    // An ad-hoc CPU capture between the runs: ⇆ used to pair with it.
    const adhocBefore = unwrap(await api.listSnapshots()).length;
    unwrap(await api.startCapture({ targetId: t.id, kind: 'cpu', seconds: 1 }));
    await expect
      .poll(async () => unwrap(await api.listSnapshots()).length, { timeout: 20_000 })
      .toBe(adhocBefore + 1);
    const after = unwrap(await api.startRecipe({ targetId: t.id, group: 'after', items }));
    const afterSnaps = await waitRun(after.groupId);
    const cpuBefore = beforeSnaps.find((s) => s.kind === 'cpu')!;
    const cpuAfter = afterSnaps.find((s) => s.kind === 'cpu')!;

    // The library filter matches run names (applied after the search box's pause).
    await page.fill('[data-test=library-search]', 'after');
    await expect
      .poll(() => page.locator(`.snap[data-id="${cpuBefore.id}"]`).count(), { timeout: 10_000 })
      .toBe(0);
    expect(await page.locator(`.snap[data-id="${cpuAfter.id}"]`).count()).toBe(1);
    await page.click(`.snap[data-id="${cpuAfter.id}"] [data-test=compare-previous]`);
    await page.fill('[data-test=library-search]', '');
    await expect.poll(activeTab).toBe('compare');
    await expect.poll(() => page.inputValue('[data-test=slot-before]')).toBe(cpuBefore.id);
    expect(await page.inputValue('[data-test=slot-after]')).toBe(cpuAfter.id);
    // The pickers name the run; the step pairs of both runs are one click each.
    expect(
      await page.textContent(`[data-test=slot-before] option[value="${cpuBefore.id}"]`),
    ).toContain('run before');
    const steps = await page.$$eval('[data-test=run-pairs] button', (bs) =>
      bs.map((b) => b.getAttribute('data-step')),
    );
    expect(steps).toEqual(['cpu:1s', 'heap:gc']);
    await page.click('[data-test=run-pairs] button[data-step="heap:gc"]');
    const heapBefore = beforeSnaps.find((s) => s.kind === 'heap')!;
    const heapAfter = afterSnaps.find((s) => s.kind === 'heap')!;
    await expect.poll(() => page.inputValue('[data-test=slot-before]')).toBe(heapBefore.id);
    expect(await page.inputValue('[data-test=slot-after]')).toBe(heapAfter.id);
    // "Compare runs" from the pickers does the same from scratch.
    await page.selectOption('[data-test=slot-before]', '');
    await page.selectOption('[data-test=run-before]', before.groupId);
    await page.selectOption('[data-test=run-after]', after.groupId);
    await page.click('[data-test=compare-runs-button]');
    await expect.poll(() => page.inputValue('[data-test=slot-before]')).toBe(cpuBefore.id);
    expect(await page.inputValue('[data-test=slot-after]')).toBe(cpuAfter.id);
    await page.screenshot({ path: screenshotPath('walk-compare-runs') });
  });

  it('an empty capture explains itself on the capture row and in the flame graph', async () => {
    quiet = await startTarget({ mode: 'before', noContentionRates: true });
    const t = unwrap(
      await api.saveTarget({ target: { name: 'orders (no rates)', baseUrl: quiet.baseUrl } }),
    );
    unwrap(await api.connectTarget({ id: t.id }));
    await page.reload();
    await page.waitForSelector('[data-test=snapshot-list]');
    await openLiveTab();
    await page.click(`[data-test=target-list] [data-target-id="${t.id}"]`);
    const { captureId } = unwrap(await api.startCapture({ targetId: t.id, kind: 'mutex' }));
    const h = await waitForHook<LiveHook>(page, 'live', (x) =>
      x.captures.some((c) => c.captureId === captureId && c.state === 'done'),
    );
    const snapshotId = h.captures.find((c) => c.captureId === captureId)!.snapshotId!;
    const row = page.locator(`[data-capture-id="${captureId}"]`);
    await expect
      .poll(() => row.locator('[data-test=capture-empty]').textContent(), { timeout: 10_000 })
      .toContain('runtime.SetMutexProfileFraction');
    await page.screenshot({ path: screenshotPath('walk-capture-empty') });
    await page.click(`[data-test=open-snapshot][data-snapshot-id="${snapshotId}"]`);
    await expect.poll(activeTab).toBe('contention');
    await page.click('[data-tab=flame]');
    await expect
      .poll(() => page.locator('[data-test=empty-profile]').textContent(), { timeout: 20_000 })
      .toContain('runtime.SetMutexProfileFraction');
    await page.screenshot({ path: screenshotPath('walk-flame-empty') });
  });

  it('a target restarted in place: the dashboard marks it and re-checks the target unasked', async () => {
    const t = unwrap(await api.listTargets()).find((x) => x.name === 'orders (walk)')!;
    await openLiveTab();
    await page.click(`[data-test=target-list] [data-target-id="${t.id}"]`);
    await page.selectOption('[data-test=poll-interval]', '1');
    const spark = page.locator('[data-test=sparkline][data-series=goroutines]');
    await expect
      .poll(async () => Number(await spark.getAttribute('data-points')), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    const checked = (await waitForHook<LiveHookFull>(page, 'live', () => true)).targets.find(
      (x) => x.id === t.id,
    )!.status!.checkedAt;
    expect(await page.locator('[data-test=restart-note]').count()).toBe(0);

    const addr = new URL(target.baseUrl).host;
    await target.stop();
    target = await startTarget({ mode: 'after', addr });
    await expect
      .poll(() => page.locator('[data-test=restart-note]').textContent(), { timeout: 30_000 })
      .toMatch(/^restarted at /);
    await expect
      .poll(async () => Number(await spark.getAttribute('data-restarts')), { timeout: 10_000 })
      .toBe(1);
    // The target's details were checked again without a click on Check.
    const h = await waitForHook<LiveHookFull>(page, 'live', (x) => {
      const st = x.targets.find((y) => y.id === t.id)?.status;
      return !!st && st.health === 'ok' && st.checkedAt !== checked;
    });
    expect(h.targets.find((y) => y.id === t.id)!.status!.health).toBe('ok');
    await page.screenshot({ path: shot('live-restart-1280-light') });

    // Capture again after the restart and compare with the run before it: the guard names
    // the restart instead of reporting the cumulative drop as a change.
    const items = [
      { kind: 'cpu' as const, seconds: 1 },
      { kind: 'heap' as const, gc: true },
    ];
    const run = unwrap(await api.startRecipe({ targetId: t.id, group: 'after restart', items }));
    let heapNew: SnapshotMeta | undefined;
    for (let i = 0; i < 300 && !heapNew; i++) {
      const mine = unwrap(await api.listSnapshots()).filter((x) => x.groupId === run.groupId);
      if (mine.length === items.length) heapNew = mine.find((x) => x.kind === 'heap');
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(heapNew).toBeDefined();
    await expect
      .poll(() => page.locator(`.snap[data-id="${heapNew!.id}"]`).count(), { timeout: 10_000 })
      .toBe(1);
    await page.click(`.snap[data-id="${heapNew!.id}"] [data-test=compare-previous]`);
    await expect.poll(activeTab).toBe('compare');
    await expect
      .poll(() => page.locator('[data-test=comparability]').textContent(), { timeout: 20_000 })
      .toContain('The target restarted between the two captures');
    await page.screenshot({ path: shot('compare-across-restart-1280-light') });
  });

  it('every tab at 1280×800 (and 1440×900 for the header): nothing in a bar overflows its box', async () => {
    const problems: string[] = [];
    const list = unwrap(await api.listSnapshots());
    const pick = (kind: string): SnapshotMeta =>
      list.find((x) => x.kind === kind && x.source.type !== 'demo') ??
      list.find((x) => x.kind === kind)!;
    const views: { tab: string; snapshot: SnapshotMeta | null }[] = [
      { tab: 'flame', snapshot: pick('heap') },
      { tab: 'top', snapshot: pick('heap') },
      { tab: 'flame', snapshot: pick('cpu') },
      { tab: 'compare', snapshot: null },
      { tab: 'contention', snapshot: pick('mutex') },
      { tab: 'goroutines', snapshot: pick('goroutine-text') },
      { tab: 'timeline', snapshot: pick('trace') },
      { tab: 'live', snapshot: null },
    ];
    for (const theme of ['light', 'dark'] as const) {
      await page.click(`[data-theme-choice=${theme}]`);
      for (const size of [
        { width: 1280, height: 800 },
        { width: 1440, height: 900 },
      ]) {
        await page.setViewportSize(size);
        for (const v of views) {
          if (v.snapshot) await page.click(`.snap[data-id="${v.snapshot.id}"]`);
          await page.click(`[data-tab=${v.tab}]`);
          await page.waitForTimeout(400);
          for (const p of await overflowProblems())
            problems.push(`${size.width}px ${v.tab} (${v.snapshot?.kind ?? '-'}): ${p}`);
          if (size.width === 1280 || v.tab === 'flame')
            await page.screenshot({
              path: shot(`${v.tab}-${v.snapshot?.kind ?? 'none'}-${size.width}-${theme}`),
            });
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect([...new Set(problems)]).toEqual([]);
  });

  it('the goroutine diff\'s "By state" table names each state once', async () => {
    const list = unwrap(await api.listSnapshots());
    const dumps = list.filter((x) => x.kind === 'goroutine-text' || x.kind === 'goroutine');
    expect(dumps.length).toBeGreaterThanOrEqual(2);
    await page.click('[data-tab=compare]');
    await page.selectOption('[data-test=slot-before]', dumps[1].id);
    await page.selectOption('[data-test=slot-after]', dumps[0].id);
    await page.click('[data-mode=goroutines]');
    const cells = page.locator('[data-test=goroutine-states] td.name');
    await expect.poll(() => cells.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const texts = (await cells.allTextContents()).map((t) => t.trim().replace(/\s+/g, ' '));
    expect(texts.filter((t) => /^(.+) \1$/.test(t))).toEqual([]);
    await page.screenshot({ path: shot('compare-goroutine-diff-1280-light') });
  });

  it('arrow keys move between the enabled tabs, as the WAI-ARIA tabs pattern says', async () => {
    const list = unwrap(await api.listSnapshots());
    const cpu = list.find((x) => x.kind === 'cpu')!;
    await page.click(`.snap[data-id="${cpu.id}"]`);
    await page.click('[data-tab=flame]');
    await page.focus('[data-tab=flame]');
    // One tab stop: only the selected tab is in the Tab order.
    expect(await page.$$eval('[role=tab][tabindex="0"]', (els) => els.length)).toBe(1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(activeTab).toBe('top');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-tab'))).toBe('top');
    await page.keyboard.press('ArrowRight');
    await expect.poll(activeTab).toBe('compare');
    // Contention, Goroutines and Timeline cannot show a CPU profile: skipped.
    await page.keyboard.press('ArrowRight');
    await expect.poll(activeTab).toBe('live');
    // The GC tab cannot show a CPU profile either; Insights can (it reads any snapshot set).
    await page.keyboard.press('ArrowRight');
    await expect.poll(activeTab).toBe('insights');
    await page.keyboard.press('ArrowRight');
    await expect.poll(activeTab).toBe('flame');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(activeTab).toBe('insights');
    await page.keyboard.press('Home');
    await expect.poll(activeTab).toBe('flame');
    await page.keyboard.press('End');
    await expect.poll(activeTab).toBe('insights');
  });

  it('a failed import names the file once, and its report clears', async () => {
    // Not a profile at all (a cut one is now stored, marked damaged): refused with a reason.
    const cut = join(tmpdir(), `walk-cut-${process.pid}.pb.gz`);
    writeFileSync(cut, '<html><body>sign in to continue</body></html>');
    try {
      await page.setInputFiles('[data-test=file-input]', cut);
      const bad = page.locator('[data-test=import-results] li.bad');
      await expect.poll(() => bad.count(), { timeout: 20_000 }).toBe(1);
      const text = ((await bad.textContent()) ?? '').trim();
      const name = `walk-cut-${process.pid}.pb.gz`;
      expect(text.startsWith(`${name}: `)).toBe(true);
      expect(text.split(name).length - 1).toBe(1);
      // Picking a snapshot ends the report; so does its × button.
      const selected = await page.getAttribute('.snap[aria-selected=true]', 'data-id');
      const other = unwrap(await api.listSnapshots()).find((x) => x.id !== selected)!;
      await page.click(`.snap[data-id="${other.id}"]`);
      await expect.poll(() => page.locator('[data-test=import-results]').count()).toBe(0);
      await page.setInputFiles('[data-test=file-input]', cut);
      await expect.poll(() => bad.count(), { timeout: 20_000 }).toBe(1);
      await page.click('[data-test=dismiss-import]');
      await expect.poll(() => page.locator('[data-test=import-results]').count()).toBe(0);
    } finally {
      rmSync(cut, { force: true });
    }
  });

  it('a view is a link: copied, opened again in another page, or naming a missing snapshot', async () => {
    const list = unwrap(await api.listSnapshots());
    const cpu =
      list.find((x) => x.kind === 'cpu' && x.source.type !== 'demo') ??
      list.find((x) => x.kind === 'cpu')!;
    await page.click(`.snap[data-id="${cpu.id}"]`);
    await page.click('[data-tab=flame]');
    await page.selectOption('[data-test=granularity]', 'files');
    await page.fill('[data-test=flame-search]', 'json');
    await page.press('[data-test=flame-search]', 'Enter');
    const full = await waitForHook<{ window: { x0: number; x1: number }; ready: boolean }>(
      page,
      'flame',
      (f) => f.ready,
    );
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: serve.origin,
    });
    await page.click('[data-test=copy-link]');
    await expect.poll(() => page.textContent('[data-test=copy-link]')).toContain('Copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const u = new URL(link);
    expect(u.origin).toBe(serve.origin);
    expect(u.search).toBe(''); // never the token
    const q = new URLSearchParams(u.hash.slice(1));
    expect(q.get('s')).toBe(cpu.id);
    expect(q.get('t')).toBe('flame');
    expect(q.get('g')).toBe('files');
    expect(q.get('q')).toBe('json');
    expect(q.get('st')).toBe('cpu');

    // Another page opens the same view (with its own token), zoomed as the link says.
    const x1 = Math.floor(full.window.x1 / 2);
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await other.goto(`${serve.url}${u.hash}&z=0,${x1}`);
      await other.waitForSelector('[data-test=snapshot-list]');
      await expect
        .poll(() => other.getAttribute('.snap[aria-selected=true]', 'data-id'))
        .toBe(cpu.id);
      await expect
        .poll(() => other.getAttribute('[role=tab][aria-selected=true]', 'data-tab'))
        .toBe('flame');
      expect(await other.inputValue('[data-test=granularity]')).toBe('files');
      expect(await other.inputValue('[data-test=flame-search]')).toBe('json');
      await expect
        .poll(async () => (await readHook<{ window: unknown }>(other, 'flame'))?.window, {
          timeout: 20_000,
        })
        .toEqual({ x0: 0, x1 });

      // A link to a snapshot this library does not have says so.
      await other.goto(`${serve.url}#s=gone-snapshot-42&t=flame`);
      await expect
        .poll(() => other.textContent('[data-test=link-problem]'), { timeout: 10_000 })
        .toContain('gone-snapshot-42');
      await other.screenshot({ path: shot('link-missing-1280-light') });
    } finally {
      await other.close();
    }
  });

  it('raised no page errors or dialogs', () => {
    expect(problems).toEqual([]);
  });
});

// The one flame pane where it is used, in Chromium against `pprof-studio serve`:
//  - the Esc race: a click zooms at once and asks the Worker for the frame's path; an Esc (or
//    Reset zoom) made before that answer arrives stays in force when it arrives. The answer
//    is held back by the page (the `node` replies of the Worker are kept until the test lets
//    them through), so the race is played out deterministically in the Flame tab, the
//    Contention tab and the trace's blocking profiles;
//  - the Compare panes keep a wheel zoom and a pan inside the graph, draw the Worker's
//    pixels, and draw a click's frame from what they computed ahead.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  readHook,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';

interface Item {
  name: string | null;
  node: number;
  depth: number;
  x: number;
  width: number;
  merged: boolean;
}
interface ValueWindow {
  x0: number;
  x1: number;
}
interface Pane {
  version: number;
  drawnVersion: number;
  /** The tree's total (a profile tree's pane): its whole graph is [0, |total|]. */
  total: number;
  window: ValueWindow;
  drawnWindow: ValueWindow;
  drawn: number;
  items: Item[];
  ahead: { kept: number; busy: boolean };
  drawTimes: Array<{ worker: boolean; ahead: boolean }>;
}
interface CompareState {
  status: string;
  trees: { fullWindows: Record<string, ValueWindow> } | null;
  windows: Record<string, ValueWindow>;
  anchor: number;
}

const AXIS = 22;
const ROW = 18;

/**
 * Installed before the app loads: replies of a Worker that answer `node` (a NodeInfo: a
 * `path`, `inlined` and a `width`) are kept while holding, and delivered on release.
 */
const LATE_NODE_REPLIES = `(() => {
  const Native = window.Worker;
  const held = [];
  let holding = false;
  window.__lateNode = {
    hold() { holding = true; },
    held() { return held.length; },
    release() { holding = false; for (const deliver of held.splice(0)) deliver(); },
  };
  const isNode = (d) =>
    d && d.type === 'ok' && d.value && Array.isArray(d.value.path) &&
    typeof d.value.inlined === 'boolean' && typeof d.value.width === 'number';
  window.Worker = class extends Native {
    set onmessage(fn) {
      super.onmessage = fn && ((ev) => {
        if (holding && isNode(ev.data)) held.push(() => fn.call(this, ev));
        else fn.call(this, ev);
      });
    }
    get onmessage() { return super.onmessage; }
  };
})();`;

let serve: ServeHandle;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const current = (p: Pane): boolean =>
  p.drawnVersion === p.version &&
  p.drawn > 0 &&
  p.drawnWindow.x0 === p.window.x0 &&
  p.drawnWindow.x1 === p.window.x1;

async function pick(name: string): Promise<void> {
  await page.locator('li.snap').filter({ hasText: name }).first().click();
  await expect
    .poll(() => page.locator('[data-test=current-snapshot] .name').textContent(), {
      timeout: 20_000,
    })
    .toBe(name);
}

/** Page coordinates of the middle of a drawn item of a pane (not flipped, not scrolled). */
async function pointOf(testId: string, p: Pane, it: Item): Promise<{ x: number; y: number }> {
  const box = await page.locator(`[data-test=${testId}] .flame-chart`).boundingBox();
  if (!box) throw new Error(`no ${testId} on the page`);
  const { x0, x1 } = p.window;
  const a = Math.max(it.x, x0);
  const b = Math.min(it.x + it.width, x1);
  return {
    x: box.x + (((a + b) / 2 - x0) / (x1 - x0)) * box.width,
    y: box.y + AXIS + it.depth * ROW + ROW / 2,
  };
}

/** A real frame narrower than the whole graph, wide enough to click. */
function clickable(p: Pane, full: ValueWindow): Item {
  const span = full.x1 - full.x0;
  const it = p.items
    .filter((i) => i.node > 0 && !i.merged && i.width < span * 0.999 && i.width > span * 0.01)
    .sort((a, b) => a.depth - b.depth || b.width - a.width)[0];
  if (!it) throw new Error('no frame to click in the flame graph');
  return it;
}

/**
 * Plays the race in the pane `flame:main`: a click (which zooms at once) asks the Worker for
 * its frame, that `node` answer is held, `undo` (Esc or Reset zoom) restores the whole graph,
 * then the answer arrives: the whole graph stays.
 */
async function escRace(undo: () => Promise<void>): Promise<void> {
  const p = await waitForHook<Pane>(page, 'flame:main', current);
  const full = { x0: 0, x1: Math.abs(p.total) };
  expect(p.window).toEqual(full);
  const it = clickable(p, full);
  await page.evaluate(() =>
    (window as never as { __lateNode: { hold(): void } }).__lateNode.hold(),
  );
  const pt = await pointOf('flame-main', p, it);
  await page.mouse.click(pt.x, pt.y);
  // The Worker's answer is on its way (held).
  await expect
    .poll(() =>
      page.evaluate(() =>
        (window as never as { __lateNode: { held(): number } }).__lateNode.held(),
      ),
    )
    .toBe(1);
  await undo();
  await waitForHook<Pane>(
    page,
    'flame:main',
    (x) => x.window.x0 === full.x0 && x.window.x1 === full.x1,
  );
  // The late answer arrives; its continuation runs before evaluate returns.
  await page.evaluate(() =>
    (window as never as { __lateNode: { release(): void } }).__lateNode.release(),
  );
  const after = (await readHook<Pane>(page, 'flame:main'))!;
  expect(after.window).toEqual(full);
  const drawn = await waitForHook<Pane>(page, 'flame:main', current);
  expect(drawn.window).toEqual(full);
}

describe('the flame pane in every view (Chromium)', () => {
  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 }, colorScheme: 'light' });
    await page.addInitScript(LATE_NODE_REPLIES);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list] .snap');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-test=snapshot-list] .snap').length >= 12,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('Flame tab: a late node answer does not undo Esc', async () => {
    await pick('orders-before-cpu.pb.gz');
    await page.click('[data-tab=flame]');
    await escRace(() => page.keyboard.press('Escape'));
  });

  it('Contention tab: a late node answer does not undo Esc', async () => {
    await pick('orders-before-mutex.pb.gz');
    await page.click('[data-tab=contention]');
    await escRace(() => page.keyboard.press('Escape'));
  });

  it('Blocking profiles: a late node answer does not undo Reset zoom', async () => {
    await pick('orders-before-trace.out');
    await page.click('[data-tab=timeline]');
    await page.click('[data-panel=profiles]', { timeout: 60_000 });
    await page.click('[data-profile=sync]');
    await escRace(() => page.click('[data-test=blocking-profiles] [data-test=reset-zoom]'));
  });

  describe('Compare panes', () => {
    const compare = (ok: (s: CompareState) => boolean) =>
      waitForHook<CompareState>(page, 'compare', ok);
    const pane = (name: string, ok: (p: Pane) => boolean = () => true) =>
      waitForHook<Pane>(page, `compare:${name}`, (p) => current(p) && ok(p));

    beforeAll(async () => {
      const row = page.locator('[data-test=snapshot-list] .snap', { hasText: 'orders-after-cpu' });
      await row.hover();
      await row.locator('[data-test=compare-previous]').click();
      await compare((s) => s.status === 'ready' && s.trees !== null);
    });

    it('keep a wheel zoom-out and a pan inside the graph', async () => {
      const full = (await compare((s) => s.anchor === 0)).trees!.fullWindows.before!;
      const box = (await page
        .locator('[data-test=compare-pane-before] .flame-chart')
        .boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + 120);
      const zoomIn = async (): Promise<ValueWindow> => {
        const was = (await pane('before')).window;
        await page.keyboard.down('Control');
        await page.mouse.wheel(0, -600);
        await page.keyboard.up('Control');
        return (await pane('before', (p) => p.window.x1 - p.window.x0 < was.x1 - was.x0)).window;
      };
      // Zoom out far past the whole graph: the window stops at it.
      const zoomed = await zoomIn();
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, 3000);
      await page.keyboard.up('Control');
      const out = await pane('before', (p) => p.window.x1 - p.window.x0 > zoomed.x1 - zoomed.x0);
      expect(out.window).toEqual(full);
      expect((await compare(() => true)).windows.before).toEqual(full);
      // Pan far past the end: the window stops at it, as wide as it was.
      const w = await zoomIn();
      await page.keyboard.down('Shift');
      await page.mouse.wheel(0, 50_000);
      await page.keyboard.up('Shift');
      const panned = await pane('before', (p) => p.window.x0 > w.x0);
      expect(panned.window.x0).toBeGreaterThanOrEqual(full.x0);
      expect(panned.window.x1).toBeLessThanOrEqual(full.x1 * (1 + 1e-12));
      const close = (a: number, b: number) => Math.abs(a - b) <= (full.x1 - full.x0) * 1e-12;
      expect(close(panned.window.x1, full.x1), `${panned.window.x1} ends the graph`).toBe(true);
      expect(close(panned.window.x1 - panned.window.x0, w.x1 - w.x0)).toBe(true);
      // And back past the start.
      await page.keyboard.down('Shift');
      await page.mouse.wheel(0, -50_000);
      await page.keyboard.up('Shift');
      const back = await pane('before', (p) => p.window.x0 < panned.window.x0);
      expect(back.window.x0).toBe(full.x0);
      await page.click('[data-test=compare-reset-zoom]');
      await compare((s) => s.anchor === 0 && s.windows.before!.x0 === full.x0);
    });

    it('draw the Worker’s pixels, and a click’s frame from what they computed ahead', async () => {
      const full = (await compare((s) => s.anchor === 0)).trees!.fullWindows.before!;
      const p = await pane('before', (x) => x.window.x0 === full.x0 && x.window.x1 === full.x1);
      // Still for a moment: the frames a click would zoom to are asked ahead and kept.
      const ready = await waitForHook<Pane>(
        page,
        'compare:before:state',
        (x) => current(x) && x.ahead.kept > 0 && !x.ahead.busy,
      );
      expect(ready.drawTimes.at(-1)!.worker).toBe(true);
      // The frame zoom ahead picks first: the widest on screen narrower than the window.
      const span = p.window.x1 - p.window.x0;
      const seen = (i: Item) => Math.min(i.x + i.width, p.window.x1) - Math.max(i.x, p.window.x0);
      const target = p.items
        .filter((i) => i.node > 0 && !i.merged && i.width > 0 && i.width < span)
        .sort((a, b) => seen(b) - seen(a))[0];
      const pt = await pointOf('compare-pane-before', p, target);
      await page.mouse.click(pt.x, pt.y);
      await compare((s) => s.anchor === target.node);
      const zoomed = await waitForHook<Pane>(
        page,
        'compare:before:state',
        (x) => current(x) && x.window.x0 === target.x,
      );
      const frame = zoomed.drawTimes.at(-1)!;
      expect(frame.ahead).toBe(true);
      expect(frame.worker).toBe(true);
      await page.click('[data-test=compare-reset-zoom]');
      await compare((s) => s.anchor === 0);
    });
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});

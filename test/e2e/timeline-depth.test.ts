// The Timeline's GC and MMU panel and its CPU samples, in Chromium against `pprof-studio serve`,
// on the demo trace it seeds (written by test/targets/orders while a CPU profile ran):
//   - the GC panel shows the cycles and pause figures core's gcSummary/gcCycles give for the same
//     bytes (checked against Go's reader in test/unit/trace/gc-cycles.test.ts) and the MMU at
//     1 ms…1 s that core's mmu gives (checked against go tool trace's MMU data in
//     test/integration/trace-mmu-oracle.test.ts); options and the visible-window scope change
//     the figures; clicking a cycle shows it on the timeline;
//   - the goroutine and P lanes carry one mark per pixel column holding CPU samples, with
//     exactly the samples core finds per lane in the window (core's counts equal Go's reader:
//     test/unit/trace/cpu-samples.test.ts); the CPU samples panel shows the flame graph of the
//     visible window's samples, its total the window's sample count, following the window.
// Screenshots at 1280×800 and 1440×900, light and dark, go to /work/shots/tracea when /work/shots
// exists (the "Show it"), else to test-results/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRange } from '../../core/trace/cpu-samples';
import { gcCycles, gcSummary } from '../../core/trace/gc-cycles';
import { DEFAULT_MMU_FLAGS, mmu, mmuCurve, mutatorUtilization } from '../../core/trace/mmu';
import type { TraceModel } from '../../core/trace/model';
import { parseTrace } from '../../core/trace/parse';
import {
  launchChromium,
  readHook,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';

const TRACE = 'orders-before-trace.out';

interface State {
  status: string;
  panel: string;
  view: {
    window: { t0: number; t1: number };
    drawnWindow: { t0: number; t1: number };
    visibleTitles: string[];
    visibleLanes: { first: number; end: number };
    frameSamples: { lane: number; n: number }[];
    sampleMarks: number;
  } | null;
  gc: {
    scope: string;
    flags: Record<string, boolean>;
    cycles: number | null;
    summary: ReturnType<typeof gcSummary> | null;
    mmuAt: { windowNs: number; mmu: number }[] | null;
    points: number | null;
  } | null;
  cpu: {
    samples: number | null;
    t0: number | null;
    t1: number | null;
    total: number;
    tree: { total: number } | null;
  } | null;
}

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let model: TraceModel;
const problems: string[] = [];

function shot(name: string): string {
  if (existsSync('/work/shots')) {
    mkdirSync('/work/shots/tracea', { recursive: true });
    return join('/work/shots/tracea', `${name}.png`);
  }
  return screenshotPath(name);
}

const state = (ok: (s: State) => boolean): Promise<State> =>
  waitForHook<State>(page, 'timeline', ok, 60_000);

async function traceBytes(): Promise<Uint8Array> {
  const h = { 'x-pprof-studio-token': serve.token };
  const list = (await (
    await fetch(`${serve.origin}/api/listSnapshots`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { value: { id: string; name: string }[] };
  const meta = list.value.find((m) => m.name === TRACE)!;
  const r = await fetch(`${serve.origin}/api/snapshots/${encodeURIComponent(meta.id)}/bytes`, {
    headers: h,
  });
  return new Uint8Array(await r.arrayBuffer());
}

/** Samples per lane title ("G<id>" for goroutines, "P<id>" for Ps) in [t0, t1), from core. */
function samplesByLane(t0: number, t1: number): Map<string, number> {
  const [a, b] = sampleRange(model, t0, t1);
  const m = new Map<string, number>();
  const add = (k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (let i = a; i < b; i++) {
    const g = model.samples.goroutine[i];
    const p = model.samples.proc[i];
    if (g >= 0) add(`G${model.goroutines.id[g]}`);
    if (p >= 0) add(`P${model.procs.id[p]}`);
  }
  return m;
}

/** Screenshots of the current view at both sizes in both themes, named PREFIX-THEME-WxH. */
async function screenshots(prefix: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.click(`[data-theme-choice=${theme}]`);
    for (const [w, h] of [
      [1280, 800],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(600);
      await page.screenshot({ path: shot(`${prefix}-${theme}-${w}x${h}`) });
    }
  }
  await page.click('[data-theme-choice=light]');
  await page.setViewportSize({ width: 1280, height: 800 });
}

beforeAll(async () => {
  serve = await startServe();
  model = parseTrace(await traceBytes());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await page.goto(serve.url);
  await page.waitForSelector('[data-test=snapshot-list]');
  await page.click('[data-theme-choice=light]');
  await page
    .locator('li.snap')
    .filter({ has: page.locator('.name', { hasText: TRACE }) })
    .first()
    .click();
  await page.click('[data-tab=timeline]');
  await state((s) => s.status === 'ready' && !!s.view);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('GC and MMU panel (demo trace)', () => {
  it("shows every cycle, the pause summary and the MMU core computes (Go's figures)", async () => {
    await page.click('[data-panel=gc]');
    const s = await state((x) => x.panel === 'gc' && !!x.gc?.summary && !!x.gc.mmuAt);
    const want = gcSummary(model);
    expect(s.gc!.summary).toEqual(want);
    expect(s.gc!.cycles).toBe(gcCycles(model).length);
    expect(want.gcCount).toBeGreaterThan(2);
    const curve = mmuCurve(mutatorUtilization(model, DEFAULT_MMU_FLAGS));
    const marks = [1e6, 1e7, 1e8, 1e9].filter((w) => w <= curve.end - curve.start);
    expect(s.gc!.mmuAt).toEqual(marks.map((w) => ({ windowNs: w, mmu: mmu(curve, w) })));
    expect(s.gc!.points).toBe(100);
    await expect
      .poll(() => page.locator('[data-test=gc-cycles] .gc-row').count())
      .toBe(s.gc!.cycles);
    const text = await page.locator('[data-test=gc-count]').textContent();
    expect(text).toContain(`${want.gcCount} GCs`);
    // Go's curve for this trace ends where utilization falls to 0 for good: the panel says so.
    const u = mutatorUtilization(model, DEFAULT_MMU_FLAGS)[0];
    expect(u.time[u.time.length - 1]).toBeLessThan(model.durationNs / 2);
    await expect
      .poll(() => page.locator('[data-test=mmu-zero]').textContent())
      .toContain('uncheck background');
    // The chart drew (ECharts canvas).
    expect(await page.locator('.tl-gc-chart canvas').count()).toBeGreaterThan(0);
  });

  it('an option changes the curve as core computes it', async () => {
    await page.click('[data-flag=stw]');
    await page.click('[data-flag=background]');
    await page.click('[data-flag=assist]');
    await page.click('[data-flag=sweep]');
    const s = await state((x) => !!x.gc && x.gc.flags.sweep && !x.gc.flags.stw && !!x.gc.mmuAt);
    const only = { stw: false, background: false, assist: false, sweep: true, perProc: false };
    const curve = mmuCurve(mutatorUtilization(model, only));
    await expect
      .poll(async () => (await readHook<State>(page, 'timeline'))!.gc!.mmuAt![0].mmu)
      .toBe(mmu(curve, 1e6));
    expect(s.gc!.flags.sweep).toBe(true);
    for (const f of ['stw', 'background', 'assist', 'sweep']) await page.click(`[data-flag=${f}]`);
    await state((x) => !!x.gc && x.gc.flags.stw && !x.gc.flags.sweep);
  });

  it('clicking a cycle shows it on the timeline; the window scope follows it', async () => {
    const c = gcCycles(model);
    const i = Math.min(2, c.length - 1);
    await page.click(`[data-test=gc-cycles] [data-cycle="${i}"]`);
    const s = await state(
      (x) =>
        !!x.view &&
        x.view.window.t0 <= c.start[i] &&
        x.view.window.t1 >= c.end[i] &&
        x.view.window.t1 - x.view.window.t0 < model.durationNs / 4,
    );
    await page.click('[data-scope=window]');
    const { t0, t1 } = s.view!.window;
    const w = await state(
      (x) => x.gc?.scope === 'window' && !!x.gc.summary && x.gc.summary.t0 === Math.max(0, t0),
    );
    expect(w.gc!.summary).toEqual(
      gcSummary(model, Math.max(0, t0), Math.min(model.durationNs, t1)),
    );
    expect(w.gc!.summary!.gcCount).toBe(1);
    await page.click('[data-scope=trace]');
    await state((x) => x.gc?.scope === 'trace' && x.gc.summary?.t0 === 0);
  });

  it('screenshots: 1280×800 and 1440×900, light and dark', async () => {
    await screenshots('gc-panel');
    expect(problems).toEqual([]);
  });
});

describe('CPU samples in the Timeline (demo trace)', () => {
  it('marks the samples on the goroutine and P lanes, as many as core finds per lane', async () => {
    expect(model.samples.length).toBeGreaterThan(20);
    const s = await state(
      (x) =>
        !!x.view &&
        x.view.drawnWindow.t1 === x.view.window.t1 &&
        x.view.drawnWindow.t0 === x.view.window.t0 &&
        x.view.sampleMarks > 0,
    );
    const { t0, t1 } = s.view!.window;
    const want = samplesByLane(t0, t1);
    // Per drawn lane (titles "G<id> name", "P<id>"), the frame's marks sum to its samples.
    const got = new Map<string, number>();
    for (const m of s.view!.frameSamples) {
      const title = s.view!.visibleTitles[m.lane - s.view!.visibleLanes.first];
      if (!title) continue;
      const key = /^[GP]\d+/.exec(title)![0];
      got.set(key, (got.get(key) ?? 0) + m.n);
    }
    expect([...got.keys()].some((k) => k.startsWith('P'))).toBe(true);
    for (const [key, n] of got) expect(n, key).toBe(want.get(key));
    for (const t of s.view!.visibleTitles) {
      const key = /^[GP]\d+/.exec(t)![0];
      expect(got.get(key) ?? 0, key).toBe(want.get(key) ?? 0);
    }
  });

  it('flame graph of the samples in the visible window, following the window', async () => {
    await page.click('[data-panel=cpu]');
    let s = await state(
      (x) => x.panel === 'cpu' && !!x.cpu?.tree && x.cpu.t1 === x.view!.window.t1,
    );
    let [a, b] = sampleRange(model, s.cpu!.t0!, s.cpu!.t1!);
    expect(s.cpu!.samples).toBe(b - a);
    expect(s.cpu!.tree!.total).toBe(b - a);
    expect(s.cpu!.total).toBe(model.samples.length);
    await expect
      .poll(() => page.locator('[data-test=cpu-samples] canvas').count())
      .toBeGreaterThan(0);
    await page.screenshot({ path: shot('cpu-samples-whole-light-1280x800') });
    // Zoom the timeline to the GC cycle with the most samples: the flame follows.
    const c = gcCycles(model);
    let best = 0;
    for (let i = 1; i < c.length; i++) {
      const n = (x: number): number => {
        const [p, q] = sampleRange(model, c.start[x], c.end[x]);
        return q - p;
      };
      if (n(i) > n(best)) best = i;
    }
    await page.click('[data-panel=gc]');
    await page.click(`[data-test=gc-cycles] [data-cycle="${best}"]`);
    await state((x) => !!x.view && x.view.window.t1 - x.view.window.t0 < model.durationNs / 4);
    await page.click('[data-panel=cpu]');
    s = await state(
      (x) =>
        x.panel === 'cpu' &&
        !!x.cpu &&
        x.cpu.t1 === x.view!.window.t1 &&
        x.cpu.t0 === x.view!.window.t0 &&
        x.cpu.samples !== null,
    );
    [a, b] = sampleRange(model, s.cpu!.t0!, s.cpu!.t1!);
    expect(s.cpu!.samples).toBe(b - a);
    expect(b - a).toBeLessThan(model.samples.length);
  });

  it('screenshots: 1280×800 and 1440×900, light and dark', async () => {
    // The goroutines that ran the sampled code, over the whole trace.
    await page.fill('[data-test=timeline-filter]', 'service');
    await page.press('[data-test=timeline-filter]', 'Enter');
    await page.click('button:has-text("Fit")');
    await state(
      (x) =>
        (x.view?.sampleMarks ?? 0) > 10 &&
        x.view!.window.t1 - x.view!.window.t0 === model.durationNs &&
        x.cpu?.samples === model.samples.length &&
        !!x.cpu.tree,
    );
    await screenshots('cpu-samples');
    expect(problems).toEqual([]);
  });
});

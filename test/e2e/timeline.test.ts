// The Timeline tab in Chromium against `pprof-studio serve`, on the demo execution trace it
// seeds (orders-before-trace.out, written by the real Go target test/targets/orders):
//   - the trace opens in its Worker and lanes are drawn;
//   - the goroutine analysis shows, per goroutine, the running time `pprof-studio trace --json`
//     prints for the same bytes (the CLI's numbers are checked against Go's reader elsewhere);
//   - zooming (toolbar and mouse wheel) narrows the window while the drawn items stay within
//     the level-of-detail bound;
//   - clicking a span shows its details; "unblocked by" jumps to the unblocker's lane;
//   - filtering by start function, jumping from the analysis table, the scheduler-latency
//     histogram and a blocking profile in the flame graph;
//   - a truncated trace shows its warning, a broken one a clear error.
// Screenshots (zoomed out and in, light and dark) go to test-results/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  launchChromium,
  readHook,
  screenshotPath,
  startServe,
  waitForHook,
  type ServeHandle,
} from '../helpers/browser';
import { TIMELINE_THEMES } from '../../renderer/src/charts/timeline-theme';
import { formatDuration } from '../../core/view/format';
import { decodeProfile } from '../../core/pprof/decode';
import { findGo } from '../helpers/go-target';

interface SpanHit {
  ref: number;
  lane: number;
  cls: string;
  x: number;
  y: number;
  width: number;
}
interface ViewState {
  window: { t0: number; t1: number };
  drawnWindow: { t0: number; t1: number };
  widthPx: number;
  plot: { x: number; y: number; width: number; height: number } | null;
  laneCount: number;
  lanesVersion: number;
  frameLanesVersion: number;
  visibleLanes: { first: number; end: number };
  visibleTitles: string[];
  drawn: number;
  itemBound: number;
  frames: number;
  overlay: { gc: number; stw: number } | null;
  gcBands: { t0: number; t1: number; x: number; y: number; width: number }[];
  spans: SpanHit[];
}
interface TableRow {
  goroutine: number;
  id: number;
  name: string;
  count: number;
  execNs: number;
}
interface TimelineState {
  status: string;
  phase: string;
  error: { kind: string; message: string } | null;
  info: {
    goVersion: string;
    durationNs: number;
    goroutines: number;
    procs: number;
    gcCount: number;
    warnings: { kind: string; message: string }[];
  } | null;
  filter: string;
  lanes: {
    version: number;
    filter: string;
    length: number;
    procLanes: number;
    goroutineLanes: number;
  } | null;
  view: ViewState | null;
  selected: {
    ref: number;
    goroutine: number;
    goroutineId: number;
    goroutineName: string;
    state: string;
    start: number;
    end: number;
    stack: number;
    unblockedById: number;
  } | null;
  highlightLane: number;
  marker: number | null;
  panel: string;
  table: { by: string; sort: string; desc: boolean; total: number; rows: TableRow[] } | null;
  latency: {
    count: number;
    bars: number;
    p50: number;
    p99: number;
    maxNs: number;
    sumNs: number;
  } | null;
}
interface CliTrace {
  goVersion: string;
  durationNs: number;
  gcCount: number;
  goroutines: { id: number; startFunction: string; runningNs: number }[];
}

const TRACE = 'orders-before-trace.out';

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let tmp: string;
let file: string;
let cli: CliTrace;
const problems: string[] = [];

const headers = (): Record<string, string> => ({ 'x-pprof-studio-token': serve.token });

/** The bytes the app opens for a library snapshot, saved for the CLI. */
async function served(name: string): Promise<string> {
  const list = (await (
    await fetch(`${serve.origin}/api/listSnapshots`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { ok: boolean; value: { id: string; name: string }[] };
  expect(list.ok).toBe(true);
  const meta = list.value.find((m) => m.name === name);
  if (!meta) throw new Error(`the library has no snapshot named ${name}`);
  const r = await fetch(`${serve.origin}/api/snapshots/${encodeURIComponent(meta.id)}/bytes`, {
    headers: headers(),
  });
  expect(r.status).toBe(200);
  const to = join(tmp, name);
  writeFileSync(to, Buffer.from(await r.arrayBuffer()));
  return to;
}

async function importBytes(name: string, bytes: Uint8Array): Promise<string> {
  const r = await fetch(`${serve.origin}/api/importSnapshot?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { ...headers(), 'content-type': 'application/octet-stream' },
    body: Buffer.from(bytes),
  });
  const j = (await r.json()) as {
    ok: boolean;
    value?: { snapshot: { id: string } };
    error?: unknown;
  };
  if (!j.ok || !j.value) throw new Error(`import of ${name} failed: ${JSON.stringify(j.error)}`);
  return j.value.snapshot.id;
}

async function pickId(id: string, name: string): Promise<void> {
  await page.waitForSelector(`li.snap[data-id="${id}"]`, { timeout: 30_000 });
  await page.click(`li.snap[data-id="${id}"]`);
  await expect
    .poll(() => page.locator('[data-test=current-snapshot] .name').textContent(), {
      timeout: 20_000,
    })
    .toBe(name);
}

async function pick(name: string): Promise<void> {
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page
    .locator('li.snap')
    .filter({ has: page.locator('.name', { hasText: exact }) })
    .first()
    .click();
  await expect
    .poll(() => page.locator('[data-test=current-snapshot] .name').textContent(), {
      timeout: 20_000,
    })
    .toBe(name);
}

async function timeline(
  ok: (s: TimelineState) => boolean,
  timeoutMs = 60_000,
): Promise<TimelineState> {
  return waitForHook<TimelineState>(page, 'timeline', ok, timeoutMs);
}

/** Drawn from the frame for the current window and lane list, counters and bands included. */
function settled(s: TimelineState): boolean {
  const v = s.view;
  return (
    s.status === 'ready' &&
    !!v &&
    s.lanes?.filter === s.filter &&
    !!v.overlay &&
    v.frameLanesVersion === s.lanes?.version &&
    v.drawnWindow.t0 === v.window.t0 &&
    v.drawnWindow.t1 === v.window.t1
  );
}

async function settle(ok: (s: TimelineState) => boolean = () => true): Promise<TimelineState> {
  const s = await timeline((x) => settled(x) && ok(x));
  // One more animation frame so the canvas shows what the hook describes.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  return s;
}

function expectBounded(v: ViewState): void {
  expect(v.drawn).toBeGreaterThan(0);
  expect(v.drawn).toBeLessThanOrEqual(v.itemBound);
  // The bound itself: visible lanes x (2 x width / 2 px + 2), whatever the trace holds.
  const lanes = v.visibleLanes.end - v.visibleLanes.first;
  expect(v.itemBound).toBe(lanes * (2 * Math.ceil(v.widthPx / 2) + 2));
}

/** Text of the first element matching sel, polled until it satisfies ok. */
async function pollText(sel: string, ok: (t: string) => boolean): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        last = (await page.locator(sel).first().textContent({ timeout: 20_000 })) ?? '';
        return ok(last);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return last;
}

async function visible(sel: string): Promise<void> {
  await expect.poll(() => page.locator(sel).first().isVisible(), { timeout: 20_000 }).toBe(true);
}

/** Shows the whole trace, then clicks GC band i (which zooms to it) and wheels in on it. */
async function zoomIntoGc(i: number): Promise<TimelineState> {
  await page.click('button:has-text("Fit")');
  const full = await settle((x) => x.view!.window.t1 - x.view!.window.t0 === cli.durationNs);
  const band = full.view!.gcBands[i];
  expect(band, `GC band ${i}`).toBeDefined();
  await page.mouse.click(band.x, band.y);
  const pad = Math.max((band.t1 - band.t0) * 0.15, 1000);
  let s = await settle((x) => Math.abs(x.view!.window.t0 - Math.max(0, band.t0 - pad)) < 1e3);
  expect(s.view!.window.t1).toBeGreaterThanOrEqual(band.t1);
  const plot = s.view!.plot!;
  const span = s.view!.window.t1 - s.view!.window.t0;
  await page.mouse.move(plot.x + plot.width / 2, plot.y + 80);
  for (let k = 0; k < 6; k++) {
    await page.mouse.wheel(0, -150);
    await page.waitForTimeout(40);
  }
  s = await settle((x) => x.view!.window.t1 - x.view!.window.t0 < span * 0.9);
  return s;
}

/** Scrolls the lanes back to the top (wheel over the lane labels scrolls them). */
async function lanesToTop(): Promise<void> {
  const plot = (await readHook<TimelineState>(page, 'timeline'))!.view!.plot!;
  await page.mouse.move(plot.x - 100, plot.y + 60);
  await page.mouse.wheel(0, -1e6);
  await timeline((x) => x.view?.visibleLanes.first === 0);
}

async function setTheme(t: 'light' | 'dark'): Promise<void> {
  const before = (await readHook<TimelineState>(page, 'timeline'))?.view?.frames ?? 0;
  await page.click(`[data-theme-choice=${t}]`);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(t);
  await timeline((s) => settled(s) && (s.view?.frames ?? 0) > before);
}

describe('Timeline tab in Chromium (demo trace)', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pprof-studio-e2e-tl-'));
    serve = await startServe();
    file = await served(TRACE);
    cli = JSON.parse(
      execFileSync(
        process.execPath,
        [join(ROOT, 'bin', 'pprof-studio.cjs'), 'trace', file, '--json'],
        {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        },
      ),
    ) as CliTrace;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 950 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
    await page.click('[data-theme-choice=light]');
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('opens the demo trace: lanes, counters, GC and STW bands', async () => {
    await pick(TRACE);
    await page.click('[data-tab=timeline]');
    const s = await settle();
    expect(s.error).toBeNull();
    expect(s.info!.goVersion).toBe(cli.goVersion);
    expect(s.info!.durationNs).toBe(cli.durationNs);
    expect(s.info!.gcCount).toBe(cli.gcCount);
    expect(s.info!.goroutines).toBe(cli.goroutines.length);
    expect(s.info!.warnings).toEqual([]);
    const v = s.view!;
    expect(v.window).toEqual({ t0: 0, t1: cli.durationNs });
    expect(v.laneCount).toBe(s.info!.procs + cli.goroutines.length);
    expect(v.visibleTitles[0]).toMatch(/^P\d+$/);
    expect(v.visibleTitles).toContain('G1 main.main');
    expect(v.overlay!.gc).toBeGreaterThan(0);
    expect(v.overlay!.stw).toBeGreaterThan(0);
    expectBounded(v);
    await pollText('[data-test=timeline-legend]', (t) => t.includes('blocked: network'));
    await page.screenshot({ path: screenshotPath('timeline-zoomed-out-light') });
  });

  it('shows the CLI’s running time per goroutine in the analysis table, sortable', async () => {
    const s = await timeline((x) => (x.table?.rows.length ?? 0) > 0);
    expect(s.table!.by).toBe('goroutine');
    expect(s.table!.total).toBe(cli.goroutines.length);
    const byId = new Map(cli.goroutines.map((g) => [g.id, g]));
    // Largest execution first, each equal to the CLI's runningNs for that goroutine.
    const top = [...cli.goroutines].sort((a, b) => b.runningNs - a.runningNs)[0];
    expect(s.table!.rows[0].id).toBe(top.id);
    expect(s.table!.rows[0].execNs).toBe(top.runningNs);
    for (const r of s.table!.rows) {
      expect(r.execNs, `G${r.id}`).toBe(byId.get(r.id)!.runningNs);
      expect(r.name).toBe(byId.get(r.id)!.startFunction);
    }
    // The cell shows the same number (pprof's formatting).
    const cell = page.locator(`[data-goroutine="${top.id}"] [data-col=exec]`);
    expect(await cell.getAttribute('data-ns')).toBe(String(top.runningNs));
    expect((await cell.textContent())?.trim()).toBe(formatDuration(top.runningNs));
    // Sorting by goroutine id, ascending.
    await page.click('[data-test=analysis-goroutine] [data-sort=id]');
    const sorted = await timeline((x) => x.table?.sort === 'id' && x.table.rows.length > 0);
    const ids = sorted.table!.rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const r of sorted.table!.rows) expect(r.execNs).toBe(byId.get(r.id)!.runningNs);
    await page.click('[data-test=analysis-goroutine] [data-sort=exec]');
    await timeline((x) => x.table?.sort === 'exec' && x.table.desc);
  });

  it('zooms in with the toolbar and the wheel; drawn items stay bounded', async () => {
    const before = (await settle()).view!;
    for (let i = 0; i < 3; i++) await page.click('[data-test=zoom-in]');
    let s = await settle((x) => x.view!.window.t1 - x.view!.window.t0 < cli.durationNs / 7);
    const eighth = (s.view!.window.t1 - s.view!.window.t0) / (cli.durationNs / 8);
    expect(eighth).toBeGreaterThan(0.99);
    expect(eighth).toBeLessThan(1.01);
    expectBounded(s.view!);
    const plot = s.view!.plot!;
    const span0 = s.view!.window.t1 - s.view!.window.t0;
    await page.mouse.move(plot.x + plot.width * 0.5, plot.y + 80);
    for (let i = 0; i < 10; i++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(40);
    }
    s = await settle((x) => x.view!.window.t1 - x.view!.window.t0 < span0 / 2);
    const v = s.view!;
    expect(v.window.t0).toBeGreaterThanOrEqual(0);
    expect(v.window.t1).toBeLessThanOrEqual(cli.durationNs);
    expect(v.window.t1 - v.window.t0).toBeLessThan((before.window.t1 - before.window.t0) / 16);
    expectBounded(v);
    await pollText(
      '[data-test=window-span]',
      (t) => t.trim() === `window ${formatDuration(v.window.t1 - v.window.t0)}`,
    );
    // Into a GC cycle (clicking its band zooms to it): the busiest part of the trace.
    const gc = await zoomIntoGc(1);
    expectBounded(gc.view!);
    expect(gc.view!.window.t1 - gc.view!.window.t0).toBeLessThan(cli.durationNs / 10);
    // The service's workers and the GC's mark workers during that cycle.
    await page.fill('[data-test=timeline-filter]', 'worker');
    await page.press('[data-test=timeline-filter]', 'Enter');
    const workers = await settle((x) => x.filter === 'worker');
    expectBounded(workers.view!);
    expect(workers.view!.window).toEqual(gc.view!.window);
    await page.screenshot({ path: screenshotPath('timeline-zoomed-in-light') });
    await page.fill('[data-test=timeline-filter]', '');
    await page.press('[data-test=timeline-filter]', 'Enter');
    await settle((x) => x.filter === '');
  });

  it('shows span details on click, and jumps to the goroutine that unblocked it', async () => {
    // Goroutines that block on channels and locks and are woken by others.
    await page.fill('[data-test=timeline-filter]', 'reserveAll');
    await page.press('[data-test=timeline-filter]', 'Enter');
    let s = await settle((x) => x.filter === 'reserveAll');
    expect(s.lanes!.goroutineLanes).toBeGreaterThan(0);
    expect(s.lanes!.goroutineLanes).toBeLessThan(cli.goroutines.length);
    for (const t of s.view!.visibleTitles.slice(s.lanes!.procLanes))
      expect(t).toContain('reserveAll');
    await page.click('button:has-text("Fit")');
    s = await settle((x) => x.view!.window.t1 - x.view!.window.t0 === cli.durationNs);
    const candidates = s.view!.spans.filter((h) => h.cls.startsWith('blocked'));
    expect(candidates.length).toBeGreaterThan(0);
    let found: TimelineState | null = null;
    for (const h of candidates.slice(0, 12)) {
      await page.mouse.click(h.x, h.y);
      const d = await timeline((x) => x.selected?.ref === h.ref);
      expect(d.selected!.state).toBe('waiting');
      expect(d.selected!.end).toBeGreaterThan(d.selected!.start);
      if (d.selected!.unblockedById >= 0) {
        found = d;
        break;
      }
    }
    expect(found, 'a blocked span woken by another goroutine').not.toBeNull();
    const sel = found!.selected!;
    const details = page.locator('[data-test=span-details]');
    expect(await details.isVisible()).toBe(true);
    expect((await details.locator('[data-test=span-goroutine]').textContent())?.trim()).toBe(
      `G${sel.goroutineId}`,
    );
    expect(await details.locator('[data-test=span-state]').textContent()).toContain('blocked');
    expect(await details.locator('[data-test=span-stack] li').count()).toBe(sel.stack);
    await page.screenshot({ path: screenshotPath('timeline-span-details-light') });
    // The unblocker may be filtered out: the jump clears the filter and shows its lane.
    await page.click('[data-test=unblocked-by]');
    s = await settle(
      (x) =>
        x.highlightLane >= 0 &&
        x.marker === sel.end &&
        x.view!.visibleTitles.some(
          (t) => t.startsWith(`G${sel.unblockedById} `) || t === `G${sel.unblockedById}`,
        ),
    );
    expect(s.view!.window.t0).toBeLessThanOrEqual(sel.end);
    expect(s.view!.window.t1).toBeGreaterThanOrEqual(sel.end);
    const lane = s.highlightLane;
    expect(s.view!.visibleLanes.first).toBeLessThanOrEqual(lane);
    expect(s.view!.visibleLanes.end).toBeGreaterThan(lane);
  });

  it('jumps from an analysis row to its lane, and filters by start function', async () => {
    await page.fill('[data-test=timeline-filter]', '');
    await page.press('[data-test=timeline-filter]', 'Enter');
    await settle((x) => x.filter === '');
    // A goroutine far down the lane list.
    const last = [...cli.goroutines].sort((a, b) => a.id - b.id).at(-1)!;
    await page.click('[data-test=analysis-goroutine] [data-sort=id]');
    await timeline((x) => x.table?.sort === 'id' && !x.table.desc);
    await page.click('[data-test=analysis-goroutine] [data-sort=id]');
    await timeline(
      (x) => x.table?.sort === 'id' && x.table.desc && x.table.rows[0]?.id === last.id,
    );
    await page.click(`[data-test=analysis-goroutine] [data-goroutine="${last.id}"]`);
    const s = await settle((x) => x.view!.visibleTitles.some((t) => t.startsWith(`G${last.id} `)));
    expect(s.highlightLane).toBeGreaterThan(s.view!.visibleLanes.first - 1);
    await pollText('.tl-lane-label.picked', (t) => t.trim().startsWith(`G${last.id} `));

    // Per start function: clicking a row filters the lanes to it.
    await page.click('[data-panel=functions]');
    await page.click('[data-test=analysis-function] [data-sort=count]');
    const f = await timeline((x) => x.table?.by === 'function' && x.table.sort === 'count');
    const worker = f.table!.rows.find((r) => r.name === 'main.(*service).worker')!;
    const want = cli.goroutines.filter((g) => g.startFunction === worker.name);
    expect(worker.count).toBe(want.length);
    expect(worker.execNs).toBe(want.reduce((a, g) => a + g.runningNs, 0));
    await page.click('[data-test=analysis-function] .tbl-row:has-text("main.(*service).worker")');
    const filtered = await settle((x) => x.filter === 'main.(*service).worker');
    expect(filtered.lanes!.goroutineLanes).toBe(want.length);
    await pollText('[data-test=lane-count]', (t) => t.includes(`${want.length} of`));

    // The input always shows the applied filter, and Enter applies what it shows: a filter
    // applied by a click while a typed one is pending wins, and the input shows it.
    const input = '[data-test=timeline-filter]';
    expect(await page.inputValue(input)).toBe('main.(*service).worker');
    await page.fill(input, 'worker');
    await page.click('[data-test=analysis-function] .tbl-row:has-text("main.(*service).worker")');
    await settle((x) => x.filter === 'main.(*service).worker');
    expect(await page.inputValue(input)).toBe('main.(*service).worker');
    await page.press(input, 'Enter');
    expect((await settle((x) => x.filter === 'main.(*service).worker')).filter).toBe(
      'main.(*service).worker',
    );
    await page.fill(input, '');
    await page.press(input, 'Enter');
    await settle((x) => x.filter === '');
    expect(await page.inputValue(input)).toBe('');
  });

  it('shows the scheduler-latency histogram and a blocking profile as a flame graph', async () => {
    await page.click('[data-panel=latency]');
    const s = await timeline((x) => (x.latency?.count ?? 0) > 0);
    expect(s.latency!.bars).toBeGreaterThan(1);
    expect(s.latency!.p50).toBeLessThanOrEqual(s.latency!.p99);
    // Go's own figures: go tool trace's scheduler latency profile of the same bytes.
    const sched = decodeProfile(
      new Uint8Array(
        execFileSync(findGo(), ['tool', 'trace', '-pprof=sched', file], {
          env: { ...process.env, GOTOOLCHAIN: 'local' },
          maxBuffer: 256 << 20,
        }),
      ),
    );
    let waits = 0;
    let waitNs = 0;
    for (let i = 0; i < sched.samples.length; i++) {
      waits += sched.samples.values[i * 2];
      waitNs += sched.samples.values[i * 2 + 1];
    }
    expect(waits).toBeGreaterThan(0);
    expect([s.latency!.count, s.latency!.sumNs]).toEqual([waits, waitNs]);
    expect(s.latency!.maxNs).toBeLessThanOrEqual(waitNs);
    await visible('[data-test=latency] canvas');
    await page.click('[data-panel=profiles]');
    await page.click('[data-profile=sync]');
    const flame = await waitForHook<{
      drawn: number;
      drawnVersion: number;
      version: number;
      sampleType: { type: string };
      total: number;
    }>(page, 'flame:main', (p) => p.drawn > 0 && p.drawnVersion === p.version);
    expect(flame.sampleType.type).toBe('delay');
    await pollText('[data-test=profile-summary]', (t) => t.includes('stacks'));
    await page.click('[data-panel=goroutines]');
  });

  it('draws the same views in the dark theme', async () => {
    await page.fill('[data-test=timeline-filter]', '');
    await page.press('[data-test=timeline-filter]', 'Enter');
    await settle((x) => x.filter === '');
    await page.click('[data-test=span-details] button[title=Close]').catch(() => undefined);
    await lanesToTop();
    await page.click('button:has-text("Fit")');
    await settle((x) => x.view!.window.t1 - x.view!.window.t0 === cli.durationNs);
    await setTheme('dark');
    let s = await settle();
    expectBounded(s.view!);
    // What is drawn: the lanes' pixels are the dark theme's background and span colours (none
    // of the light theme's lane colours), and lane labels have the dark text colour.
    const seen = await page.evaluate(
      ({ dark, light }) => {
        const probe = document.createElement('canvas').getContext('2d', {
          willReadFrequently: true,
        })!;
        const rgb = (css: string): number => {
          probe.clearRect(0, 0, 1, 1);
          probe.fillStyle = css;
          probe.fillRect(0, 0, 1, 1);
          const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
          return (r! << 16) | (g! << 8) | b!;
        };
        const bg = new Set([rgb(dark.background), rgb(dark.laneAlt)]);
        const spans = new Set(dark.classes.map(rgb));
        // (Not white: the dark theme outlines the selection in white.)
        const lightLanes = new Set([rgb(light.laneAlt)]);
        const out = { background: 0, spans: 0, lightLanes: 0, label: '', procLabel: '' };
        for (const c of document.querySelectorAll<HTMLCanvasElement>(
          '[data-test=timeline-lanes] canvas',
        )) {
          if (c.width === 0 || c.height === 0) continue;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] !== 255) continue;
            const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
            if (bg.has(v)) out.background++;
            else if (spans.has(v)) out.spans++;
            else if (lightLanes.has(v)) out.lightLanes++;
          }
        }
        const label = document.querySelector('.tl-lane-label:not(.proc):not(.picked)');
        const proc = document.querySelector('.tl-lane-label.proc');
        out.label = label ? getComputedStyle(label).color : '';
        out.procLabel = proc ? getComputedStyle(proc).color : '';
        return out;
      },
      { dark: TIMELINE_THEMES.dark, light: TIMELINE_THEMES.light },
    );
    expect(seen.background, 'lane background pixels').toBeGreaterThan(1000);
    expect(seen.spans, 'span pixels').toBeGreaterThan(1000);
    expect(seen.lightLanes, 'light lane pixels').toBe(0);
    expect(seen.label).toBe('rgb(197, 202, 211)'); // --fg-1 of the dark theme
    expect(seen.procLabel).toBe('rgb(230, 233, 238)'); // --fg of the dark theme
    await page.screenshot({ path: screenshotPath('timeline-zoomed-out-dark') });
    s = await zoomIntoGc(1);
    expectBounded(s.view!);
    await page.fill('[data-test=timeline-filter]', 'worker');
    await page.press('[data-test=timeline-filter]', 'Enter');
    s = await settle((x) => x.filter === 'worker');
    expectBounded(s.view!);
    await page.screenshot({ path: screenshotPath('timeline-zoomed-in-dark') });
    await setTheme('light');
  });

  it('shows a truncated trace with its warning and a broken one with a clear error', async () => {
    const bytes = new Uint8Array(readFileSync(file));
    const cutId = await importBytes(
      'cut-short-trace.out',
      bytes.slice(0, Math.floor(bytes.length * 0.8)),
    );
    await pickId(cutId, 'cut-short-trace.out');
    await page.click('[data-tab=timeline]');
    const s = await settle((x) => (x.info?.warnings.length ?? 0) > 0);
    expect(s.info!.warnings[0].kind).toBe('truncated');
    await pollText('[data-test=timeline-warning]', (t) => t.includes('cut short'));
    const bad = bytes.slice();
    bad.fill(0xff, 2000, 2400);
    const badId = await importBytes('broken-trace.out', bad);
    await pickId(badId, 'broken-trace.out');
    const e = await timeline((x) => x.status === 'error');
    expect(e.error!.kind).toBe('malformed');
    await pollText('[data-test=timeline-error]', (t) => t.includes('at byte'));
    expect(problems).toEqual([]);
  });
});

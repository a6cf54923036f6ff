// The Contention and Goroutines tabs in Chromium against `pprof-studio serve`, on the demo
// snapshots it seeds (real output of test/targets/orders). Checks read the views' data
// (window.__pprofStudioTest) and compare it with `go tool pprof` on the same bytes (fetched
// back from the server):
//   - contention by call site: for every sample of `go tool pprof -raw`, the innermost frame
//     outside the runtime/sync machinery gets its contentions and delay; sites whose every
//     sample ends there equal pprof's -top cum exactly;
//   - goroutines: the 37 goroutines leaked in main.(*notifier).awaitAck (before the fix) form
//     one group flagged as a likely leak, with its reason; after the fix that group is gone.
// Screenshots of both tabs, light and dark, go to test-results/.
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
import { FLAME_THEMES } from '../../renderer/src/charts/palette';
import { flameColours } from './theme-colours';
import { findGo } from '../helpers/go-target';
import { parseRaw, runPprof, type RawProfile } from '../helpers/pprof-raw';

interface ContentionRowState {
  site: string;
  func: string;
  contentions: number;
  delayNanos: number;
  meanDelayNanos: number;
  delayShare: number;
  primitive: string;
}
interface Cell {
  contentions: number;
  delayNanos: number;
  meanDelayNanos: number;
}
interface ContentionState {
  ready: boolean;
  error: string | null;
  kind: string | null;
  status: { state: string; message?: string; fixes?: string[] } | null;
  mode: string;
  metric: string;
  sort: string;
  dir: string;
  totalContentions: number;
  totalDelayNanos: number;
  rows: ContentionRowState[];
  flame: { sampleType: { type: string }; total: number } | null;
  choices: { id: string; name: string; sameCapture: boolean }[];
  partnerId: string | null;
  joint: { site: string; mutex: Cell | null; block: Cell | null }[] | null;
  jointError: string | null;
  jointSort: { column: string; dir: 'asc' | 'desc' } | null;
}
interface GoroutineRowState {
  index: number;
  id: number;
  count: number;
  title: string;
  states: { state: string; count: number }[];
  maxWait: number | null;
  labelSets: string[][];
  creators: string[];
  leak: { reason: string; count: number } | null;
}
interface GoroutinesState {
  ready: boolean;
  error: string | null;
  queryError: string | null;
  overview: { format: string; total: number; hasWaits: boolean } | null;
  by: string;
  search: string;
  rowCount: number;
  groupCount: number;
  total: number;
  rows: GoroutineRowState[];
  leaks: { id: number; count: number; reason: string; index: number }[];
  expanded: { id: number; text: string | null }[];
}
interface Pane {
  version: number;
  drawnVersion: number;
  drawn: number;
  sampleType: { type: string };
  total: number;
}

const FIXTURES = join(ROOT, 'test', 'fixtures');
const LEAKER = 'main.(*notifier).awaitAck';
const XSS = '<img src=x onerror="window.__xss=1">';

let serve: ServeHandle;
let browser: Browser;
let page: Page;
let tmp: string;
const problems: string[] = [];

/** The bytes the app opens for a library snapshot, saved for `go tool pprof`. */
async function served(name: string): Promise<string> {
  const headers = { 'x-pprof-studio-token': serve.token, 'content-type': 'application/json' };
  const list = (await (
    await fetch(`${serve.origin}/api/listSnapshots`, { method: 'POST', headers, body: '{}' })
  ).json()) as { ok: boolean; value: { id: string; name: string }[] };
  expect(list.ok).toBe(true);
  const meta = list.value.find((m) => m.name === name);
  if (!meta) throw new Error(`the library has no snapshot named ${name}`);
  const r = await fetch(`${serve.origin}/api/snapshots/${encodeURIComponent(meta.id)}/bytes`, {
    headers,
  });
  expect(r.status).toBe(200);
  const to = join(tmp, name);
  writeFileSync(to, Buffer.from(await r.arrayBuffer()));
  return to;
}

function isMachinery(func: string): boolean {
  const slash = func.lastIndexOf('/');
  const dot = func.indexOf('.', slash + 1);
  const pkg = dot < 0 ? '' : func.slice(0, dot);
  return (
    pkg === 'runtime' ||
    pkg === 'sync' ||
    pkg === 'sync/atomic' ||
    pkg === 'internal/sync' ||
    pkg.startsWith('internal/runtime/')
  );
}

/** The functions of a -raw sample, innermost first (inlined frames included). */
function funcsOf(raw: RawProfile, locations: number[]): string[] {
  const funcs: string[] = [];
  for (const id of locations) {
    for (const line of raw.locations.get(id)!.lines) if (line) funcs.push(line.func);
  }
  return funcs;
}

/** The call site of a sample: the innermost function outside the lock/channel machinery. */
function siteOf(funcs: string[]): string {
  let at = funcs.findIndex((f) => !isMachinery(f));
  // All machinery (runtime-internal locks): the caller of the primitive.
  if (at < 0) at = Math.min(funcs.length - 1, 1);
  return funcs[at];
}

function contended(raw: RawProfile): { funcs: string[]; c: number; d: number }[] {
  const ci = raw.sampleTypes.findIndex((t) => t.type === 'contentions');
  const di = raw.sampleTypes.findIndex((t) => t.type === 'delay');
  return raw.samples
    .filter((s) => s.values[ci] !== 0 || s.values[di] !== 0)
    .map((s) => ({ funcs: funcsOf(raw, s.locations), c: s.values[ci], d: s.values[di] }))
    .filter((s) => s.funcs.length > 0);
}

/** The oracle: contentions and delay per call site, summed over `go tool pprof -raw`. */
function sitesFromRaw(raw: RawProfile): Map<string, { contentions: number; delay: number }> {
  const out = new Map<string, { contentions: number; delay: number }>();
  for (const s of contended(raw)) {
    const site = siteOf(s.funcs);
    const acc = out.get(site) ?? { contentions: 0, delay: 0 };
    acc.contentions += s.c;
    acc.delay += s.d;
    out.set(site, acc);
  }
  return out;
}

/** Program functions that are the call site of every sample they appear in. */
function wholeSites(raw: RawProfile): string[] {
  const site = new Set<string>();
  const not = new Set<string>();
  for (const s of contended(raw)) {
    const at = siteOf(s.funcs);
    for (const f of s.funcs) (f === at ? site : not).add(f);
  }
  return [...site].filter((f) => !not.has(f) && f.startsWith('main.'));
}

/** `go tool pprof -top` cum of one function, unscaled (ns for delay). */
function topCum(file: string, sampleIndex: string, func: string): number {
  const text = runPprof([
    '-top',
    '-nodecount=100000',
    '-nodefraction=0',
    `-sample_index=${sampleIndex}`,
    ...(sampleIndex === 'delay' ? ['-unit=ns'] : []),
    file,
  ]);
  for (const line of text.split('\n')) {
    const m = /^\s*-?\d+\S*\s+\S+%\s+\S+%\s+(-?\d+)[a-z]*\s+\S+%\s+(.+?)( \(inline\))?$/.exec(line);
    if (m && m[2] === func) return Number(m[1]);
  }
  throw new Error(`${func} is not in go tool pprof -top of ${file}`);
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

async function contention(ok: (s: ContentionState) => boolean): Promise<ContentionState> {
  return waitForHook<ContentionState>(page, 'contention', (s) => s.ready && ok(s));
}

async function goroutines(ok: (s: GoroutinesState) => boolean): Promise<GoroutinesState> {
  return waitForHook<GoroutinesState>(page, 'goroutines', (s) => s.ready && ok(s));
}

async function flameDrawn(type: string): Promise<Pane> {
  return waitForHook<Pane>(
    page,
    'flame:main',
    (p) => p.drawnVersion === p.version && p.drawn > 0 && p.sampleType.type === type,
  );
}

function expectRowsMatch(rows: ContentionRowState[], want: ReturnType<typeof sitesFromRaw>): void {
  expect(rows.map((r) => r.site).sort()).toEqual([...want.keys()].sort());
  for (const r of rows) {
    const w = want.get(r.site)!;
    expect({ site: r.site, contentions: r.contentions, delay: r.delayNanos }).toEqual({
      site: r.site,
      contentions: w.contentions,
      delay: w.delay,
    });
    expect(r.meanDelayNanos).toBe(w.contentions > 0 ? w.delay / w.contentions : 0);
  }
}

describe('Contention and Goroutines tabs in Chromium (demo snapshots)', () => {
  let mutexFile: string;
  let blockFile: string;
  let mutexRaw: RawProfile;
  let blockRaw: RawProfile;

  beforeAll(async () => {
    findGo();
    tmp = mkdtempSync(join(tmpdir(), 'pprof-studio-e2e-cg-'));
    serve = await startServe();
    mutexFile = await served('orders-before-mutex.pb.gz');
    blockFile = await served('orders-before-block.pb.gz');
    mutexRaw = parseRaw(runPprof(['-raw', mutexFile]));
    blockRaw = parseRaw(runPprof(['-raw', blockFile]));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
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

  it('mutex: contention by call site equals go tool pprof, with its flame graph', async () => {
    await pick('orders-before-mutex.pb.gz');
    await page.click('[data-tab=contention]');
    const s = await contention((x) => x.rows.length > 0);
    expect(s.kind).toBe('mutex');
    expect(s.status?.state).toBe('ok');
    const want = sitesFromRaw(mutexRaw);
    expectRowsMatch(s.rows, want);
    // The contended lock: main.(*inventory).reserve holds it, first by delay.
    expect(s.rows[0].site).toBe('main.(*inventory).reserve');
    expect(s.rows[0].primitive).toBe('sync.(*Mutex).Unlock');
    expect(wholeSites(mutexRaw)).toContain('main.(*inventory).reserve');
    expect(s.rows[0].delayNanos).toBe(topCum(mutexFile, 'delay', 'main.(*inventory).reserve'));
    expect(s.rows[0].contentions).toBe(
      topCum(mutexFile, 'contentions', 'main.(*inventory).reserve'),
    );
    const di = mutexRaw.sampleTypes.findIndex((t) => t.type === 'delay');
    const totalDelay = mutexRaw.samples.reduce((a, x) => a + x.values[di], 0);
    expect(s.totalDelayNanos).toBe(totalDelay);
    // The flame graph is the Worker's call tree of delay, then of contentions.
    let p = await flameDrawn('delay');
    expect(p.total).toBe(totalDelay);
    await page.selectOption('[data-test=contention-metric]', 'contentions');
    p = await flameDrawn('contentions');
    expect(p.total).toBe(s.totalContentions);
    await page.selectOption('[data-test=contention-metric]', 'delay');
    await flameDrawn('delay');
    await expect
      .poll(() => page.locator('[data-test=contention-table] [data-row="0"]').textContent())
      .toContain('main.(*inventory).reserve');
    await page.screenshot({ path: screenshotPath('contention-mutex-light') });
  });

  it('block: call sites equal go tool pprof; sorting and file:line sites work', async () => {
    await pick('orders-before-block.pb.gz');
    let s = await contention((x) => x.kind === 'block' && x.rows.length > 0);
    const want = sitesFromRaw(blockRaw);
    expectRowsMatch(s.rows, want);
    const sites = s.rows.map((r) => r.site);
    for (const f of [
      'main.(*inventory).reserve',
      'main.(*auditLog).drain',
      'main.(*service).worker',
    ])
      expect(sites).toContain(f);
    // Sites every sample of which ends in them: pprof's cum is the same number.
    const whole = wholeSites(blockRaw);
    expect(whole.length).toBeGreaterThan(0);
    for (const f of whole) {
      const r = s.rows.find((x) => x.site === f)!;
      expect(r.delayNanos, f).toBe(topCum(blockFile, 'delay', f));
      expect(r.contentions, f).toBe(topCum(blockFile, 'contentions', f));
    }
    const delays = s.rows.map((r) => r.delayNanos);
    expect(delays).toEqual([...delays].sort((a, b) => b - a));
    await flameDrawn('delay');
    await page.screenshot({ path: screenshotPath('contention-block-light') });

    await page.click('[data-test=contention-table] [data-col=contentions]');
    s = await contention((x) => x.sort === 'contentions');
    const counts = s.rows.map((r) => r.contentions);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await page.click('[data-test=contention-table] [data-col=mean]');
    s = await contention((x) => x.sort === 'mean');
    const means = s.rows.map((r) => r.meanDelayNanos);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    await page.click('[data-test=contention-table] [data-col=delay]');
    await contention((x) => x.sort === 'delay');

    await page.click('[data-granularity=lines]');
    s = await contention((x) => x.rows.length > 0 && /:\d+$/.test(x.rows[0].site));
    // Lines split sites but keep the totals.
    expect(s.rows.reduce((a, r) => a + r.delayNanos, 0)).toBe(s.totalDelayNanos);
    expect(s.rows.some((r) => r.site.startsWith('main.(*inventory).reserve '))).toBe(true);
    await page.click('[data-granularity=functions]');
    await contention((x) => x.rows.length > 0 && !/:\d+$/.test(x.rows[0].site));
  });

  it('joint view pairs the mutex (unlocking) and block (waiting) sides by call site', async () => {
    await page.click('[data-mode=joint]');
    const s = await contention((x) => x.joint !== null || x.jointError !== null);
    expect(s.jointError).toBeNull();
    const partner = s.choices.find((c) => c.id === s.partnerId)!;
    expect(partner.name).toBe('orders-before-mutex.pb.gz');
    expect(partner.sameCapture).toBe(true);
    const mutex = sitesFromRaw(mutexRaw);
    const block = sitesFromRaw(blockRaw);
    expect(new Set(s.joint!.map((r) => r.site))).toEqual(
      new Set([...mutex.keys(), ...block.keys()]),
    );
    for (const r of s.joint!) {
      const m = mutex.get(r.site);
      const b = block.get(r.site);
      expect(r.mutex?.delayNanos ?? null, r.site).toBe(m ? m.delay : null);
      expect(r.block?.delayNanos ?? null, r.site).toBe(b ? b.delay : null);
      expect(r.mutex?.contentions ?? null, r.site).toBe(m ? m.contentions : null);
      expect(r.block?.contentions ?? null, r.site).toBe(b ? b.contentions : null);
    }
    const reserve = s.joint!.find((r) => r.site === 'main.(*inventory).reserve')!;
    expect(reserve.mutex).not.toBeNull();
    expect(reserve.block).not.toBeNull();
    await expect
      .poll(() => page.locator('[data-test=joint-table]').textContent())
      .toContain('Unlocking side (mutex)');
    await page.screenshot({ path: screenshotPath('contention-joint-light') });
    // Sorted in the Worker: block delay largest first, sites without a block side last.
    await page.click('[data-test=joint-table] [data-col=bd]');
    const sorted = await contention(
      (x) => x.jointSort?.column === 'bd' && x.jointSort.dir === 'desc' && x.joint !== null,
    );
    const bd = sorted.joint!.map((r) => r.block?.delayNanos ?? -1);
    expect(bd).toEqual([...bd].sort((a, b) => b - a));
    expect(new Set(sorted.joint!.map((r) => r.site))).toEqual(new Set(s.joint!.map((r) => r.site)));
    await page.click('[data-mode=sites]');
    await contention((x) => x.mode === 'sites');
  });

  it('an empty profile (rate never set) says so and names the fix', async () => {
    await page.setInputFiles('[data-test=file-input]', join(FIXTURES, 'no-rates', 'mutex.pb.gz'));
    await expect
      .poll(() => page.locator('[data-test=current-snapshot] .name').textContent(), {
        timeout: 20_000,
      })
      .toBe('mutex.pb.gz');
    await page.click('[data-tab=contention]');
    const s = await contention((x) => x.status?.state === 'empty');
    expect(s.rows).toEqual([]);
    expect(s.status!.fixes).toContain('runtime.SetMutexProfileFraction');
    const text = (await page.locator('[data-test=contention-empty]').textContent()) ?? '';
    expect(text).toContain('runtime.SetMutexProfileFraction');
    expect(text).toMatch(/never set/);
    expect(await readHook(page, 'flame:main')).toBeNull();
    await page.screenshot({ path: screenshotPath('contention-empty-light') });
  });

  it('goroutines before the fix: 37 leaked in awaitAck, one group, flagged with its reason', async () => {
    const file = await served('orders-before-goroutine.pb.gz');
    const raw = parseRaw(runPprof(['-raw', file]));
    const leaked = raw.samples
      .filter((x) =>
        x.locations.some((id) => raw.locations.get(id)!.lines.some((l) => l?.func === LEAKER)),
      )
      .reduce((a, x) => a + x.values[0], 0);
    expect(leaked).toBe(37);
    const total = raw.samples.reduce((a, x) => a + x.values[0], 0);

    await pick('orders-before-goroutine.pb.gz');
    await page.click('[data-tab=goroutines]');
    const s = await goroutines((x) => x.rows.length > 0);
    expect(s.overview!.format).toBe('proto');
    expect(s.total).toBe(total);
    expect(s.rows.reduce((a, r) => a + r.count, 0)).toBe(total);
    const g = s.rows.filter((r) => r.title === LEAKER);
    expect(g).toHaveLength(1);
    expect(g[0].count).toBe(37);
    expect(g[0].states).toEqual([{ state: 'chan receive', category: 'chan-receive', count: 37 }]);
    expect(g[0].leak).not.toBeNull();
    expect(g[0].leak!.count).toBe(37);
    expect(g[0].leak!.reason).toContain('37 goroutines blocked in chan receive');
    expect(g[0].leak!.reason).toContain(LEAKER);
    expect(s.leaks.map((l) => l.id)).toEqual([g[0].id]);
    // The reason is on screen, in the summary and on the group's row.
    await expect
      .poll(() => page.locator('[data-test=leak-summary]').textContent())
      .toContain(g[0].leak!.reason);
    await expect
      .poll(() => page.locator(`[data-group="${g[0].id}"] [data-test=leak-reason]`).textContent())
      .toContain(LEAKER);
    // Expand it: the full stack as text.
    await page.click(`[data-group="${g[0].id}"] .g-main`);
    const e = await goroutines((x) => x.expanded.some((d) => d.id === g[0].id && d.text !== null));
    const stack = e.expanded.find((d) => d.id === g[0].id)!.text!;
    expect(stack).toContain(LEAKER);
    expect(stack).toContain('runtime.chanrecv');
    expect(stack).toMatch(/notifier\.go:\d+/);
    await expect
      .poll(() => page.locator(`[data-group="${g[0].id}"] [data-test=group-stack]`).textContent())
      .toContain('runtime.chanrecv');
    await page.screenshot({ path: screenshotPath('goroutines-before-light') });
    await page.click(`[data-group="${g[0].id}"] .g-main`);
  });

  it('search by function, label and state; a bad regex is reported', async () => {
    await page.fill('[data-test=goroutine-search]', 'awaitAck');
    let s = await goroutines((x) => x.search === 'awaitAck');
    expect(s.rows.map((r) => r.title)).toEqual([LEAKER]);
    await page.fill('[data-test=goroutine-search]', 'component=outbox');
    s = await goroutines((x) => x.search === 'component=outbox');
    expect(s.rows.map((r) => r.title)).toEqual([LEAKER]);
    await page.fill('[data-test=goroutine-search]', '^IO wait$');
    s = await goroutines((x) => x.search === '^IO wait$');
    expect(s.rows.length).toBeGreaterThan(0);
    for (const r of s.rows) expect(r.states.map((x) => x.state)).toContain('IO wait');
    await page.fill('[data-test=goroutine-search]', 'awaitAck(');
    const bad = await goroutines((x) => x.queryError !== null);
    expect(bad.queryError).toContain('awaitAck(');
    await expect
      .poll(() => page.locator('[data-test=search-error]').textContent())
      .toContain('awaitAck(');
    await page.fill('[data-test=goroutine-search]', '');
    s = await goroutines((x) => x.search === '' && x.queryError === null);
    expect(s.rowCount).toBe(s.groupCount);
    // Stack + labels splits groups by label set but keeps every goroutine.
    await page.click('[data-test=goroutine-group-by] [data-by="stack+labels"]');
    s = await goroutines((x) => x.by === 'stack+labels');
    expect(s.rows.reduce((a, r) => a + r.count, 0)).toBe(s.total);
    expect(s.rows.find((r) => r.title === LEAKER)!.labelSets).toEqual([['component=outbox']]);
    await page.click('[data-test=goroutine-group-by] [data-by=stack]');
    await goroutines((x) => x.by === 'stack');
  });

  it('goroutines after the fix: no awaitAck group and no likely leak', async () => {
    await pick('orders-after-goroutine.pb.gz');
    const s = await goroutines((x) => x.rows.length > 0 && x.search === '');
    expect(s.rows.some((r) => r.title === LEAKER)).toBe(false);
    expect(s.leaks).toEqual([]);
    await expect
      .poll(() => page.locator('[data-test=leak-summary]').textContent())
      .toContain('No likely leak');
    await page.fill('[data-test=goroutine-search]', 'awaitAck');
    const none = await goroutines((x) => x.search === 'awaitAck');
    expect(none.rowCount).toBe(0);
    await page.fill('[data-test=goroutine-search]', '');
    await goroutines((x) => x.search === '');
    await page.screenshot({ path: screenshotPath('goroutines-after-light') });
  });

  it('a debug=2 text dump: waits, creators, and names shown as text, never HTML', async () => {
    // The before dump with the leaking function's name carrying an HTML payload.
    const text = readFileSync(join(FIXTURES, 'before', 'goroutine-debug2.txt'), 'utf8');
    const hostile = text.split(`${LEAKER}(`).join(`${LEAKER}${XSS}(`);
    expect(hostile).not.toBe(text);
    const file = join(tmp, 'orders-goroutines-debug2.txt');
    writeFileSync(file, hostile);
    await page.setInputFiles('[data-test=file-input]', file);
    await expect
      .poll(() => page.locator('[data-test=current-snapshot] .name').textContent(), {
        timeout: 20_000,
      })
      .toBe('orders-goroutines-debug2.txt');
    await page.click('[data-tab=goroutines]');
    const s = await goroutines((x) => x.overview?.format === 'debug2' && x.rows.length > 0);
    expect(s.overview!.hasWaits).toBe(true);
    expect(s.total).toBe(58);
    const g = s.rows.find((r) => r.title.startsWith(LEAKER))!;
    expect(g.title).toBe(`${LEAKER}${XSS}`);
    expect(g.count).toBe(37);
    expect(g.maxWait).not.toBeNull();
    expect(g.creators.length).toBeGreaterThan(0);
    await page.click(`[data-group="${g.id}"] .g-main`);
    await goroutines((x) => x.expanded.some((d) => d.id === g.id && d.text !== null));
    const row = page.locator(`[data-group="${g.id}"]`);
    await expect.poll(() => row.locator('[data-test=group-stack]').textContent()).toContain(XSS);
    expect(await row.locator('.fn').textContent()).toBe(`${LEAKER}${XSS}`);
    expect(await page.locator('[data-test=goroutine-groups] img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBe(
      undefined,
    );
    await page.screenshot({ path: screenshotPath('goroutines-debug2-light') });
  });

  it('dark theme: both tabs', async () => {
    await page.click('[data-theme-choice=dark]');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe('dark');
    await pick('orders-before-goroutine.pb.gz');
    await page.click('[data-tab=goroutines]');
    const s = await goroutines((x) => x.overview?.format === 'proto' && x.rows.length > 0);
    const g = s.rows.find((r) => r.title === LEAKER)!;
    await page.click(`[data-group="${g.id}"] .g-main`);
    await goroutines((x) => x.expanded.some((d) => d.id === g.id && d.text !== null));
    await page.screenshot({ path: screenshotPath('goroutines-dark') });

    await pick('orders-before-block.pb.gz');
    await page.click('[data-tab=contention]');
    await contention((x) => x.kind === 'block' && x.rows.length > 0 && x.mode === 'sites');
    await flameDrawn('delay');
    // Drawn in the dark theme's colours, not only marked dark.
    const seen = await flameColours(page, FLAME_THEMES.dark);
    expect(seen.background, 'chart background pixels').toBeGreaterThan(1000);
    expect(seen.buckets, 'frame fill pixels').toBeGreaterThan(1000);
    expect(seen.lightBackground, 'light background pixels').toBe(0);
    expect(seen.bodyColor).toBe('rgb(230, 233, 238)'); // --fg of the dark theme
    expect(seen.bodyBackground).toBe('rgb(22, 24, 29)'); // --bg of the dark theme
    await page.screenshot({ path: screenshotPath('contention-dark') });
    await page.click('[data-mode=joint]');
    await contention((x) => x.joint !== null);
    await page.screenshot({ path: screenshotPath('contention-joint-dark') });
    await page.click('[data-mode=sites]');
    await page.click('[data-theme-choice=light]');
  });

  it('raised no page error and no dialog', () => {
    expect(problems).toEqual([]);
  });
});

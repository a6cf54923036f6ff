// The Timeline tab on an execution trace of ≥ 100 MB, in Chromium, in the real app (serve
// mode): time from the trace's bytes being available in the page to the first painted timeline
// (parse + indexes + first level of detail in the trace Worker, transfer, draw), peak memory of
// the browser against the file size, and the drawn item count (bounded by the LOD), then a few
// zoom frames. Targets (README, Benchmarks): first paint ≤ 10 s, memory ≤ 5 × the file. Prints figures;
// never fails on timing.
//
// The trace is the one bench/cases/trace.bench.ts uses (bench/.data/trace-service.out, made by
// test/oracles/trace/cmd/mktrace -mix service); it is generated here when missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  launchChromium,
  readHook,
  screenshotPath,
  startServe,
  waitForHook,
} from '../../test/helpers/browser';

const root = resolve(process.cwd());
const dataDir = join(root, 'bench', '.data');
const traceFile = join(dataDir, 'trace-service.out');
const MIN_BYTES = 100 * 1024 * 1024;

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`;
}

function ensureTrace(): void {
  if (existsSync(traceFile) && statSync(traceFile).size >= MIN_BYTES) return;
  const go = process.env.GO ?? 'go';
  const bin = join(dataDir, 'bin');
  mkdirSync(bin, { recursive: true });
  const mktrace = join(bin, 'mktrace');
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '' };
  execFileSync(go, ['build', '-o', mktrace, './cmd/mktrace'], {
    cwd: join(root, 'test', 'oracles', 'trace'),
    env,
    stdio: 'inherit',
  });
  console.log(
    'generating a ≥100 MB trace with mktrace -mix service (once; kept in bench/.data) ...',
  );
  execFileSync(
    mktrace,
    [
      '-mix',
      'service',
      '-workers',
      '8',
      '-size',
      '105',
      '-d',
      '5s',
      '-max',
      '20m',
      '-o',
      traceFile,
    ],
    { stdio: 'inherit' },
  );
}

/**
 * RSS (bytes) of the browser started by this process (a Chromium child of `pid`) and all its
 * descendants, and of the largest of those processes.
 */
function browserRss(pid: number): { total: number; largest: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces; fields follow it.
      const close = stat.lastIndexOf(')');
      const rest = stat.slice(close + 2).split(' ');
      const p = Number(d);
      comm.set(p, stat.slice(stat.indexOf('(') + 1, close));
      rss.set(p, Number(rest[21]) * 4096);
      const ppid = Number(rest[1]);
      const list = children.get(ppid) ?? [];
      list.push(p);
      children.set(ppid, list);
    } catch {
      // The process ended meanwhile.
    }
  }
  let total = 0;
  let largest = 0;
  const stack = (children.get(pid) ?? []).filter((c) => /chrom/i.test(comm.get(c) ?? ''));
  while (stack.length) {
    const p = stack.pop()!;
    const r = rss.get(p) ?? 0;
    total += r;
    largest = Math.max(largest, r);
    stack.push(...(children.get(p) ?? []));
  }
  return { total, largest };
}

interface Hook {
  status: string;
  phase: string;
  progress: number;
  error: { kind: string; message: string } | null;
  info: {
    goroutines: number;
    procs: number;
    fileBytes: number;
    keptBytes: number;
    parseMs: number;
    indexMs: number;
  } | null;
  lanes: { version: number; length: number } | null;
  table: { total: number; rows: unknown[] } | null;
  view: {
    window: { t0: number; t1: number };
    drawnWindow: { t0: number; t1: number };
    drawn: number;
    itemBound: number;
    frameItems: number;
    workerMs: number;
    frames: number;
    frameLanesVersion: number;
    visibleLanes: { first: number; end: number };
    drawMs: number[];
    overlay: { gc: number; stw: number } | null;
  } | null;
}

async function main(): Promise<void> {
  ensureTrace();
  const size = statSync(traceFile).size;
  console.log(`trace: ${traceFile} (${mb(size)})`);
  const bytes = readFileSync(traceFile);
  const serve = await startServe();
  const browser = await launchChromium();
  // The browser is this process's child; its renderers and GPU process are its descendants.
  const rssNow = (): { total: number; largest: number } => browserRss(process.pid);
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(serve.url);
    await page.waitForSelector('[data-test=snapshot-list]');
    const res = await fetch(`${serve.origin}/api/importSnapshot?name=bench-trace.out`, {
      method: 'POST',
      headers: { 'x-pprof-studio-token': serve.token, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
    const imported = (await res.json()) as {
      ok: boolean;
      value?: { snapshot: { id: string } };
      error?: unknown;
    };
    if (!imported.ok || !imported.value)
      throw new Error(`import failed: ${JSON.stringify(imported.error)}`);
    const id = imported.value.snapshot.id;
    await page.waitForSelector(`[data-id="${id}"]`, { timeout: 60_000 });
    await page.evaluate(() => performance.clearMarks());
    const base = rssNow();
    const peak = { ...base };
    // Peak RSS by what the page was doing (reading the bytes, parsing, indexing, drawing).
    const byPhase = new Map<string, number>();
    const t0 = performance.now();
    await page.click(`[data-id="${id}"]`);
    await page.waitForSelector('[data-tab=timeline]:not([disabled])', { timeout: 30_000 });
    await page.click('[data-tab=timeline]');
    const drawn = (h: Hook | null): boolean =>
      !!h?.view &&
      h.view.frames > 0 &&
      h.view.frameItems > 0 &&
      h.view.drawnWindow.t1 === h.view.window.t1 &&
      h.view.frameLanesVersion === h.lanes?.version;
    let hook: Hook | null = null;
    const deadline = Date.now() + 600_000;
    for (;;) {
      hook = await readHook<Hook>(page, 'timeline');
      const r = rssNow();
      peak.total = Math.max(peak.total, r.total);
      peak.largest = Math.max(peak.largest, r.largest);
      const phase = !hook ? 'mounting' : hook.status === 'loading' ? hook.phase : hook.status;
      byPhase.set(phase, Math.max(byPhase.get(phase) ?? 0, r.total));
      if (hook?.status === 'error' || drawn(hook)) break;
      if (Date.now() > deadline) throw new Error('the timeline was not drawn within 10 minutes');
      await page.waitForTimeout(100);
    }
    const wall = performance.now() - t0;
    if (!hook || hook.status === 'error')
      throw new Error(`the trace did not open: ${hook?.error?.message ?? 'no view'}`);
    const marks = await page.evaluate(() => {
      const at = (n: string): number => performance.getEntriesByName(n).at(-1)?.startTime ?? NaN;
      return {
        bytes: at('pprof-studio:trace-bytes'),
        parsed: at('pprof-studio:trace-parsed'),
        paint: at('pprof-studio:timeline-first-paint'),
      };
    });
    const info = hook.info!;
    const v = hook.view!;
    const firstPaint = marks.paint - marks.bytes;
    console.log(
      `${info.goroutines.toLocaleString('en-US')} goroutines, ${info.procs} Ps, ${hook.lanes!.length.toLocaleString('en-US')} lanes`,
    );
    console.log(
      `first timeline paint after the bytes are in the page: ${(firstPaint / 1000).toFixed(2)} s (target <= 10 s): ${firstPaint <= 10_000 ? 'ok' : 'OVER'}`,
    );
    console.log(
      `  Worker: parse ${(info.parseMs / 1000).toFixed(2)} s, indexes ${(info.indexMs / 1000).toFixed(2)} s; open answered after ${((marks.parsed - marks.bytes) / 1000).toFixed(2)} s; answer to first paint ${((marks.paint - marks.parsed) / 1000).toFixed(2)} s (lane list, first LOD ${v.workerMs.toFixed(0)} ms, draw)`,
    );
    console.log(
      `  (click to paint ${(wall / 1000).toFixed(1)} s, including reading ${mb(size)} from the server)`,
    );
    console.log(
      `drawn items at first paint: ${v.drawn.toLocaleString('en-US')} (bound for the ${v.visibleLanes.end - v.visibleLanes.first} visible lanes: ${v.itemBound.toLocaleString('en-US')}), of ${v.frameItems.toLocaleString('en-US')} items fetched`,
    );
    const grew = peak.total - base.total;
    console.log(
      `peak memory of the browser (all its processes, RSS): ${mb(peak.total)}, ${mb(grew)} above before opening = ${(grew / size).toFixed(2)}x the file (target <= 5x): ${grew / size <= 5 ? 'ok' : 'OVER'}; largest process ${mb(peak.largest)}`,
    );
    console.log(
      `  peak above before opening, by phase: ${[...byPhase].map(([k, r]) => `${k} ${mb(r - base.total)}`).join(', ')}`,
    );
    console.log(
      `  kept by the trace Worker (typed arrays of the model and indexes): ${mb(info.keptBytes)} = ${(info.keptBytes / size).toFixed(2)}x the file`,
    );

    // Counters (built on first use), then the goroutine analysis, then a few zooms.
    let a0 = performance.now();
    hook = await waitForHook<Hook>(page, 'timeline', (h) => !!h.view?.overlay, 300_000);
    await page.screenshot({ path: screenshotPath('timeline-bench-100mb') });
    console.log(
      `counters and GC/STW bands drawn ${((performance.now() - a0) / 1000).toFixed(2)} s after the first paint`,
    );
    a0 = performance.now();
    hook = await waitForHook<Hook>(
      page,
      'timeline',
      (h) => (h.table?.rows.length ?? 0) > 0,
      300_000,
    );
    const withAnalysis = rssNow();
    console.log(
      `goroutine analysis table (${hook.table!.total.toLocaleString('en-US')} goroutines) shown ${((performance.now() - a0) / 1000).toFixed(2)} s later; browser RSS then ${mb(withAnalysis.total)} (${((withAnalysis.total - base.total) / size).toFixed(2)}x the file above before opening)`,
    );
    const zooms: number[] = [];
    let maxDrawn = v.drawn;
    for (let i = 0; i < 6; i++) {
      const before: { t0: number; t1: number } = hook!.view!.window;
      const a = performance.now();
      await page.click(i < 4 ? '[data-test=zoom-in]' : '[data-test=zoom-out]');
      hook = await waitForHook<Hook>(
        page,
        'timeline',
        (h: Hook): boolean =>
          !!h.view &&
          h.view.window.t1 - h.view.window.t0 !== before.t1 - before.t0 &&
          h.view.drawnWindow.t0 === h.view.window.t0 &&
          h.view.drawnWindow.t1 === h.view.window.t1,
        120_000,
      );
      zooms.push(performance.now() - a);
      maxDrawn = Math.max(maxDrawn, hook.view!.drawn);
      if (hook.view!.drawn > hook.view!.itemBound) console.log('drawn items OVER the LOD bound');
    }
    console.log(
      `zoom (toolbar click to the new window drawn, as seen by the test): ${zooms.map((z) => z.toFixed(0)).join(', ')} ms; most items drawn ${maxDrawn.toLocaleString('en-US')}`,
    );
    const after = rssNow();
    console.log(`browser RSS after zooming: ${mb(after.total)}`);
  } finally {
    await browser.close();
    await serve.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});

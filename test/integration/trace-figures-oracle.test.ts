// User tasks and regions, thread lanes and the trace-compare summary against Go's reader
// (golang.org/x/exp/trace, test/oracles/trace/cmd/figures) on real traces: the committed
// orders fixtures (an "order" task with five regions and a tenant log per order), the Go
// 1.22-1.26 fixtures and a mktrace workload with user annotations, short generations and
// syscalls. Counts, durations, histogram buckets and per-thread times must be identical.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nearestRank,
  regionTypes,
  searchLogs,
  taskExtent,
  taskTypes,
  userTasks,
} from '../../core/trace/annotations';
import { compareTraces, traceSummary } from '../../core/trace/compare';
import { parseTrace } from '../../core/trace/parse';
import { buildThreadSlices, threadTotals } from '../../core/trace/threads';
import { findGo } from '../helpers/go-target';
import { startGoToolTrace } from '../helpers/go-tool-trace';
import { buildGoTool, mktrace, oracleFigures } from '../unit/trace/go-oracle';

const repo = resolve(__dirname, '..', '..');
let dir = '';
const traces: { name: string; file: string }[] = [
  { name: 'fixture before', file: join(repo, 'test/fixtures/before/trace.out') },
  { name: 'fixture after', file: join(repo, 'test/fixtures/after/trace.out') },
  ...['122', '123', '125', '126'].map((v) => ({
    name: `go${v} fixture`,
    file: join(repo, `test/unit/trace/fixtures/go${v}.trace`),
  })),
];

beforeAll(async () => {
  findGo();
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-trace-figures-'));
  await Promise.all([buildGoTool('./cmd/figures'), buildGoTool('./cmd/mktrace')]);
  const all = join(dir, 'mix-all.out');
  await mktrace({
    out: all,
    duration: '600ms',
    workers: 1,
    gomaxprocs: 3,
    advancePeriodNs: 100_000_000,
  });
  traces.push({ name: 'mktrace all (annotations, short generations)', file: all });
}, 900_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('annotations, threads and summary vs Go', () => {
  it('counts tasks and regions per type with the durations and buckets Go gives', async () => {
    let tasksSeen = 0;
    for (const t of traces) {
      const want = await oracleFigures(t.file);
      const model = parseTrace(readFileSync(t.file));
      const tasks = taskTypes(model);
      expect(
        tasks.map((x) => ({
          type: x.type,
          count: x.stats.count,
          durations: Array.from(x.durations),
          histogram: {
            minBucket: x.stats.histogram.minBucket,
            maxBucket: x.stats.histogram.maxBucket,
            buckets: x.stats.histogram.counts,
          },
        })),
        t.name,
      ).toEqual(
        (want.tasks ?? []).map((x) => ({
          ...x,
          histogram: x.durations.length ? x.histogram : { minBucket: 0, maxBucket: 0, buckets: [] },
        })),
      );
      for (const x of tasks) {
        const w = want.tasks.find((y) => y.type === x.type)!;
        expect(x.stats.p50, `${t.name} ${x.type} p50`).toBe(nearestRank(w.durations, 0.5));
        expect(x.stats.p99, `${t.name} ${x.type} p99`).toBe(nearestRank(w.durations, 0.99));
        tasksSeen += x.stats.count;
      }
      expect(
        regionTypes(model)
          .map((x) => ({ type: x.type, durations: Array.from(x.durations) }))
          .filter((x) => x.durations.length > 0),
        t.name,
      ).toEqual(want.regions ?? []);
      expect(model.logs.length, `${t.name} logs`).toBe(want.logs);
      for (const [cat, n] of Object.entries(want.logsByCategory))
        expect(searchLogs(model, '', 1e9).rows.filter((r) => r.category === cat).length).toBe(n);
    }
    expect(tasksSeen).toBeGreaterThan(30);
  });

  it('the orders fixture has one order task per order, each over its goroutine and window', () => {
    const model = parseTrace(readFileSync(traces[1].file));
    const types = taskTypes(model);
    expect(types.map((x) => x.type)).toEqual(['order']);
    expect(
      regionTypes(model)
        .map((x) => x.type)
        .sort(),
    ).toEqual(['notify', 'price', 'receipt', 'reserve', 'validate']);
    const tasks = userTasks(model);
    const i = tasks.open.findIndex((o, k) => o === 0 && tasks.startedBefore[k] === 0);
    const ext = taskExtent(model, tasks.id[i])!;
    expect(ext.start).toBe(tasks.start[i]);
    expect(ext.end).toBe(tasks.end[i]);
    expect(Array.from(ext.goroutines)).toContain(tasks.beginGoroutine[i]);
    // The tenant log of the order, found by its text.
    const tenant = searchLogs(model, '', 1).rows[0].message;
    const found = searchLogs(model, tenant.toUpperCase(), 100);
    expect(found.total).toBeGreaterThan(0);
    expect(found.rows.every((r) => r.message.toLowerCase().includes(tenant.toLowerCase()))).toBe(
      true,
    );
  });

  it('places goroutines and syscalls on threads as go tool trace does', async () => {
    for (const t of traces) {
      const want = await oracleFigures(t.file);
      const model = parseTrace(readFileSync(t.file));
      const got = threadTotals(buildThreadSlices(model));
      expect(
        got.map(({ thread, execNs, syscallNs, syscalls, goroutines }) => ({
          thread,
          execNs,
          syscallNs,
          syscalls,
          goroutines,
        })),
        t.name,
      ).toEqual(
        (want.threads ?? []).map(({ thread, execNs, syscallNs, syscalls, goroutines }) => ({
          thread,
          execNs,
          syscallNs,
          syscalls,
          goroutines,
        })),
      );
    }
  });

  it('summarises each trace with the figures Go gives and compares two', async () => {
    for (const t of traces) {
      const want = await oracleFigures(t.file);
      const s = traceSummary(parseTrace(readFileSync(t.file)));
      expect(s.durationNs, t.name).toBe(want.durationNs);
      expect(s.burst.peak, `${t.name} peak`).toBe(want.peakLiveGoroutines);
      expect(s.burst.created, `${t.name} created`).toBe(want.goroutinesCreated);
      expect(s.stwMaxNs, `${t.name} stw max`).toBe(want.stwMaxNs);
      expect(s.stwCount, `${t.name} stw count`).toBe(want.stwCount);
    }
    const b = traceSummary(parseTrace(readFileSync(traces[0].file)));
    const a = traceSummary(parseTrace(readFileSync(traces[1].file)));
    const c = compareTraces(b, a);
    const row = (m: string) => c.rows.find((r) => r.metric === m)!;
    expect(row('stw-max').before).toBe(b.stwMaxNs);
    expect(row('stw-max').after).toBe(a.stwMaxNs);
    expect(row('gc-per-second').change).toBeCloseTo(
      (a.gcPerSecond - b.gcPerSecond) / b.gcPerSecond,
      12,
    );
    // Every start function of either side appears once; goroutine counts add up.
    const sum = (side: 'before' | 'after') =>
      c.functions.reduce((n, f) => n + (f[side]?.goroutines ?? 0), 0);
    expect(sum('before')).toBe(b.functions.reduce((n, f) => n + f.goroutines, 0));
    expect(sum('after')).toBe(a.functions.reduce((n, f) => n + f.goroutines, 0));
    // Shared latency buckets: the overlaid histograms hold every wait of both sides.
    expect(c.latency.before.reduce((x, y) => x + y, 0)).toBe(b.schedCount);
    expect(c.latency.after.reduce((x, y) => x + y, 0)).toBe(a.schedCount);
  });

  it("gives each side's MMU curve as go tool trace's MMU page plots it", async () => {
    for (const t of traces.slice(0, 2)) {
      const s = traceSummary(parseTrace(readFileSync(t.file)));
      const viewer = await startGoToolTrace(t.file);
      try {
        const body = JSON.parse(await viewer.get('/mmu?mode=plot&flags=stw|background|assist')) as {
          curve: Array<[number, number]>;
        };
        expect(s.mmu.windows.length, t.name).toBe(body.curve.length);
        body.curve.forEach(([w, v], i) => {
          expect(Math.abs(s.mmu.windows[i] - w), `${t.name} window ${i}`).toBeLessThanOrEqual(1);
          expect(s.mmu.mmu[i], `${t.name} MMU at ${w} ns`).toBeCloseTo(v, 9);
        });
        expect(s.mmu.at.map((p) => p.windowNs)).toEqual([1e6, 1e7, 1e8, 1e9]);
      } finally {
        await viewer.close();
      }
    }
  });
});

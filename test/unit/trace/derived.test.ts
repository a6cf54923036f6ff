// Derived views on real traces (the committed fixtures from test/targets/orders), checked
// against each other and against independent recomputations from the transition table.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeGoroutines,
  groupByStartFunction,
  isSystemGoroutine,
} from '../../../core/trace/analysis';
import { userRegions, userTasks } from '../../../core/trace/annotations';
import {
  buildCountIndex,
  goroutineCountLod,
  metricLod,
  metricSeries,
  runningProcSeries,
} from '../../../core/trace/counters';
import {
  buildTimelineIndex,
  describeSpan,
  procSpanEnd,
  spanAt,
  spanEnd,
  spanStart,
  spanState,
  type TimelineIndex,
} from '../../../core/trace/lanes';
import { latencyQuantile, schedulerLatency } from '../../../core/trace/latency';
import { goroutineLod, intervalLod, procLod } from '../../../core/trace/lod';
import {
  MetricKind,
  RangeKind,
  RangeType,
  timeAt,
  type TraceModel,
} from '../../../core/trace/model';
import { parseTrace } from '../../../core/trace/parse';
import { blockingProfile, cpuSampleProfile } from '../../../core/trace/profiles';
import { gcPhases, stopTheWorlds, stwName } from '../../../core/trace/ranges';
import { GoRunnable, GoRunning, GoSyscall, GoWaiting } from '../../../core/trace/spec';
import { traceTotals, type TraceTotals } from '../../../core/trace/totals';
import {
  EvGoCreate,
  EvGoStart,
  EvGoStatus,
  EvFrequency,
  EvProcStatus,
  EvStacks,
  EvStrings,
  EvUserLog,
  EvUserRegionBegin,
  EvUserRegionEnd,
  EvUserTaskBegin,
  EvUserTaskEnd,
  EvGoDestroy,
} from '../../../core/trace/spec';
import { NO_M, TraceWriter, ev, stack, str } from './trace-writer';

const repo = resolve(__dirname, '..', '..', '..');
let model: TraceModel;
let index: TimelineIndex;
let totals: TraceTotals;

beforeAll(() => {
  model = parseTrace(readFileSync(join(repo, 'test/fixtures/before/trace.out')));
  index = buildTimelineIndex(model);
  totals = traceTotals(model);
});

function rowOf(id: number): number {
  return model.goroutines.id.indexOf(id);
}

describe('goroutine lanes', () => {
  it('tile each goroutine life with spans whose per-state sums are the totals', () => {
    for (const t of totals.goroutines) {
      const g = rowOf(t.id);
      const sum = [0, 0, 0, 0, 0, 0];
      let prevEnd = -1;
      for (let k = index.start[g]; k < index.start[g + 1]; k++) {
        const s = spanStart(model, index, k);
        const e = spanEnd(model, index, g, k);
        expect(e).toBeGreaterThanOrEqual(s);
        if (prevEnd >= 0) expect(s).toBe(prevEnd);
        prevEnd = e;
        sum[spanState(model, index, k)] += e - s;
      }
      expect([sum[GoRunning], sum[GoRunnable], sum[GoWaiting], sum[GoSyscall]]).toEqual([
        t.runningNs,
        t.runnableNs,
        t.blockedNs,
        t.syscallNs,
      ]);
    }
  });

  it('finds the span at a time and describes it', () => {
    const workers = totals.goroutines.filter((t) => t.startFunction === 'main.(*service).worker');
    expect(workers.length).toBe(8);
    let waits = 0;
    for (const worker of workers) {
      const g = rowOf(worker.id);
      for (let k = index.start[g]; k < index.start[g + 1] - 1; k++) {
        const mid = (spanStart(model, index, k) + spanEnd(model, index, g, k)) / 2;
        expect(spanAt(model, index, g, mid)).toBe(k);
        const d = describeSpan(model, index, k);
        expect(d.goroutineId).toBe(worker.id);
        expect(d.goroutineName).toBe('main.(*service).worker');
        if (d.state === GoWaiting && d.unblockedBy >= 0 && d.start > 0) {
          waits++;
          expect(d.reason).not.toBe('');
          expect(d.stack.length).toBeGreaterThan(0);
          expect(d.stack[d.stack.length - 1]).toMatch(/^main\.\(\*service\)\.worker /);
          expect(model.goroutines.id[d.unblockedBy]).toBeGreaterThan(0);
        }
        if (d.state === GoRunning) expect(d.procId).toBeGreaterThanOrEqual(0);
      }
      expect(spanAt(model, index, g, model.durationNs + 10)).toBe(-1);
    }
    expect(waits).toBeGreaterThan(0);
  });

  it('P lanes hold one goroutine at a time', () => {
    let spans = 0;
    for (let p = 0; p < model.procs.length; p++) {
      let prevEnd = -1;
      for (let s = index.procStart[p]; s < index.procStart[p + 1]; s++) {
        const k = index.procPos[s];
        const st = spanStart(model, index, k);
        const e = procSpanEnd(model, index, p, s);
        expect(st).toBeGreaterThanOrEqual(prevEnd);
        expect(e).toBeGreaterThanOrEqual(st);
        prevEnd = e;
        spans++;
      }
    }
    expect(spans).toBeGreaterThan(100);
  });
});

describe('timeline level of detail', () => {
  it('bounds the items per lane whatever the window', () => {
    const rows = Int32Array.from({ length: model.goroutines.length }, (_, i) => i);
    for (const widthPx of [100, 800]) {
      for (const minPx of [1, 3]) {
        const r = goroutineLod(model, index, rows, { t0: 0, t1: model.durationNs, widthPx, minPx });
        for (let j = 0; j < rows.length; j++) {
          const n = r.laneStart[j + 1] - r.laneStart[j];
          expect(n).toBeLessThanOrEqual((2 * widthPx) / minPx + 2);
          for (let i = r.laneStart[j]; i < r.laneStart[j + 1]; i++) {
            expect(r.end[i]).toBeGreaterThanOrEqual(r.start[i]);
            if (i > r.laneStart[j]) expect(r.start[i]).toBeGreaterThanOrEqual(r.end[i - 1]);
            if (r.count[i] > 1) expect(r.ref[i]).toBe(-1);
          }
        }
      }
    }
  });

  it('shows single clickable spans when zoomed in', () => {
    // The goroutine with the most spans.
    let worker = 0;
    for (let g = 1; g < model.goroutines.length; g++) {
      if (index.start[g + 1] - index.start[g] > index.start[worker + 1] - index.start[worker])
        worker = g;
    }
    expect(index.start[worker + 1] - index.start[worker]).toBeGreaterThan(9);
    const k = index.start[worker] + 5;
    const t0 = spanStart(model, index, k);
    const t1 = spanEnd(model, index, worker, k + 3);
    const r = goroutineLod(model, index, [worker], { t0, t1, widthPx: 100000 });
    expect(r.laneStart[1]).toBe(4);
    expect(Array.from(r.ref)).toEqual([k, k + 1, k + 2, k + 3]);
    expect(Array.from(r.count)).toEqual([1, 1, 1, 1]);
    for (let i = 0; i < 4; i++) expect(r.state[i]).toBe(spanState(model, index, k + i));
  });

  it('keeps the time each state takes when merging (dominant state of a run)', () => {
    const rows = [
      rowOf(totals.goroutines.find((t) => t.startFunction === 'main.(*service).worker')!.id),
    ];
    const r = goroutineLod(model, index, rows, {
      t0: 0,
      t1: model.durationNs,
      widthPx: 50,
      minPx: 2,
    });
    expect(r.start.length).toBeGreaterThan(0);
    expect(r.start.length).toBeLessThanOrEqual(52);
    const p = procLod(model, index, [0, 1], { t0: 0, t1: model.durationNs, widthPx: 200 });
    expect(p.laneStart.length).toBe(3);
    expect(p.start.length).toBeGreaterThan(0);
  });

  it('GC and STW bands, counters', () => {
    const gc = gcPhases(model);
    let begins = 0;
    for (let i = 0; i < model.ranges.length; i++) {
      if (model.ranges.type[i] === RangeType.GCMark && model.ranges.kind[i] === RangeKind.Begin)
        begins++;
    }
    expect(gc.length - gc.startedBefore.reduce((a, b) => a + b, 0)).toBe(begins);
    expect(begins).toBe(totals.gcCount);
    const stw = stopTheWorlds(model);
    let stwSum = 0;
    for (let i = 0; i < stw.length; i++) stwSum += stw.end[i] - stw.start[i];
    expect(stwSum).toBe(totals.stwNs);
    expect(stwName(model, stw, 0)).toMatch(/^stop-the-world \(.+\)$/);
    const bands = intervalLod(gc.start, gc.end, new Uint8Array(gc.length), {
      t0: 0,
      t1: model.durationNs,
      widthPx: 300,
    });
    expect(bands.start.length).toBeGreaterThan(0);
    const heap = metricSeries(model, MetricKind.HeapAlloc);
    expect(heap.time.length).toBeGreaterThan(10);
    const heapLod = metricLod(model, MetricKind.HeapAlloc, {
      t0: 0,
      t1: model.durationNs,
      widthPx: 100,
    });
    expect(heapLod.time.length).toBe(100);
    expect(Math.max(...heapLod.max.filter((x) => !Number.isNaN(x)))).toBe(Math.max(...heap.value));
    const procs = runningProcSeries(model);
    const maxProcs = Math.max(...metricSeries(model, MetricKind.Gomaxprocs).value);
    for (const v of procs.value) expect(v).toBeLessThanOrEqual(maxProcs);
    const counts = goroutineCountLod(model, buildCountIndex(model), {
      t0: 0,
      t1: model.durationNs,
      widthPx: 64,
    });
    for (let b = 0; b < 64; b++) {
      expect(counts.running[b]).toBeGreaterThanOrEqual(0);
      expect(counts.running[b]).toBeLessThanOrEqual(maxProcs);
      expect(counts.waiting[b]).toBeGreaterThan(0);
    }
  });
});

describe('goroutine analysis (go tool trace)', () => {
  it('agrees with the state totals where the definitions agree', () => {
    const a = analyzeGoroutines(model);
    expect(a.rows.length).toBe(totals.goroutines.length);
    for (const t of totals.goroutines) {
      const g = rowOf(t.id);
      expect(a.execNs[g]).toBe(t.runningNs);
      // Blocked "forever" ends a goroutine's analysis; a blocked syscall at the end counts twice.
      expect(a.blockNs[g]).toBeLessThanOrEqual(t.blockedNs);
      expect(a.syscallNs[g] + a.syscallBlockNs[g]).toBe(t.syscallNs);
      expect(a.totalNs[g]).toBeGreaterThan(0);
      let byReason = 0;
      for (let j = a.blockStart[g]; j < a.blockStart[g + 1]; j++) byReason += a.blockReasonNs[j];
      expect(byReason).toBe(a.blockNs[g]);
    }
    const groups = groupByStartFunction(model, a);
    expect(groups.find((g) => g.name === 'main.(*service).worker')!.count).toBe(8);
    for (let i = 1; i < groups.length; i++)
      expect(groups[i - 1].execNs).toBeGreaterThanOrEqual(groups[i].execNs);
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(a.rows.length);
    expect(isSystemGoroutine('runtime.gcBgMarkWorker')).toBe(true);
    expect(isSystemGoroutine('runtime.main')).toBe(false);
    // GC time is the mark assist and sweep part of the range times.
    let gc = 0;
    for (let j = 0; j < a.rangeName.length; j++) {
      if (a.rangeName[j] === 'GC mark assist' || a.rangeName[j] === 'GC incremental sweep')
        gc += a.rangeNs[j];
    }
    expect(groups.reduce((sum, g) => sum + g.gcNs, 0)).toBe(gc);
  });
});

describe('scheduler latency and profiles', () => {
  /**
   * Independently of core/trace/profiles: the spans of STATE (with a matching reason) that end
   * before the trace does, clipped to the goroutine's life as go tool trace counts it (from its
   * first run, or the trace's start, to its end or the trace's end).
   */
  function spanWaits(state: number, reason: (r: string) => boolean): number[] {
    const a = analyzeGoroutines(model);
    const out: number[] = [];
    for (let g = 0; g < model.goroutines.length; g++) {
      if (!a.rows.includes(g)) continue;
      const life0 = a.startTime[g] >= 0 ? a.startTime[g] : 0;
      const life1 = a.endTime[g] >= 0 ? a.endTime[g] : model.durationNs;
      for (let k = index.start[g]; k < index.start[g + 1] - 1; k++) {
        if (spanState(model, index, k) !== state) continue;
        if (!reason(describeSpan(model, index, k).reason)) continue;
        const t0 = Math.max(life0, spanStart(model, index, k));
        const t1 = Math.min(life1, spanEnd(model, index, g, k));
        if (t1 > t0) out.push(t1 - t0);
      }
    }
    return out;
  }

  function totals(kind: 'net' | 'sync' | 'syscall' | 'sched'): [number, number] {
    const p = blockingProfile(model, kind);
    let count = 0;
    let delay = 0;
    for (let i = 0; i < p.samples.length; i++) {
      count += p.samples.values[i * 2];
      delay += p.samples.values[i * 2 + 1];
    }
    return [count, delay];
  }

  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

  it('measures every runnable wait of the sched profile (Go scheduler latency)', () => {
    const h = schedulerLatency(model);
    const waits = spanWaits(GoRunnable, () => true);
    expect(waits.length).toBeGreaterThan(10);
    expect(h.count).toBe(waits.length);
    expect(h.sumNs).toBe(sum(waits));
    expect(h.minNs).toBe(Math.min(...waits));
    expect(h.maxNs).toBe(Math.max(...waits));
    expect([h.count, h.sumNs]).toEqual(totals('sched'));
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(waits.length);
    // The quantiles are bucket upper bounds: at least the true quantile, within a bucket (9%).
    const sorted = [...waits].sort((x, y) => x - y);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
      const got = latencyQuantile(h, q);
      expect(got).toBeGreaterThanOrEqual(exact);
      expect(got).toBeLessThanOrEqual(Math.min(h.maxNs, exact * 1.125 + 1));
    }
  });

  it('net, syscall and sched profiles: every wait counted, by the independent span walk', () => {
    expect(totals('net')).toEqual([
      spanWaits(GoWaiting, (r) => r === 'network').length,
      sum(spanWaits(GoWaiting, (r) => r === 'network')),
    ]);
    const sys = spanWaits(GoSyscall, () => true);
    expect(sys.length).toBeGreaterThan(0);
    expect(totals('syscall')).toEqual([sys.length, sum(sys)]);
    const sched = spanWaits(GoRunnable, () => true);
    expect(totals('sched')).toEqual([sched.length, sum(sched)]);
  });

  it('sync profile: time blocked on channels, mutexes and select, by blocking stack', () => {
    const prof = blockingProfile(model, 'sync');
    expect(prof.sampleTypes).toEqual([
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ]);
    expect(prof.periodType).toEqual({ type: 'trace', unit: 'count' });
    let delay = 0;
    let count = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      count += prof.samples.values[i * 2];
      delay += prof.samples.values[i * 2 + 1];
    }
    // Independently: waiting spans with such reasons that end before the trace does.
    let want = 0;
    let wantCount = 0;
    for (let g = 0; g < model.goroutines.length; g++) {
      for (let k = index.start[g]; k < index.start[g + 1] - 1; k++) {
        if (spanState(model, index, k) !== GoWaiting) continue;
        const reason = describeSpan(model, index, k).reason;
        if (!/chan|sync|select/.test(reason)) continue;
        const d = spanEnd(model, index, g, k) - spanStart(model, index, k);
        if (d > 0) {
          want += d;
          wantCount++;
        }
      }
    }
    expect(delay).toBe(want);
    expect(count).toBe(wantCount);
    // Stacks are leaf first and resolve to functions.
    const leaf = prof.samples.stack[0];
    const loc = prof.stacks.frame[leaf];
    const fn = prof.lines.func[prof.locations.lineStart[loc]];
    expect(prof.strings[prof.functions.name[fn]]).not.toBe('');
    const cpu = cpuSampleProfile(model);
    expect(cpu.samples.values.reduce((a, b) => a + b, 0)).toBe(model.samples.length);
  });
});

describe('user annotations', () => {
  it('pairs tasks and regions, including ones begun before the trace', () => {
    const m = parseTrace(handMadeAnnotated());
    const tasks = userTasks(m);
    expect(tasks.length).toBe(2);
    expect(Array.from(tasks.id)).toEqual([9, 10]);
    expect(tasks.startedBefore[0]).toBe(1); // its begin came before the trace
    expect(m.strings[tasks.type[1]]).toBe('order');
    expect(tasks.open[1]).toBe(0);
    expect(tasks.end[1]).toBeGreaterThan(tasks.start[1]);
    expect(Array.from(tasks.parent)).toEqual([-1, -1]);
    const regions = userRegions(m);
    expect(regions.length).toBe(3);
    expect(Array.from(regions.depth)).toEqual([0, 0, 1]);
    expect(m.strings[regions.type[2]]).toBe('inner');
    expect(regions.open[1]).toBe(1); // ends when its goroutine exits
    const g1Exit = timeAt(m.transitions.time, m.transitions.length - 3);
    expect(m.transitions.states[m.transitions.length - 3] & 15).toBe(1);
    expect(regions.end[1]).toBe(g1Exit);
    expect(g1Exit).toBeLessThan(m.durationNs);
    expect(m.logs.length).toBe(1);
    expect(m.strings[m.logs.message[0]]).toBe('hello');
  });
});

function handMadeAnnotated(): Uint8Array {
  const w = new TraceWriter(25);
  w.batch(1, NO_M, 100, [ev(50), ev(EvFrequency, 1e9), ev(51, 1, 1, 1, 1)]);
  w.batch(1, NO_M, 100, [
    [EvStrings],
    str(1, 'order'),
    str(2, 'outer'),
    str(3, 'inner'),
    str(4, 'key'),
    str(5, 'hello'),
    str(6, 'main.main'),
    str(7, 'm.go'),
  ]);
  w.batch(1, NO_M, 100, [[EvStacks], stack(1, [[0x10, 6, 7, 1]])]);
  w.batch(1, 1, 100, [
    ev(EvProcStatus, 0, 0, 1),
    ev(EvGoStatus, 0, 1, NO_M, 2),
    ev(EvUserTaskEnd, 5, 9, 0), // task 9 began before the trace
    ev(EvUserTaskBegin, 5, 10, 0, 1, 1),
    ev(EvUserRegionEnd, 5, 10, 2, 0), // region begun before the trace
    ev(EvUserRegionBegin, 5, 10, 2, 0),
    ev(EvUserRegionBegin, 5, 10, 3, 0),
    ev(EvUserLog, 5, 10, 4, 5, 0),
    ev(EvUserRegionEnd, 5, 10, 3, 0),
    ev(EvUserTaskEnd, 5, 10, 0),
    ev(EvGoCreate, 5, 2, 1, 1),
    ev(EvGoDestroy, 5), // G1 exits inside its "outer" region
    ev(EvGoStart, 5, 2, 1),
    ev(EvGoDestroy, 5),
  ]);
  return w.bytes();
}

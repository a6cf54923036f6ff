// The timeline's level of detail (core/trace/timeline-*.ts) on real traces from the Go target
// (test/fixtures, written by test/targets/orders): every span in the window is accounted for by
// exactly one item, merged runs take the class that held most of their time, items per lane
// stay under 2 * width / minPx + 2, and at a fine zoom every item is one exact span.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCountIndex, goroutineCountLod } from '../../../core/trace/counters';
import {
  buildTimelineIndex,
  procSpanEnd,
  spanEnd,
  spanStart,
  type TimelineIndex,
} from '../../../core/trace/lanes';
import type { TraceModel } from '../../../core/trace/model';
import { parseTrace } from '../../../core/trace/parse';
import { gcPhases, stopTheWorlds } from '../../../core/trace/ranges';
import {
  SKIP_CLASS,
  SPAN_CLASS_COUNT,
  SpanClass,
  reasonClass,
} from '../../../core/trace/timeline-classes';
import {
  BASE_BUCKETS,
  buildTimelineCounters,
  goroutineCounts,
} from '../../../core/trace/timeline-counters';
import {
  LaneKind,
  buildLaneList,
  goroutineRowsById,
  laneOfGoroutine,
} from '../../../core/trace/timeline-lanes';
import {
  bandLod,
  buildLaneLodIndex,
  goroutineLaneLod,
  procLaneLod,
  spanClassAt,
  type LaneItems,
  type LaneLodIndex,
  type LaneQuery,
} from '../../../core/trace/timeline-lod';

const repo = resolve(__dirname, '..', '..', '..');

interface Loaded {
  model: TraceModel;
  index: TimelineIndex;
  lod: LaneLodIndex;
}

function load(file: string): Loaded {
  const model = parseTrace(readFileSync(join(repo, file)));
  const index = buildTimelineIndex(model);
  return { model, index, lod: buildLaneLodIndex(model, index) };
}

const traces = {
  before: load('test/fixtures/before/trace.out'),
  after: load('test/fixtures/after/trace.out'),
};

interface Span {
  start: number;
  end: number;
  cls: number;
  ref: number;
}

/** Goroutine g's drawn spans, straight from the index. */
function goSpans(t: Loaded, g: number): Span[] {
  const out: Span[] = [];
  for (let k = t.index.start[g]; k < t.index.start[g + 1]; k++) {
    out.push({
      start: spanStart(t.model, t.index, k),
      end: spanEnd(t.model, t.index, g, k),
      cls: spanClassAt(t.model, t.index, t.lod, k),
      ref: k,
    });
  }
  return out;
}

function procSpans(t: Loaded, p: number): Span[] {
  const out: Span[] = [];
  for (let s = t.index.procStart[p]; s < t.index.procStart[p + 1]; s++) {
    const k = t.index.procPos[s];
    out.push({
      start: spanStart(t.model, t.index, k),
      end: procSpanEnd(t.model, t.index, p, s),
      cls: spanClassAt(t.model, t.index, t.lod, k),
      ref: k,
    });
  }
  return out;
}

/** The items of lane j as objects. */
function laneItems(items: LaneItems, j: number) {
  const out = [];
  for (let i = items.laneStart[j]; i < items.laneStart[j + 1]; i++) {
    out.push({
      start: items.start[i],
      end: items.end[i],
      cls: items.cls[i],
      count: items.count[i],
      ref: items.ref[i],
      fill: items.fill[i],
    });
  }
  return out;
}

/**
 * Checks one lane's items against its spans: in order, inside the window, each visible span
 * consumed by exactly one item (the spans starting before the item's end), singles exact,
 * merged runs with the class holding most of their time. Returns the item count.
 */
function checkLane(spans: Span[], items: ReturnType<typeof laneItems>, q: LaneQuery): number {
  const minNs = ((q.t1 - q.t0) / q.widthPx) * (q.minPx ?? 2);
  const visible = spans.filter(
    (s) => s.cls !== SKIP_CLASS && s.end >= q.t0 && (s.start < q.t1 || s.start <= q.t0),
  );
  let v = 0;
  let prevEnd = -Infinity;
  for (const it of items) {
    expect(it.start).toBeGreaterThanOrEqual(q.t0);
    expect(it.end).toBeLessThanOrEqual(q.t1);
    expect(it.end).toBeGreaterThanOrEqual(it.start);
    expect(it.start).toBeGreaterThanOrEqual(prevEnd);
    prevEnd = it.end;
    const run: Span[] = [];
    // The first span of an item may start before it (clipped at t0); the others start inside.
    do run.push(visible[v++]);
    while (v < visible.length && visible[v].start < it.end && run.length < it.count);
    expect(run.length).toBe(it.count);
    if (it.count === 1) {
      expect(it.ref).toBe(run[0].ref);
      expect(it.cls).toBe(run[0].cls);
      expect(it.start).toBe(Math.max(q.t0, run[0].start));
    } else {
      expect(it.ref).toBe(-1);
      const byClass = new Array<number>(SPAN_CLASS_COUNT).fill(0);
      for (const s of run) byClass[s.cls] += s.end - s.start;
      const best = Math.max(...byClass);
      // Chunk totals are float32: the winner must be within rounding of the best.
      expect(byClass[it.cls]).toBeGreaterThanOrEqual(best * (1 - 1e-6) - 1);
      // A run starts within one merge width of its first span's start.
      expect(run[run.length - 1].start - it.start).toBeLessThan(minNs + 1e-6);
    }
  }
  expect(v).toBe(visible.length);
  return items.length;
}

function windows(model: TraceModel): LaneQuery[] {
  const d = model.durationNs;
  return [
    { t0: 0, t1: d, widthPx: 1200, minPx: 2 },
    { t0: 0, t1: d, widthPx: 300, minPx: 4 },
    { t0: d * 0.21, t1: d * 0.27, widthPx: 900, minPx: 2 },
    { t0: d * 0.5, t1: d * 0.5 + 2e6, widthPx: 800, minPx: 2 },
    { t0: d * 0.73, t1: d * 0.73 + 5e4, widthPx: 1000, minPx: 1 },
  ];
}

describe('goroutineLaneLod', () => {
  for (const [name, t] of Object.entries(traces)) {
    it(`accounts for every visible span of every goroutine once (${name})`, () => {
      const rows = goroutineRowsById(t.model, t.index);
      let merged = 0;
      for (const q of windows(t.model)) {
        const items = goroutineLaneLod(t.model, t.index, t.lod, rows, q);
        expect(items.laneStart.length).toBe(rows.length + 1);
        const bound = 2 * Math.ceil(q.widthPx / (q.minPx ?? 2)) + 2;
        rows.forEach((g, j) => {
          const n = checkLane(goSpans(t, g), laneItems(items, j), q);
          expect(n).toBeLessThanOrEqual(bound);
        });
        for (let i = 0; i < items.count.length; i++) if (items.count[i] > 1) merged++;
      }
      // The zoomed-out windows must actually merge something for the test to mean anything.
      expect(merged).toBeGreaterThan(50);
    });
  }

  it('gives exact spans when zoomed in far enough', () => {
    const t = traces.before;
    const rows = goroutineRowsById(t.model, t.index);
    const q = {
      t0: t.model.durationNs * 0.4,
      t1: t.model.durationNs * 0.4 + 20000,
      widthPx: 2000,
      minPx: 1,
    };
    const items = goroutineLaneLod(t.model, t.index, t.lod, rows, q);
    let singles = 0;
    for (let i = 0; i < items.count.length; i++) {
      // 10 ns per pixel: only spans shorter than 10 ns could merge.
      if (items.count[i] === 1) singles++;
      else expect(items.end[i] - items.start[i]).toBeLessThan(30);
    }
    expect(singles).toBeGreaterThan(20);
  });
});

describe('procLaneLod', () => {
  for (const [name, t] of Object.entries(traces)) {
    it(`accounts for every visible P span once, with the busy share of merged runs (${name})`, () => {
      const procs = Array.from({ length: t.model.procs.length }, (_, p) => p);
      expect(procs.length).toBeGreaterThan(0);
      for (const q of windows(t.model)) {
        const items = procLaneLod(t.model, t.index, t.lod, procs, q);
        const bound = 2 * Math.ceil(q.widthPx / (q.minPx ?? 2)) + 2;
        procs.forEach((p, j) => {
          const li = laneItems(items, j);
          expect(checkLane(procSpans(t, p), li, q)).toBeLessThanOrEqual(bound);
          for (const it of li) {
            expect(it.fill).toBeGreaterThan(0);
            if (it.count === 1) expect(it.fill).toBe(255);
          }
        });
      }
    });
  }

  it('marks the GC mark workers on P lanes', () => {
    const t = traces.before;
    const procs = Array.from({ length: t.model.procs.length }, (_, p) => p);
    const q = { t0: 0, t1: t.model.durationNs, widthPx: 20000, minPx: 1 };
    const items = procLaneLod(t.model, t.index, t.lod, procs, q);
    expect(Array.from(items.cls)).toContain(SpanClass.GCWorker);
    expect(Array.from(items.cls)).toContain(SpanClass.Running);
  });
});

describe('span classes', () => {
  it('sorts the runtime’s blocking reasons', () => {
    expect(reasonClass('chan receive')).toBe(SpanClass.BlockedSync);
    expect(reasonClass('select')).toBe(SpanClass.BlockedSync);
    expect(reasonClass('sync')).toBe(SpanClass.BlockedSync);
    expect(reasonClass('sync.(*Cond).Wait')).toBe(SpanClass.BlockedSync);
    expect(reasonClass('network')).toBe(SpanClass.BlockedNet);
    expect(reasonClass('sleep')).toBe(SpanClass.BlockedSleep);
    expect(reasonClass('GC background sweeper wait')).toBe(SpanClass.BlockedGC);
    expect(reasonClass('GC mark assist wait for work')).toBe(SpanClass.BlockedGC);
    expect(reasonClass('system goroutine wait')).toBe(SpanClass.BlockedOther);
    expect(reasonClass('forever')).toBe(SpanClass.BlockedOther);
    expect(reasonClass('')).toBe(SpanClass.BlockedOther);
  });
});

describe('bandLod', () => {
  it('merges GC and STW ranges that overlap or share a pixel, covering all of them', () => {
    const t = traces.before;
    for (const iv of [gcPhases(t.model), stopTheWorlds(t.model)]) {
      expect(iv.length).toBeGreaterThan(0);
      for (const q of [
        ...windows(t.model),
        { t0: 0, t1: t.model.durationNs, widthPx: 20, minPx: 1 },
      ]) {
        const b = bandLod(iv.start, iv.end, q);
        const minNs = ((q.t1 - q.t0) / q.widthPx) * (q.minPx ?? 1);
        for (let i = 1; i < b.start.length; i++)
          expect(b.start[i] - b.end[i - 1]).toBeGreaterThanOrEqual(minNs);
        let covered = 0;
        for (let i = 0; i < iv.length; i++) {
          if (iv.end[i] < q.t0 || iv.start[i] >= q.t1) continue;
          covered++;
          const s = Math.max(q.t0, iv.start[i]);
          const e = Math.min(q.t1, iv.end[i]);
          const inside = Array.from(b.start).some((bs, j) => bs <= s && e <= b.end[j]);
          expect(inside).toBe(true);
        }
        expect(Array.from(b.count).reduce((a, c) => a + c, 0)).toBe(covered);
      }
    }
  });
});

describe('timeline counters', () => {
  it('reads coarse windows from the base level within one bucket of the exact replay', () => {
    const t = traces.before;
    const c = buildTimelineCounters(t.model);
    const ci = buildCountIndex(t.model);
    const q = { t0: 0, t1: t.model.durationNs, widthPx: 900 };
    const fast = goroutineCounts(t.model, c, q);
    const exact = goroutineCountLod(t.model, ci, q);
    for (const k of ['running', 'runnable', 'waiting', 'syscall'] as const) {
      for (let p = 0; p < q.widthPx; p++) {
        // Base buckets straddle pixel edges: never below the pixel's own max, never above its
        // neighbours'.
        const around = Math.max(
          exact[k][Math.max(0, p - 1)],
          exact[k][p],
          exact[k][Math.min(q.widthPx - 1, p + 1)],
        );
        expect(fast[k][p]).toBeGreaterThanOrEqual(exact[k][p]);
        expect(fast[k][p]).toBeLessThanOrEqual(around);
      }
    }
    expect(c.maxActive).toBeGreaterThan(0);
    expect(c.maxHeap).toBeGreaterThan(0);
  });

  it('replays small windows exactly', () => {
    const t = traces.before;
    const c = buildTimelineCounters(t.model);
    const ci = buildCountIndex(t.model);
    const span = (t.model.durationNs / BASE_BUCKETS) * 100;
    const q = { t0: t.model.durationNs * 0.3, t1: t.model.durationNs * 0.3 + span, widthPx: 400 };
    expect(goroutineCounts(t.model, c, q)).toEqual(goroutineCountLod(t.model, ci, q));
  });
});

describe('lane list', () => {
  const t = traces.before;
  const byId = goroutineRowsById(t.model, t.index);

  it('lists the Ps, then goroutines with state changes by id', () => {
    const l = buildLaneList(t.model, byId, '');
    expect(l.procLanes).toBe(t.model.procs.length);
    expect(l.length).toBe(l.procLanes + l.goroutineLanes);
    for (let j = 0; j < l.procLanes; j++) expect(l.kind[j]).toBe(LaneKind.Proc);
    const ids = Array.from(l.row.subarray(l.procLanes), (g) => t.model.goroutines.id[g]);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    for (const g of l.row.subarray(l.procLanes))
      expect(t.index.start[g + 1]).toBeGreaterThan(t.index.start[g]);
  });

  it('filters goroutines by start function (any case) or id, and finds their lanes', () => {
    const l = buildLaneList(t.model, byId, 'SERVICE).WORKER');
    expect(l.goroutineLanes).toBeGreaterThan(0);
    expect(l.goroutineLanes).toBeLessThan(byId.length);
    for (const g of l.row.subarray(l.procLanes))
      expect(t.model.strings[t.model.goroutines.name[g]]).toContain('(*service).worker');
    const g = l.row[l.procLanes + 1];
    expect(laneOfGoroutine(l, t.model, g)).toBe(l.procLanes + 1);
    const other = byId.find(
      (x) => !(t.model.strings[t.model.goroutines.name[x]] ?? '').includes('worker'),
    )!;
    expect(laneOfGoroutine(l, t.model, other)).toBe(-1);

    const id = t.model.goroutines.id[other];
    const one = buildLaneList(t.model, byId, `g${id}`);
    expect(Array.from(one.row.subarray(one.procLanes))).toContain(other);
  });
});

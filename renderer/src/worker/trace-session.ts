// One opened execution trace in the trace Worker: the parsed model and its indexes, and the
// answers the Timeline tab asks for. Plain TypeScript over core/trace (no DOM), so the tests
// run it in Node on real traces.
import { encodeProfile } from '../../../core/pprof/encode';
import { WorkerError } from './rpc';
import { analyzeGoroutines, groupByStartFunction } from '../../../core/trace/analysis';
import type { GoroutineAnalysis, GoroutineGroup } from '../../../core/trace/analysis';
import { buildTimelineIndex, describeSpan, type TimelineIndex } from '../../../core/trace/lanes';
import type { TraceModel } from '../../../core/trace/model';
import { TraceParser } from '../../../core/trace/parse';
import { countTransitions } from '../../../core/trace/precount';
import { blockingProfile, cpuSampleProfile } from '../../../core/trace/profiles';
import {
  sampleMarks,
  sampleRange,
  samplesByGoroutine,
  type SamplesByGoroutine,
} from '../../../core/trace/cpu-samples';
import { gcPhases, stopTheWorlds, type Intervals } from '../../../core/trace/ranges';
import { latencyQuantile, schedulerLatency } from '../../../core/trace/latency';
import { traceSummary, type TraceSummary } from '../../../core/trace/compare';
import { TraceExtras } from './trace-annotations';
import { SKIP_CLASS, SpanClass, reasonFromStack } from '../../../core/trace/timeline-classes';
import { GoWaiting } from '../../../core/trace/spec';
import {
  buildTimelineCounters,
  goroutineCounts,
  heapLod,
  type TimelineCounters,
} from '../../../core/trace/timeline-counters';
import {
  LaneKind,
  buildLaneList,
  goroutineMatcher,
  goroutineRowsById,
  laneOfGoroutine,
  type LaneList,
} from '../../../core/trace/timeline-lanes';
import {
  bandLod,
  buildLaneLodIndex,
  goroutineLaneLod,
  procLaneLod,
  spanClassAt,
  type LaneItems,
  type LaneLodIndex,
} from '../../../core/trace/timeline-lod';
import type {
  AnalysisRequest,
  AnalysisRow,
  AnalysisWindow,
  BlockingProfileKind,
  CpuProfilePayload,
  FramePayload,
  FrameRequest,
  AnnotationTables,
  LaneMode,
  LanesInfo,
  LatencyPayload,
  LogView,
  TaskRowView,
  ThreadSliceView,
  OverlayPayload,
  OverlayRequest,
  ProfilePayload,
  SpanView,
  TraceInfo,
} from './trace-protocol';

export type TraceProgress = (phase: string, done: number, total: number) => void;

/** Largest frame asked for: lanes and pixels beyond this are refused, not drawn slowly. */
const MAX_LANES_PER_FRAME = 400;
const MAX_WIDTH_PX = 8192;
const CHUNK_BYTES = 8 << 20;

function typedBytes(o: unknown, seen = new Set<unknown>()): number {
  if (o === null || typeof o !== 'object' || seen.has(o)) return 0;
  seen.add(o);
  if (ArrayBuffer.isView(o)) return o.byteLength;
  let n = 0;
  for (const v of Array.isArray(o) ? o : Object.values(o)) n += typedBytes(v, seen);
  return n;
}

/** A trace file's bytes, handed over: the session drops them once parsed. */
export interface BytesHolder {
  bytes: Uint8Array | null;
}

/** A trace parsed elsewhere (streamed from the server, trace-stream.ts). */
export interface ParsedTrace {
  model: TraceModel;
  fileBytes: number;
  parseMs: number;
}

function parseHeld(holder: BytesHolder, progress: TraceProgress): ParsedTrace {
  const t0 = performance.now();
  const bytes = holder.bytes;
  if (!bytes) throw new WorkerError('state', 'no trace bytes');
  const total = bytes.length;
  progress('parse', 0, total);
  const parser = new TraceParser({
    totalBytes: total,
    expectedTransitions: countTransitions(bytes),
    onProgress: (done) => progress('parse', done, total),
  });
  for (let at = 0; at < total; at += CHUNK_BYTES) {
    parser.push(bytes.subarray(at, Math.min(total, at + CHUNK_BYTES)));
    progress('parse', Math.min(total, at + CHUNK_BYTES), total);
  }
  const model = parser.finish();
  holder.bytes = null;
  return { model, fileBytes: total, parseMs: performance.now() - t0 };
}

export class TraceSession {
  readonly model: TraceModel;
  readonly index: TimelineIndex;
  readonly lod: LaneLodIndex;
  private readonly byId: Int32Array;
  private readonly gc: Intervals;
  private readonly stw: Intervals;
  private lanes: LaneList;
  private lanesVersion = 1;
  private filter = '';
  private mode: LaneMode = 'goroutines';
  private readonly extras: TraceExtras;
  private summaryCache: TraceSummary | null = null;
  private counters: TimelineCounters | null = null;
  private samplesIndex: { g: SamplesByGoroutine; p: SamplesByGoroutine } | null = null;
  private analysisCache: { a: GoroutineAnalysis; groups: GoroutineGroup[] } | null = null;
  private sorted: { key: string; rows: Int32Array } | null = null;
  readonly info: TraceInfo;

  /**
   * Parses a whole trace file (or takes one already parsed); throws TraceError when nothing of
   * it is usable. Given a holder, it empties it once parsed, so the file's bytes can be freed
   * before the indexes are built.
   */
  constructor(input: Uint8Array | BytesHolder | ParsedTrace, progress: TraceProgress = () => {}) {
    const parsed =
      'model' in input
        ? input
        : parseHeld(input instanceof Uint8Array ? { bytes: input } : input, progress);
    this.model = parsed.model;
    this.extras = new TraceExtras(this.model);
    const t1 = performance.now();
    progress('index', 0, 1);
    this.index = buildTimelineIndex(this.model);
    this.lod = buildLaneLodIndex(this.model, this.index);
    this.byId = goroutineRowsById(this.model, this.index);
    this.lanes = buildLaneList(this.model, this.byId, '');
    this.gc = gcPhases(this.model);
    this.stw = stopTheWorlds(this.model);
    progress('index', 1, 1);
    const m = this.model;
    this.info = {
      goVersion: m.goVersion,
      durationNs: m.durationNs,
      generations: m.generations,
      eventCount: m.eventCount,
      warnings: m.warnings.map((w) => ({ kind: w.kind, message: w.message })),
      goroutines: this.byId.length,
      procs: m.procs.length,
      gcCount: this.gc.length,
      stwCount: this.stw.length,
      cpuSamples: m.samples.length,
      fileBytes: parsed.fileBytes,
      keptBytes: typedBytes({ m: { ...m, strings: [] }, i: this.index, l: this.lod }),
      parseMs: parsed.parseMs,
      indexMs: performance.now() - t1,
    };
  }

  setFilter(filter: string, mode: LaneMode = this.mode): LanesInfo {
    if (mode !== 'goroutines' && mode !== 'threads')
      throw new WorkerError('options', `no lane mode named ${String(mode)}`);
    if (filter !== this.filter) {
      this.filter = filter;
      this.lanes = buildLaneList(this.model, this.byId, filter);
      this.lanesVersion++;
    }
    if (mode !== this.mode) {
      this.mode = mode;
      this.lanesVersion++;
    }
    return this.lanesInfo();
  }

  lanesInfo(): LanesInfo {
    const l = this.lanes;
    const threadLanes = this.mode === 'threads' ? this.extras.threads().threads.length : 0;
    return {
      version: this.lanesVersion,
      filter: this.filter,
      length: this.mode === 'threads' ? threadLanes : l.length,
      procLanes: l.procLanes,
      goroutineLanes: l.goroutineLanes,
      allGoroutineLanes: l.allGoroutineLanes,
      mode: this.mode,
      threadLanes,
    };
  }

  private goroutineTitle(g: number): string {
    const m = this.model;
    const name = m.strings[m.goroutines.name[g]] ?? '';
    return `G${m.goroutines.id[g]}${name ? ` ${name}` : ''}`;
  }

  frame(q: FrameRequest): FramePayload {
    const t = performance.now();
    if (!(q.t1 > q.t0) || !Number.isFinite(q.t0) || !Number.isFinite(q.t1))
      throw new WorkerError('options', `bad time window [${q.t0}, ${q.t1}]`);
    const widthPx = Math.max(1, Math.min(MAX_WIDTH_PX, Math.floor(q.widthPx)));
    const minPx = Math.max(0.5, q.minPx);
    const laneCount = this.lanesInfo().length;
    const lane0 = Math.max(0, Math.min(laneCount, Math.floor(q.lane0)));
    const lane1 = Math.max(
      lane0,
      Math.min(laneCount, Math.ceil(q.lane1), lane0 + MAX_LANES_PER_FRAME),
    );
    if (this.mode === 'threads')
      return this.extras.threadFrame(
        this.lanesVersion,
        lane0,
        lane1,
        { t0: q.t0, t1: q.t1, widthPx, minPx },
        () => performance.now() - t,
      );
    const l = this.lanes;
    const procs: number[] = [];
    const gors: number[] = [];
    for (let j = lane0; j < lane1; j++) (l.kind[j] === LaneKind.Proc ? procs : gors).push(l.row[j]);
    const query = { t0: q.t0, t1: q.t1, widthPx, minPx };
    const pItems = procLaneLod(this.model, this.index, this.lod, procs, query);
    const gItems = goroutineLaneLod(this.model, this.index, this.lod, gors, query);
    const n = lane1 - lane0;
    const laneKind = l.kind.slice(lane0, lane1);
    const laneRow = l.row.slice(lane0, lane1);
    const laneId = new Float64Array(n);
    const laneTitle: string[] = new Array<string>(n);
    // P lanes come first in the list, so the lanes asked for are P lanes then goroutine lanes.
    const parts: Array<{ items: LaneItems; lane: number }> = [];
    let pi = 0;
    let gi = 0;
    for (let j = 0; j < n; j++) {
      const row = laneRow[j];
      if (laneKind[j] === LaneKind.Proc) {
        laneId[j] = this.model.procs.id[row];
        laneTitle[j] = `P${laneId[j]}`;
        parts.push({ items: pItems, lane: pi++ });
      } else {
        laneId[j] = this.model.goroutines.id[row];
        laneTitle[j] = this.goroutineTitle(row);
        parts.push({ items: gItems, lane: gi++ });
      }
    }
    let total = 0;
    for (const p of parts) total += p.items.laneStart[p.lane + 1] - p.items.laneStart[p.lane];
    const laneStart = new Int32Array(n + 1);
    const start = new Float64Array(total);
    const end = new Float64Array(total);
    const cls = new Uint8Array(total);
    const count = new Uint32Array(total);
    const ref = new Int32Array(total);
    const fill = new Uint8Array(total);
    const label = new Int32Array(total).fill(-1);
    const labels: string[] = [];
    const labelIdx = new Map<string, number>();
    const labelOf = (s: string): number => {
      let i = labelIdx.get(s);
      if (i === undefined) {
        i = labels.length;
        labels.push(s);
        labelIdx.set(s, i);
      }
      return i;
    };
    const tr = this.model.transitions;
    let at = 0;
    parts.forEach((p, j) => {
      laneStart[j] = at;
      const a = p.items.laneStart[p.lane];
      const b = p.items.laneStart[p.lane + 1];
      start.set(p.items.start.subarray(a, b), at);
      end.set(p.items.end.subarray(a, b), at);
      cls.set(p.items.cls.subarray(a, b), at);
      count.set(p.items.count.subarray(a, b), at);
      ref.set(p.items.ref.subarray(a, b), at);
      fill.set(p.items.fill.subarray(a, b), at);
      const isProc = laneKind[j] === LaneKind.Proc;
      for (let k = a; k < b; k++, at++) {
        const r = p.items.ref[k];
        if (r < 0) continue;
        const i = this.index.order[r];
        if (isProc) label[at] = labelOf(this.goroutineTitle(tr.goroutine[i]));
        else {
          const c = p.items.cls[k];
          const st = tr.states[i];
          // Blocked spans and stops carry their reason.
          if (
            (c >= SpanClass.BlockedSync && c <= SpanClass.BlockedOther) ||
            (st >> 4 === 3 && (st & 15) === 2)
          ) {
            const reason =
              this.model.strings[tr.aux[i]] || reasonFromStack(this.model, tr.stack[i]);
            if (reason) label[at] = labelOf(reason);
          }
        }
      }
    });
    laneStart[n] = at;
    const marks = this.extras.marks(laneKind, laneRow, lane0, query, labelOf);
    // CPU profile samples on the goroutine and P lanes, one mark per pixel column.
    this.samplesIndex ??= {
      g: samplesByGoroutine(this.model),
      p: samplesByGoroutine(this.model, 'proc'),
    };
    const isP = (j: number): boolean => laneKind[j] === LaneKind.Proc;
    const gm = sampleMarks(
      this.model,
      this.samplesIndex.g,
      Int32Array.from(laneRow, (r, j) => (isP(j) ? -1 : r)),
      q.t0,
      q.t1,
      widthPx,
    );
    const pm = sampleMarks(
      this.model,
      this.samplesIndex.p,
      Int32Array.from(laneRow, (r, j) => (isP(j) ? r : -1)),
      q.t0,
      q.t1,
      widthPx,
    );
    const cat = <T extends Int32Array>(a: T, b: T): Int32Array => {
      const out = new Int32Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    };
    const samples = {
      lane: cat(gm.lane, pm.lane),
      px: cat(gm.px, pm.px),
      count: cat(gm.count, pm.count),
    };
    return {
      sampleLane: samples.lane,
      sampleTime: Float64Array.from(
        samples.px,
        (x) => q.t0 + ((x + 0.5) * (q.t1 - q.t0)) / widthPx,
      ),
      sampleCount: samples.count,
      lanesVersion: this.lanesVersion,
      t0: q.t0,
      t1: q.t1,
      widthPx,
      minPx,
      lane0,
      lane1,
      laneKind,
      laneId,
      laneTitle,
      laneRow,
      laneStart,
      start,
      end,
      cls,
      count,
      ref,
      fill,
      label,
      labels,
      ms: performance.now() - t,
      marks,
    };
  }

  overlay(q: OverlayRequest): OverlayPayload {
    if (!(q.t1 > q.t0)) throw new WorkerError('options', `bad time window [${q.t0}, ${q.t1}]`);
    const widthPx = Math.max(1, Math.min(MAX_WIDTH_PX, Math.floor(q.widthPx)));
    this.counters ??= buildTimelineCounters(this.model);
    const c = this.counters;
    const query = { t0: q.t0, t1: q.t1, widthPx };
    const gc = bandLod(this.gc.start, this.gc.end, query);
    const stw = bandLod(this.stw.start, this.stw.end, query);
    const counts = goroutineCounts(this.model, c, query);
    const heap = heapLod(c, query);
    const goal = heap.goal.max.map((v) => (v > 0 ? v : NaN));
    return {
      t0: q.t0,
      t1: q.t1,
      widthPx,
      gcStart: gc.start,
      gcEnd: gc.end,
      stwStart: stw.start,
      stwEnd: stw.end,
      time: counts.time,
      heap: heap.heap.max,
      heapGoal: goal,
      running: counts.running,
      runnable: counts.runnable,
      waiting: counts.waiting,
      syscall: counts.syscall,
      maxHeap: c.maxHeap,
      maxActive: c.maxActive,
      maxWaiting: c.maxWaiting,
    };
  }

  span(ref: number): SpanView {
    if (!Number.isInteger(ref) || ref < 0 || ref >= this.index.order.length)
      throw new WorkerError('options', `no span ${ref}`);
    const cls = spanClassAt(this.model, this.index, this.lod, ref);
    if (cls === SKIP_CLASS) throw new WorkerError('options', `span ${ref} is not drawn`);
    const d = describeSpan(this.model, this.index, ref);
    const id = (g: number): number => (g >= 0 ? this.model.goroutines.id[g] : -1);
    return {
      ref,
      goroutine: d.goroutine,
      goroutineId: d.goroutineId,
      goroutineName: d.goroutineName,
      state: d.stateName,
      cls,
      start: d.start,
      end: d.end,
      reason: d.reason,
      inferredReason:
        d.state === GoWaiting && !d.reason
          ? reasonFromStack(this.model, this.model.transitions.stack[this.index.order[ref]])
          : '',
      procId: d.procId,
      stack: d.stack,
      madeRunnableBy: d.madeRunnableBy,
      madeRunnableById: id(d.madeRunnableBy),
      unblockedBy: d.unblockedBy,
      unblockedById: id(d.unblockedBy),
      unblockStack: d.unblockStack,
    };
  }

  locate(goroutine: number): number {
    if (!Number.isInteger(goroutine) || goroutine < 0 || goroutine >= this.model.goroutines.length)
      return -1;
    return laneOfGoroutine(this.lanes, this.model, goroutine);
  }

  private analysis(): { a: GoroutineAnalysis; groups: GoroutineGroup[] } {
    if (!this.analysisCache) {
      const a = analyzeGoroutines(this.model);
      this.analysisCache = { a, groups: groupByStartFunction(this.model, a) };
    }
    return this.analysisCache;
  }

  analysisWindow(q: AnalysisRequest): AnalysisWindow {
    const { a, groups } = this.analysis();
    const m = this.model;
    const limit = Math.max(0, Math.min(1000, Math.floor(q.limit)));
    const key = `${q.by}|${q.sort}|${q.desc}|${q.filter}`;
    if (this.sorted?.key !== key) this.sorted = { key, rows: this.sortRows(q, a, groups) };
    const rows = this.sorted.rows;
    const offset = Math.max(0, Math.min(rows.length, Math.floor(q.offset)));
    const out: AnalysisRow[] = [];
    for (let i = offset; i < Math.min(rows.length, offset + limit); i++) {
      const r = rows[i];
      if (q.by === 'function') {
        const grp = groups[r];
        out.push({
          goroutine: -1,
          id: -1,
          count: grp.count,
          name: grp.name,
          totalNs: grp.totalNs,
          execNs: grp.execNs,
          schedWaitNs: grp.schedWaitNs,
          blockNs: grp.blockNs,
          syscallNs: grp.syscallNs,
          syscallBlockNs: grp.syscallBlockNs,
          gcNs: grp.gcNs,
          blockReasons: [],
        });
        continue;
      }
      const reasons: { reason: string; ns: number }[] = [];
      for (let k = a.blockStart[r]; k < a.blockStart[r + 1]; k++)
        reasons.push({
          reason: m.strings[a.blockReason[k]] || '(unknown)',
          ns: a.blockReasonNs[k],
        });
      reasons.sort((x, y) => y.ns - x.ns);
      out.push({
        goroutine: r,
        id: m.goroutines.id[r],
        count: 1,
        name: m.strings[m.goroutines.name[r]] ?? '',
        totalNs: a.totalNs[r],
        execNs: a.execNs[r],
        schedWaitNs: a.schedWaitNs[r],
        blockNs: a.blockNs[r],
        syscallNs: a.syscallNs[r],
        syscallBlockNs: a.syscallBlockNs[r],
        gcNs: a.gcNs[r],
        blockReasons: reasons.slice(0, 6),
      });
    }
    return { by: q.by, total: rows.length, offset, rows: out };
  }

  private sortRows(q: AnalysisRequest, a: GoroutineAnalysis, groups: GoroutineGroup[]): Int32Array {
    const m = this.model;
    const dir = q.desc ? -1 : 1;
    const name = (s: string, t: string): number => (s < t ? -1 : s > t ? 1 : 0);
    if (q.by === 'function') {
      const needle = q.filter.trim().toLowerCase();
      const idx = groups
        .map((_, i) => i)
        .filter((i) => !needle || groups[i].name.toLowerCase().includes(needle));
      const val = (g: GoroutineGroup): number | string => {
        switch (q.sort) {
          case 'name':
          case 'id':
            return g.name;
          case 'count':
            return g.count;
          case 'total':
            return g.totalNs;
          case 'sched':
            return g.schedWaitNs;
          case 'block':
            return g.blockNs;
          case 'syscall':
            return g.syscallNs;
          case 'syscallBlock':
            return g.syscallBlockNs;
          case 'gc':
            return g.gcNs;
          default:
            return g.execNs;
        }
      };
      idx.sort((x, y) => {
        const vx = val(groups[x]);
        const vy = val(groups[y]);
        const c = typeof vx === 'string' ? name(vx, vy as string) : vx - (vy as number);
        return c * dir || name(groups[x].name, groups[y].name);
      });
      return Int32Array.from(idx);
    }
    const match = goroutineMatcher(m, q.filter);
    const rows = Int32Array.from(match ? Array.from(a.rows).filter(match) : a.rows);
    const ids = m.goroutines.id;
    if (q.sort === 'name') {
      const names = m.goroutines.name;
      return rows.sort(
        (x, y) =>
          dir * name(m.strings[names[x]] ?? '', m.strings[names[y]] ?? '') || ids[x] - ids[y],
      );
    }
    const col =
      q.sort === 'id' || q.sort === 'count'
        ? ids
        : q.sort === 'total'
          ? a.totalNs
          : q.sort === 'sched'
            ? a.schedWaitNs
            : q.sort === 'block'
              ? a.blockNs
              : q.sort === 'syscall'
                ? a.syscallNs
                : q.sort === 'syscallBlock'
                  ? a.syscallBlockNs
                  : q.sort === 'gc'
                    ? a.gcNs
                    : a.execNs;
    return rows.sort((x, y) => dir * (col[x] - col[y]) || ids[x] - ids[y]);
  }

  latency(): LatencyPayload {
    const h = schedulerLatency(this.model);
    let first = -1;
    let last = -1;
    for (let b = 0; b < h.counts.length; b++) {
      if (h.counts[b] > 0) {
        if (first < 0) first = b;
        last = b;
      }
    }
    const lower: number[] = [];
    const upper: number[] = [];
    const counts: number[] = [];
    if (first >= 0) {
      for (let b = first; b <= last; b++) {
        lower.push(h.lower[b]);
        upper.push(b + 1 < h.lower.length ? h.lower[b + 1] : h.maxNs);
        counts.push(h.counts[b]);
      }
    }
    return {
      count: h.count,
      sumNs: h.sumNs,
      minNs: h.minNs,
      maxNs: h.maxNs,
      p50: latencyQuantile(h, 0.5),
      p90: latencyQuantile(h, 0.9),
      p99: latencyQuantile(h, 0.99),
      lower,
      upper,
      counts,
    };
  }

  annotations(): AnnotationTables {
    return this.extras.annotationTables();
  }

  tasksOfType(type: string, limit: number): { total: number; rows: TaskRowView[] } {
    return this.extras.tasksOfType(String(type), limit);
  }

  task(id: number): { filter: string; t0: number; t1: number; goroutines: number } {
    const t = Number.isFinite(id) ? this.extras.task(id) : null;
    if (!t) throw new WorkerError('options', `no task ${id} in this trace`);
    return t;
  }

  logs(text: string, limit: number): { total: number; rows: LogView[] } {
    return this.extras.logs(String(text), limit);
  }

  threadSlice(ref: number): ThreadSliceView {
    const v = this.extras.threadSlice(ref);
    if (!v) throw new WorkerError('options', `no thread slice ${ref}`);
    return v;
  }

  /** The trace-compare figures (core/trace/compare), computed once. */
  summary(): TraceSummary {
    this.summaryCache ??= traceSummary(this.model);
    return this.summaryCache;
  }

  /** The CPU samples of [t0, t1) as a profile (the flame graph of the visible window). */
  cpuProfile(t0: number, t1: number): CpuProfilePayload {
    if (!(t1 > t0) || !Number.isFinite(t0) || !Number.isFinite(t1))
      throw new WorkerError('options', `bad time window [${t0}, ${t1}]`);
    const [a, b] = sampleRange(this.model, t0, t1);
    const p = cpuSampleProfile(this.model, undefined, { t0, t1 });
    const bytes = encodeProfile(p, { gzip: false });
    return {
      t0,
      t1,
      samples: b - a,
      total: this.model.samples.length,
      bytes: bytes.buffer as ArrayBuffer,
    };
  }

  profile(kind: BlockingProfileKind): ProfilePayload {
    if (!['net', 'sync', 'syscall', 'sched'].includes(kind))
      throw new WorkerError('options', `no blocking profile named ${String(kind)}`);
    const p = blockingProfile(this.model, kind);
    let totalNs = 0;
    for (let i = 0; i < p.samples.length; i++) totalNs += p.samples.values[i * 2 + 1];
    const bytes = encodeProfile(p, { gzip: false });
    return {
      kind,
      bytes: bytes.buffer as ArrayBuffer,
      samples: p.samples.length,
      totalNs,
    };
  }
}

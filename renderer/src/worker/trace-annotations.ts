// The trace Worker's user annotations (tasks, regions, logs) and thread lanes: indexes built
// on first use, and the answers for the Timeline tab (trace-protocol.ts). Plain TypeScript over
// core/trace, run by TraceSession.
import {
  searchLogs,
  taskExtent,
  taskTypes,
  tasksOfType,
  regionTypes,
  timeHistogramBucketMin,
  type AnnotationType,
} from '../../../core/trace/annotations';
import {
  annotationLod,
  buildAnnotationIndex,
  AnnotationKind,
  type AnnotationIndex,
} from '../../../core/trace/annotation-lod';
import type { TraceModel } from '../../../core/trace/model';
import {
  ThreadSliceKind,
  buildThreadSlices,
  threadLaneLod,
  type ThreadSlices,
} from '../../../core/trace/threads';
import type { LaneQuery } from '../../../core/trace/timeline-lod';
import type {
  AnnotationMarks,
  AnnotationTables,
  AnnotationTypeView,
  FramePayload,
  LogView,
  TaskRowView,
  ThreadSliceView,
} from './trace-protocol';

/** Thread lanes are tagged 2 in FramePayload.laneKind (0 P, 1 goroutine). */
export const THREAD_LANE = 2;

function typeView(t: AnnotationType): AnnotationTypeView {
  const h = t.stats.histogram;
  const bounds: number[] = [];
  for (let b = h.minBucket; b <= h.maxBucket + 1 && h.counts.length > 0; b++)
    bounds.push(timeHistogramBucketMin(b));
  return {
    type: t.type,
    count: t.stats.count,
    complete: t.stats.complete,
    totalNs: t.stats.totalNs,
    p50: t.stats.p50,
    p90: t.stats.p90,
    p99: t.stats.p99,
    maxNs: t.stats.maxNs,
    bounds,
    counts: h.counts,
  };
}

export class TraceExtras {
  private annotationIndex: AnnotationIndex | null = null;
  private threadSlices: ThreadSlices | null = null;
  private tables: AnnotationTables | null = null;

  constructor(private readonly model: TraceModel) {}

  get hasAnnotations(): boolean {
    const m = this.model;
    return m.tasks.length + m.regions.length + m.logs.length > 0;
  }

  threads(): ThreadSlices {
    this.threadSlices ??= buildThreadSlices(this.model);
    return this.threadSlices;
  }

  goroutineTitle(g: number): string {
    const m = this.model;
    const name = m.strings[m.goroutines.name[g]] ?? '';
    return `G${m.goroutines.id[g]}${name ? ` ${name}` : ''}`;
  }

  annotationTables(): AnnotationTables {
    this.tables ??= {
      tasks: taskTypes(this.model).map(typeView),
      regions: regionTypes(this.model, this.index().regions).map(typeView),
      logs: this.model.logs.length,
    };
    return this.tables;
  }

  private index(): AnnotationIndex {
    this.annotationIndex ??= buildAnnotationIndex(this.model);
    return this.annotationIndex;
  }

  tasksOfType(type: string, limit: number): { total: number; rows: TaskRowView[] } {
    const all = tasksOfType(this.model, type, this.index().tasks);
    return { total: all.length, rows: all.slice(0, Math.max(0, Math.min(1000, limit))) };
  }

  task(id: number): { filter: string; t0: number; t1: number; goroutines: number } | null {
    const e = taskExtent(this.model, id);
    if (!e) return null;
    return { filter: `task ${id}`, t0: e.start, t1: e.end, goroutines: e.goroutines.length };
  }

  logs(text: string, limit: number): { total: number; rows: LogView[] } {
    const r = searchLogs(this.model, text, Math.max(0, Math.min(1000, limit)));
    return {
      total: r.total,
      rows: r.rows.map((l) => ({
        ...l,
        goroutineId: l.goroutine >= 0 ? this.model.goroutines.id[l.goroutine] : -1,
      })),
    };
  }

  /** Annotations on the goroutine lanes of a frame; labels go through the frame's table. */
  marks(
    laneKind: Uint8Array,
    laneRow: Int32Array,
    lane0: number,
    q: { t0: number; t1: number; widthPx: number },
    labelOf: (s: string) => number,
  ): AnnotationMarks | null {
    if (!this.hasAnnotations) return null;
    const lanes: number[] = [];
    const rows: number[] = [];
    for (let j = 0; j < laneKind.length; j++) {
      if (laneKind[j] !== 1) continue;
      lanes.push(lane0 + j);
      rows.push(laneRow[j]);
    }
    const m = this.model;
    const it = annotationLod(m, this.index(), rows, q);
    const label = new Int32Array(it.label.length).fill(-1);
    for (let i = 0; i < it.label.length; i++) {
      const l = it.label[i];
      if (l < 0) continue;
      if (it.kind[i] === AnnotationKind.Log) {
        const cat = m.strings[m.logs.category[l]] ?? '';
        const msg = m.strings[m.logs.message[l]] ?? '';
        label[i] = labelOf(cat ? `${cat}: ${msg}` : msg);
      } else label[i] = labelOf(m.strings[l] ?? '');
    }
    return {
      lane: Int32Array.from(it.lane, (k) => lanes[k]),
      kind: it.kind,
      start: it.start,
      end: it.end,
      depth: it.depth,
      label,
      task: it.task,
      count: it.count,
    };
  }

  /** A frame of thread lanes [lane0, lane1): goroutines running and in syscalls on each M. */
  threadFrame(
    lanesVersion: number,
    lane0: number,
    lane1: number,
    query: LaneQuery & { minPx: number },
    ms: () => number,
  ): FramePayload {
    const s = this.threads();
    const lanes: number[] = [];
    for (let j = lane0; j < lane1; j++) lanes.push(j);
    const it = threadLaneLod(s, lanes, query);
    const n = lanes.length;
    const labels: string[] = [];
    const labelIdx = new Map<number, number>();
    const label = new Int32Array(it.start.length).fill(-1);
    for (let i = 0; i < it.ref.length; i++) {
      const r = it.ref[i];
      if (r < 0) continue;
      const g = s.goroutine[r];
      let li = labelIdx.get(g);
      if (li === undefined) {
        li = labels.length;
        labels.push(this.goroutineTitle(g));
        labelIdx.set(g, li);
      }
      label[i] = li;
    }
    return {
      lanesVersion,
      t0: query.t0,
      t1: query.t1,
      widthPx: query.widthPx,
      minPx: query.minPx,
      lane0,
      lane1,
      laneKind: new Uint8Array(n).fill(THREAD_LANE),
      laneId: Float64Array.from(lanes, (j) => s.threads[j]),
      laneTitle: lanes.map((j) => (s.threads[j] >= 0 ? `M${s.threads[j]}` : 'no thread')),
      laneRow: Int32Array.from(lanes),
      laneStart: it.laneStart,
      start: it.start,
      end: it.end,
      cls: it.cls,
      count: it.count,
      ref: it.ref,
      fill: it.fill,
      label,
      labels,
      // CPU samples are marked on goroutine and P lanes only.
      sampleLane: new Int32Array(0),
      sampleTime: new Float64Array(0),
      sampleCount: new Int32Array(0),
      ms: ms(),
      marks: null,
    };
  }

  threadSlice(ref: number): ThreadSliceView | null {
    const s = this.threads();
    if (!Number.isInteger(ref) || ref < 0 || ref >= s.start.length) return null;
    let lane = 0;
    while (s.laneStart[lane + 1] <= ref) lane++;
    const g = s.goroutine[ref];
    const m = this.model;
    return {
      thread: s.threads[lane],
      goroutine: g,
      goroutineId: m.goroutines.id[g],
      goroutineName: m.strings[m.goroutines.name[g]] ?? '',
      syscall: s.kind[ref] === ThreadSliceKind.Syscall,
      start: s.start[ref],
      end: s.end[ref],
    };
  }
}

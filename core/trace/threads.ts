// Thread (M) lanes, as go tool trace's "by thread" view places them: a goroutine executes on
// the thread of the event that made it execute (into Running or Syscall) until it stops
// executing; a syscall lasts from the transition into it to the one out of it, on the thread
// of the first. A state held when the trace began starts at its first event; one still held
// at the end ends at the last.
//
// Each thread's lane is a run of non-overlapping slices, each one goroutine running or in a
// syscall, sorted by start; levels of detail merge the slices narrower than a pixel.
import { timeAt, type TraceModel } from './model';
import { GoRunning, GoSyscall, GoUndetermined } from './spec';
import { SpanClass } from './timeline-classes';
import type { LaneItems, LaneQuery } from './timeline-lod';

export const ThreadSliceKind = { Running: 0, Syscall: 1 } as const;

export interface ThreadSlices {
  /** Thread ids (the runtime's M ids; -1 = none known), ascending: one lane each. */
  threads: Float64Array;
  /** Slices of lane j are laneStart[j] .. laneStart[j+1]-1, by start time. */
  laneStart: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /** Goroutine row. */
  goroutine: Int32Array;
  /** ThreadSliceKind. */
  kind: Uint8Array;
}

export interface ThreadTotals {
  thread: number;
  /** Running plus syscall time of goroutines on it. */
  execNs: number;
  syscallNs: number;
  syscalls: number;
  /** Distinct goroutines that ran on it. */
  goroutines: number;
}

const executing = (s: number): boolean => s === GoRunning || s === GoSyscall;

export function buildThreadSlices(model: TraceModel): ThreadSlices {
  const tr = model.transitions;
  const xt = model.execThreads;
  const ng = model.goroutines.length;
  // Per goroutine: the thread it executes on, and where its running or syscall slice began.
  const execThread = new Float64Array(ng).fill(NaN);
  const sysThread = new Float64Array(ng).fill(NaN);
  const since = new Float64Array(ng);
  const state = new Uint8Array(ng);
  const threadIds: number[] = [];
  const lane = new Map<number, number>();
  const rows: { s: number[]; e: number[]; g: number[]; k: number[] }[] = [];
  const laneOf = (m: number): number => {
    let l = lane.get(m);
    if (l === undefined) {
      l = threadIds.length;
      lane.set(m, l);
      threadIds.push(m);
      rows.push({ s: [], e: [], g: [], k: [] });
    }
    return l;
  };
  const close = (g: number, t: number): void => {
    const st = state[g];
    if (!executing(st)) return;
    const m = st === GoSyscall ? sysThread[g] : execThread[g];
    if (Number.isNaN(m)) return;
    const r = rows[laneOf(m)];
    r.s.push(since[g]);
    r.e.push(t);
    r.g.push(g);
    r.k.push(st === GoSyscall ? ThreadSliceKind.Syscall : ThreadSliceKind.Running);
  };
  let x = 0;
  for (let i = 0; i < tr.length; i++) {
    const g = tr.goroutine[i];
    const st = tr.states[i];
    const from = st >> 4;
    const to = st & 15;
    const t = timeAt(tr.time, i);
    close(g, t);
    const at = from === GoUndetermined ? 0 : t;
    if (executing(to)) {
      while (x < xt.length && xt.row[x] < i) x++;
      const m = x < xt.length && xt.row[x] === i ? xt.thread[x] : -1;
      if (!executing(from)) execThread[g] = m;
      if (to === GoSyscall) sysThread[g] = m;
    }
    state[g] = to;
    since[g] = at;
  }
  for (let g = 0; g < ng; g++) close(g, model.durationNs);
  const order = threadIds.map((_, l) => l).sort((a, b) => threadIds[a] - threadIds[b]);
  let n = 0;
  for (const r of rows) n += r.s.length;
  const out: ThreadSlices = {
    threads: new Float64Array(order.length),
    laneStart: new Int32Array(order.length + 1),
    start: new Float64Array(n),
    end: new Float64Array(n),
    goroutine: new Int32Array(n),
    kind: new Uint8Array(n),
  };
  let at = 0;
  order.forEach((l, j) => {
    out.threads[j] = threadIds[l];
    out.laneStart[j] = at;
    const r = rows[l];
    const idx = r.s.map((_, k) => k).sort((a, b) => r.s[a] - r.s[b] || r.e[a] - r.e[b]);
    for (const k of idx) {
      out.start[at] = r.s[k];
      out.end[at] = r.e[k];
      out.goroutine[at] = r.g[k];
      out.kind[at] = r.k[k];
      at++;
    }
  });
  out.laneStart[order.length] = at;
  return out;
}

/** Per thread lane: time executing and in syscalls, syscalls, distinct goroutines. */
export function threadTotals(s: ThreadSlices): ThreadTotals[] {
  const out: ThreadTotals[] = [];
  for (let j = 0; j < s.threads.length; j++) {
    let exec = 0;
    let sys = 0;
    let calls = 0;
    const gs = new Set<number>();
    for (let i = s.laneStart[j]; i < s.laneStart[j + 1]; i++) {
      const d = s.end[i] - s.start[i];
      exec += d;
      if (s.kind[i] === ThreadSliceKind.Syscall) {
        sys += d;
        calls++;
      }
      gs.add(s.goroutine[i]);
    }
    out.push({
      thread: s.threads[j],
      execNs: exec,
      syscallNs: sys,
      syscalls: calls,
      goroutines: gs.size,
    });
  }
  return out;
}

/**
 * Level of detail for thread lanes `lanes` (indexes into s.threads): one item per slice wide
 * enough, runs of narrower ones merged into one item of their dominant kind (by time), found
 * by bisection so the cost follows the pixels. `ref` is the slice index of single slices,
 * -1 for merged runs; `fill` is the busy share of a merged item.
 */
export function threadLaneLod(s: ThreadSlices, lanes: number[], q: LaneQuery): LaneItems {
  const minNs = ((q.minPx ?? 2) * (q.t1 - q.t0)) / Math.max(1, q.widthPx);
  const laneStart = [0];
  const start: number[] = [];
  const end: number[] = [];
  const cls: number[] = [];
  const count: number[] = [];
  const ref: number[] = [];
  const fill: number[] = [];
  for (const j of lanes) {
    const a = s.laneStart[j];
    const b = s.laneStart[j + 1];
    // First slice ending after t0 (slices do not overlap, so ends are sorted too).
    let lo = a;
    let hi = b;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.end[mid] <= q.t0) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    while (i < b && s.start[i] < q.t1) {
      const s0 = Math.max(q.t0, s.start[i]);
      const e0 = Math.min(q.t1, s.end[i]);
      if (e0 - s0 >= minNs) {
        start.push(s0);
        end.push(e0);
        cls.push(s.kind[i] === ThreadSliceKind.Syscall ? SpanClass.Syscall : SpanClass.Running);
        count.push(1);
        ref.push(i);
        fill.push(255);
        i++;
        continue;
      }
      // A run of narrow slices: everything starting before s0 + minNs, then on to the next
      // slice that is wide on its own or starts a pixel further.
      const until = s0 + minNs;
      let lo2 = i;
      let hi2 = b;
      while (lo2 < hi2) {
        const mid = (lo2 + hi2) >>> 1;
        if (s.start[mid] < until) lo2 = mid + 1;
        else hi2 = mid;
      }
      let run = 0;
      let sys = 0;
      let busy = 0;
      let e = s0;
      for (let k = i; k < lo2; k++) {
        const d = Math.min(q.t1, s.end[k]) - Math.max(q.t0, s.start[k]);
        busy += d;
        if (s.kind[k] === ThreadSliceKind.Syscall) sys += d;
        else run += d;
        e = Math.max(e, Math.min(q.t1, s.end[k]));
      }
      const n = lo2 - i;
      start.push(s0);
      end.push(e);
      cls.push(sys > run ? SpanClass.Syscall : SpanClass.Running);
      count.push(n);
      ref.push(n === 1 ? i : -1);
      fill.push(Math.round((255 * busy) / Math.max(1e-9, e - s0)));
      i = lo2;
    }
    laneStart.push(start.length);
  }
  return {
    laneStart: Int32Array.from(laneStart),
    start: Float64Array.from(start),
    end: Float64Array.from(end),
    cls: Uint8Array.from(cls),
    count: Uint32Array.from(count),
    ref: Int32Array.from(ref),
    fill: Uint8Array.from(fill),
  };
}

// Rules over an execution trace: GC pressure (GC cycles per second, stop-the-world share,
// mark assist time), goroutine bursts (peak live goroutines, creation rate) and scheduling
// latency. Figures come from core/trace (traceTotals, rangeIntervals, schedulerLatency,
// analyzeGoroutines); this file only walks the transitions once for the live count.
import { formatValue } from '../pprof/format';
import { analyzeGoroutines, groupByStartFunction, isSystemGoroutine } from '../trace/analysis';
import { latencyQuantile, schedulerLatency } from '../trace/latency';
import { RangeType, timeAt, type TraceModel } from '../trace/model';
import { rangeIntervals } from '../trace/ranges';
import { GoNotExist } from '../trace/spec';
import { traceTotals } from '../trace/totals';
import type { Finding, LoadedSnapshot } from './model';
import { isOwnCode, type OwnCodeOptions } from './own-code';
import { draft, strongest } from './rules-profile';

type TraceSnapshot = Extract<LoadedSnapshot, { type: 'trace' }>;

export interface GoroutineBurst {
  peak: number;
  /** When the peak was first reached (trace ns). */
  peakAt: number;
  created: number;
  /** Goroutines created per start function, most first. */
  createdBy: { name: string; count: number }[];
}

/** Peak live goroutines and goroutine creations, from the state transitions. */
export function goroutineBurst(model: TraceModel): GoroutineBurst {
  const tr = model.transitions;
  const alive = new Uint8Array(model.goroutines.length);
  let live = 0;
  let peak = 0;
  let peakAt = 0;
  let created = 0;
  const byName = new Map<number, number>();
  for (let i = 0; i < tr.length; i++) {
    const g = tr.goroutine[i]!;
    const st = tr.states[i]!;
    const from = st >> 4;
    const to = st & 15;
    const now = to !== GoNotExist ? 1 : 0;
    live += now - alive[g]!;
    alive[g] = now;
    if (from === GoNotExist && to !== GoNotExist) {
      created++;
      const name = model.goroutines.name[g]!;
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    if (live > peak) {
      peak = live;
      peakAt = timeAt(tr.time, i);
    }
  }
  const createdBy = [...byName.entries()]
    .map(([n, count]) => ({ name: model.strings[n] ?? '', count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  return { peak, peakAt, created, createdBy };
}

function sumIntervals(model: TraceModel, type: RangeType): number {
  const iv = rangeIntervals(model, type);
  let ns = 0;
  for (let i = 0; i < iv.length; i++) ns += iv.end[i]! - iv.start[i]!;
  return ns;
}

export interface TraceFigures {
  durationNs: number;
  gcCount: number;
  gcPerSecond: number;
  stwNs: number;
  markAssistNs: number;
  burst: GoroutineBurst;
  schedCount: number;
  schedP99Ns: number;
  schedMaxNs: number;
}

export function traceFigures(model: TraceModel): TraceFigures {
  const totals = traceTotals(model);
  const sec = totals.durationNs / 1e9;
  const lat = schedulerLatency(model);
  return {
    durationNs: totals.durationNs,
    gcCount: totals.gcCount,
    gcPerSecond: sec > 0 ? totals.gcCount / sec : 0,
    stwNs: totals.stwNs,
    markAssistNs: sumIntervals(model, RangeType.MarkAssist),
    burst: goroutineBurst(model),
    schedCount: lat.count,
    schedP99Ns: latencyQuantile(lat, 0.99),
    schedMaxNs: lat.maxNs,
  };
}

export function traceRules(s: TraceSnapshot, own: OwnCodeOptions, allocator: string): Finding[] {
  const model = s.trace;
  const f = traceFigures(model);
  const sec = f.durationNs / 1e9;
  if (sec <= 0) return [];
  const whole = { tab: 'timeline' as const, snapshot: s.id, t0: 0, t1: f.durationNs };
  const ns = (v: number) => formatValue(v, 'nanoseconds');
  const out: (Finding | null)[] = [];
  const gcFigures = [
    { label: 'GC cycles', value: f.gcCount, unit: 'count' },
    { label: 'GC cycles per second', value: f.gcPerSecond, unit: 'per-second' },
    { label: 'stop-the-world total', value: f.stwNs, unit: 'nanoseconds' },
    { label: 'mark assist total', value: f.markAssistNs, unit: 'nanoseconds' },
    { label: 'trace duration', value: f.durationNs, unit: 'nanoseconds' },
  ];
  const gcNotes = allocator
    ? [`${allocator} allocates the most in this set's heap profile: the place to cut allocation`]
    : [];
  const gcTitle = `GC ran ${f.gcCount} times in ${sec.toFixed(1)} s (${f.gcPerSecond.toFixed(1)}/s), stopping the world for ${ns(f.stwNs)} with ${ns(f.markAssistNs)} of mark assists.`;
  const gc = {
    kind: 'gc-pressure' as const,
    func: allocator,
    title: gcTitle,
    s,
    source: 'trace (GC ranges)',
    figures: gcFigures,
    notes: gcNotes,
    link: whole,
  };
  out.push(
    strongest(
      strongest(
        draft({ ...gc, threshold: 'gcPerSecond', value: f.gcPerSecond }),
        draft({ ...gc, threshold: 'stwShare', value: f.stwNs / f.durationNs }),
      ),
      draft({ ...gc, threshold: 'markAssistPerSecond', value: f.markAssistNs / sec }),
    ),
  );
  const b = f.burst;
  const creator = b.createdBy.find((c) => isOwnCode(c.name, own));
  const rate = b.created / sec;
  const half = Math.max(f.durationNs * 0.05, 1e6);
  const burst = {
    kind: 'goroutine-burst' as const,
    func: creator?.name ?? '',
    title: `Live goroutines peaked at ${b.peak}; ${b.created} were created in ${sec.toFixed(1)} s (${rate.toFixed(0)}/s)${creator ? `, ${creator.count} of them starting in ${creator.name}` : ''}.`,
    s,
    source: 'trace (goroutine transitions)',
    figures: [
      { label: 'peak live goroutines', value: b.peak, unit: 'count' },
      { label: 'created', value: b.created, unit: 'count' },
      { label: 'created per second', value: rate, unit: 'per-second' },
    ],
    link: {
      tab: 'timeline' as const,
      snapshot: s.id,
      t0: Math.max(0, b.peakAt - half),
      t1: Math.min(f.durationNs, b.peakAt + half),
    },
  };
  out.push(
    strongest(
      draft({ ...burst, threshold: 'peakGoroutines', value: b.peak }),
      draft({ ...burst, threshold: 'goroutineCreationRate', value: rate }),
    ),
  );
  if (f.schedCount > 0) {
    const groups = groupByStartFunction(model, analyzeGoroutines(model)).filter(
      (g) => !isSystemGoroutine(g.name) && isOwnCode(g.name, own),
    );
    const waited = [...groups].sort((a, b2) => b2.schedWaitNs - a.schedWaitNs)[0];
    out.push(
      draft({
        kind: 'sched-latency',
        func: waited?.name ?? '',
        title: `Runnable goroutines waited up to ${ns(f.schedMaxNs)} for a CPU (99th percentile ≤ ${ns(f.schedP99Ns)} over ${f.schedCount} waits)${waited ? `; ${waited.name} waited the longest in total (${ns(waited.schedWaitNs)})` : ''}.`,
        threshold: 'schedLatencyP99',
        value: f.schedP99Ns,
        s,
        source: 'trace (runnable → running)',
        figures: [
          { label: 'p99 scheduling latency', value: f.schedP99Ns, unit: 'nanoseconds' },
          { label: 'max scheduling latency', value: f.schedMaxNs, unit: 'nanoseconds' },
          { label: 'waits measured', value: f.schedCount, unit: 'count' },
        ],
        link: whole,
      }),
    );
  }
  return out.filter((x): x is Finding => x !== null);
}

// Rules over an execution trace: GC pressure (GC cycles per second, stop-the-world share,
// mark assist time), goroutine bursts (peak live goroutines, creation rate) and scheduling
// latency. Figures come from core/trace (traceSummary, the Compare tab's, and
// analyzeGoroutines).
import { formatValue } from '../pprof/format';
import { analyzeGoroutines, groupByStartFunction, isSystemGoroutine } from '../trace/analysis';
import { traceSummary, type GoroutineBurst } from '../trace/compare';
import type { TraceModel } from '../trace/model';
import type { Finding, LoadedSnapshot } from './model';
import { isOwnCode, type OwnCodeOptions } from './own-code';
import { draft, strongest } from './rules-profile';

type TraceSnapshot = Extract<LoadedSnapshot, { type: 'trace' }>;

export { goroutineBurst, type GoroutineBurst } from '../trace/compare';

export interface TraceFigures {
  durationNs: number;
  gcCount: number;
  gcPerSecond: number;
  stwNs: number;
  stwMaxNs: number;
  markAssistNs: number;
  burst: GoroutineBurst;
  schedCount: number;
  schedP50Ns: number;
  schedP99Ns: number;
  schedMaxNs: number;
}

/** The trace's figures for findings and the before/after report: the Compare tab's (traceSummary). */
export function traceFigures(model: TraceModel): TraceFigures {
  const s = traceSummary(model);
  return {
    durationNs: s.durationNs,
    gcCount: s.gcCount,
    gcPerSecond: s.gcPerSecond,
    stwNs: s.stwTotalNs,
    stwMaxNs: s.stwMaxNs,
    markAssistNs: s.markAssistNs,
    burst: s.burst,
    schedCount: s.schedCount,
    schedP50Ns: s.schedP50Ns,
    schedP99Ns: s.schedP99Ns,
    schedMaxNs: s.schedMaxNs,
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

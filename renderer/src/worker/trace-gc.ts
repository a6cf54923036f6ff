// The trace Worker's GC answers: cycles and pause figures, and the MMU curve for a set of
// options over the whole trace or a window. The utilization functions and whole-trace curves
// are kept per option set (a few kB each); a window's curve is cut from the kept function.
import { gcCycles, gcSummary, type GcCycleTable } from '../../../core/trace/gc-cycles';
import {
  clipUtilization,
  mmu,
  mmuCurve,
  mmuPlot,
  mutatorUtilization,
  type MmuCurve,
  type MmuFlags,
  type UtilSeries,
} from '../../../core/trace/mmu';
import type { TraceModel } from '../../../core/trace/model';
import type { GcPayload, GcRequest, MmuPayload, MmuRequest } from './trace-protocol';

const MARKS = [1e6, 1e7, 1e8, 1e9];

function flagKey(f: MmuFlags): string {
  return `${+f.stw}${+f.background}${+f.assist}${+f.sweep}${+f.perProc}`;
}

function window(model: TraceModel, t0?: number, t1?: number): [number, number] {
  const a = Number.isFinite(t0) ? Math.max(0, t0!) : 0;
  const b = Number.isFinite(t1) ? Math.min(model.durationNs, t1!) : model.durationNs;
  return b > a ? [a, b] : [0, model.durationNs];
}

export class TraceGc {
  private cycles: GcCycleTable | null = null;
  private readonly util = new Map<string, { series: UtilSeries[]; curve: MmuCurve }>();
  constructor(private readonly model: TraceModel) {}

  gc(q: GcRequest): GcPayload {
    this.cycles ??= gcCycles(this.model);
    const [t0, t1] = window(this.model, q.t0, q.t1);
    const whole = gcSummary(this.model);
    const summary =
      t0 === 0 && t1 === this.model.durationNs ? whole : gcSummary(this.model, t0, t1);
    return { summary, whole, cycles: this.cycles };
  }

  mmu(q: MmuRequest): MmuPayload {
    const flags: MmuFlags = {
      stw: !!q.flags.stw,
      background: !!q.flags.background,
      assist: !!q.flags.assist,
      sweep: !!q.flags.sweep,
      perProc: !!q.flags.perProc,
    };
    const key = flagKey(flags);
    let kept = this.util.get(key);
    if (!kept) {
      const series = mutatorUtilization(this.model, flags);
      kept = { series, curve: mmuCurve(series) };
      this.util.set(key, kept);
    }
    const whole = q.t0 === undefined && q.t1 === undefined;
    const curve = whole
      ? kept.curve
      : mmuCurve(clipUtilization(kept.series, ...window(this.model, q.t0, q.t1)));
    const plot = mmuPlot(curve);
    const span = curve.end - curve.start;
    // In the system view the function ends where it last changed: a long tail of 0 after it.
    const [t0, t1] = whole ? [0, this.model.durationNs] : window(this.model, q.t0, q.t1);
    const s0 = curve.series[0];
    let zeroFrom: number | null = null;
    if (!flags.perProc && s0 && s0.time.length > 1) {
      const n = s0.time.length;
      const last = s0.util[n - 2] === 0 ? s0.time[n - 2] : s0.time[n - 1];
      if (t1 - last > (t1 - t0) / 10) zeroFrom = last;
    }
    return {
      flags,
      t0: curve.start,
      t1: curve.end,
      windows: plot.windows,
      mmu: plot.mmu,
      at: MARKS.filter((w) => w <= span).map((w) => ({ windowNs: w, mmu: mmu(curve, w) })),
      zeroFrom,
    };
  }
}

// The one table of thresholds every insight rule reads. A rule reports nothing below its
// `low` bound; between the bounds it reports low, medium or high. Every finding's evidence
// quotes the row it crossed (see `describeThreshold`). docs/insights.md prints this table.
import { formatBytes, formatDuration } from '../view/format';

export interface Threshold {
  /** What is measured, in words, with its unit. */
  measure: string;
  unit:
    | 'ratio'
    | 'bytes'
    | 'nanoseconds'
    | 'count'
    | 'per-second'
    | 'ns-per-second'
    | 'bytes-per-minute';
  low: number;
  medium: number;
  high: number;
}

const MiB = 1024 * 1024;
const ms = 1e6;

export const THRESHOLDS = {
  /** Share of the CPU profile's total charged to one own function. */
  cpuHotspotShare: {
    measure: 'share of CPU time charged to the function',
    unit: 'ratio',
    low: 0.1,
    medium: 0.2,
    high: 0.4,
  },
  /** CPU under package initialization or sync.(*Once).Do, as a share of the CPU total. */
  initCpuShare: {
    measure: 'share of CPU time under package init or sync.Once',
    unit: 'ratio',
    low: 0.05,
    medium: 0.15,
    high: 0.3,
  },
  /** Bytes allocated under package initialization or sync.(*Once).Do. */
  initAllocBytes: {
    measure: 'bytes allocated under package init or sync.Once',
    unit: 'bytes',
    low: 4 * MiB,
    medium: 16 * MiB,
    high: 64 * MiB,
  },
  /** In-use bytes allocated under package initialization, as a share of the heap in use. */
  initInuseShare: {
    measure: 'share of the heap in use allocated under package init or sync.Once',
    unit: 'ratio',
    low: 0.1,
    medium: 0.25,
    high: 0.4,
  },
  /** CPU in GC work: GC workers (runtime.gcBgMarkWorker) plus mark assists (runtime.gcAssistAlloc). */
  gcCpuShare: {
    measure: 'share of CPU time in GC workers and mark assists',
    unit: 'ratio',
    low: 0.1,
    medium: 0.2,
    high: 0.35,
  },
  /** CPU in runtime.mallocgc (allocation itself). */
  mallocCpuShare: {
    measure: 'share of CPU time in runtime.mallocgc',
    unit: 'ratio',
    low: 0.1,
    medium: 0.2,
    high: 0.3,
  },
  /** GC cycles per second of trace or of GC log. */
  gcPerSecond: { measure: 'GC cycles per second', unit: 'per-second', low: 2, medium: 4, high: 8 },
  /** Stop-the-world time as a share of the trace's duration or of the GC log's span. */
  stwShare: {
    measure: 'stop-the-world time as a share of the trace or GC log',
    unit: 'ratio',
    low: 0.005,
    medium: 0.02,
    high: 0.05,
  },
  /** Mark assist time per second of trace (summed over goroutines). */
  markAssistPerSecond: {
    measure: 'mark assist time per second of trace',
    unit: 'ns-per-second',
    low: 20 * ms,
    medium: 100 * ms,
    high: 300 * ms,
  },
  /** Longest GC pause (sweep + mark termination) in a GC log. */
  gcPauseMax: {
    measure: 'longest GC pause in the GC log',
    unit: 'nanoseconds',
    low: 10 * ms,
    medium: 50 * ms,
    high: 200 * ms,
  },
  /** Slope of the live heap after each GC in a GC log (least squares over ≥ 5 s). */
  heapGrowthPerMinute: {
    measure: 'live heap growth per minute in the GC log',
    unit: 'bytes-per-minute',
    low: 256 * MiB,
    medium: 1024 * MiB,
    high: 2048 * MiB,
  },
  /** Share of allocated bytes charged to one own function (churn needs a small in-use part too). */
  allocChurnShare: {
    measure: 'share of allocated bytes charged to the function',
    unit: 'ratio',
    low: 0.1,
    medium: 0.25,
    high: 0.5,
  },
  /** Largest in-use / allocated ratio of a function that still counts as churn. */
  churnMaxRetained: {
    measure: 'part of the function’s allocated bytes still in use',
    unit: 'ratio',
    low: 0.25,
    medium: 0.25,
    high: 0.25,
  },
  /** Share of in-use bytes charged to one own function. */
  heapRetentionShare: {
    measure: 'share of the heap in use charged to the function',
    unit: 'ratio',
    low: 0.1,
    medium: 0.25,
    high: 0.5,
  },
  /** A function that keeps (nearly) all it allocated: in-use bytes, when ≥ 90% of its allocation is still in use. */
  heapKeptBytes: {
    measure: 'in-use bytes of a function keeping ≥ 90% of what it allocated',
    unit: 'bytes',
    low: 512 * 1024,
    medium: 8 * MiB,
    high: 64 * MiB,
  },
  /** Goroutines in one stack group blocked (leak heuristics on a dump or goroutine profile). */
  leakGroupSize: {
    measure: 'goroutines blocked with the same stack',
    unit: 'count',
    low: 10,
    medium: 10,
    high: 1000,
  },
  /** Growth of one stack group across snapshots (growing in each). */
  leakGrowth: {
    measure: 'goroutines added to one stack group across snapshots',
    unit: 'count',
    low: 5,
    medium: 5,
    high: 1000,
  },
  /** Goroutines the GC proved leaked (goroutineleak profile, "(leaked)" in a dump). */
  provenLeak: {
    measure: 'goroutines the GC proved leaked',
    unit: 'count',
    low: 1,
    medium: 1,
    high: 1,
  },
  /** Mutex delay per second charged to one own caller (profile with a duration). */
  mutexDelayPerSecond: {
    measure: 'mutex delay per second',
    unit: 'ns-per-second',
    low: 1 * ms,
    medium: 10 * ms,
    high: 100 * ms,
  },
  /** Mutex delay charged to one own caller since the process started (cumulative profile). */
  mutexDelayTotal: {
    measure: 'mutex delay since the process started',
    unit: 'nanoseconds',
    low: 10 * ms,
    medium: 100 * ms,
    high: 1000 * ms,
  },
  /** Blocked time per second on channel sends or lock waits, by own caller. */
  blockDelayPerSecond: {
    measure: 'blocked time per second',
    unit: 'ns-per-second',
    low: 10 * ms,
    medium: 100 * ms,
    high: 1000 * ms,
  },
  /** The same since the process started (cumulative profile). */
  blockDelayTotal: {
    measure: 'blocked time since the process started',
    unit: 'nanoseconds',
    low: 100 * ms,
    medium: 1000 * ms,
    high: 10_000 * ms,
  },
  /** Peak live goroutines in a trace. */
  peakGoroutines: {
    measure: 'peak live goroutines',
    unit: 'count',
    low: 500,
    medium: 1000,
    high: 10_000,
  },
  /** Goroutines created per second of trace. */
  goroutineCreationRate: {
    measure: 'goroutines created per second',
    unit: 'per-second',
    low: 1000,
    medium: 5000,
    high: 50_000,
  },
  /** 99th percentile of scheduling latency (runnable → running). */
  schedLatencyP99: {
    measure: '99th percentile of scheduling latency',
    unit: 'nanoseconds',
    low: 5 * ms,
    medium: 20 * ms,
    high: 100 * ms,
  },
} as const satisfies Record<string, Threshold>;

export type ThresholdName = keyof typeof THRESHOLDS;

/** The severity a value reaches, or null below the `low` bound. */
export function severityOf(t: Threshold, value: number): 'high' | 'medium' | 'low' | null {
  if (!(value >= t.low)) return null;
  if (value >= t.high) return 'high';
  if (value >= t.medium) return 'medium';
  return 'low';
}

export function formatThresholdValue(unit: Threshold['unit'], v: number): string {
  switch (unit) {
    case 'ratio':
      return `${+(v * 100).toFixed(2)}%`;
    case 'bytes':
      return formatBytes(v);
    case 'nanoseconds':
      return formatDuration(v);
    case 'ns-per-second':
      return `${+(v / ms).toFixed(2)} ms/s`;
    case 'per-second':
      return `${+v.toFixed(2)}/s`;
    case 'bytes-per-minute':
      return `${formatThresholdValue('bytes', v)}/min`;
    default:
      return String(v);
  }
}

/** "share of CPU … 61.2% ≥ 10% (low), medium ≥ 20%, high ≥ 40%" */
export function describeThreshold(name: ThresholdName, value: number): string {
  const t: Threshold = THRESHOLDS[name];
  const f = (v: number) => formatThresholdValue(t.unit, v);
  const sev = severityOf(t, value);
  const crossed = sev === 'high' ? t.high : sev === 'medium' ? t.medium : t.low;
  const levels = [`low ≥ ${f(t.low)}`];
  if (t.medium !== t.low) levels.push(`medium ≥ ${f(t.medium)}`);
  if (t.high !== t.medium) levels.push(`high ≥ ${f(t.high)}`);
  return `${t.measure}: ${f(value)} ≥ ${f(crossed)} (${name}: ${levels.join(', ')})`;
}

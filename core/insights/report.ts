// The before/after report: one table of metrics of two snapshot sets (each row: before,
// after, change, and why a row cannot be compared when it cannot), and the findings of both
// sets split into resolved, new and persisting.
//
// Metric rules:
// - a metric missing on one side is listed with that side null and a note naming what is
//   missing (e.g. "no heap profile in after");
// - a total over a capture window (CPU time, GC cycles, stop-the-world, delay of a profile
//   with a duration) is compared per second when the two windows differ by more than 10%,
//   and the row says so; totals since the process started (cumulative profiles) are compared
//   as they are and say that too;
// - with several snapshots of one kind in a set, the newest is used.
import { computeTotal } from '../pprof/aggregate';
import { DURATION_TOLERANCE } from '../pprof/comparability';
import type { Profile } from '../pprof/model';
import { resolveSampleIndex } from '../pprof/sample-index';
import { groupGoroutines } from '../goroutines/groups';
import { findingKey, runInsights, type InsightsOptions } from './insights';
import type { Finding, SnapshotSet } from './model';
import { chargeOwnCode, ownLeaves } from './own-code';
import { traceFigures } from './rules-trace';
import { gcLogMetrics, noteGcLogSource } from './rules-gclog';
import { latestOf } from './snapshot-set';

export type MetricUnit = 'nanoseconds' | 'bytes' | 'count' | 'per-second' | 'cores';

/** One measured value of a set, with where it came from. */
export interface MetricValue {
  value: number;
  snapshot: string;
  /** Capture window the value is a total over (ns); null for a gauge or a since-start total. */
  windowNs: number | null;
  /** The value counts from the process start (a cumulative profile). */
  sinceStart?: boolean;
  /** For per-function rows: the function's rank in its profile (0 = most). */
  rank?: number;
}

export interface MetricDef {
  metric: string;
  /** For per-function rows (`cpu-own-function`): the function. */
  function?: string;
  unit: MetricUnit;
  label: string;
}

export interface ReportRow {
  metric: string;
  function?: string;
  label: string;
  unit: string;
  before: number | null;
  after: number | null;
  /** (after − before) / before; null when either side is missing or before is 0. */
  change: number | null;
  /** Why the row is not a plain comparison (missing side, normalised per second, since start). */
  note: string;
  beforeSnapshot: string | null;
  afterSnapshot: string | null;
}

export interface PersistingFinding {
  before: Finding;
  after: Finding;
}

export interface BeforeAfterReport {
  beforeLabel: string;
  afterLabel: string;
  rows: ReportRow[];
  findings: { resolved: Finding[]; new: Finding[]; persisting: PersistingFinding[] };
  /** Snapshots that could not be read, per side. */
  skipped: { before: string[]; after: string[] };
}

type Measured = Map<string, { def: MetricDef; v: MetricValue }>;

function typeTotal(p: Profile, type: string): number | null {
  const i = p.sampleTypes.findIndex((t) => t.type === type);
  return i < 0 ? null : computeTotal(p, resolveSampleIndex(p, i));
}

const TOP_FUNCTIONS = 5;

/** Every metric the set can give. */
export function measureSet(set: SnapshotSet, options: InsightsOptions = {}): Measured {
  const m: Measured = new Map();
  const put = (def: MetricDef, v: MetricValue) =>
    m.set(def.function ? `${def.metric}|${def.function}` : def.metric, { def, v });
  const cpu = latestOf(set, ['cpu']);
  if (cpu) {
    const p = cpu.profile;
    const w = p.durationNanos > 0 ? p.durationNanos : null;
    const i = Math.max(
      0,
      p.sampleTypes.findIndex((t) => t.type === 'cpu'),
    );
    const choice = resolveSampleIndex(p, i);
    put(
      { metric: 'cpu-time', unit: 'nanoseconds', label: 'CPU time' },
      { value: computeTotal(p, choice), snapshot: cpu.name, windowNs: w },
    );
    // Every own function; the report keeps the top ones of either side.
    const charges = chargeOwnCode(p, choice, ownLeaves(p, options));
    charges.rows.forEach((r, rank) => {
      put(
        {
          metric: 'cpu-own-function',
          function: r.func,
          unit: 'nanoseconds',
          label: `CPU of ${r.func}`,
        },
        { value: r.value, snapshot: cpu.name, windowNs: w, rank },
      );
    });
  }
  const heap = latestOf(set, ['heap', 'allocs']);
  if (heap) {
    const p = heap.profile;
    const w = p.durationNanos > 0 ? p.durationNanos : null;
    const gauge = (metric: string, type: string, unit: MetricUnit, label: string) => {
      const v = typeTotal(p, type);
      if (v !== null)
        put({ metric, unit, label }, { value: v, snapshot: heap.name, windowNs: null });
    };
    gauge('heap-inuse-bytes', 'inuse_space', 'bytes', 'Heap in use');
    gauge('heap-inuse-objects', 'inuse_objects', 'count', 'Heap objects in use');
    for (const [metric, type, unit, label] of [
      ['alloc-bytes', 'alloc_space', 'bytes', 'Allocated bytes'],
      ['alloc-objects', 'alloc_objects', 'count', 'Allocated objects'],
    ] as const) {
      const v = typeTotal(p, type);
      if (v !== null)
        put(
          { metric, unit, label },
          { value: v, snapshot: heap.name, windowNs: w, sinceStart: w === null },
        );
    }
  }
  const gp = latestOf(set, ['goroutine']);
  if (gp) {
    // The goroutine profile's total (what `go tool pprof -top` reports); a text dump's count otherwise.
    const proto = set.snapshots.filter(
      (s) => s.type === 'goroutines' && s.kind === 'goroutine' && s.source.endsWith('profile'),
    );
    const pick = proto.length ? proto[proto.length - 1] : gp;
    if (pick.type === 'goroutines') {
      put(
        { metric: 'goroutines', unit: 'count', label: 'Goroutines' },
        { value: groupGoroutines(pick.dump).total, snapshot: pick.name, windowNs: null },
      );
    }
  }
  for (const [kind, metric, label] of [
    ['mutex', 'mutex-delay', 'Mutex delay'],
    ['block', 'block-delay', 'Blocked time (block profile)'],
  ] as const) {
    const s = latestOf(set, [kind]);
    if (!s) continue;
    const v = typeTotal(s.profile, 'delay');
    const w = s.profile.durationNanos > 0 ? s.profile.durationNanos : null;
    if (v !== null)
      put(
        { metric, unit: 'nanoseconds', label },
        { value: v, snapshot: s.name, windowNs: w, sinceStart: w === null },
      );
  }
  const tr = latestOf(set, ['trace']);
  if (tr) {
    const f = traceFigures(tr.trace);
    const w = f.durationNs;
    const sec = w / 1e9;
    // [metric, unit, label, value, a total over the trace's window?]
    const rows: [string, MetricUnit, string, number, boolean][] = [
      ['trace-duration', 'nanoseconds', 'Trace duration', w, false],
      ['gc-count', 'count', 'GC cycles', f.gcCount, true],
      ['gc-per-second', 'per-second', 'GC cycles per second', sec > 0 ? f.gcCount / sec : 0, false],
      ['stw-total', 'nanoseconds', 'Stop-the-world total', f.stwNs, true],
      ['stw-max', 'nanoseconds', 'Longest stop-the-world', f.stwMaxNs, false],
      ['mark-assist-total', 'nanoseconds', 'Mark assist total', f.markAssistNs, true],
      ['sched-latency-max', 'nanoseconds', 'Max scheduling latency', f.schedMaxNs, false],
      ['sched-latency-p50', 'nanoseconds', 'p50 scheduling latency', f.schedP50Ns, false],
      ['sched-latency-p99', 'nanoseconds', 'p99 scheduling latency', f.schedP99Ns, false],
      ['trace-peak-goroutines', 'count', 'Peak live goroutines (trace)', f.burst.peak, false],
      [
        'goroutines-created-per-second',
        'per-second',
        'Goroutines created per second (trace)',
        sec > 0 ? f.burst.created / sec : 0,
        false,
      ],
    ];
    for (const [metric, unit, label, value, windowed] of rows) {
      put({ metric, unit, label }, { value, snapshot: tr.name, windowNs: windowed ? w : null });
    }
  }
  const log = gcLogMetrics(set);
  for (const [metric, unit, label, value, windowNs] of log.rows)
    put({ metric, unit, label }, { value, snapshot: log.snapshot, windowNs });
  return m;
}

/** Where a metric comes from, for "missing" notes. */
const SOURCE_OF: Record<string, string> = {
  'cpu-time': 'CPU profile',
  'cpu-own-function': 'CPU profile',
  'heap-inuse-bytes': 'heap profile',
  'heap-inuse-objects': 'heap profile',
  'alloc-bytes': 'heap or allocs profile',
  'alloc-objects': 'heap or allocs profile',
  goroutines: 'goroutine profile or dump',
  'mutex-delay': 'mutex profile',
  'block-delay': 'block profile',
  'gc-count': 'trace or GC log',
  'gc-per-second': 'trace or GC log',
  'gc-pause-total': 'GC log',
  'gc-pause-max': 'GC log',
};

function seconds(ns: number): string {
  return `${+(ns / 1e9).toFixed(ns < 1e10 ? 2 : 0)} s`;
}

export function compareMetric(
  def: MetricDef,
  b: MetricValue | undefined,
  a: MetricValue | undefined,
  hasBefore: boolean,
  hasAfter: boolean,
): ReportRow {
  const row: ReportRow = {
    metric: def.metric,
    ...(def.function ? { function: def.function } : {}),
    label: def.label,
    unit: def.unit,
    before: b?.value ?? null,
    after: a?.value ?? null,
    change: null,
    note: '',
    beforeSnapshot: b?.snapshot ?? null,
    afterSnapshot: a?.snapshot ?? null,
  };
  if (!b || !a) {
    const src = SOURCE_OF[def.metric] ?? 'trace';
    const missingBefore = !b && !(def.metric === 'cpu-own-function' && hasBefore);
    const missingAfter = !a && !(def.metric === 'cpu-own-function' && hasAfter);
    if (missingBefore || missingAfter) {
      row.note = `cannot compare: no ${src} in ${missingBefore && missingAfter ? 'either set' : missingBefore ? 'before' : 'after'}`;
      return row;
    }
    // A function with no CPU samples on a side that has a CPU profile: 0 there.
    if (!b) row.before = 0;
    if (!a) row.after = 0;
    row.note = `no CPU charged to it ${!b ? 'before' : 'after'}`;
  }
  const bv = row.before;
  const av = row.after;
  if (bv === null || av === null) return row;
  const bw = b?.windowNs ?? null;
  const aw = a?.windowNs ?? null;
  if (bw !== null && aw !== null && bw > 0 && aw > 0) {
    const longer = Math.max(bw, aw);
    if (Math.abs(bw - aw) > DURATION_TOLERANCE * longer) {
      row.before = bv / (bw / 1e9);
      row.after = av / (aw / 1e9);
      row.unit = `${def.unit}/s`;
      row.note = `normalised per second: durations differ (${seconds(bw)} before, ${seconds(aw)} after)`;
    }
  } else if (b?.sinceStart || a?.sinceStart) {
    row.note = 'since the process started (cumulative profile)';
  }
  if (def.metric === 'block-delay')
    row.note = [row.note, 'includes idle waits (receives, selects)'].filter(Boolean).join('; ');
  row.change =
    row.before !== 0 && row.before !== null && row.after !== null
      ? (row.after - row.before) / Math.abs(row.before)
      : null;
  if (row.before === 0 && row.after !== 0 && row.note === '') row.note = 'before is 0';
  return row;
}

const ORDER = [
  'cpu-time',
  'cpu-own-function',
  'heap-inuse-bytes',
  'heap-inuse-objects',
  'alloc-bytes',
  'alloc-objects',
  'goroutines',
  'trace-peak-goroutines',
  'goroutines-created-per-second',
  'gc-count',
  'gc-per-second',
  'gc-pause-total',
  'gc-pause-max',
  'stw-total',
  'stw-max',
  'mark-assist-total',
  'mutex-delay',
  'block-delay',
  'sched-latency-max',
  'sched-latency-p50',
  'sched-latency-p99',
  'trace-duration',
];

export function buildReport(
  before: SnapshotSet,
  after: SnapshotSet,
  options: InsightsOptions = {},
): BeforeAfterReport {
  const mb = measureSet(before, options);
  const ma = measureSet(after, options);
  const hasCpu = (m: Measured) => m.has('cpu-time');
  const top = (m: Measured, k: string) => {
    const e = m.get(k);
    return e !== undefined && (e.v.rank === undefined || e.v.rank < TOP_FUNCTIONS);
  };
  const keys = [...new Set([...mb.keys(), ...ma.keys()])].filter((k) => top(mb, k) || top(ma, k));
  // Always list the headline metrics, so a missing one says why.
  for (const k of [
    'cpu-time',
    'heap-inuse-bytes',
    'alloc-bytes',
    'goroutines',
    'gc-count',
    'gc-per-second',
    'stw-total',
    'mutex-delay',
    'block-delay',
    'sched-latency-max',
    'trace-peak-goroutines',
  ]) {
    if (!keys.includes(k)) keys.push(k);
  }
  const defOf = (k: string): MetricDef => {
    const d = mb.get(k)?.def ?? ma.get(k)?.def;
    if (d) return d;
    return { metric: k, unit: 'count', label: k };
  };
  const rows = keys.map((k) => {
    const def = defOf(k);
    const row = compareMetric(def, mb.get(k)?.v, ma.get(k)?.v, hasCpu(mb), hasCpu(ma));
    noteGcLogSource(row, before, after);
    return row;
  });
  const rank = (r: ReportRow) => {
    const i = ORDER.indexOf(r.metric);
    return i < 0 ? ORDER.length : i;
  };
  rows.sort(
    (x, y) =>
      rank(x) - rank(y) ||
      (y.before ?? 0) - (x.before ?? 0) ||
      ((x.function ?? '') < (y.function ?? '') ? -1 : 1),
  );

  const fb = runInsights(before, options);
  const fa = runInsights(after, options);
  const afterByKey = new Map(fa.map((f) => [findingKey(f), f]));
  const beforeKeys = new Set(fb.map(findingKey));
  return {
    beforeLabel: before.label,
    afterLabel: after.label,
    rows,
    findings: {
      resolved: fb.filter((f) => !afterByKey.has(findingKey(f))),
      new: fa.filter((f) => !beforeKeys.has(findingKey(f))),
      persisting: fb
        .filter((f) => afterByKey.has(findingKey(f)))
        .map((f) => ({ before: f, after: afterByKey.get(findingKey(f))! })),
    },
    skipped: {
      before: before.skipped.map((s) => `${s.name}: ${s.reason}`),
      after: after.skipped.map((s) => `${s.name}: ${s.reason}`),
    },
  };
}

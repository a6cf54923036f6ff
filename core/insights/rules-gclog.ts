// GC logs (GODEBUG=gctrace=1) in a snapshot set: the gc-pressure rule over the guide's figures
// (GCs per second, pause total and max, live heap growth per minute; core/gctrace
// summarizeGcTrace) and the report's GC rows. A log of several services or runs is judged by
// its longest stream (the most cycles), and the evidence says which one.
import { formatValue } from '../pprof/format';
import { summarizeGcTrace, type GcSummary } from '../gctrace/summary';
import type { Finding, LoadedSnapshot, SnapshotSet } from './model';
import { draft, strongest } from './rules-profile';
import { latestOf } from './snapshot-set';

type GcLogSnapshot = Extract<LoadedSnapshot, { type: 'gc-log' }>;

const MiB = 1024 * 1024;

/** The summary of the log's stream with the most cycles (the first of equals), or null without cycles. */
export function gcLogSummary(
  s: GcLogSnapshot,
): { summary: GcSummary; label: string; streams: number } | null {
  const streams = s.gc.streams;
  let best = -1;
  for (let i = 0; i < streams.length; i++)
    if (best < 0 || streams[i].cycles.length > streams[best].cycles.length) best = i;
  if (best < 0 || streams[best].cycles.length === 0) return null;
  return {
    summary: summarizeGcTrace(streams[best]),
    label: streams[best].label,
    streams: streams.length,
  };
}

export function gcLogRules(s: GcLogSnapshot, allocator: string): Finding[] {
  const g = gcLogSummary(s);
  if (!g) return [];
  const m = g.summary;
  const ms = (v: number) => formatValue(v * 1e6, 'nanoseconds');
  const rate = m.gcPerSecond;
  const growth = m.heapGrowthMBPerMin === null ? null : m.heapGrowthMBPerMin * MiB;
  const figures = [
    { label: 'GC cycles', value: m.cycles, unit: 'count' },
    ...(rate === null ? [] : [{ label: 'GC cycles per second', value: rate, unit: 'per-second' }]),
    { label: 'pause total', value: m.pauseTotalMs * 1e6, unit: 'nanoseconds' },
    { label: 'pause max', value: m.pauseMaxMs * 1e6, unit: 'nanoseconds' },
    ...(growth === null
      ? []
      : [{ label: 'live heap growth per minute', value: growth, unit: 'bytes' }]),
    { label: 'log span', value: m.spanS * 1e9, unit: 'nanoseconds' },
  ];
  const notes = [
    ...(g.streams > 1
      ? [`stream ${g.label} of ${g.streams} in the log (the one with the most cycles)`]
      : []),
    ...(m.forced > 0
      ? [
          `${m.forced} of the ${m.cycles} cycles ${m.forced === 1 ? 'was' : 'were'} forced (runtime.GC or debug.FreeOSMemory)`,
        ]
      : []),
    ...(allocator
      ? [`${allocator} allocates the most in this set's heap profile: the place to cut allocation`]
      : []),
  ];
  const title =
    `GC ran ${m.cycles} times in ${m.spanS.toFixed(1)} s of log` +
    (rate === null ? '' : ` (${rate.toFixed(1)}/s)`) +
    `, pausing ${ms(m.pauseTotalMs)} in total and ${ms(m.pauseMaxMs)} at most` +
    (m.heapGrowthMBPerMin === null
      ? ''
      : `; the live heap grew ${m.heapGrowthMBPerMin.toFixed(0)} MB per minute`) +
    '.';
  const gc = {
    kind: 'gc-pressure' as const,
    func: allocator,
    title,
    s,
    source: 'GC log (GODEBUG=gctrace=1)',
    figures,
    notes,
    link: { tab: 'gc' as const, snapshot: s.id },
  };
  // On equal severity the first wins: GCs per second is the guide's headline figure.
  const candidates: (Finding | null)[] = [];
  if (rate !== null) {
    candidates.push(draft({ ...gc, threshold: 'gcPerSecond', value: rate }));
    candidates.push(draft({ ...gc, threshold: 'stwShare', value: m.pauseTotalMs / 1e3 / m.spanS }));
  }
  candidates.push(draft({ ...gc, threshold: 'gcPauseMax', value: m.pauseMaxMs * 1e6 }));
  if (growth !== null)
    candidates.push(draft({ ...gc, threshold: 'heapGrowthPerMinute', value: growth }));
  const best = candidates.reduce(strongest, null);
  return best ? [best] : [];
}

/** A report figure of a GC log: [metric, unit, label, value, window ns of a total or null]. */
export type GcLogMetric = [
  string,
  'count' | 'per-second' | 'nanoseconds',
  string,
  number,
  number | null,
];

/**
 * The report's GC rows from the set's newest GC log, or [] without one. They stand in for the
 * trace's gc-count and gc-per-second (one source per row, never both added), and the label
 * says "(GC log)" when the set has a trace too.
 */
export function gcLogMetrics(set: SnapshotSet): { snapshot: string; rows: GcLogMetric[] } {
  const s = latestOf(set, ['gc-log']);
  const g = s && gcLogSummary(s);
  if (!s || !g) return { snapshot: '', rows: [] };
  const m = g.summary;
  const tag = latestOf(set, ['trace']) ? ' (GC log; not the trace)' : '';
  const w = m.spanS > 0 ? m.spanS * 1e9 : null;
  const rows: GcLogMetric[] = [
    ['gc-count', 'count', `GC cycles${tag}`, m.cycles, w],
    ['gc-pause-total', 'nanoseconds', 'GC pause total (GC log)', m.pauseTotalMs * 1e6, w],
    ['gc-pause-max', 'nanoseconds', 'GC pause max (GC log)', m.pauseMaxMs * 1e6, null],
  ];
  if (m.gcPerSecond !== null)
    rows.splice(1, 0, [
      'gc-per-second',
      'per-second',
      `GC cycles per second${tag}`,
      m.gcPerSecond,
      null,
    ]);
  return { snapshot: s.name, rows };
}

/**
 * Adds to the note of a GC row taken from a GC log where a trace of the same set also gives
 * the figure, so text, Markdown and HTML say which source the number is (labels are JSON only).
 */
export function noteGcLogSource(
  row: { metric: string; note: string },
  before: SnapshotSet,
  after: SnapshotSet,
): void {
  if (row.metric !== 'gc-count' && row.metric !== 'gc-per-second') return;
  const sides = [
    ['before', before],
    ['after', after],
  ] as const;
  const both = sides
    .filter(([, s]) => latestOf(s, ['gc-log']) && latestOf(s, ['trace']))
    .map(([n]) => n);
  if (both.length === 0) return;
  const words = `from the GC log, not the trace (${both.join(' and ')})`;
  row.note = row.note ? `${row.note}; ${words}` : words;
}

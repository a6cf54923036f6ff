// The live dashboard's data: the last 30 minutes of a target's polls, and the series drawn
// from them (goroutines, heap in use, heap alloc, GCs per second, GC pause per interval). Pure
// functions over MetricsSample, no DOM: the store holds one buffer per target.
import type { MetricsSample } from '../../../core/contract';
import { formatBytes, formatCount, formatDuration } from '../../../core/view/format';

export const DASHBOARD_WINDOW_MS = 30 * 60 * 1000;
/** A hard cap on kept samples (30 min at a 1 s poll is 1800). */
const MAX_SAMPLES = 4000;
/** The narrowest span drawn, so one or two polls do not stretch across the whole chart. */
const MIN_SPAN_MS = 10_000;

export type SeriesId = 'goroutines' | 'heapInuse' | 'heapAlloc' | 'gcRate' | 'gcPause';
export type SeriesUnit = 'count' | 'bytes' | 'per-minute' | 'per-second' | 'nanoseconds';

export interface SeriesDef {
  id: SeriesId;
  title: string;
  unit: SeriesUnit;
  /** What the figure means, for the card's tooltip. */
  help: string;
}

export const SERIES: SeriesDef[] = [
  {
    id: 'goroutines',
    title: 'Goroutines',
    unit: 'count',
    help: 'goroutine?debug=1: "goroutine profile: total N"',
  },
  { id: 'heapInuse', title: 'Heap in use', unit: 'bytes', help: 'MemStats.HeapInuse' },
  { id: 'heapAlloc', title: 'Heap alloc', unit: 'bytes', help: 'MemStats.HeapAlloc' },
  {
    id: 'gcRate',
    title: 'GC rate',
    unit: 'per-second',
    help: 'GCs per second between two polls (from MemStats.NumGC); a storm above the threshold setting is flagged',
  },
  {
    id: 'gcPause',
    title: 'GC pause',
    unit: 'nanoseconds',
    help: 'GC pause per interval: stop-the-world pause time between two polls (MemStats.PauseNs)',
  },
];

/** [time in ms since the epoch, value or null for a gap]. */
export type Point = [number, number | null];

function valueOf(id: SeriesId, prev: MetricsSample | null, cur: MetricsSample): number | null {
  switch (id) {
    case 'goroutines':
      return cur.goroutines;
    case 'heapInuse':
      return cur.heapInuse;
    case 'heapAlloc':
      return cur.heapAlloc;
    case 'gcPause':
      return cur.pauseNs;
    case 'gcRate': {
      if (!prev || prev.numGC === null || cur.numGC === null) return null;
      const dt = Date.parse(cur.at) - Date.parse(prev.at);
      const n = cur.numGC - prev.numGC;
      // A smaller count means the target restarted: no rate across that gap.
      if (!(dt > 0) || n < 0) return null;
      return (n * 1000) / dt;
    }
  }
}

/** One target's recent polls, oldest first, at most DASHBOARD_WINDOW_MS long. */
export class MetricsBuffer {
  private samples: MetricsSample[] = [];
  private times: number[] = [];
  /** Bumped on every change, so views redraw only when something new arrived. */
  version = 0;

  get length(): number {
    return this.samples.length;
  }

  get latest(): MetricsSample | null {
    return this.samples[this.samples.length - 1] ?? null;
  }

  /** The sample before the latest (for rates), null with fewer than two. */
  get previous(): MetricsSample | null {
    return this.samples[this.samples.length - 2] ?? null;
  }

  /** Replaces the history (the back end's getTargetMetrics answer). */
  load(samples: MetricsSample[]): void {
    const sorted = samples
      .map((s) => ({ s, t: Date.parse(s.at) }))
      .filter((x) => Number.isFinite(x.t))
      .sort((a, b) => a.t - b.t);
    this.samples = [];
    this.times = [];
    for (const { s, t } of sorted) {
      if (this.times.length && this.times[this.times.length - 1] === t) continue;
      this.samples.push(s);
      this.times.push(t);
    }
    this.trim();
    this.version++;
  }

  /** Appends one poll; a sample not newer than the latest (a replay) is ignored. */
  push(s: MetricsSample): boolean {
    const t = Date.parse(s.at);
    if (!Number.isFinite(t)) return false;
    const last = this.times[this.times.length - 1];
    if (last !== undefined && t <= last) return false;
    this.samples.push(s);
    this.times.push(t);
    this.trim();
    this.version++;
    return true;
  }

  clear(): void {
    this.samples = [];
    this.times = [];
    this.version++;
  }

  /**
   * The time span the charts show: from the oldest kept poll to the latest, at most
   * DASHBOARD_WINDOW_MS, so a young history fills the chart instead of a sliver of it.
   */
  window(now = Date.now()): { from: number; to: number } {
    const first = this.times[0];
    const last = this.times[this.times.length - 1];
    const to = last ?? now;
    const from = Math.max(to - DASHBOARD_WINDOW_MS, Math.min(first ?? to, to - MIN_SPAN_MS));
    return { from, to };
  }

  points(id: SeriesId): Point[] {
    const out: Point[] = new Array<Point>(this.samples.length);
    for (let i = 0; i < this.samples.length; i++) {
      out[i] = [this.times[i], valueOf(id, this.samples[i - 1] ?? null, this.samples[i])];
    }
    return out;
  }

  /** When a new process answered (its counters went backwards): a restart, as a time. */
  restarts(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.samples.length; i++)
      if (this.samples[i].restart) out.push(this.times[i]);
    return out;
  }

  /** The latest value of a series, null when the target did not report it. */
  current(id: SeriesId): number | null {
    const cur = this.latest;
    return cur ? valueOf(id, this.previous, cur) : null;
  }

  private trim(): void {
    const last = this.times[this.times.length - 1];
    if (last === undefined) return;
    const cutoff = last - DASHBOARD_WINDOW_MS;
    let drop = 0;
    while (drop < this.times.length && this.times[drop] < cutoff) drop++;
    drop = Math.max(drop, this.times.length - MAX_SAMPLES);
    if (drop > 0) {
      this.samples.splice(0, drop);
      this.times.splice(0, drop);
    }
  }
}

/**
 * A GC storm: more GCs per second than the threshold setting (the GC tab flags a GC log's
 * rate the same way).
 */
export function isGcStorm(perSecond: number | null, threshold: number): boolean {
  return perSecond !== null && Number.isFinite(perSecond) && perSecond > threshold;
}

/** A series value as the dashboard prints it. */
export function formatSeriesValue(unit: SeriesUnit, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  switch (unit) {
    case 'count':
      return formatCount(v);
    case 'bytes':
      return formatBytes(v);
    case 'per-minute':
      return `${v < 10 ? v.toFixed(1) : Math.round(v)}/min`;
    case 'per-second':
      return `${v < 10 ? v.toFixed(2) : Math.round(v)}/s`;
    case 'nanoseconds':
      return formatDuration(v);
  }
}

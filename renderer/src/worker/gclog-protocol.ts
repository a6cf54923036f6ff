// Requests of the GC tab and of Compare's GC mode, answered by the GC log Worker
// (gclog-handlers.ts): the Worker reads the log and sums it; the UI draws and formats.
import type { GcSummary } from '../../../core/gctrace';

export type { GcSummary };

export interface GcStreamInfo {
  index: number;
  label: string;
  service: string;
  run: number;
  cycles: number;
  scavLines: number;
  summary: GcSummary;
}

export interface GcLogOverview {
  streams: GcStreamInfo[];
  lines: number;
  otherLines: number;
  duplicates: number;
  overlong: number;
  unreadable: { count: number; example: { line: number; text: string; reason: string } | null };
}

/** One stream's columns for the charts and the cycle table (copies: the Worker keeps its own). */
export interface GcStreamData {
  index: number;
  num: Float64Array;
  atS: Float64Array;
  cpuPct: Float64Array;
  sweepTermMs: Float64Array;
  markMs: Float64Array;
  markTermMs: Float64Array;
  /** Sweep termination + mark termination. */
  pauseMs: Float64Array;
  cpuAssistMs: Float64Array;
  cpuBackgroundMs: Float64Array;
  cpuIdleMs: Float64Array;
  heapStartMB: Float64Array;
  heapEndMB: Float64Array;
  heapLiveMB: Float64Array;
  heapGoalMB: Float64Array;
  procs: Float64Array;
  flags: Uint8Array;
  line: Float64Array;
  rate: { startS: Float64Array; perSecond: Float64Array; binS: number };
}

export type GcSortKey = 'num' | 'pause' | 'mark' | 'heapEnd' | 'heapLive' | 'goal' | 'cpuPct';

/** Request name -> [argument, result]; merged into protocol.ts's Ops. */
export interface GcLogOps {
  /** Reads a GC log; replaces the one the Worker held. */
  'gclog.load': [{ bytes: ArrayBuffer }, GcLogOverview];
  'gclog.stream': [{ stream: number }, GcStreamData];
  /** The cycle table's order: row indexes sorted by a column. */
  'gclog.order': [{ stream: number; key: GcSortKey; desc: boolean }, Int32Array];
}

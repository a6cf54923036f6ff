// The types of insights and of the before/after report: findings with their evidence and a
// link to the view that shows it, and the snapshot set they are computed over.
import type { GcTrace } from '../gctrace/model';
import type { GoroutineDump } from '../goroutines/dump';
import type { Profile } from '../pprof/model';
import type { TraceModel } from '../trace/model';

export type Severity = 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

export const FINDING_KINDS = [
  'cpu-hotspot',
  'init-hotspot',
  'gc-pressure',
  'alloc-churn',
  'heap-retention',
  'goroutine-leak',
  'lock-contention',
  'channel-wait',
  'lock-wait',
  'goroutine-burst',
  'sched-latency',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What a snapshot is, as far as insights care. */
export type SetSnapshotKind =
  | 'cpu'
  | 'heap'
  | 'allocs'
  | 'goroutine'
  | 'goroutineleak'
  | 'mutex'
  | 'block'
  | 'threadcreate'
  | 'goroutine-text'
  | 'trace'
  | 'gc-log'
  | 'unknown';

/**
 * Opens the evidence: a tab of the app plus what to focus there. `snapshot` is the set
 * member's id (a library id in the app, a file path on the command line).
 */
export type ViewLink =
  /** Flame graph of `sampleType`, focused on the function (pprof -focus, an anchored regex). */
  | { tab: 'flame'; snapshot: string; sampleType: string; focus: string }
  /** Goroutines tab, the group whose stack passes through `func` selected. */
  | { tab: 'goroutines'; snapshot: string; func: string }
  /** Contention tab, the row of the call site `site` selected. */
  | { tab: 'contention'; snapshot: string; site: string }
  /** Timeline zoomed to [t0, t1] ns (trace time). */
  | { tab: 'timeline'; snapshot: string; t0: number; t1: number }
  /** GC tab on a GC log. */
  | { tab: 'gc'; snapshot: string };

/** A figure of the evidence; `value` in `unit` (bytes, nanoseconds, count, ratio, per-second). */
export interface EvidenceFigure {
  label: string;
  value: number;
  unit: string;
}

export interface Evidence {
  /** Name of the snapshot the figures come from. */
  snapshot: string;
  /** Snapshot id (see ViewLink.snapshot). */
  snapshotId: string;
  /** e.g. `cpu/nanoseconds`, `inuse_space/bytes`, `goroutine dump (debug=2)`, `trace`. */
  source: string;
  figures: EvidenceFigure[];
  /** The rule's threshold in words, with the value crossed: "≥ 10% of CPU (high ≥ 30%)". */
  threshold: string;
  /** Further facts in words (how strong the evidence is, other snapshots that agree). */
  notes: string[];
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The service's own function the cost is charged to ('' only when no own frame exists). */
  function: string;
  /** One sentence with the numbers. */
  title: string;
  evidence: Evidence;
  link: ViewLink;
}

/** One member of a snapshot set: its bytes and what the caller already knows about it. */
export interface SnapshotInput {
  id: string;
  name: string;
  bytes: Uint8Array;
  /** Known kind (library metadata); otherwise it is read from the bytes. */
  kind?: SetSnapshotKind;
  /** Capture time (ms since epoch) when known; orders snapshots of one kind. */
  capturedAtMs?: number | null;
}

interface LoadedBase {
  id: string;
  name: string;
  /** Capture time in ms since the epoch, null when unknown. */
  timeMs: number | null;
  /** Position in the input list (ties and unknown times keep this order). */
  order: number;
}

/** A set member read and classified. */
export type LoadedSnapshot =
  | (LoadedBase & {
      type: 'profile';
      kind: 'cpu' | 'heap' | 'allocs' | 'mutex' | 'block' | 'threadcreate' | 'unknown';
      profile: Profile;
    })
  | (LoadedBase & {
      type: 'goroutines';
      kind: 'goroutine' | 'goroutineleak';
      dump: GoroutineDump;
      source: string;
    })
  | (LoadedBase & { type: 'trace'; kind: 'trace'; trace: TraceModel })
  | (LoadedBase & { type: 'gc-log'; kind: 'gc-log'; gc: GcTrace });

/** A snapshot that could not be read, with the reason. */
export interface SkippedSnapshot {
  id: string;
  name: string;
  reason: string;
}

/**
 * The snapshots of one service taken together: a folder, a library selection or group (a
 * capture bundle later). Rules read it; nothing in it is changed.
 */
export interface SnapshotSet {
  label: string;
  snapshots: LoadedSnapshot[];
  skipped: SkippedSnapshot[];
}

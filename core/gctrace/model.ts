// A GC log as columns: one stream per service and process run, each with its cycles (one
// row per gctrace line) and scavenger lines as parallel typed arrays.

/** Cycle flags. */
export const GC_FORCED = 1;
/** The line carried "(checking for goroutine leaks)" (Go 1.26+ goroutine leak profile). */
export const GC_LEAK_CHECK = 2;
/** Preceded by "GC forced": the periodic GC sysmon starts after 2 minutes without one. */
export const GC_PERIODIC = 4;

export interface GcCycles {
  length: number;
  num: Float64Array;
  /** Start of the cycle, seconds since the program started (ms precision). */
  atS: Float64Array;
  /** The runtime's GC CPU share since the program started, whole percent as printed. */
  cpuPct: Float64Array;
  /** Wall clock ms of the three phases: STW sweep termination, concurrent mark, STW mark termination. */
  sweepTermMs: Float64Array;
  markMs: Float64Array;
  markTermMs: Float64Array;
  /** CPU ms: STW sweep termination, mark assist, background mark, idle mark, STW mark termination. */
  cpuSweepTermMs: Float64Array;
  cpuAssistMs: Float64Array;
  cpuBackgroundMs: Float64Array;
  cpuIdleMs: Float64Array;
  cpuMarkTermMs: Float64Array;
  /** Heap MB at GC start, at GC end, live (marked) heap, and the goal. */
  heapStartMB: Float64Array;
  heapEndMB: Float64Array;
  heapLiveMB: Float64Array;
  heapGoalMB: Float64Array;
  /** NaN when the runtime did not print them (Go < 1.18). */
  stacksMB: Float64Array;
  globalsMB: Float64Array;
  procs: Float64Array;
  flags: Uint8Array;
  /** 1-based line number in the log. */
  line: Float64Array;
}

export const SCAV_FORCED = 1;
export const SCAV_CONTROLLER_RESET = 2;

export interface ScavRecords {
  length: number;
  bgKiB: Float64Array;
  eagerKiB: Float64Array;
  releasedKiB: Float64Array;
  utilPct: Float64Array;
  flags: Uint8Array;
  /** The number of the last GC cycle printed before this line in the stream (0: none yet). */
  afterGc: Float64Array;
  line: Float64Array;
}

export interface GcStream {
  /** The service named by the lines' prefixes or JSON fields; '' when they name none. */
  service: string;
  /** 1 for the first process run of a service; a GC number going back starts the next. */
  run: number;
  /** For a chooser: the service (or "gctrace") and the run when there are several. */
  label: string;
  cycles: GcCycles;
  scav: ScavRecords;
}

export interface UnreadableExample {
  line: number;
  /** The line as it was, at most 300 characters. */
  text: string;
  reason: string;
}

export interface GcTrace {
  streams: GcStream[];
  /** Lines in the log. */
  lines: number;
  /** Lines with no gctrace, scavtrace or "GC forced" in them (other log text). */
  otherLines: number;
  /** Lines repeated verbatim by a log shipper (same stream, GC number and time): skipped. */
  duplicates: number;
  /** Lines that start like a gctrace or scavtrace line but could not be read (cut short, mangled). */
  unreadable: { count: number; example: UnreadableExample | null };
  /** Lines longer than the reader looks at (their first MAX_LINE_CHARS characters were read). */
  overlong: number;
}

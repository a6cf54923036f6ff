// A goroutine dump as columnar tables, whatever it was read from: debug=2 text (one record per
// goroutine), debug=1 text or the goroutine protobuf profile (one record per distinct stack,
// with a count). Strings are interned once; frames and stacks are shared between records, so
// a dump of 100k goroutines parked in the same place costs one stack, not 100k.

/** Where the records came from; it decides which columns carry information. */
export type DumpFormat = 'debug1' | 'debug2' | 'proto';

/** Frame kinds. */
export const FRAME_CODE = 0;
/** "...N frames elided..." (N in `line`, -1 when Go did not say how many). */
export const FRAME_ELIDED = 1;
/** A frame without a symbol: `#\t0x...` in debug=1 text, "non-Go function" in debug=2. */
export const FRAME_UNSYMBOLIZED = 2;

export interface FrameTable {
  length: number;
  /** Index into `strings`: the function name as printed (e.g. `main.(*notifier).awaitAck`). */
  func: Int32Array;
  /** Index into `strings`, 0 ('') when unknown. */
  file: Int32Array;
  /** Source line, 0 when unknown (for FRAME_ELIDED: the number of frames elided, or -1). */
  line: Int32Array;
  /** PC offset from the function entry (`+0x1b`), -1 when not printed (inlined frames). */
  pcOffset: Int32Array;
  /** 1 when the frame was inlined into its caller (printed `f(...)` without +0x in debug=2). */
  inlined: Uint8Array;
  kind: Uint8Array;
}

/** Stack i is frame[i] called from stack prefix[i] (-1 at the root); prefix[i] < i. */
export interface StackTable {
  length: number;
  frame: Int32Array;
  prefix: Int32Array;
}

/** Record flag bits. */
export const REC_LOCKED_TO_THREAD = 1;
/** "goroutine running on other thread; stack unavailable". */
export const REC_STACK_UNAVAILABLE = 2;
/** Go left frames out of the stack ("...N frames elided..."). */
export const REC_FRAMES_ELIDED = 4;
/** The state was inferred from the stack's runtime frames (proto profiles carry no state). */
export const REC_STATE_INFERRED = 8;
/** The runtime's goroutine leak detector marked it "(leaked)" (GOEXPERIMENT=goroutineleakprofile). */
export const REC_LEAKED = 16;

export interface RecordTable {
  length: number;
  /** Goroutines this record stands for: 1 in debug=2 text, the group size otherwise. */
  count: Float64Array;
  /** Goroutine id, -1 when the format has none. */
  id: Float64Array;
  /** Index into `strings`: wait reason or status ("chan receive", "running"), 0 when unknown. */
  state: Int32Array;
  /**
   * Minutes the goroutine has been blocked as printed by Go (", 12 minutes"); 0 when not
   * printed (under a minute, or not measured yet: Go only starts the clock at a GC); -1 when
   * the format has no wait times (debug=1, proto).
   */
  waitMinutes: Int32Array;
  /** REC_* bits. */
  flags: Uint8Array;
  /** Leaf stack in `stacks`, -1 when no frame was printed. */
  stack: Int32Array;
  /** Frame of the `created by` line, -1 when none. */
  createdBy: Int32Array;
  /** Id of the creating goroutine (`created by f in goroutine 7`), -1 when not printed. */
  creatorId: Float64Array;
  /** length + 1 offsets into the label columns. */
  labelStart: Uint32Array;
  /** Index into `strings`. */
  labelKey: Int32Array;
  /** Index into `strings`. */
  labelValue: Int32Array;
  /** Character offsets of the record in `GoroutineDump.source` ([start, end)), -1 for proto. */
  textStart: Float64Array;
  textEnd: Float64Array;
}

/** Why a dump is known or suspected to be cut short. */
export interface Truncation {
  /**
   * mid-line: the text stops inside a line. mid-record: it stops inside a goroutine record.
   * count-mismatch: debug=1 counts add up to less than its `total`. suspected: the last
   * goroutine lacks the `created by` line Go prints for every goroutine but the main one.
   */
  kind: 'mid-line' | 'mid-record' | 'count-mismatch' | 'suspected';
  /** Character offset where the usable text ends. */
  at: number;
  /** Incomplete records that were left out (their stacks would be wrong). */
  droppedRecords: number;
  message: string;
}

export interface GoroutineDump {
  format: DumpFormat;
  /** debug=1 only: the profile name of the header (`goroutine`, `goroutineleak`). */
  profileName: string;
  /** Goroutines the source says it holds: debug=1's `total N`, else the sum of counts. */
  declaredTotal: number;
  strings: string[];
  frames: FrameTable;
  stacks: StackTable;
  records: RecordTable;
  /** null when the dump looks complete. */
  truncation: Truncation | null;
  /** Lines that were not understood, and other oddities (at most a few examples each). */
  warnings: string[];
  /** The text the records point into ('' for proto). */
  source: string;
}

/** Sum of `count` over all records. */
export function goroutineCount(dump: GoroutineDump): number {
  let n = 0;
  for (let i = 0; i < dump.records.length; i++) n += dump.records.count[i];
  return n;
}

/** Frames of a record's stack, leaf first. */
export function stackFrames(dump: GoroutineDump, stack: number): number[] {
  const out: number[] = [];
  for (let s = stack; s >= 0; s = dump.stacks.prefix[s]) out.push(dump.stacks.frame[s]);
  return out;
}

/** Label pairs of a record, in the order the source printed them. */
export function recordLabels(dump: GoroutineDump, record: number): [string, string][] {
  const r = dump.records;
  const out: [string, string][] = [];
  for (let j = r.labelStart[record]; j < r.labelStart[record + 1]; j++) {
    out.push([dump.strings[r.labelKey[j]], dump.strings[r.labelValue[j]]]);
  }
  return out;
}

/** The original text of one record (with its argument values), '' when there is none. */
export function recordText(dump: GoroutineDump, record: number): string {
  const start = dump.records.textStart[record];
  if (start < 0) return '';
  return dump.source.slice(start, dump.records.textEnd[record]);
}

/** A frame as one display line: `func file:line`, or the elision marker text. */
export function frameLabel(dump: GoroutineDump, frame: number): string {
  const f = dump.frames;
  const name = dump.strings[f.func[frame]];
  if (f.kind[frame] === FRAME_ELIDED) return name;
  const file = dump.strings[f.file[frame]];
  return file ? `${name} ${file}:${f.line[frame]}` : name;
}

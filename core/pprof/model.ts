// The decoded pprof profile as columnar tables (structure of arrays).
//
// Every table is a set of parallel typed arrays of equal `length`; references between tables
// are indexes into the other table (never the profile's own 64-bit ids), with -1 meaning
// "none". Strings are interned once in `strings`, whose entry 0 is always ''. A decoded
// Profile has been validated: every later step trusts it.

/** A sample type or period type, with its strings resolved. */
export interface ValueType {
  type: string;
  unit: string;
}

export interface MappingTable {
  length: number;
  /** The profile's own mapping id (kept for encoding and for `-raw`-style output). */
  id: Float64Array;
  memoryStart: Float64Array;
  memoryLimit: Float64Array;
  fileOffset: Float64Array;
  /** Index into `strings`. */
  filename: Int32Array;
  /** Index into `strings`. */
  buildId: Int32Array;
  /** Bit flags: 1 hasFunctions, 2 hasFilenames, 4 hasLineNumbers, 8 hasInlineFrames. */
  flags: Uint8Array;
}

export interface FunctionTable {
  length: number;
  id: Float64Array;
  /** Index into `strings`. */
  name: Int32Array;
  /** Index into `strings`. */
  systemName: Int32Array;
  /** Index into `strings`. */
  filename: Int32Array;
  startLine: Float64Array;
}

/**
 * A Location's Lines are the rows lineStart[i] .. lineStart[i+1]-1 of the LineTable, in the
 * profile's order: the first Line is the innermost inlined frame, the LAST Line is the real
 * (outer) caller.
 */
export interface LocationTable {
  length: number;
  id: Float64Array;
  /** Index into the MappingTable, -1 when the location has no mapping. */
  mapping: Int32Array;
  address: Float64Array;
  isFolded: Uint8Array;
  /** length + 1 offsets into the LineTable. */
  lineStart: Uint32Array;
}

export interface LineTable {
  length: number;
  /** Index into the FunctionTable, -1 when the line names no function. */
  func: Int32Array;
  line: Float64Array;
  column: Float64Array;
}

/**
 * Stacks share prefixes: stack i is location `frame[i]` called from stack `prefix[i]`
 * (-1 at the root). A sample's stack index names its leaf; walking `prefix` goes towards
 * the root. Every prefix is smaller than the stack that refers to it.
 */
export interface StackTable {
  length: number;
  /** Index into the LocationTable. */
  frame: Int32Array;
  /** Index into the StackTable, or -1 for a root frame. */
  prefix: Int32Array;
}

/**
 * Labels of sample i are rows labelStart[i] .. labelStart[i+1]-1 of the label columns.
 * A string label has num = 0 and unit = 0; a numeric label has str = 0.
 */
export interface SampleTable {
  length: number;
  /** Leaf stack of each sample, -1 for a sample with no locations. */
  stack: Int32Array;
  /** Row-major values: sample i, type t is values[i * sampleTypes.length + t]. */
  values: Float64Array;
  /** length + 1 offsets into the label columns. */
  labelStart: Uint32Array;
  /** Index into `strings`. */
  labelKey: Int32Array;
  /** Index into `strings`, 0 for numeric labels. */
  labelStr: Int32Array;
  labelNum: Float64Array;
  /** Index into `strings` (the numeric label's unit), 0 when none. */
  labelUnit: Int32Array;
}

export interface Profile {
  strings: string[];
  sampleTypes: ValueType[];
  /** The `default_sample_type` string, '' when unset. */
  defaultSampleType: string;
  periodType: ValueType | null;
  period: number;
  timeNanos: number;
  durationNanos: number;
  dropFrames: string;
  keepFrames: string;
  comments: string[];
  /** The `doc_url` string (a link to documentation for this profile type), when set. */
  docUrl?: string;
  /** Exact values of 64-bit fields beyond 2^53, when the file has any (see Exact64). */
  exact?: Exact64;
  mappings: MappingTable;
  functions: FunctionTable;
  locations: LocationTable;
  lines: LineTable;
  stacks: StackTable;
  samples: SampleTable;
}

/**
 * Exact values of the 64-bit fields whose value exceeds 2^53, where the number columns hold
 * only the nearest double. Go writes some: nanosecond timestamps, the address
 * 0xffffffffffffffff, the [vsyscall] mapping. Encoding writes these back so a re-encoded
 * file is identical; an entry is used only while its column still holds the rounded value.
 */
export interface Exact64 {
  timeNanos?: bigint;
  /** By location row. */
  address?: Map<number, bigint>;
  /** By mapping row. */
  memoryStart?: Map<number, bigint>;
  memoryLimit?: Map<number, bigint>;
  fileOffset?: Map<number, bigint>;
}

// profile.proto bytes -> the columnar Profile of model.ts, validated.
//
// Fields are named as google/pprof's profile/encode.go names them: one table per message,
// indexed by field number, each entry carrying its `.proto` declaration and the wire type it
// must have (PROFILE, VALUE_TYPE, SAMPLE, LABEL, MAPPING, LOCATION, LINE, FUNCTION below).
// `readMessage` walks a message through its table: an unknown field is skipped, a known one
// with another wire type is an error. Hand-written code remains only in the hot loops of a
// Sample (packed location ids and values), run once per sample of a million.
//
// Three passes over the top-level fields, each skipping what it does not need (a skip is one
// tag and one length): (1) strings, sample types, scalars, mappings and functions, and the
// number of location ids of all samples; (2) locations, whose references can then be
// resolved as they are read; (3) samples, each one's location rows written straight into one
// flat column sized in pass 1 (sample-paths.ts), with its values in a row. Go writes the
// string table and most definitions after the samples, hence the order. The prefix-sharing
// stack table is built from that column only when something reads `profile.stacks`.
//
// Reading is split (see wire.ts): the structure (tags, length prefixes, message bounds,
// skipping) goes through protobufjs/minimal's Reader inside WireReader; the hot inner loops
// and exact 64-bit values read `r.buf` by hand, since a call per varint there costs more
// than the rest.

import type {
  Exact64,
  FunctionTable,
  LineTable,
  LocationTable,
  MappingTable,
  Profile,
  SampleTable,
  StackTable,
  ValueType,
} from './model';
import { ProfileError } from './errors';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  checkLimit,
  inflateGzip,
  inflateLimitFor,
  isGzip,
  ratioExceeded,
  tooLarge,
} from './inflate';
import { IdIndex, MAX_EXACT, type IdProblem } from './id-index';
import { fit, grow } from './columns';
import { StackInterner, deferStacks } from './sample-paths';
import { WIRE_LEN, WIRE_VARINT, WireReader, type ReadContext } from './wire';

export { isGzip, DEFAULT_MAX_INFLATED_BYTES, MAX_INFLATE_RATIO, inflateLimitFor } from './inflate';

export interface DecodeOptions {
  /**
   * Largest inflated size accepted, in bytes. Default: MAX_INFLATE_RATIO times the gzip
   * data's size (at least INFLATE_RATIO_FLOOR, at most 2 GiB).
   */
  maxInflatedBytes?: number;
  /**
   * Keep each sample's locations as one flat column and build the stack table on first use
   * (sample-paths.ts), however much the stacks share. By default the decoder interns stacks
   * as it reads them while they share their prefixes, and turns to the flat column once they
   * do not (the table would outgrow it).
   */
  flatPaths?: boolean;
}

/**
 * Decodes a profile file: gzip (as Go writes it) or uncompressed protobuf. Synchronous and
 * pure; every failure is a ProfileError.
 */
export function decodeProfile(bytes: Uint8Array, opts: DecodeOptions = {}): Profile {
  const byRatio = opts.maxInflatedBytes === undefined;
  const limit = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  checkLimit(limit);
  if (bytes.length === 0) throw new ProfileError('empty', 'the profile is empty (0 bytes)');
  if (!isGzip(bytes)) {
    if (bytes.length > limit) throw tooLarge(limit, `the profile (${bytes.length} bytes)`);
    return decodeProfileBody(bytes, opts);
  }
  const gzLimit = byRatio ? inflateLimitFor(bytes.length, limit) : limit;
  const raw = withAllocationLimit(() => {
    try {
      return inflateGzip(bytes, gzLimit);
    } catch (err) {
      if (byRatio && gzLimit < limit && err instanceof ProfileError && err.kind === 'too-large')
        throw ratioExceeded(bytes.length, gzLimit);
      throw err;
    }
  });
  try {
    return decodeProfileBody(raw, opts);
  } catch (err) {
    if (err instanceof ProfileError && /\bbyte \d/.test(err.message)) {
      throw new ProfileError(
        err.kind,
        `${err.message} (byte offsets are in the inflated data)`,
        err.offset,
      );
    }
    throw err;
  }
}

/** Decodes already-inflated protobuf bytes (e.g. after Node's zlib, which is faster). */
export function decodeProfileBody(
  raw: Uint8Array,
  opts: Pick<DecodeOptions, 'flatPaths'> = {},
): Profile {
  if (raw.length === 0) throw new ProfileError('empty', 'the profile is empty (0 bytes)');
  try {
    return withAllocationLimit(() => new BodyDecoder(raw, opts.flatPaths ?? false).decode());
  } catch (err) {
    if (err instanceof ProfileError && looksLikeLegacyText(raw)) {
      throw new ProfileError(
        'unsupported',
        'this is a legacy text profile, not profile.proto: fetch it without ?debug=1 (Go has written the protobuf format since 1.8)',
      );
    }
    throw err;
  }
}

/** A typed-array allocation can fail on absurd but well-formed sizes: that is "too large". */
function withAllocationLimit<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (
      err instanceof RangeError &&
      /allocation|invalid (typed )?array length/i.test(err.message)
    ) {
      throw new ProfileError(
        'too-large',
        `the profile needs more memory than is available (${err.message})`,
      );
    }
    throw err;
  }
}

// Maps every byte to one character, so offsets in the decoded run equal byte offsets. A
// runtime without it (no ICU data) decodes each string on its own instead.
const latin1: TextDecoder | null = (() => {
  try {
    return new TextDecoder('latin1');
  } catch {
    return null;
  }
})();

const LEGACY_TEXT =
  /^(--- |[a-z]+ profile: |heap profile:|goroutine profile:|threadcreate profile:)/;

function looksLikeLegacyText(raw: Uint8Array): boolean {
  const head = String.fromCharCode(...raw.subarray(0, 64));
  return LEGACY_TEXT.test(head);
}

// ---- the field tables ------------------------------------------------------------------------

/**
 * One field of a message: the wire type it must have (a repeated scalar may also come packed)
 * and how its value is read into the message being built, `m`. `read` starts at the value
 * (r.pos) and must leave r.pos after it; `end` is the end of the enclosing message.
 */
interface FieldDecoder<M> {
  /** The proto field name, for error messages. */
  name: string;
  wire: number;
  packed?: boolean;
  read(d: BodyDecoder, m: M, end: number): void;
}

/** A message's fields, indexed by field number (null: no field with that number). */
type MessageDecoder<M> = readonly (FieldDecoder<M> | null)[];

const WIRE_NAMES = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit'];

// message ValueType, read into [type, unit] (string indexes as in the file).
const VALUE_TYPE: MessageDecoder<[number, number]> = [
  null, // 0
  // int64 type = 1; // Index into string table.
  { name: 'type', wire: WIRE_VARINT, read: (d, m, end) => void (m[0] = d.r.int64(end)) },
  // int64 unit = 2; // Index into string table.
  { name: 'unit', wire: WIRE_VARINT, read: (d, m, end) => void (m[1] = d.r.int64(end)) },
];

/** A Label as read: string indexes as in the file. */
interface LabelFields {
  key: number;
  str: number;
  num: number;
  unit: number;
}

// message Label
const LABEL: MessageDecoder<LabelFields> = [
  null, // 0
  // int64 key = 1; // Index into string table.
  { name: 'key', wire: WIRE_VARINT, read: (d, m, end) => void (m.key = d.r.int64(end)) },
  // int64 str = 2; // Index into string table.
  { name: 'str', wire: WIRE_VARINT, read: (d, m, end) => void (m.str = d.r.int64(end)) },
  // int64 num = 3;
  { name: 'num', wire: WIRE_VARINT, read: (d, m, end) => void (m.num = d.r.int64(end)) },
  // int64 num_unit = 4; // Index into string table.
  { name: 'num_unit', wire: WIRE_VARINT, read: (d, m, end) => void (m.unit = d.r.int64(end)) },
];

/** The sample being read in pass 3: its row, and where its location rows and values go. */
interface SampleFields {
  /** Next free slot in the flat location column. */
  nLoc: number;
  /** Values read so far (only the first nTypes are kept). */
  nVal: number;
}

// message Sample. The packed forms of location_id and value, which Go writes, are read by the
// hot loop in passSamples; these entries read the unpacked forms and the labels.
const SAMPLE: MessageDecoder<SampleFields> = [
  null, // 0
  // repeated uint64 location_id = 1;
  {
    name: 'location_id',
    wire: WIRE_VARINT,
    packed: true,
    read: (d, m, end) => {
      const at = d.r.pos;
      d.addLocation(m, d.r.varint(end), at);
    },
  },
  // repeated int64 value = 2;
  {
    name: 'value',
    wire: WIRE_VARINT,
    packed: true,
    read: (d, m, end) => d.readValue(m, end),
  },
  // repeated Label label = 3;
  { name: 'label', wire: WIRE_LEN, read: (d, _m, end) => d.readLabel(end) },
];

/** A Mapping as read: numbers as in the file, with the exact text of ids beyond 2^53. */
interface MappingFields {
  id: number;
  start: number;
  limit: number;
  offset: number;
  filename: number;
  buildId: number;
  flags: number;
}

/** A mapping's has_* flag: bit (1 << (field - 7)) of MappingTable.flags. */
function mappingFlag(name: string, field: number): FieldDecoder<MappingFields> {
  const bit = 1 << (field - 7);
  return {
    name,
    wire: WIRE_VARINT,
    read: (d, m, end) => {
      m.flags = d.r.varint(end) !== 0 ? m.flags | bit : m.flags & ~bit;
    },
  };
}

// message Mapping
const MAPPING: MessageDecoder<MappingFields> = [
  null, // 0
  // uint64 id = 1; // Unique nonzero id for the mapping.
  {
    name: 'id',
    wire: WIRE_VARINT,
    read: (d, m, end) => {
      const at = d.r.pos;
      m.id = d.r.varint(end);
      if (m.id > MAX_EXACT) {
        (d.mapExact ??= new Map()).set(d.mapRaw.id.length, d.r.exactVarint(at, false).toString());
      }
    },
  },
  // uint64 memory_start = 2; // Address at which the binary (or DLL) is loaded into memory.
  {
    name: 'memory_start',
    wire: WIRE_VARINT,
    read: (d, m, end) => void (m.start = d.exactUint64('memoryStart', d.mapRaw.id.length, end)),
  },
  // uint64 memory_limit = 3; // The limit of the address range occupied by this mapping.
  {
    name: 'memory_limit',
    wire: WIRE_VARINT,
    read: (d, m, end) => void (m.limit = d.exactUint64('memoryLimit', d.mapRaw.id.length, end)),
  },
  // uint64 file_offset = 4; // Offset in the binary that corresponds to the first mapped address.
  {
    name: 'file_offset',
    wire: WIRE_VARINT,
    read: (d, m, end) => void (m.offset = d.exactUint64('fileOffset', d.mapRaw.id.length, end)),
  },
  // int64 filename = 5; // Index into string table.
  { name: 'filename', wire: WIRE_VARINT, read: (d, m, end) => void (m.filename = d.r.int64(end)) },
  // int64 build_id = 6; // Index into string table.
  { name: 'build_id', wire: WIRE_VARINT, read: (d, m, end) => void (m.buildId = d.r.int64(end)) },
  // bool has_functions = 7;
  mappingFlag('has_functions', 7),
  // bool has_filenames = 8;
  mappingFlag('has_filenames', 8),
  // bool has_line_numbers = 9;
  mappingFlag('has_line_numbers', 9),
  // bool has_inline_frames = 10;
  mappingFlag('has_inline_frames', 10),
];

/** A Function as read: string indexes as in the file. */
interface FunctionFields {
  id: number;
  name: number;
  systemName: number;
  filename: number;
  startLine: number;
}

// message Function
const FUNCTION: MessageDecoder<FunctionFields> = [
  null, // 0
  // uint64 id = 1; // Unique nonzero id for the function.
  {
    name: 'id',
    wire: WIRE_VARINT,
    read: (d, m, end) => {
      const at = d.r.pos;
      m.id = d.r.varint(end);
      if (m.id > MAX_EXACT) {
        (d.funcExact ??= new Map()).set(d.funcRaw.id.length, d.r.exactVarint(at, false).toString());
      }
    },
  },
  // int64 name = 2; // Name of the function, in human-readable form if available.
  { name: 'name', wire: WIRE_VARINT, read: (d, m, end) => void (m.name = d.r.int64(end)) },
  // int64 system_name = 3; // Name of the function, as identified by the system.
  {
    name: 'system_name',
    wire: WIRE_VARINT,
    read: (d, m, end) => void (m.systemName = d.r.int64(end)),
  },
  // int64 filename = 4; // Source file containing the function.
  { name: 'filename', wire: WIRE_VARINT, read: (d, m, end) => void (m.filename = d.r.int64(end)) },
  // int64 start_line = 5; // Line number in source file.
  {
    name: 'start_line',
    wire: WIRE_VARINT,
    read: (d, m, end) => void (m.startLine = d.r.int64(end)),
  },
];

/** A Location being read in pass 2; its Lines go straight into the line columns. */
interface LocationFields {
  row: number;
  /** Row of its first Line in the line columns. */
  firstLine: number;
  id: number;
  mappingId: number | string;
  address: number;
  folded: number;
}

/** A Line as read: the function id as in the file (its exact text beyond 2^53). */
interface LineFields {
  funcId: number | string;
  /** Byte offset of function_id's value, for the error when it is undefined. */
  funcAt: number;
  line: number;
  column: number;
}

// message Line
const LINE: MessageDecoder<LineFields> = [
  null, // 0
  // uint64 function_id = 1; // The id of the corresponding profile.Function for this line.
  {
    name: 'function_id',
    wire: WIRE_VARINT,
    read: (d, m, end) => {
      m.funcAt = d.r.pos;
      m.funcId = d.r.varint(end);
      if (m.funcId > MAX_EXACT) m.funcId = d.r.exactVarint(m.funcAt, false).toString();
    },
  },
  // int64 line = 2; // Line number in source code.
  { name: 'line', wire: WIRE_VARINT, read: (d, m, end) => void (m.line = d.r.int64(end)) },
  // int64 column = 3; // Column number in source code.
  { name: 'column', wire: WIRE_VARINT, read: (d, m, end) => void (m.column = d.r.int64(end)) },
];

// message Location
const LOCATION: MessageDecoder<LocationFields> = [
  null, // 0
  // uint64 id = 1; // Unique nonzero id for the location.
  {
    name: 'id',
    wire: WIRE_VARINT,
    read: (d, m, end) => {
      const at = d.r.pos;
      m.id = d.r.varint(end);
      if (m.id > MAX_EXACT) {
        (d.locExact ??= new Map()).set(m.row, d.r.exactVarint(at, false).toString());
      }
    },
  },
  // uint64 mapping_id = 2; // The id of the corresponding profile.Mapping for this location.
  {
    name: 'mapping_id',
    wire: WIRE_VARINT,
    read: (d, m, end) => {
      const at = d.r.pos;
      m.mappingId = d.r.varint(end);
      if (m.mappingId > MAX_EXACT) m.mappingId = d.r.exactVarint(at, false).toString();
    },
  },
  // uint64 address = 3; // The instruction address for this location, if available.
  {
    name: 'address',
    wire: WIRE_VARINT,
    read: (d, m, end) => void (m.address = d.exactUint64('address', m.row, end)),
  },
  // repeated Line line = 4; // Multiple line indicates this location has inlined functions.
  { name: 'line', wire: WIRE_LEN, read: (d, m, end) => d.readLine(m, end) },
  // bool is_folded = 5;
  {
    name: 'is_folded',
    wire: WIRE_VARINT,
    read: (d, m, end) => void (m.folded = d.r.varint(end) !== 0 ? 1 : 0),
  },
];

// message Profile, as pass 1 reads it: definitions and scalars. Samples are only counted
// here and locations only found; passes 3 and 2 read them.
const PROFILE: MessageDecoder<BodyDecoder> = [
  null, // 0
  // repeated ValueType sample_type = 1;
  {
    name: 'sample_type',
    wire: WIRE_LEN,
    read: (d, _m, end) => void d.sampleTypeRaw.push(d.valueType(end)),
  },
  // repeated Sample sample = 2;
  { name: 'sample', wire: WIRE_LEN, read: (d, _m, end) => d.countSample(end) },
  // repeated Mapping mapping = 3;
  { name: 'mapping', wire: WIRE_LEN, read: (d, _m, end) => d.readMapping(end) },
  // repeated Location location = 4;
  { name: 'location', wire: WIRE_LEN, read: (d, _m, end) => d.findLocation(end) },
  // repeated Function function = 5;
  { name: 'function', wire: WIRE_LEN, read: (d, _m, end) => d.readFunction(end) },
  // repeated string string_table = 6;
  { name: 'string_table entry', wire: WIRE_LEN, read: (d, _m, end) => d.findString(end) },
  // int64 drop_frames = 7; // frames with Function.function_name fully matching the regexp will be dropped
  {
    name: 'drop_frames',
    wire: WIRE_VARINT,
    read: (d, _m, end) => void (d.dropFrames = d.r.int64(end)),
  },
  // int64 keep_frames = 8; // frames with Function.function_name fully matching the regexp will be kept
  {
    name: 'keep_frames',
    wire: WIRE_VARINT,
    read: (d, _m, end) => void (d.keepFrames = d.r.int64(end)),
  },
  // int64 time_nanos = 9; // Time of collection (UTC) represented as nanoseconds past the epoch.
  { name: 'time_nanos', wire: WIRE_VARINT, read: (d, _m, end) => d.readTimeNanos(end) },
  // int64 duration_nanos = 10; // Duration of the profile, if a duration makes sense.
  {
    name: 'duration_nanos',
    wire: WIRE_VARINT,
    read: (d, _m, end) => void (d.durationNanos = d.r.int64(end)),
  },
  // ValueType period_type = 11; // The kind of events between sampled occurrences.
  {
    name: 'period_type',
    wire: WIRE_LEN,
    read: (d, _m, end) => void (d.periodTypeRaw = d.valueType(end)),
  },
  // int64 period = 12; // The number of events between sampled occurrences.
  { name: 'period', wire: WIRE_VARINT, read: (d, _m, end) => void (d.period = d.r.int64(end)) },
  // repeated int64 comment = 13; // Indices into string table.
  {
    name: 'comment',
    wire: WIRE_VARINT,
    packed: true,
    read: (d, _m, end) => void d.commentsRaw.push(d.r.int64(end)),
  },
  // int64 default_sample_type = 14; // Index into the string table of the type of the preferred sample value.
  {
    name: 'default_sample_type',
    wire: WIRE_VARINT,
    read: (d, _m, end) => void (d.defaultSampleType = d.r.int64(end)),
  },
  // int64 doc_url = 15; // Index into string table of a documentation link.
  { name: 'doc_url', wire: WIRE_VARINT, read: (d, _m, end) => void (d.docUrl = d.r.int64(end)) },
];

/**
 * Whether interning stacks still pays: the table (8 bytes an entry, and its hash) stays well
 * under the flat column (4 bytes a frame). Checked after each sample, with `entries` stack
 * entries for `read` of the profile's `frames` frames: beyond an eighth of the frames, or
 * more than one new entry in two frames once a 64th of the profile is read, it does not.
 */
function sharesStacks(entries: number, read: number, frames: number): boolean {
  if (entries * 8 > frames) return false;
  return read * 64 < frames || entries * 2 <= read;
}

/** Where the reader is: a top-level field and its ordinal, for error messages. */
class Where implements ReadContext {
  field = 0;
  index = 0;
  start = 0;
  describe(): string {
    const name = PROFILE[this.field]?.name ?? `field ${this.field}`;
    return `${name} #${this.index} (at byte ${this.start})`;
  }
}

class BodyDecoder {
  readonly r: WireReader;
  private readonly where = new Where();
  private readonly len: number;

  // Pass 1 results, string indexes still as in the file.
  /** Byte ranges of the string_table entries: start, end, start, end... */
  private stringSpans = new Float64Array(1024);
  private nStrings = 0;
  sampleTypeRaw: [number, number][] = [];
  periodTypeRaw: [number, number] | null = null;
  dropFrames = 0;
  keepFrames = 0;
  timeNanos = 0;
  durationNanos = 0;
  period = 0;
  defaultSampleType = 0;
  docUrl = 0;
  commentsRaw: number[] = [];
  readonly mapRaw = {
    id: [] as number[],
    start: [] as number[],
    limit: [] as number[],
    offset: [] as number[],
    filename: [] as number[],
    buildId: [] as number[],
    flags: [] as number[],
    at: [] as number[],
  };
  mapExact: Map<number, string> | null = null;
  readonly funcRaw = {
    id: [] as number[],
    name: [] as number[],
    systemName: [] as number[],
    filename: [] as number[],
    startLine: [] as number[],
    at: [] as number[],
  };
  funcExact: Map<number, string> | null = null;
  locExact: Map<number, string> | null = null;
  /** Exact 64-bit values beyond 2^53 (see model.ts Exact64). */
  private exact: Exact64 = {};
  private nSamples = 0;
  private sampleBytes = 0;
  /** Location ids of all samples (counted in pass 1: the size of the flat column). */
  private nSampleLocations = 0;
  /** The most location ids of one sample, and the most bytes (a bound on its ids). */
  private maxSampleLocations = 0;
  private maxSampleBytes = 0;
  /** Labels of all samples (pass 1: the size of the label columns, less any dropped). */
  private nSampleLabels = 0;
  private nLocations = 0;
  /** Byte offset of each location message, so pass 2 need not scan the samples again. */
  private locationAt = new Float64Array(1024);

  // String table after interning: file index -> index in `strings`.
  private strings: string[] = [];
  private remap = new Int32Array(0);

  // Pass 2 and 3 state.
  private functionIndex: IdIndex | null = null;
  private locationIndex: IdIndex | null = null;
  private lineFunc = new Int32Array(0);
  private lineNo = new Float64Array(0);
  private lineCol = new Float64Array(0);
  private nLines = 0;
  /** The flat location column (sample-paths.ts) and the values, filled in pass 3. */
  private loc = new Int32Array(0);
  private values = new Float64Array(0);
  private nTypes = 0;
  /** values[] row of the sample being read. */
  private valueBase = 0;
  private labelKey = new Int32Array(0);
  private labelStr = new Int32Array(0);
  private labelNum = new Float64Array(0);
  private labelUnit = new Int32Array(0);
  private nLabels = 0;
  /** Byte offset of the tag of the field being read by a table entry. */
  private fieldAt = 0;
  private readonly label: LabelFields = { key: 0, str: 0, num: 0, unit: 0 };
  private readonly line: LineFields = { funcId: 0, funcAt: 0, line: 0, column: 0 };

  constructor(
    raw: Uint8Array,
    private readonly flatPaths: boolean,
  ) {
    this.r = new WireReader(raw);
    this.r.context = this.where;
    this.len = raw.length;
    this.words =
      raw.byteOffset % 4 === 0
        ? new Uint32Array(raw.buffer, raw.byteOffset, raw.length >>> 2)
        : null;
  }

  decode(): Profile {
    this.passDefinitions();
    this.internStrings();
    const mappings = this.mappingTable();
    const mappingIndex = this.idIndex('mapping', mappings.id, this.mapExact);
    const functions = this.functionTable();
    this.functionIndex = this.idIndex('function', functions.id, this.funcExact);
    const { locations, lines } = this.passLocations(mappingIndex);
    this.locationIndex = this.idIndex('location', locations.id, this.locExact);
    const sampleTypes = this.sampleTypeRaw.map((x, i) => this.valueTypeOf(x, `sample_type #${i}`));
    const { samples, start, interned } = this.passSamples(sampleTypes.length);
    const profile = {
      strings: this.strings,
      sampleTypes,
      defaultSampleType: this.str(this.defaultSampleType, 'default_sample_type'),
      // An empty period_type is no period type: Go's encoder omits it, as ours does.
      periodType:
        this.periodTypeRaw && (this.periodTypeRaw[0] !== 0 || this.periodTypeRaw[1] !== 0)
          ? this.valueTypeOf(this.periodTypeRaw, 'period_type')
          : null,
      period: this.period,
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      dropFrames: this.str(this.dropFrames, 'drop_frames'),
      keepFrames: this.str(this.keepFrames, 'keep_frames'),
      comments: this.commentsRaw.map((x, i) => this.str(x, `comment #${i}`)),
      mappings,
      functions,
      locations,
      lines,
      samples,
    } as Profile;
    if (interned) {
      samples.stack = interned.sampleStack;
      profile.stacks = interned.stacks;
    } else {
      deferStacks(profile, { start, loc: this.loc }, locations.length);
    }
    const docUrl = this.str(this.docUrl, 'doc_url');
    if (docUrl !== '') profile.docUrl = docUrl;
    if (Object.keys(this.exact).length > 0) profile.exact = this.exact;
    return profile;
  }

  // ---- walking a message through its table ------------------------------------------------

  /** Reads the fields of a message ending at `end` into `m`. */
  private readMessage<M>(fields: MessageDecoder<M>, m: M, end: number): M {
    const r = this.r;
    while (r.pos < end) {
      const at = r.pos;
      this.readField(fields, m, r.tag(end), end, at);
    }
    return m;
  }

  /** Reads one field (its tag already read, at byte `at`) through `fields`. */
  private readField<M>(
    fields: MessageDecoder<M>,
    m: M,
    tag: number,
    end: number,
    at: number,
  ): void {
    const r = this.r;
    const wt = tag & 7;
    const f = fields[tag >>> 3];
    if (f === null || f === undefined) {
      r.skip(wt, end, at);
      return;
    }
    this.fieldAt = at;
    if (wt === f.wire) {
      f.read(this, m, end);
    } else if (wt === WIRE_LEN && f.packed) {
      const e = r.lengthEnd(end);
      while (r.pos < e) f.read(this, m, e);
    } else {
      r.fail(
        'malformed',
        `wire type ${WIRE_NAMES[wt] ?? wt} where ${WIRE_NAMES[f.wire]} was expected (corrupt data?)`,
        at,
      );
    }
  }

  // ---- pass 1 ---------------------------------------------------------------------------

  private passDefinitions(): void {
    const r = this.r;
    const where = this.where;
    const end = this.len;
    const counts = new Float64Array(16);
    r.pos = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.tag(end);
      const field = tag >>> 3;
      where.field = field;
      where.start = at;
      where.index = field < 16 ? counts[field]++ : 0;
      this.readField(PROFILE, this, tag, end, at);
    }
    where.field = 0;
    if (this.nStrings === 0) {
      throw new ProfileError(
        'malformed',
        'the profile has no string table (not a profile.proto file?)',
      );
    }
  }

  valueType(end: number): [number, number] {
    return this.readMessage(VALUE_TYPE, [0, 0], this.r.lengthEnd(end));
  }

  /**
   * Pass 1 of a sample: its size, and how many location ids it has (a packed run holds one
   * id per byte below 0x80), so pass 3 fills one column of the exact size.
   */
  countSample(end: number): void {
    const r = this.r;
    const e = r.lengthEnd(end);
    this.sampleBytes += e - r.pos;
    if (e - r.pos > this.maxSampleBytes) this.maxSampleBytes = e - r.pos;
    this.nSamples++;
    let n = 0;
    while (r.pos < e) {
      const at = r.pos;
      const tag = r.tag(e);
      if (tag === 10) {
        const pe = r.lengthEnd(e);
        n += this.countVarints(r.pos, pe);
        r.pos = pe;
      } else {
        if (tag === 8) n++;
        else if (tag === 26) this.nSampleLabels++;
        r.skip(tag & 7, e, at);
      }
    }
    this.nSampleLocations += n;
    if (n > this.maxSampleLocations) this.maxSampleLocations = n;
  }

  /** 32-bit words over the data when it is aligned to 4 (countVarints' fast path). */
  private readonly words: Uint32Array | null;

  /** Varints in the packed run [a, b): its bytes below 0x80, counted four at a time. */
  private countVarints(a: number, b: number): number {
    const buf = this.r.buf;
    const words = this.words;
    let n = 0;
    if (words !== null && b - a >= 8) {
      while ((a & 3) !== 0) n += (buf[a++] >>> 7) ^ 1;
      const we = b >>> 2;
      for (let w = a >>> 2; w < we; w++) {
        // The high bit of each byte, clear for a varint's last byte: add the four up.
        const last = ~words[w] & 0x80808080;
        n += Math.imul(last >>> 7, 0x01010101) >>> 24;
      }
      a = we << 2;
    }
    for (; a < b; a++) n += (buf[a] >>> 7) ^ 1;
    return n;
  }

  findLocation(end: number): void {
    const e = this.r.lengthEnd(end);
    if (this.nLocations === this.locationAt.length) {
      this.locationAt = grow(this.locationAt, this.nLocations + 1);
    }
    this.locationAt[this.nLocations++] = this.where.start;
    this.r.pos = e;
  }

  findString(end: number): void {
    const r = this.r;
    const e = r.lengthEnd(end);
    if (this.nStrings === 0 && e !== r.pos) {
      r.fail('malformed', 'string_table[0] must be the empty string', this.where.start);
    }
    const k = this.nStrings++ * 2;
    if (k === this.stringSpans.length) this.stringSpans = grow(this.stringSpans, k + 2);
    this.stringSpans[k] = r.pos;
    this.stringSpans[k + 1] = e;
    r.pos = e;
  }

  readTimeNanos(end: number): void {
    const r = this.r;
    const vAt = r.pos;
    const t = r.int64(end);
    if (Math.abs(t) > MAX_EXACT) this.exact.timeNanos = r.exactVarint(vAt, true);
    // Go's reader refuses this too: two profiles appended to one file.
    if (this.timeNanos !== 0) {
      r.fail('malformed', 'time_nanos set twice: concatenated profiles', this.where.start);
    }
    this.timeNanos = t;
  }

  /** A uint64 whose exact value beyond 2^53 is kept in `exact[column]` for `row`. */
  exactUint64(
    column: 'address' | 'memoryStart' | 'memoryLimit' | 'fileOffset',
    row: number,
    end: number,
  ): number {
    const at = this.r.pos;
    const v = this.r.varint(end);
    if (v > MAX_EXACT) (this.exact[column] ??= new Map()).set(row, this.r.exactVarint(at, false));
    return v;
  }

  readMapping(end: number): void {
    const m = this.readMessage<MappingFields>(
      MAPPING,
      { id: 0, start: 0, limit: 0, offset: 0, filename: 0, buildId: 0, flags: 0 },
      this.r.lengthEnd(end),
    );
    const t = this.mapRaw;
    t.id.push(m.id);
    t.start.push(m.start);
    t.limit.push(m.limit);
    t.offset.push(m.offset);
    t.filename.push(m.filename);
    t.buildId.push(m.buildId);
    t.flags.push(m.flags);
    t.at.push(this.where.start);
  }

  readFunction(end: number): void {
    const f = this.readMessage<FunctionFields>(
      FUNCTION,
      { id: 0, name: 0, systemName: 0, filename: 0, startLine: 0 },
      this.r.lengthEnd(end),
    );
    const t = this.funcRaw;
    t.id.push(f.id);
    t.name.push(f.name);
    t.systemName.push(f.systemName);
    t.filename.push(f.filename);
    t.startLine.push(f.startLine);
    t.at.push(this.where.start);
  }

  // ---- strings and definitions ------------------------------------------------------------

  /** Decodes and deduplicates the string table, so equal strings have one index everywhere. */
  private internStrings(): void {
    const n = this.nStrings;
    const spans = this.stringSpans;
    const buf = this.r.buf;
    // Go writes the table in one run: decode that run once, one char per byte, and slice each
    // ASCII entry out of it (V8 slices share the parent's characters). Entries with other
    // bytes are decoded as UTF-8 on their own.
    let lo = Infinity;
    let hi = 0;
    let total = 0;
    for (let i = 0; i < 2 * n; i += 2) {
      lo = Math.min(lo, spans[i]);
      hi = Math.max(hi, spans[i + 1]);
      total += spans[i + 1] - spans[i];
    }
    const run =
      latin1 !== null && hi - lo <= 2 * total + 1024 && hi > lo
        ? latin1.decode(buf.subarray(lo, hi))
        : null;
    const remap = new Int32Array(n);
    const seen = new Map<string, number>();
    const strings: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = spans[2 * i];
      const b = spans[2 * i + 1];
      let ascii = run !== null;
      for (let j = a; ascii && j < b; j++) if (buf[j] >= 0x80) ascii = false;
      const s = ascii ? run!.slice(a - lo, b - lo) : this.r.string(a, b);
      let k = seen.get(s);
      if (k === undefined) {
        k = strings.length;
        strings.push(s);
        seen.set(s, k);
      }
      remap[i] = k;
    }
    this.strings = strings;
    this.remap = remap;
    this.stringSpans = new Float64Array(0);
  }

  /** Interned index of a file string index; `what` names the referring field. */
  private strIndex(x: number, what: string): number {
    if (x >= 0 && x < this.remap.length) return this.remap[x];
    throw new ProfileError(
      'invalid-reference',
      `${what}: string index ${x} is out of range (the string table has ${this.remap.length} entries)`,
    );
  }

  private str(x: number, what: string): string {
    return this.strings[this.strIndex(x, what)];
  }

  private valueTypeOf(x: [number, number], what: string): ValueType {
    return { type: this.str(x[0], `${what} type`), unit: this.str(x[1], `${what} unit`) };
  }

  private idIndex(table: string, ids: Float64Array, exact: Map<number, string> | null): IdIndex {
    return new IdIndex(ids, exact, (p: IdProblem): never => {
      if (p.kind === 'zero') {
        throw new ProfileError('invalid-value', `${table} #${p.row} has the reserved id 0`);
      }
      throw new ProfileError(
        'invalid-reference',
        `${table} #${p.row} has id ${exact?.get(p.row) ?? ids[p.row]}, already used by ${table} #${p.first}`,
      );
    });
  }

  private mappingTable(): MappingTable {
    const m = this.mapRaw;
    const n = m.id.length;
    const t: MappingTable = {
      length: n,
      id: Float64Array.from(m.id),
      memoryStart: Float64Array.from(m.start),
      memoryLimit: Float64Array.from(m.limit),
      fileOffset: Float64Array.from(m.offset),
      filename: new Int32Array(n),
      buildId: new Int32Array(n),
      flags: Uint8Array.from(m.flags),
    };
    for (let i = 0; i < n; i++) {
      const what = `mapping #${i} (at byte ${m.at[i]})`;
      t.filename[i] = this.strIndex(m.filename[i], `${what} filename`);
      t.buildId[i] = this.strIndex(m.buildId[i], `${what} build_id`);
    }
    return t;
  }

  private functionTable(): FunctionTable {
    const f = this.funcRaw;
    const n = f.id.length;
    const t: FunctionTable = {
      length: n,
      id: Float64Array.from(f.id),
      name: new Int32Array(n),
      systemName: new Int32Array(n),
      filename: new Int32Array(n),
      startLine: Float64Array.from(f.startLine),
    };
    for (let i = 0; i < n; i++) {
      const what = `function #${i} (id ${f.id[i]}, at byte ${f.at[i]})`;
      t.name[i] = this.strIndex(f.name[i], `${what} name`);
      t.systemName[i] = this.strIndex(f.systemName[i], `${what} system_name`);
      t.filename[i] = this.strIndex(f.filename[i], `${what} filename`);
    }
    return t;
  }

  // ---- pass 2: locations ------------------------------------------------------------------

  private passLocations(mappingIndex: IdIndex): { locations: LocationTable; lines: LineTable } {
    const r = this.r;
    const where = this.where;
    const end = this.len;
    const n = this.nLocations;
    const locations: LocationTable = {
      length: n,
      id: new Float64Array(n),
      mapping: new Int32Array(n),
      address: new Float64Array(n),
      isFolded: new Uint8Array(n),
      lineStart: new Uint32Array(n + 1),
    };
    this.lineFunc = new Int32Array(Math.max(16, n));
    this.lineNo = new Float64Array(this.lineFunc.length);
    this.lineCol = new Float64Array(this.lineFunc.length);
    this.nLines = 0;
    const m: LocationFields = { row: 0, firstLine: 0, id: 0, mappingId: 0, address: 0, folded: 0 };
    let row = 0;
    where.field = 4;
    for (; row < n; row++) {
      const at = this.locationAt[row];
      r.pos = at;
      r.tag(end);
      where.index = row;
      where.start = at;
      m.row = row;
      m.id = 0;
      m.mappingId = 0;
      m.address = 0;
      m.folded = 0;
      m.firstLine = this.nLines;
      locations.lineStart[row] = this.nLines;
      this.readMessage(LOCATION, m, r.lengthEnd(end));
      let mapping = -1;
      if (m.mappingId !== 0) {
        mapping = mappingIndex.get(m.mappingId);
        if (mapping < 0) {
          throw new ProfileError(
            'invalid-reference',
            `${where.describe()}: mapping id ${m.mappingId} is not defined`,
            at,
          );
        }
      }
      locations.id[row] = m.id;
      locations.mapping[row] = mapping;
      locations.address[row] = m.address;
      locations.isFolded[row] = m.folded;
    }
    locations.lineStart[row] = this.nLines;
    where.field = 0;
    const nLines = this.nLines;
    const lines: LineTable = {
      length: nLines,
      func: fit(this.lineFunc, nLines),
      line: fit(this.lineNo, nLines),
      column: fit(this.lineCol, nLines),
    };
    this.lineFunc = new Int32Array(0);
    this.lineNo = new Float64Array(0);
    this.lineCol = new Float64Array(0);
    return { locations, lines };
  }

  /** A Line of location `loc`, appended to the line columns. */
  readLine(loc: LocationFields, end: number): void {
    const l = this.line;
    l.funcId = 0;
    l.funcAt = this.r.pos;
    l.line = 0;
    l.column = 0;
    this.readMessage(LINE, l, this.r.lengthEnd(end));
    const nLines = this.nLines;
    let func = -1;
    if (l.funcId !== 0) {
      func = this.functionIndex!.get(l.funcId);
      if (func < 0) {
        throw new ProfileError(
          'invalid-reference',
          `${this.where.describe()}: line ${nLines - loc.firstLine} refers to function id ${l.funcId}, which is not defined (at byte ${l.funcAt})`,
          l.funcAt,
        );
      }
    }
    if (nLines === this.lineFunc.length) {
      this.lineFunc = grow(this.lineFunc, nLines + 1);
      this.lineNo = grow(this.lineNo, nLines + 1);
      this.lineCol = grow(this.lineCol, nLines + 1);
    }
    this.lineFunc[nLines] = func;
    this.lineNo[nLines] = l.line;
    this.lineCol[nLines] = l.column;
    this.nLines = nLines + 1;
  }

  // ---- pass 3: samples --------------------------------------------------------------------

  private passSamples(nTypes: number): {
    samples: SampleTable;
    start: Uint32Array;
    /** The stack table, when the samples' stacks shared enough to be interned to the end. */
    interned: { stacks: StackTable; sampleStack: Int32Array } | null;
  } {
    const r = this.r;
    const where = this.where;
    const end = this.len;
    const nSamples = this.nSamples;
    if (nSamples > 0 && nTypes === 0) {
      throw new ProfileError(
        'invalid-value',
        `the profile has ${nSamples} samples but no sample types (missing sample type information)`,
      );
    }
    // Every value takes at least a byte: refuse before allocating what the data cannot fill.
    if (nSamples * nTypes > this.sampleBytes) {
      throw new ProfileError(
        'invalid-value',
        `${nSamples} samples cannot each hold ${nTypes} values (one per sample type) in ${this.sampleBytes} bytes of sample data`,
      );
    }
    this.nTypes = nTypes;
    this.values = new Float64Array(nSamples * nTypes);
    const frames = this.nSampleLocations;
    // Stacks are interned as they are read while they share: then `loc` holds one sample.
    let interner: StackInterner | null = this.flatPaths
      ? null
      : new StackInterner(Math.min(frames, nSamples + 64));
    let sampleStack = new Int32Array(interner ? nSamples : 0);
    // One sample's ids fit in as many slots as it has bytes: packedLocations' fast loop.
    this.loc = new Int32Array(
      interner ? Math.max(1, this.maxSampleLocations, this.maxSampleBytes) : frames,
    );
    let framesRead = 0;
    const nl = this.nSampleLabels;
    this.labelKey = new Int32Array(nl);
    this.labelStr = new Int32Array(nl);
    this.labelNum = new Float64Array(nl);
    this.labelUnit = new Int32Array(nl);
    const start = new Uint32Array(nSamples + 1);
    const labelStart = new Uint32Array(nSamples + 1);
    const m: SampleFields = { nLoc: 0, nVal: 0 };

    where.field = 2;
    r.pos = 0;
    let s = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.tag(end);
      if (tag !== 18) {
        r.skip(tag & 7, end, at);
        continue;
      }
      where.index = s;
      where.start = at;
      const e = r.lengthEnd(end);
      this.valueBase = s * nTypes;
      m.nVal = 0;
      start[s] = framesRead;
      if (interner) m.nLoc = 0;
      labelStart[s] = this.nLabels;
      while (r.pos < e) {
        const fat = r.pos;
        const ftag = r.tag(e);
        if (ftag === 10) {
          // location_id, packed (as Go writes it): the hot loop of the whole decoder.
          const pe = r.lengthEnd(e);
          m.nLoc = this.packedLocations(r.pos, pe, m.nLoc);
          r.pos = pe;
        } else if (ftag === 18) {
          // value, packed (as Go writes it).
          const pe = r.lengthEnd(e);
          do this.readValue(m, pe);
          while (r.pos < pe);
        } else {
          this.readField(SAMPLE, m, ftag, e, fat);
        }
      }
      if (m.nVal !== nTypes) {
        throw new ProfileError(
          'invalid-value',
          `${where.describe()}: has ${m.nVal} values but the profile has ${nTypes} sample types`,
          at,
        );
      }
      if (interner) {
        sampleStack[s] = interner.internPath(this.loc, 0, m.nLoc);
        framesRead += m.nLoc;
        if (!sharesStacks(interner.size, framesRead, frames)) {
          // Mostly unique stacks: the flat column from here on, the samples so far walked out
          // of the table into it, and the table let go.
          const flat = new Int32Array(frames);
          interner.walkInto(sampleStack, s + 1, start, flat);
          interner = null;
          sampleStack = new Int32Array(0);
          this.loc = flat;
          m.nLoc = framesRead;
        }
      } else {
        framesRead = m.nLoc;
      }
      s++;
    }
    start[s] = framesRead;
    labelStart[s] = this.nLabels;
    where.field = 0;
    const nLabels = this.nLabels;
    return {
      samples: {
        length: nSamples,
        // The leaf stack of each sample: set by decode() or when the stack table is built.
        stack: new Int32Array(0),
        values: this.values,
        labelStart,
        labelKey: fit(this.labelKey, nLabels),
        labelStr: fit(this.labelStr, nLabels),
        labelNum: fit(this.labelNum, nLabels),
        labelUnit: fit(this.labelUnit, nLabels),
      },
      start,
      interned: interner ? { stacks: interner.table(), sampleStack } : null,
    };
  }

  /**
   * One value of the current sample, whose field ends at `fieldEnd`. Read up to the end of
   * the data, so a value that runs past its field is named as such.
   */
  readValue(m: SampleFields, fieldEnd: number): void {
    const r = this.r;
    const vAt = r.pos;
    const v = r.int64(this.len);
    if (r.pos > fieldEnd) {
      r.fail('malformed', 'value varint runs past the end of its field', vAt);
    }
    if (m.nVal < this.nTypes) this.values[this.valueBase + m.nVal] = v;
    m.nVal++;
  }

  readLabel(end: number): void {
    const l = this.label;
    const fat = this.fieldAt;
    l.key = 0;
    l.str = 0;
    l.num = 0;
    l.unit = 0;
    this.readMessage(LABEL, l, this.r.lengthEnd(end));
    // As Go's reader: a label with neither a string nor a number is dropped, and a string
    // label ignores num and unit.
    if (l.str === 0 && l.num === 0 && l.unit === 0) return;
    const remap = this.remap;
    const nStrings = remap.length;
    const { key, str, num, unit } = l;
    const bad = !(key >= 0 && key < nStrings)
      ? key
      : !(str >= 0 && str < nStrings)
        ? str
        : str === 0 && !(unit >= 0 && unit < nStrings)
          ? unit
          : 0;
    if (bad !== 0) {
      throw new ProfileError(
        'invalid-reference',
        `${this.where.describe()}: label string index ${bad} is out of range (the string table has ${nStrings} entries)`,
        fat,
      );
    }
    const n = this.nLabels;
    if (n === this.labelKey.length) {
      this.labelKey = grow(this.labelKey, n + 1);
      this.labelStr = grow(this.labelStr, n + 1);
      this.labelNum = grow(this.labelNum, n + 1);
      this.labelUnit = grow(this.labelUnit, n + 1);
    }
    this.labelKey[n] = remap[key];
    if (str !== 0) {
      this.labelStr[n] = remap[str];
      this.labelNum[n] = 0;
      this.labelUnit[n] = 0;
    } else {
      this.labelStr[n] = 0;
      this.labelNum[n] = num;
      this.labelUnit[n] = remap[unit];
    }
    this.nLabels = n + 1;
  }

  /** Adds location `id` (read at byte `at`) to the current sample's path. */
  addLocation(m: SampleFields, id: number, at: number): void {
    this.checkRoom(m.nLoc + 1, at);
    this.loc[m.nLoc++] = this.locationRow(id, at);
  }

  /** Pass 1 counted the ids; more here means the data changed meaning between passes. */
  private checkRoom(need: number, at: number): void {
    if (need > this.loc.length) {
      this.r.fail('malformed', 'more location ids than the samples hold', at);
    }
  }

  /**
   * Decodes the packed location ids in [pos, pe) into the flat column from `nLoc` on;
   * returns the new count. One- to three-byte ids (ids below 2^21) are decoded inline.
   */
  private packedLocations(pos: number, pe: number, nLoc: number): number {
    const buf = this.r.buf;
    const loc = this.loc;
    const index = this.locationIndex!;
    // Go numbers locations 1..n in table order: then an id is its row + 1, no lookup needed.
    const n = index.identity ? this.nLocations : 0;
    const dense = index.dense;
    const denseLen = dense === null ? 0 : dense.length;
    if (n > 0 && nLoc + (pe - pos) <= loc.length) {
      // Ids of one to three bytes, each its row + 1, with room for every byte as an id: the
      // loop of the whole decoder. Anything else goes on in the general loop below.
      const stop = pe - 3;
      while (pos <= stop) {
        // One to three bytes without branches: the length varies from id to id, so
        // branching on it costs a misprediction per id.
        const b0 = buf[pos];
        const b1 = buf[pos + 1];
        const b2 = buf[pos + 2];
        const c0 = b0 >>> 7;
        const c1 = c0 & (b1 >>> 7);
        const row = ((b0 & 0x7f) | (((b1 & 0x7f) << 7) & -c0) | (((b2 & 0x7f) << 14) & -c1)) - 1;
        if ((c1 & (b2 >>> 7)) !== 0 || row >>> 0 >= n) break;
        loc[nLoc++] = row;
        pos += 1 + c0 + c1;
      }
    }
    while (pos < pe) {
      const at = pos;
      let id: number;
      if (pe - pos >= 3) {
        // One to three bytes without branches: the length varies from id to id, so
        // branching on it costs a misprediction per id.
        const b0 = buf[pos];
        const b1 = buf[pos + 1];
        const b2 = buf[pos + 2];
        const c0 = b0 >>> 7;
        const c1 = c0 & (b1 >>> 7);
        id = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -c0) | (((b2 & 0x7f) << 14) & -c1);
        pos += 1 + c0 + c1;
        if ((c1 & (b2 >>> 7)) !== 0) {
          this.r.pos = at;
          id = this.r.varint(pe);
          pos = this.r.pos;
        }
      } else {
        this.r.pos = pos;
        id = this.r.varint(pe);
        pos = this.r.pos;
      }
      if (nLoc >= loc.length) this.checkRoom(nLoc + 1, at);
      if (id - 1 < n && id > 0) {
        loc[nLoc++] = id - 1;
        continue;
      }
      const row = id < denseLen ? dense![id] - 1 : -1;
      loc[nLoc++] = row >= 0 ? row : this.locationRow(id, at);
    }
    return nLoc;
  }

  /** The row of location `id` read at byte `at`; throws when it is not defined. */
  private locationRow(id: number, at: number): number {
    const key = id > MAX_EXACT ? this.r.exactVarint(at, false).toString() : id;
    const row = this.locationIndex!.get(key);
    if (row < 0) {
      throw new ProfileError(
        'invalid-reference',
        `${this.where.describe()}: location id ${key} is not defined (at byte ${at})`,
        at,
      );
    }
    return row;
  }
}

// profile.proto bytes -> the columnar Profile of model.ts, validated.
//
// Three passes over the top-level fields, each skipping what it does not need (a skip is one
// tag and one length): (1) strings, sample types, scalars, mappings and functions; (2)
// locations, whose references can then be resolved as they are read; (3) samples, each
// turned straight into a stack-table entry and a row of values, with no per-sample object.
// Go writes the string table and most definitions after the samples, hence the order.
//
// Reading is split (see wire.ts): the structure (tags, length prefixes, message bounds,
// skipping) goes through protobufjs/minimal's Reader inside WireReader; the hot inner loops
// (packed location ids in `packedLocations`, the per-sample value varints) and exact 64-bit
// values read `r.buf` by hand, since a call per varint there costs more than the rest.

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
import { WIRE_LEN, WIRE_VARINT, WireReader, type ReadContext } from './wire';

export { isGzip, DEFAULT_MAX_INFLATED_BYTES, MAX_INFLATE_RATIO, inflateLimitFor } from './inflate';

export interface DecodeOptions {
  /**
   * Largest inflated size accepted, in bytes. Default: MAX_INFLATE_RATIO times the gzip
   * data's size (at least INFLATE_RATIO_FLOOR, at most 2 GiB).
   */
  maxInflatedBytes?: number;
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
    return decodeProfileBody(bytes);
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
    return decodeProfileBody(raw);
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
export function decodeProfileBody(raw: Uint8Array): Profile {
  if (raw.length === 0) throw new ProfileError('empty', 'the profile is empty (0 bytes)');
  try {
    return withAllocationLimit(() => new BodyDecoder(raw).decode());
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

const FIELD_NAMES: Record<number, string> = {
  1: 'sample_type',
  2: 'sample',
  3: 'mapping',
  4: 'location',
  5: 'function',
  6: 'string_table entry',
  7: 'drop_frames',
  8: 'keep_frames',
  9: 'time_nanos',
  10: 'duration_nanos',
  11: 'period_type',
  12: 'period',
  13: 'comment',
  14: 'default_sample_type',
  15: 'doc_url',
};

/** Where the reader is: a top-level field and its ordinal, for error messages. */
class Where implements ReadContext {
  field = 0;
  index = 0;
  start = 0;
  describe(): string {
    const name = FIELD_NAMES[this.field] ?? `field ${this.field}`;
    return `${name} #${this.index} (at byte ${this.start})`;
  }
}

class BodyDecoder {
  private readonly r: WireReader;
  private readonly where = new Where();
  private readonly len: number;

  // Pass 1 results, string indexes still as in the file.
  /** Byte ranges of the string_table entries: start, end, start, end... */
  private stringSpans = new Float64Array(1024);
  private nStrings = 0;
  private sampleTypeRaw: [number, number][] = [];
  private periodTypeRaw: [number, number] | null = null;
  private dropFrames = 0;
  private keepFrames = 0;
  private timeNanos = 0;
  private durationNanos = 0;
  private period = 0;
  private defaultSampleType = 0;
  private docUrl = 0;
  private commentsRaw: number[] = [];
  private mapRaw = {
    id: [] as number[],
    start: [] as number[],
    limit: [] as number[],
    offset: [] as number[],
    filename: [] as number[],
    buildId: [] as number[],
    flags: [] as number[],
    at: [] as number[],
  };
  private mapExact: Map<number, string> | null = null;
  private funcRaw = {
    id: [] as number[],
    name: [] as number[],
    systemName: [] as number[],
    filename: [] as number[],
    startLine: [] as number[],
    at: [] as number[],
  };
  private funcExact: Map<number, string> | null = null;
  private locExact: Map<number, string> | null = null;
  /** Exact 64-bit values beyond 2^53 (see model.ts Exact64). */
  private exact: Exact64 = {};
  private nSamples = 0;
  private sampleBytes = 0;
  private nLocations = 0;
  /** Byte offset of each location message, so pass 2 need not scan the samples again. */
  private locationAt = new Float64Array(1024);

  // String table after interning: file index -> index in `strings`.
  private strings: string[] = [];
  private remap = new Int32Array(0);

  constructor(raw: Uint8Array) {
    this.r = new WireReader(raw);
    this.r.context = this.where;
    this.len = raw.length;
  }

  decode(): Profile {
    this.passDefinitions();
    this.internStrings();
    const mappings = this.mappingTable();
    const mappingIndex = this.idIndex('mapping', mappings.id, this.mapExact);
    const functions = this.functionTable();
    const functionIndex = this.idIndex('function', functions.id, this.funcExact);
    const { locations, lines } = this.passLocations(mappingIndex, functionIndex);
    const locationIndex = this.idIndex('location', locations.id, this.locExact);
    const sampleTypes = this.sampleTypeRaw.map((x, i) => this.valueType(x, `sample_type #${i}`));
    const { samples, stacks } = this.passSamples(sampleTypes.length, locationIndex);
    const profile: Profile = {
      strings: this.strings,
      sampleTypes,
      defaultSampleType: this.str(this.defaultSampleType, 'default_sample_type'),
      // An empty period_type is no period type: Go's encoder omits it, as ours does.
      periodType:
        this.periodTypeRaw && (this.periodTypeRaw[0] !== 0 || this.periodTypeRaw[1] !== 0)
          ? this.valueType(this.periodTypeRaw, 'period_type')
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
      stacks,
      samples,
    };
    const docUrl = this.str(this.docUrl, 'doc_url');
    if (docUrl !== '') profile.docUrl = docUrl;
    if (Object.keys(this.exact).length > 0) profile.exact = this.exact;
    return profile;
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
      const wt = tag & 7;
      where.field = field;
      where.start = at;
      where.index = field < 16 ? counts[field]++ : 0;
      switch (field) {
        case 1:
          this.expect(wt, WIRE_LEN, at);
          this.sampleTypeRaw.push(this.valueTypeMessage(r.lengthEnd(end)));
          break;
        case 2: {
          this.expect(wt, WIRE_LEN, at);
          const e = r.lengthEnd(end);
          this.sampleBytes += e - r.pos;
          this.nSamples++;
          r.pos = e;
          break;
        }
        case 3:
          this.expect(wt, WIRE_LEN, at);
          this.mappingMessage(r.lengthEnd(end), at);
          break;
        case 4:
          this.expect(wt, WIRE_LEN, at);
          if (this.nLocations === this.locationAt.length) {
            this.locationAt = grow(this.locationAt, this.nLocations + 1);
          }
          this.locationAt[this.nLocations++] = at;
          r.pos = r.lengthEnd(end);
          break;
        case 5:
          this.expect(wt, WIRE_LEN, at);
          this.functionMessage(r.lengthEnd(end), at);
          break;
        case 6: {
          this.expect(wt, WIRE_LEN, at);
          const e = r.lengthEnd(end);
          if (this.nStrings === 0 && e !== r.pos) {
            r.fail('malformed', 'string_table[0] must be the empty string', at);
          }
          const k = this.nStrings++ * 2;
          if (k === this.stringSpans.length) this.stringSpans = grow(this.stringSpans, k + 2);
          this.stringSpans[k] = r.pos;
          this.stringSpans[k + 1] = e;
          r.pos = e;
          break;
        }
        case 7:
          this.dropFrames = this.int64Field(wt, at);
          break;
        case 8:
          this.keepFrames = this.int64Field(wt, at);
          break;
        case 9: {
          const vAt = r.pos;
          const t = this.int64Field(wt, at);
          if (Math.abs(t) > MAX_EXACT) this.exact.timeNanos = r.exactVarint(vAt, true);
          // Go's reader refuses this too: two profiles appended to one file.
          if (this.timeNanos !== 0) {
            r.fail('malformed', 'time_nanos set twice: concatenated profiles', at);
          }
          this.timeNanos = t;
          break;
        }
        case 10:
          this.durationNanos = this.int64Field(wt, at);
          break;
        case 11:
          this.expect(wt, WIRE_LEN, at);
          this.periodTypeRaw = this.valueTypeMessage(r.lengthEnd(end));
          break;
        case 12:
          this.period = this.int64Field(wt, at);
          break;
        case 13:
          this.repeatedInt64(wt, end, at, this.commentsRaw);
          break;
        case 14:
          this.defaultSampleType = this.int64Field(wt, at);
          break;
        case 15:
          this.docUrl = this.int64Field(wt, at);
          break;
        default:
          r.skip(wt, end, at);
      }
    }
    where.field = 0;
    if (this.nStrings === 0) {
      throw new ProfileError(
        'malformed',
        'the profile has no string table (not a profile.proto file?)',
      );
    }
  }

  private expect(wt: number, want: number, at: number): void {
    if (wt !== want) {
      const names = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit'];
      this.r.fail(
        'malformed',
        `wire type ${names[wt] ?? wt} where ${names[want]} was expected (corrupt data?)`,
        at,
      );
    }
  }

  private int64Field(wt: number, at: number): number {
    this.expect(wt, WIRE_VARINT, at);
    return this.r.int64(this.len);
  }

  /** A repeated int64, packed or not. */
  private repeatedInt64(wt: number, end: number, at: number, out: number[]): void {
    const r = this.r;
    if (wt === WIRE_LEN) {
      const e = r.lengthEnd(end);
      while (r.pos < e) out.push(r.int64(e));
    } else {
      this.expect(wt, WIRE_VARINT, at);
      out.push(r.int64(end));
    }
  }

  private valueTypeMessage(end: number): [number, number] {
    const r = this.r;
    let type = 0;
    let unit = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.tag(end);
      if (tag === 8) type = r.int64(end);
      else if (tag === 16) unit = r.int64(end);
      else this.skipOther(tag, end, at, 2);
    }
    return [type, unit];
  }

  /** Skips an unknown field; a known field (<= maxKnown) with the wrong wire type is an error. */
  private skipOther(tag: number, end: number, at: number, maxKnown: number): void {
    const field = tag >>> 3;
    if (field <= maxKnown) {
      this.r.fail('malformed', `field ${field} has wire type ${tag & 7}, which it cannot have`, at);
    }
    this.r.skip(tag & 7, end, at);
  }

  private mappingMessage(end: number, at0: number): void {
    const r = this.r;
    let id = 0;
    let start = 0;
    let limit = 0;
    let offset = 0;
    let filename = 0;
    let buildId = 0;
    let flags = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.tag(end);
      const vAt = r.pos;
      switch (tag) {
        case 8:
          id = r.varint(end);
          if (id > MAX_EXACT) {
            (this.mapExact ??= new Map()).set(
              this.mapRaw.id.length,
              r.exactVarint(vAt, false).toString(),
            );
          }
          break;
        case 16:
          start = r.varint(end);
          if (start > MAX_EXACT) this.keepExact('memoryStart', this.mapRaw.id.length, vAt);
          break;
        case 24:
          limit = r.varint(end);
          if (limit > MAX_EXACT) this.keepExact('memoryLimit', this.mapRaw.id.length, vAt);
          break;
        case 32:
          offset = r.varint(end);
          if (offset > MAX_EXACT) this.keepExact('fileOffset', this.mapRaw.id.length, vAt);
          break;
        case 40:
          filename = r.int64(end);
          break;
        case 48:
          buildId = r.int64(end);
          break;
        case 56:
        case 64:
        case 72:
        case 80: {
          const bit = 1 << ((tag >>> 3) - 7);
          flags = r.varint(end) !== 0 ? flags | bit : flags & ~bit;
          break;
        }
        default:
          this.skipOther(tag, end, at, 10);
      }
    }
    const m = this.mapRaw;
    m.id.push(id);
    m.start.push(start);
    m.limit.push(limit);
    m.offset.push(offset);
    m.filename.push(filename);
    m.buildId.push(buildId);
    m.flags.push(flags);
    m.at.push(at0);
  }

  private functionMessage(end: number, at0: number): void {
    const r = this.r;
    let id = 0;
    let name = 0;
    let systemName = 0;
    let filename = 0;
    let startLine = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.tag(end);
      const vAt = r.pos;
      switch (tag) {
        case 8:
          id = r.varint(end);
          if (id > MAX_EXACT) {
            (this.funcExact ??= new Map()).set(
              this.funcRaw.id.length,
              r.exactVarint(vAt, false).toString(),
            );
          }
          break;
        case 16:
          name = r.int64(end);
          break;
        case 24:
          systemName = r.int64(end);
          break;
        case 32:
          filename = r.int64(end);
          break;
        case 40:
          startLine = r.int64(end);
          break;
        default:
          this.skipOther(tag, end, at, 5);
      }
    }
    const f = this.funcRaw;
    f.id.push(id);
    f.name.push(name);
    f.systemName.push(systemName);
    f.filename.push(filename);
    f.startLine.push(startLine);
    f.at.push(at0);
  }

  private keepExact(
    column: 'address' | 'memoryStart' | 'memoryLimit' | 'fileOffset',
    row: number,
    at: number,
  ): void {
    (this.exact[column] ??= new Map()).set(row, this.r.exactVarint(at, false));
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

  private valueType(x: [number, number], what: string): ValueType {
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

  private passLocations(
    mappingIndex: IdIndex,
    functionIndex: IdIndex,
  ): { locations: LocationTable; lines: LineTable } {
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
    let lineFunc = new Int32Array(Math.max(16, n));
    let lineNo = new Float64Array(lineFunc.length);
    let lineCol = new Float64Array(lineFunc.length);
    let nLines = 0;
    let row = 0;
    where.field = 4;
    for (; row < n; row++) {
      const at = this.locationAt[row];
      r.pos = at;
      r.tag(end);
      where.index = row;
      where.start = at;
      const e = r.lengthEnd(end);
      let id = 0;
      let mappingId: number | string = 0;
      let address = 0;
      let folded = 0;
      locations.lineStart[row] = nLines;
      while (r.pos < e) {
        const fat = r.pos;
        const ftag = r.tag(e);
        const vAt = r.pos;
        switch (ftag) {
          case 8:
            id = r.varint(e);
            if (id > MAX_EXACT)
              (this.locExact ??= new Map()).set(row, r.exactVarint(vAt, false).toString());
            break;
          case 16:
            mappingId = r.varint(e);
            if (mappingId > MAX_EXACT) mappingId = r.exactVarint(vAt, false).toString();
            break;
          case 24:
            address = r.varint(e);
            if (address > MAX_EXACT) this.keepExact('address', row, vAt);
            break;
          case 34: {
            const le = r.lengthEnd(e);
            let funcId: number | string = 0;
            let line = 0;
            let column = 0;
            let funcAt = r.pos;
            while (r.pos < le) {
              const lat = r.pos;
              const ltag = r.tag(le);
              if (ltag === 8) {
                funcAt = r.pos;
                funcId = r.varint(le);
                if (funcId > MAX_EXACT) funcId = r.exactVarint(funcAt, false).toString();
              } else if (ltag === 16) line = r.int64(le);
              else if (ltag === 24) column = r.int64(le);
              else this.skipOther(ltag, le, lat, 3);
            }
            let func = -1;
            if (funcId !== 0) {
              func = functionIndex.get(funcId);
              if (func < 0) {
                throw new ProfileError(
                  'invalid-reference',
                  `${where.describe()}: line ${nLines - locations.lineStart[row]} refers to function id ${funcId}, which is not defined (at byte ${funcAt})`,
                  funcAt,
                );
              }
            }
            if (nLines === lineFunc.length) {
              lineFunc = grow(lineFunc, nLines + 1);
              lineNo = grow(lineNo, nLines + 1);
              lineCol = grow(lineCol, nLines + 1);
            }
            lineFunc[nLines] = func;
            lineNo[nLines] = line;
            lineCol[nLines] = column;
            nLines++;
            break;
          }
          case 40:
            folded = r.varint(e) !== 0 ? 1 : 0;
            break;
          default:
            this.skipOther(ftag, e, fat, 5);
        }
      }
      let mapping = -1;
      if (mappingId !== 0) {
        mapping = mappingIndex.get(mappingId);
        if (mapping < 0) {
          throw new ProfileError(
            'invalid-reference',
            `${where.describe()}: mapping id ${mappingId} is not defined`,
            at,
          );
        }
      }
      locations.id[row] = id;
      locations.mapping[row] = mapping;
      locations.address[row] = address;
      locations.isFolded[row] = folded;
    }
    locations.lineStart[row] = nLines;
    where.field = 0;
    const lines: LineTable = {
      length: nLines,
      func: fit(lineFunc, nLines),
      line: fit(lineNo, nLines),
      column: fit(lineCol, nLines),
    };
    return { locations, lines };
  }

  // ---- pass 3: samples --------------------------------------------------------------------

  private passSamples(
    nTypes: number,
    locationIndex: IdIndex,
  ): { samples: SampleTable; stacks: StackTable } {
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
    const values = new Float64Array(nSamples * nTypes);
    const sampleStack = new Int32Array(nSamples);
    const labelStart = new Uint32Array(nSamples + 1);
    let labelKey = new Int32Array(64);
    let labelStr = new Int32Array(64);
    let labelNum = new Float64Array(64);
    let labelUnit = new Int32Array(64);
    let nLabels = 0;
    const stacks = new StackInterner(nSamples + 64);
    const remap = this.remap;
    const nStrings = remap.length;

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
      const base = s * nTypes;
      let nLoc = 0;
      let nVal = 0;
      labelStart[s] = nLabels;
      while (r.pos < e) {
        const fat = r.pos;
        const ftag = r.tag(e);
        if (ftag === 10) {
          // location_id, packed (as Go writes it): the hot loop of the whole decoder.
          const pe = r.lengthEnd(e);
          nLoc = this.packedLocations(r.pos, pe, nLoc, locationIndex);
          r.pos = pe;
        } else if (ftag === 8) {
          const idAt = r.pos;
          const id = r.varint(e);
          if (this.path.length === nLoc) this.path = grow(this.path, nLoc + 1);
          this.path[nLoc++] = this.locationRow(id, idAt, locationIndex);
        } else if (ftag === 18 || ftag === 16) {
          const pe = ftag === 18 ? r.lengthEnd(e) : -1;
          do {
            const vAt = r.pos;
            const v = r.int64(end);
            if (r.pos > e || (pe >= 0 && r.pos > pe)) {
              r.fail('malformed', 'value varint runs past the end of its field', vAt);
            }
            if (nVal < nTypes) values[base + nVal] = v;
            nVal++;
          } while (pe >= 0 && r.pos < pe);
        } else if (ftag === 26) {
          const le = r.lengthEnd(e);
          let key = 0;
          let str = 0;
          let num = 0;
          let unit = 0;
          while (r.pos < le) {
            const lat = r.pos;
            const ltag = r.tag(le);
            if (ltag === 8) key = r.int64(le);
            else if (ltag === 16) str = r.int64(le);
            else if (ltag === 24) num = r.int64(le);
            else if (ltag === 32) unit = r.int64(le);
            else this.skipOther(ltag, le, lat, 4);
          }
          // As Go's reader: a label with neither a string nor a number is dropped, and a
          // string label ignores num and unit.
          if (str === 0 && num === 0 && unit === 0) continue;
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
              `${where.describe()}: label string index ${bad} is out of range (the string table has ${nStrings} entries)`,
              fat,
            );
          }
          if (nLabels === labelKey.length) {
            labelKey = grow(labelKey, nLabels + 1);
            labelStr = grow(labelStr, nLabels + 1);
            labelNum = grow(labelNum, nLabels + 1);
            labelUnit = grow(labelUnit, nLabels + 1);
          }
          labelKey[nLabels] = remap[key];
          if (str !== 0) {
            labelStr[nLabels] = remap[str];
            labelNum[nLabels] = 0;
            labelUnit[nLabels] = 0;
          } else {
            labelStr[nLabels] = 0;
            labelNum[nLabels] = num;
            labelUnit[nLabels] = remap[unit];
          }
          nLabels++;
        } else {
          this.skipOther(ftag, e, fat, 3);
        }
      }
      if (nVal !== nTypes) {
        throw new ProfileError(
          'invalid-value',
          `${where.describe()}: has ${nVal} values but the profile has ${nTypes} sample types`,
          at,
        );
      }
      // location_id[0] is the leaf: intern from the root down.
      sampleStack[s] = stacks.internPath(this.path, nLoc);
      s++;
    }
    labelStart[s] = nLabels;
    where.field = 0;
    return {
      samples: {
        length: nSamples,
        stack: sampleStack,
        values,
        labelStart,
        labelKey: fit(labelKey, nLabels),
        labelStr: fit(labelStr, nLabels),
        labelNum: fit(labelNum, nLabels),
        labelUnit: fit(labelUnit, nLabels),
      },
      stacks: stacks.table(),
    };
  }

  /** Location ids of a sample, leaf first, as table rows. */
  private path = new Int32Array(256);

  /**
   * Decodes the packed location ids in [pos, pe) into `path` from `nLoc` on; returns the new
   * count. One- to three-byte ids (ids below 2^21) are decoded inline.
   */
  private packedLocations(pos: number, pe: number, nLoc: number, index: IdIndex): number {
    const buf = this.r.buf;
    // Every id takes at least a byte, so this bounds the count.
    if (this.path.length < nLoc + (pe - pos)) this.path = grow(this.path, nLoc + (pe - pos));
    const path = this.path;
    // Go numbers locations 1..n in table order: then an id is its row + 1, no lookup needed.
    const n = index.identity ? this.nLocations : 0;
    const dense = index.dense;
    const denseLen = dense === null ? 0 : dense.length;
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
      if (id - 1 < n && id > 0) {
        path[nLoc++] = id - 1;
        continue;
      }
      const row = id < denseLen ? dense![id] - 1 : -1;
      path[nLoc++] = row >= 0 ? row : this.locationRow(id, at, index);
    }
    return nLoc;
  }

  /** The row of location `id` read at byte `at`; throws when it is not defined. */
  private locationRow(id: number, at: number, index: IdIndex): number {
    const key = id > MAX_EXACT ? this.r.exactVarint(at, false).toString() : id;
    const row = index.get(key);
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

/**
 * Builds the stack table by interning (prefix, frame) pairs, so samples that share a call path
 * share its entries. Open addressing; a slot holds index + 1 and the keys are the entries
 * themselves ([frame, prefix] pairs, which become the table). The slot of an entry derives
 * from the hash of its whole path, root to frame, which spreads keys far better than mixing a
 * prefix index with a frame (measured: 3x fewer probe costs on a 1.1M-sample profile).
 */
class StackInterner {
  /** The entries: frame and prefix of entry i. */
  private frame: Int32Array;
  private prefix: Int32Array;
  private n = 0;
  private slots: Int32Array;
  private mask: number;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.frame = new Int32Array(expected);
    this.prefix = new Int32Array(expected);
  }

  /** Interns the path `path[count-1]` (root) .. `path[0]` (leaf); returns the leaf's stack. */
  internPath(path: Int32Array, count: number): number {
    const slots = this.slots;
    const frames = this.frame;
    const prefixes = this.prefix;
    const mask = this.mask;
    let stack = -1;
    let h = PATH_SEED;
    for (let k = count - 1; k >= 0; k--) {
      const frame = path[k];
      h = pathHash(h, frame);
      let i = h & mask;
      for (;;) {
        const e = slots[i];
        if (e === 0) {
          // Not found: this entry and everything below it in the path are new.
          return this.addRest(path, k, stack, h);
        }
        if (frames[e - 1] === frame && prefixes[e - 1] === stack) {
          stack = e - 1;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    return stack;
  }

  /** Adds path[k] (under `prefix`, with path hash h) and the rest down to the leaf: all new. */
  private addRest(path: Int32Array, k: number, prefix: number, h: number): number {
    // Room for the whole rest of the path at once: growth is rare and never mid-path.
    if (this.n + k + 1 > this.frame.length) {
      // Grow by half: on a profile of mostly unique stacks the table is the largest thing in
      // memory, and doubling would leave up to half of it empty.
      const need = Math.max(this.n + k + 1, Math.ceil(this.frame.length * 1.5));
      const frame = new Int32Array(need);
      frame.set(this.frame);
      this.frame = frame;
      const prefix = new Int32Array(need);
      prefix.set(this.prefix);
      this.prefix = prefix;
    }
    for (;;) {
      const frame = path[k];
      if (this.n * 2 >= this.mask) this.rehash();
      const mask = this.mask;
      const slots = this.slots;
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      const idx = this.n++;
      this.frame[idx] = frame;
      this.prefix[idx] = prefix;
      slots[i] = idx + 1;
      prefix = idx;
      if (--k < 0) return idx;
      h = pathHash(h, path[k]);
    }
  }

  private rehash(): void {
    const n = this.n;
    const frames = this.frame;
    const prefixes = this.prefix;
    const cap = (this.mask + 1) * 2;
    const mask = cap - 1;
    this.slots = new Int32Array(0); // let the old hash go before the new one is made
    const slots = new Int32Array(cap);
    // Path hashes, recomputed root-first: a prefix always comes before its entries.
    const hash = new Int32Array(n);
    for (let idx = 0; idx < n; idx++) {
      const prefix = prefixes[idx];
      const h = pathHash(prefix < 0 ? PATH_SEED : hash[prefix], frames[idx]);
      hash[idx] = h;
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = idx + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  table(): StackTable {
    const n = this.n;
    this.slots = new Int32Array(0); // let the hash go before the copies are made
    // One column at a time, so at most one spare copy is alive.
    const frame = fit(this.frame, n);
    this.frame = frame;
    const prefix = fit(this.prefix, n);
    this.prefix = prefix;
    return { length: n, frame, prefix };
  }
}

const PATH_SEED = 0x2545f491;

function pathHash(h: number, frame: number): number {
  h = Math.imul(h ^ frame, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

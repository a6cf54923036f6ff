// The one way to put a Profile together from parts: the profiles derived from a trace
// (core/trace/profiles.ts), the tests' small profiles and the benches' synthetic ones.
// Strings and functions are interned (a Function's identity is pprof's: name, system name,
// file, start line), stacks are interned as (prefix, location) pairs so prefixes are shared,
// and every column is a typed array that grows as rows are added. `build()` returns the
// columnar tables of model.ts, each column exactly as long as its table.
import { fit, grow } from './columns';
import type { Profile, ValueType } from './model';
import { StackBuilder } from './profile-edit';
import { StringTable } from './string-table';

/** The profile's header fields; all but the sample types have pprof's zero values by default. */
export interface ProfileHeader {
  sampleTypes: ValueType[];
  defaultSampleType?: string;
  periodType?: ValueType | null;
  period?: number;
  timeNanos?: number;
  durationNanos?: number;
  dropFrames?: string;
  keepFrames?: string;
  comments?: string[];
}

/** The header Go's runtime/pprof writes on a CPU profile (samples and time, 100 Hz). */
export const GO_CPU_HEADER: Readonly<ProfileHeader> = {
  sampleTypes: [
    { type: 'samples', unit: 'count' },
    { type: 'cpu', unit: 'nanoseconds' },
  ],
  periodType: { type: 'cpu', unit: 'nanoseconds' },
  period: 10_000_000,
};

export interface MappingSpec {
  memoryStart: number;
  memoryLimit: number;
  fileOffset?: number;
  filename?: string;
  buildId?: string;
  /** Bit flags as in MappingTable: 1 hasFunctions, 2 hasFilenames, 4 hasLineNumbers, 8 hasInlineFrames. */
  flags?: number;
}

export interface LocationSpec {
  /** Index of the mapping (from `mapping`), -1 (the default) for none. */
  mapping?: number;
  address?: number;
  isFolded?: boolean;
}

/** A sample's labels: string labels as [key, value], numeric ones as [key, value, unit?]. */
export interface SampleLabels {
  str?: ReadonlyArray<readonly [string, string]>;
  num?: ReadonlyArray<readonly [string, number, string?]>;
}

export class ProfileBuilder {
  private readonly strings = new StringTable();
  private readonly nTypes: number;

  private nMap = 0;
  private mapStart = new Float64Array(4);
  private mapLimit = new Float64Array(4);
  private mapOffset = new Float64Array(4);
  private mapFile = new Int32Array(4);
  private mapBuildId = new Int32Array(4);
  private mapFlags = new Uint8Array(4);

  private readonly funcIndex = new Map<string, number>();
  private nFunc = 0;
  private fnName = new Int32Array(64);
  private fnSystemName = new Int32Array(64);
  private fnFile = new Int32Array(64);
  private fnStartLine = new Float64Array(64);

  private nLoc = 0;
  private locMapping = new Int32Array(64);
  private locAddress = new Float64Array(64);
  private locFolded = new Uint8Array(64);
  private locLineStart = new Uint32Array(65);

  private nLine = 0;
  private lineFunc = new Int32Array(64);
  private lineNo = new Float64Array(64);
  private lineColumn = new Float64Array(64);

  private readonly stacks: StackBuilder;

  private nSample = 0;
  private sampleStack = new Int32Array(64);
  private sampleValues = new Float64Array(64);
  private labelStart = new Uint32Array(65);
  private nLabel = 0;
  private labelKey = new Int32Array(16);
  private labelStr = new Int32Array(16);
  private labelNum = new Float64Array(16);
  private labelUnit = new Int32Array(16);

  constructor(
    private readonly header: ProfileHeader,
    expectedStacks = 1024,
  ) {
    this.nTypes = header.sampleTypes.length;
    this.stacks = new StackBuilder(expectedStacks);
    // The header's strings are in the table too, as in a decoded profile.
    for (const t of [...header.sampleTypes, ...(header.periodType ? [header.periodType] : [])]) {
      this.string(t.type);
      this.string(t.unit);
    }
    for (const s of [header.defaultSampleType, header.dropFrames, header.keepFrames])
      if (s) this.string(s);
    for (const c of header.comments ?? []) this.string(c);
  }

  /** Index of `s` in the string table, added when new. */
  string(s: string): number {
    return this.strings.id(s);
  }

  /** Adds a mapping; returns its index. */
  mapping(m: MappingSpec): number {
    const i = this.nMap++;
    this.mapStart = grow(this.mapStart, i + 1);
    this.mapLimit = grow(this.mapLimit, i + 1);
    this.mapOffset = grow(this.mapOffset, i + 1);
    this.mapFile = grow(this.mapFile, i + 1);
    this.mapBuildId = grow(this.mapBuildId, i + 1);
    this.mapFlags = grow(this.mapFlags, i + 1);
    this.mapStart[i] = m.memoryStart;
    this.mapLimit[i] = m.memoryLimit;
    this.mapOffset[i] = m.fileOffset ?? 0;
    this.mapFile[i] = this.string(m.filename ?? '');
    this.mapBuildId[i] = this.string(m.buildId ?? '');
    this.mapFlags[i] = m.flags ?? 0;
    return i;
  }

  /** Index of the function (name, system name, file, start line), added when new. */
  func(name: string, filename = '', startLine = 0, systemName = name): number {
    const key = `${name}\u0000${systemName}\u0000${filename}\u0000${startLine}`;
    let i = this.funcIndex.get(key);
    if (i !== undefined) return i;
    i = this.nFunc++;
    this.fnName = grow(this.fnName, i + 1);
    this.fnSystemName = grow(this.fnSystemName, i + 1);
    this.fnFile = grow(this.fnFile, i + 1);
    this.fnStartLine = grow(this.fnStartLine, i + 1);
    this.fnName[i] = this.string(name);
    this.fnSystemName[i] = this.string(systemName);
    this.fnFile[i] = this.string(filename);
    this.fnStartLine[i] = startLine;
    this.funcIndex.set(key, i);
    return i;
  }

  /** Number of Lines added so far (the row the next location's first Line gets). */
  get lineCount(): number {
    return this.nLine;
  }

  /**
   * Adds a location whose Lines are `lines` ([function index, line number] each) in pprof's
   * order: the innermost inlined frame first, the real caller last. Returns its index.
   */
  location(lines: ReadonlyArray<readonly [number, number]>, at: LocationSpec = {}): number {
    const i = this.nLoc++;
    this.locMapping = grow(this.locMapping, i + 1);
    this.locAddress = grow(this.locAddress, i + 1);
    this.locFolded = grow(this.locFolded, i + 1);
    this.locLineStart = grow(this.locLineStart, i + 2);
    this.locMapping[i] = at.mapping ?? -1;
    this.locAddress[i] = at.address ?? 0;
    this.locFolded[i] = at.isFolded ? 1 : 0;
    const need = this.nLine + lines.length;
    this.lineFunc = grow(this.lineFunc, need);
    this.lineNo = grow(this.lineNo, need);
    this.lineColumn = grow(this.lineColumn, need);
    for (const [fn, line] of lines) {
      this.lineFunc[this.nLine] = fn;
      this.lineNo[this.nLine] = line;
      this.nLine++;
    }
    this.locLineStart[i + 1] = this.nLine;
    return i;
  }

  /** Number of stacks so far. */
  get stackCount(): number {
    return this.stacks.length;
  }

  /** The stack of `location` called from stack `prefix` (-1 at the root), shared when known. */
  stack(prefix: number, location: number): number {
    return this.stacks.intern(prefix, location);
  }

  /** The stack of `locations`, written root first; -1 for none. */
  stackOf(locations: ArrayLike<number>): number {
    let s = -1;
    for (let i = 0; i < locations.length; i++) s = this.stacks.intern(s, locations[i]);
    return s;
  }

  /** Adds a sample on leaf stack `stack` (-1: no locations), one value per sample type. */
  sample(stack: number, values: ArrayLike<number>, labels?: SampleLabels): void {
    if (values.length !== this.nTypes)
      throw new Error(`a sample needs ${this.nTypes} values, got ${values.length}`);
    const i = this.nSample++;
    this.sampleStack = grow(this.sampleStack, i + 1);
    this.sampleValues = grow(this.sampleValues, (i + 1) * this.nTypes);
    this.labelStart = grow(this.labelStart, i + 2);
    this.sampleStack[i] = stack;
    for (let t = 0; t < this.nTypes; t++) this.sampleValues[i * this.nTypes + t] = values[t];
    for (const [k, v] of labels?.str ?? []) this.label(this.string(k), this.string(v), 0, 0);
    for (const [k, n, unit] of labels?.num ?? [])
      this.label(this.string(k), 0, n, this.string(unit ?? ''));
    this.labelStart[i + 1] = this.nLabel;
  }

  private label(key: number, str: number, num: number, unit: number): void {
    const j = this.nLabel++;
    this.labelKey = grow(this.labelKey, j + 1);
    this.labelStr = grow(this.labelStr, j + 1);
    this.labelNum = grow(this.labelNum, j + 1);
    this.labelUnit = grow(this.labelUnit, j + 1);
    this.labelKey[j] = key;
    this.labelStr[j] = str;
    this.labelNum[j] = num;
    this.labelUnit[j] = unit;
  }

  build(): Profile {
    const h = this.header;
    const ids = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);
    const { nMap, nFunc, nLoc, nLine, nSample, nLabel } = this;
    return {
      strings: this.strings.list.slice(),
      sampleTypes: h.sampleTypes.map((t) => ({ ...t })),
      defaultSampleType: h.defaultSampleType ?? '',
      periodType: h.periodType ? { ...h.periodType } : null,
      period: h.period ?? 0,
      timeNanos: h.timeNanos ?? 0,
      durationNanos: h.durationNanos ?? 0,
      dropFrames: h.dropFrames ?? '',
      keepFrames: h.keepFrames ?? '',
      comments: h.comments?.slice() ?? [],
      mappings: {
        length: nMap,
        id: ids(nMap),
        memoryStart: fit(this.mapStart, nMap),
        memoryLimit: fit(this.mapLimit, nMap),
        fileOffset: fit(this.mapOffset, nMap),
        filename: fit(this.mapFile, nMap),
        buildId: fit(this.mapBuildId, nMap),
        flags: fit(this.mapFlags, nMap),
      },
      functions: {
        length: nFunc,
        id: ids(nFunc),
        name: fit(this.fnName, nFunc),
        systemName: fit(this.fnSystemName, nFunc),
        filename: fit(this.fnFile, nFunc),
        startLine: fit(this.fnStartLine, nFunc),
      },
      locations: {
        length: nLoc,
        id: ids(nLoc),
        mapping: fit(this.locMapping, nLoc),
        address: fit(this.locAddress, nLoc),
        isFolded: fit(this.locFolded, nLoc),
        lineStart: fit(this.locLineStart, nLoc + 1),
      },
      lines: {
        length: nLine,
        func: fit(this.lineFunc, nLine),
        line: fit(this.lineNo, nLine),
        column: fit(this.lineColumn, nLine),
      },
      stacks: this.stacks.finish(),
      samples: {
        length: nSample,
        stack: fit(this.sampleStack, nSample),
        values: fit(this.sampleValues, nSample * this.nTypes),
        labelStart: fit(this.labelStart, nSample + 1),
        labelKey: fit(this.labelKey, nLabel),
        labelStr: fit(this.labelStr, nLabel),
        labelNum: fit(this.labelNum, nLabel),
        labelUnit: fit(this.labelUnit, nLabel),
      },
    };
  }
}

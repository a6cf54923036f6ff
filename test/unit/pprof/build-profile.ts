// A tiny builder of columnar Profiles for unit tests of the semantics: stacks written root
// first as function names; a location with inlined frames is written as an array of names in
// profile order (innermost first, the real caller last).
import type { Profile } from '../../../core/pprof/model';

export type FrameSpec = string | string[];

export interface SampleSpec {
  /** Root first. */
  stack: FrameSpec[];
  values: number[];
  labels?: Record<string, string | string[]>;
  numLabels?: Record<string, [number, string?]>;
}

export interface ProfileSpec {
  sampleTypes: Array<[string, string]>;
  defaultSampleType?: string;
  samples: SampleSpec[];
  /** File of each function (default "<name>.go" with dots and slashes kept). */
  files?: Record<string, string>;
  startLines?: Record<string, number>;
  mappingFile?: string;
  dropFrames?: string;
  keepFrames?: string;
  periodType?: [string, string] | null;
  period?: number;
  durationNanos?: number;
  timeNanos?: number;
}

export function buildProfile(spec: ProfileSpec): Profile {
  const strings = [''];
  const sid = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = sid.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      sid.set(s, i);
    }
    return i;
  };
  const funcs: string[] = [];
  const fid = new Map<string, number>();
  const func = (name: string): number => {
    let i = fid.get(name);
    if (i === undefined) {
      i = funcs.length;
      funcs.push(name);
      fid.set(name, i);
    }
    return i;
  };
  const locs: number[][] = [];
  const lid = new Map<string, number>();
  const loc = (f: FrameSpec): number => {
    const names = typeof f === 'string' ? [f] : f;
    const key = names.join('|');
    let i = lid.get(key);
    if (i === undefined) {
      i = locs.length;
      locs.push(names.map(func));
      lid.set(key, i);
    }
    return i;
  };
  const stackFrame: number[] = [];
  const stackPrefix: number[] = [];
  const sKey = new Map<string, number>();
  const stackOf = (frames: FrameSpec[]): number => {
    let prefix = -1;
    for (const f of frames) {
      const l = loc(f);
      const k = `${prefix},${l}`;
      let s = sKey.get(k);
      if (s === undefined) {
        s = stackFrame.length;
        stackFrame.push(l);
        stackPrefix.push(prefix);
        sKey.set(k, s);
      }
      prefix = s;
    }
    return prefix;
  };
  const nt = spec.sampleTypes.length;
  const sampleStack: number[] = [];
  const values: number[] = [];
  const labelStart: number[] = [];
  const lk: number[] = [];
  const ls: number[] = [];
  const ln: number[] = [];
  const lu: number[] = [];
  for (const s of spec.samples) {
    if (s.values.length !== nt) throw new Error('values do not match sample types');
    sampleStack.push(stackOf(s.stack));
    values.push(...s.values);
    labelStart.push(lk.length);
    for (const [k, v] of Object.entries(s.labels ?? {})) {
      for (const one of Array.isArray(v) ? v : [v]) {
        lk.push(str(k));
        ls.push(str(one));
        ln.push(0);
        lu.push(0);
      }
    }
    for (const [k, [n, unit]] of Object.entries(s.numLabels ?? {})) {
      lk.push(str(k));
      ls.push(0);
      ln.push(n);
      lu.push(str(unit ?? ''));
    }
  }
  labelStart.push(lk.length);
  const lineFunc: number[] = [];
  const lineStart: number[] = [];
  for (const l of locs) {
    lineStart.push(lineFunc.length);
    lineFunc.push(...l);
  }
  lineStart.push(lineFunc.length);
  const mappingFile = spec.mappingFile ?? '/bin/app';
  const fnNames = funcs.map((n) => str(n));
  const fnFiles = funcs.map((n) => str(spec.files?.[n] ?? `${n.split('.')[0]}/${n}.go`));
  const p: Profile = {
    strings,
    sampleTypes: spec.sampleTypes.map(([type, unit]) => ({ type, unit })),
    defaultSampleType: spec.defaultSampleType ?? '',
    periodType:
      spec.periodType === undefined
        ? { type: spec.sampleTypes[nt - 1]![0], unit: spec.sampleTypes[nt - 1]![1] }
        : spec.periodType === null
          ? null
          : { type: spec.periodType[0], unit: spec.periodType[1] },
    period: spec.period ?? 1,
    timeNanos: spec.timeNanos ?? 0,
    durationNanos: spec.durationNanos ?? 0,
    dropFrames: spec.dropFrames ?? '',
    keepFrames: spec.keepFrames ?? '',
    comments: [],
    mappings: {
      length: 1,
      id: Float64Array.of(1),
      memoryStart: Float64Array.of(0x400000),
      memoryLimit: Float64Array.of(0x800000),
      fileOffset: Float64Array.of(0),
      filename: Int32Array.of(str(mappingFile)),
      buildId: Int32Array.of(str('')),
      flags: Uint8Array.of(15),
    },
    functions: {
      length: funcs.length,
      id: Float64Array.from(funcs.map((_, i) => i + 1)),
      name: Int32Array.from(fnNames),
      systemName: Int32Array.from(fnNames),
      filename: Int32Array.from(fnFiles),
      startLine: Float64Array.from(funcs.map((n) => spec.startLines?.[n] ?? 1)),
    },
    locations: {
      length: locs.length,
      id: Float64Array.from(locs.map((_, i) => i + 1)),
      mapping: new Int32Array(locs.length),
      address: Float64Array.from(locs.map((_, i) => 0x401000 + i * 16)),
      isFolded: new Uint8Array(locs.length),
      lineStart: Uint32Array.from(lineStart),
    },
    lines: {
      length: lineFunc.length,
      func: Int32Array.from(lineFunc),
      line: Float64Array.from(lineFunc.map((f, i) => 10 + f + i)),
      column: new Float64Array(lineFunc.length),
    },
    stacks: {
      length: stackFrame.length,
      frame: Int32Array.from(stackFrame),
      prefix: Int32Array.from(stackPrefix),
    },
    samples: {
      length: sampleStack.length,
      stack: Int32Array.from(sampleStack),
      values: Float64Array.from(values),
      labelStart: Uint32Array.from(labelStart),
      labelKey: Int32Array.from(lk),
      labelStr: Int32Array.from(ls),
      labelNum: Float64Array.from(ln),
      labelUnit: Int32Array.from(lu),
    },
  };
  return p;
}

/** Root-first function names of each sample (innermost-last within a location). */
export function sampleStacks(p: Profile): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < p.samples.length; i++) {
    const names: string[] = [];
    for (let s = p.samples.stack[i]!; s >= 0; s = p.stacks.prefix[s]!) {
      const loc = p.stacks.frame[s]!;
      const lines: string[] = [];
      for (let r = p.locations.lineStart[loc]!; r < p.locations.lineStart[loc + 1]!; r++) {
        const f = p.lines.func[r]!;
        lines.push(f >= 0 ? p.strings[p.functions.name[f]!]! : '??');
      }
      names.unshift(...lines.reverse());
    }
    out.push(names);
  }
  return out;
}

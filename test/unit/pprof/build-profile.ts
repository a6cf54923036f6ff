// Small columnar Profiles (through core/pprof/builder) for unit tests of the semantics: stacks written root
// first as function names; a location with inlined frames is written as an array of names in
// profile order (innermost first, the real caller last).
import { ProfileBuilder } from '../../../core/pprof/builder';
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
  const nt = spec.sampleTypes.length;
  const b = new ProfileBuilder({
    sampleTypes: spec.sampleTypes.map(([type, unit]) => ({ type, unit })),
    defaultSampleType: spec.defaultSampleType,
    periodType:
      spec.periodType === undefined
        ? { type: spec.sampleTypes[nt - 1][0], unit: spec.sampleTypes[nt - 1][1] }
        : spec.periodType && { type: spec.periodType[0], unit: spec.periodType[1] },
    period: spec.period ?? 1,
    timeNanos: spec.timeNanos,
    durationNanos: spec.durationNanos,
    dropFrames: spec.dropFrames,
    keepFrames: spec.keepFrames,
  });
  const mapping = b.mapping({
    memoryStart: 0x400000,
    memoryLimit: 0x800000,
    filename: spec.mappingFile ?? '/bin/app',
    flags: 15,
  });
  const func = (name: string): number =>
    b.func(
      name,
      spec.files?.[name] ?? `${name.split('.')[0]}/${name}.go`,
      spec.startLines?.[name] ?? 1,
    );
  const locs = new Map<string, number>();
  const loc = (f: FrameSpec): number => {
    const names = typeof f === 'string' ? [f] : f;
    const key = names.join('|');
    let l = locs.get(key);
    if (l === undefined) {
      const row = b.lineCount;
      const fns = names.map(func);
      l = b.location(
        fns.map((fn, i) => [fn, 10 + fn + row + i] as const),
        { mapping, address: 0x401000 + locs.size * 16 },
      );
      locs.set(key, l);
    }
    return l;
  };
  for (const s of spec.samples) {
    if (s.values.length !== nt) throw new Error('values do not match sample types');
    b.sample(b.stackOf(s.stack.map(loc)), s.values, {
      str: Object.entries(s.labels ?? {}).flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((one) => [k, one] as const),
      ),
      num: Object.entries(s.numLabels ?? {}).map(([k, [n, unit]]) => [k, n, unit] as const),
    });
  }
  return b.build();
}

/** Root-first function names of each sample (innermost-last within a location). */
export function sampleStacks(p: Profile): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < p.samples.length; i++) {
    const names: string[] = [];
    for (let s = p.samples.stack[i]; s >= 0; s = p.stacks.prefix[s]) {
      const loc = p.stacks.frame[s];
      const lines: string[] = [];
      for (let r = p.locations.lineStart[loc]; r < p.locations.lineStart[loc + 1]; r++) {
        const f = p.lines.func[r];
        lines.push(f >= 0 ? p.strings[p.functions.name[f]] : '??');
      }
      names.unshift(...lines.reverse());
    }
    out.push(names);
  }
  return out;
}

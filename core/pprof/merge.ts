// Merging profiles with pprof's identity rules (profile.Merge, CompatibilizeSampleTypes,
// measurement.ScaleProfiles), plus the value operations diff needs (ScaleN, Normalize,
// SetLabel).
//
// Identities in the merged profile:
//   mapping   size rounded up to 4 KiB, file offset, build id (or file when no build id)
//   function  name, system name, file name, start line
//   location  address relative to its mapping, mapping, Lines (function, line, column),
//             is_folded. (pprof's own key builder loses the column of all but the last Line
//             through an indexing slip; this one keeps every column.)
//   sample    its locations, string labels (sorted by key), numeric labels with units
// Samples with identical identity add their values; all-zero samples are dropped. Headers:
// the earliest non-zero time (pprof's exact loop), summed durations, the largest period,
// comments de-duplicated, the first default sample type and doc URL, the first profile's
// drop/keep frames. IDs are renumbered 1..n in order of first use, like pprof.
import { sameUnitFamily, scaleValue } from './format';
import type {
  Exact64,
  FunctionTable,
  LineTable,
  LocationTable,
  MappingTable,
  Profile,
  SampleTable,
  ValueType,
} from './model';
import { StackBuilder } from './profile-edit';
import { StringTable } from './string-table';
import { ReportError } from './report-error';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const U64 = (1n << 64n) - 1n;

function exactOf(col: Float64Array, map: Map<number, bigint> | undefined, row: number): bigint {
  const v = col[row];
  if (v > MAX_SAFE) {
    const e = map?.get(row);
    if (e !== undefined) return e;
  }
  return BigInt(Math.trunc(v));
}

/** Go's math.Round: halves away from zero. */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function sameType(a: ValueType | null, b: ValueType | null): boolean {
  if (a === null || b === null) return a === b;
  return a.type === b.type && a.unit === b.unit;
}

/** profile.compatible: same period type and identical sample types. */
export function checkCompatible(a: Profile, b: Profile): void {
  if (!sameType(a.periodType, b.periodType)) {
    throw new ReportError(
      'incompatible',
      `incompatible period types ${fmtType(a.periodType)} and ${fmtType(b.periodType)}`,
    );
  }
  const same =
    a.sampleTypes.length === b.sampleTypes.length &&
    a.sampleTypes.every((t, i) => sameType(t, b.sampleTypes[i]));
  if (!same) {
    throw new ReportError(
      'incompatible',
      `incompatible sample types ${fmtTypes(a.sampleTypes)} and ${fmtTypes(b.sampleTypes)}`,
    );
  }
}

function fmtType(t: ValueType | null): string {
  return t ? `${t.type}/${t.unit}` : 'none';
}

function fmtTypes(ts: ValueType[]): string {
  return `[${ts.map(fmtType).join(' ')}]`;
}

/**
 * ScaleN: multiplies sample type i by ratios[i] (rounded like Go) and keeps only samples
 * with a non-zero value among the rescaled types (pprof's rule: a type whose ratio is 1 does
 * not keep a sample alive).
 */
export function scaleSamples(p: Profile, ratios: number[]): Profile {
  const nt = p.sampleTypes.length;
  if (ratios.length !== nt) {
    throw new ReportError(
      'bad-option',
      `mismatched scale ratios, got ${ratios.length}, want ${nt}`,
    );
  }
  if (ratios.every((r) => r === 1)) return p;
  const s = p.samples;
  const values = new Float64Array(s.values.length);
  const keep = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    let alive = false;
    for (let t = 0; t < nt; t++) {
      const v = s.values[i * nt + t];
      if (ratios[t] === 1) {
        values[i * nt + t] = v;
        continue;
      }
      const r = goRound(v * ratios[t]);
      values[i * nt + t] = r === 0 ? 0 : r;
      if (r !== 0) alive = true;
    }
    keep[i] = alive ? 1 : 0;
  }
  const scaled: Profile = { ...p, samples: { ...s, values } };
  return keepSampleRows(scaled, keep);
}

/** A profile with only the sample rows keep[i] = 1 (stacks shared). */
function keepSampleRows(p: Profile, keep: Uint8Array): Profile {
  const s = p.samples;
  let all = true;
  for (let i = 0; i < s.length; i++) if (!keep[i]) all = false;
  if (all) return p;
  const nt = p.sampleTypes.length;
  let n = 0;
  let nl = 0;
  for (let i = 0; i < s.length; i++) {
    if (!keep[i]) continue;
    n++;
    nl += s.labelStart[i + 1] - s.labelStart[i];
  }
  const out: SampleTable = {
    length: n,
    stack: new Int32Array(n),
    values: new Float64Array(n * nt),
    labelStart: new Uint32Array(n + 1),
    labelKey: new Int32Array(nl),
    labelStr: new Int32Array(nl),
    labelNum: new Float64Array(nl),
    labelUnit: new Int32Array(nl),
  };
  let w = 0;
  let lw = 0;
  for (let i = 0; i < s.length; i++) {
    if (!keep[i]) continue;
    out.stack[w] = s.stack[i];
    out.values.set(s.values.subarray(i * nt, i * nt + nt), w * nt);
    out.labelStart[w] = lw;
    for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++, lw++) {
      out.labelKey[lw] = s.labelKey[l];
      out.labelStr[lw] = s.labelStr[l];
      out.labelNum[lw] = s.labelNum[l];
      out.labelUnit[lw] = s.labelUnit[l];
    }
    w++;
  }
  out.labelStart[w] = lw;
  return { ...p, samples: out };
}

/** Per sample type, the plain sum of values (profile.Normalize's totals). */
export function typeSums(p: Profile): number[] {
  const nt = p.sampleTypes.length;
  const sums = new Array<number>(nt).fill(0);
  const v = p.samples.values;
  for (let i = 0; i < p.samples.length; i++) for (let t = 0; t < nt; t++) sums[t] += v[i * nt + t];
  return sums;
}

/** profile.Normalize: scales `p` so each sample type sums like in `base`. */
export function normalizeTo(p: Profile, base: Profile): Profile {
  checkCompatible(p, base);
  const b = typeSums(base);
  const s = typeSums(p);
  return scaleSamples(
    p,
    b.map((bv, i) => (s[i] === 0 ? 0 : bv / s[i])),
  );
}

/** profile.SetLabel: every sample gets key = [value] (replacing that key's string values). */
export function setLabel(p: Profile, key: string, value: string): Profile {
  const strings = p.strings.slice();
  const idx = (str: string): number => {
    let i = strings.indexOf(str);
    if (i < 0) {
      i = strings.length;
      strings.push(str);
    }
    return i;
  };
  const k = idx(key);
  const v = idx(value);
  const s = p.samples;
  const n = s.length;
  const cap = s.labelKey.length + n;
  const out: SampleTable = {
    ...s,
    labelStart: new Uint32Array(n + 1),
    labelKey: new Int32Array(cap),
    labelStr: new Int32Array(cap),
    labelNum: new Float64Array(cap),
    labelUnit: new Int32Array(cap),
  };
  let w = 0;
  for (let i = 0; i < n; i++) {
    out.labelStart[i] = w;
    for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
      if (s.labelKey[l] === k && s.labelStr[l] !== 0) continue;
      out.labelKey[w] = s.labelKey[l];
      out.labelStr[w] = s.labelStr[l];
      out.labelNum[w] = s.labelNum[l];
      out.labelUnit[w] = s.labelUnit[l];
      w++;
    }
    out.labelKey[w] = k;
    out.labelStr[w] = v;
    w++;
  }
  out.labelStart[n] = w;
  out.labelKey = out.labelKey.slice(0, w);
  out.labelStr = out.labelStr.slice(0, w);
  out.labelNum = out.labelNum.slice(0, w);
  out.labelUnit = out.labelUnit.slice(0, w);
  return { ...p, strings, samples: out };
}

/**
 * CompatibilizeSampleTypes: keeps the sample types (by type name) all profiles share, in the
 * first profile's order.
 */
export function compatibilizeSampleTypes(ps: Profile[]): Profile[] {
  const count = new Map<string, number>();
  for (const p of ps)
    for (const t of p.sampleTypes) count.set(t.type, (count.get(t.type) ?? 0) + 1);
  const common = ps[0].sampleTypes.map((t) => t.type).filter((t) => count.get(t) === ps.length);
  if (common.length === 0) {
    throw new ReportError('incompatible', 'the profiles have no sample type in common');
  }
  return ps.map((p) => {
    let dflt = common[0];
    const remap = common.map((st) => {
      if (st === p.defaultSampleType) dflt = p.defaultSampleType;
      const i = p.sampleTypes.findIndex((t) => t.type === st);
      if (i < 0)
        throw new ReportError('incompatible', `"${st}" sample type is not found in profile`);
      return i;
    });
    if (remap.every((r, i) => r === i) && common.length === p.sampleTypes.length) return p;
    const ont = p.sampleTypes.length;
    const nt = common.length;
    const s = p.samples;
    const values = new Float64Array(s.length * nt);
    for (let i = 0; i < s.length; i++) {
      for (let t = 0; t < nt; t++) values[i * nt + t] = s.values[i * ont + remap[t]];
    }
    return {
      ...p,
      defaultSampleType: dflt,
      sampleTypes: remap.map((r) => ({ ...p.sampleTypes[r] })),
      samples: { ...s, values },
    };
  });
}

/** The finest of compatible value types (measurement.CommonValueType), or null. */
function commonValueType(ts: ValueType[]): ValueType | null {
  if (ts.length <= 1) return null;
  let min = ts[0];
  for (const t of ts.slice(1)) {
    const t1 = min.type.endsWith('s') ? min.type.slice(0, -1) : min.type;
    const t2 = t.type.endsWith('s') ? t.type.slice(0, -1) : t.type;
    if (t1 !== t2 || (min.unit !== t.unit && !sameUnitFamily(min.unit, t.unit))) {
      throw new ReportError('incompatible', `incompatible types: ${fmtType(min)} ${fmtType(t)}`);
    }
    if (scaleValue(1, t.unit, min.unit).value < 1) min = t;
  }
  return { ...min };
}

/** measurement.ScaleProfiles: converts every profile to the finest unit of each type. */
export function scaleToCommonUnits(ps: Profile[]): Profile[] {
  if (ps.length === 0) return ps;
  const periodTypes = ps.map((p) => p.periodType).filter((t): t is ValueType => t !== null);
  const periodType = commonValueType(periodTypes);
  const nt = ps[0].sampleTypes.length;
  for (const p of ps) {
    if (p.sampleTypes.length !== nt) {
      throw new ReportError(
        'incompatible',
        `inconsistent samples type count: ${nt} != ${p.sampleTypes.length}`,
      );
    }
  }
  const common: Array<ValueType | null> = [];
  for (let i = 0; i < nt; i++) common.push(commonValueType(ps.map((p) => p.sampleTypes[i])));
  return ps.map((p) => {
    let out = p;
    if (p.periodType && periodType && p.periodType.unit !== periodType.unit) {
      out = {
        ...out,
        period: Math.trunc(scaleValue(p.period, p.periodType.unit, periodType.unit).value),
        periodType: { type: p.periodType.type, unit: periodType.unit },
      };
    }
    const ratios = p.sampleTypes.map((st, i) =>
      common[i] ? scaleValue(1, st.unit, common[i].unit).value : 1,
    );
    const types = p.sampleTypes.map((st, i) =>
      common[i] ? { type: st.type, unit: common[i].unit } : st,
    );
    out = { ...out, sampleTypes: types };
    return scaleSamples(out, ratios);
  });
}

/** Columns being filled, as plain arrays (merge is not on a hot path). */
interface Building {
  mapping: {
    start: bigint[];
    limit: bigint[];
    offset: bigint[];
    file: number[];
    buildId: number[];
    flags: number[];
  };
  func: { name: number[]; system: number[]; file: number[]; startLine: number[] };
  loc: { mapping: number[]; address: bigint[]; folded: number[]; lineStart: number[] };
  line: { func: number[]; line: number[]; column: number[] };
}

function combineHeaders(
  srcs: Profile[],
): Omit<
  Profile,
  'mappings' | 'functions' | 'locations' | 'lines' | 'stacks' | 'samples' | 'strings'
> {
  for (const s of srcs.slice(1)) checkCompatible(srcs[0], s);
  let timeNanos = 0;
  let durationNanos = 0;
  let period = 0;
  const comments: string[] = [];
  const seen = new Set<string>();
  let dflt = '';
  let docUrl = '';
  let exactTime: bigint | undefined;
  for (const s of srcs) {
    if (timeNanos === 0 || s.timeNanos < timeNanos) {
      timeNanos = s.timeNanos;
      exactTime = s.exact?.timeNanos;
    }
    durationNanos += s.durationNanos;
    if (period === 0 || period < s.period) period = s.period;
    for (const c of s.comments) {
      if (!seen.has(c)) {
        seen.add(c);
        comments.push(c);
      }
    }
    if (dflt === '') dflt = s.defaultSampleType;
    if (docUrl === '') docUrl = s.docUrl ?? '';
  }
  const first = srcs[0];
  const header: ReturnType<typeof combineHeaders> = {
    sampleTypes: first.sampleTypes.map((t) => ({ ...t })),
    defaultSampleType: dflt,
    periodType: first.periodType ? { ...first.periodType } : null,
    period,
    timeNanos,
    durationNanos,
    dropFrames: first.dropFrames,
    keepFrames: first.keepFrames,
    comments,
  };
  if (docUrl !== '') header.docUrl = docUrl;
  if (exactTime !== undefined && Number(exactTime) === timeNanos)
    header.exact = { timeNanos: exactTime };
  return header;
}

/** profile.Merge of profiles with identical sample and period types. */
function mergeRaw(srcs: Profile[]): Profile {
  if (srcs.length === 0) throw new ReportError('bad-option', 'no profiles to merge');
  const header = combineHeaders(srcs);
  const strings = new StringTable();
  const b: Building = {
    mapping: { start: [], limit: [], offset: [], file: [], buildId: [], flags: [] },
    func: { name: [], system: [], file: [], startLine: [] },
    loc: { mapping: [], address: [], folded: [], lineStart: [] },
    line: { func: [], line: [], column: [] },
  };
  const mappingIds = new Map<string, number>();
  const functionIds = new Map<string, number>();
  const locationIds = new Map<string, number>();
  const stacks = new StackBuilder(1024);
  const nt = header.sampleTypes.length;
  const sampleIds = new Map<string, number>();
  const sampleStack: number[] = [];
  const sampleValues: number[] = [];
  const sampleLabels: Array<Array<[number, number, number, number]>> = [];

  for (const src of srcs) {
    const str = (i: number): string => src.strings[i] ?? '';
    const mapInfo = new Int32Array(src.mappings.length).fill(-1);
    const mapDelta: bigint[] = new Array<bigint>(src.mappings.length).fill(0n);
    const mapMapping = (m: number): number => {
      if (m < 0) return -1;
      if (mapInfo[m] >= 0) return mapInfo[m];
      const M = src.mappings;
      const start = exactOf(M.memoryStart, src.exact?.memoryStart, m);
      const limit = exactOf(M.memoryLimit, src.exact?.memoryLimit, m);
      const offset = exactOf(M.fileOffset, src.exact?.fileOffset, m);
      let size = (limit - start) & U64;
      size = (size + 0xfffn) & U64;
      size -= size % 0x1000n;
      const buildId = str(M.buildId[m]);
      const file = str(M.filename[m]);
      const key = `${size}|${offset}|${buildId !== '' ? buildId : file}`;
      const found = mappingIds.get(key);
      if (found !== undefined) {
        mapInfo[m] = found;
        mapDelta[m] = b.mapping.start[found] - start;
        return found;
      }
      const id = b.mapping.start.length;
      b.mapping.start.push(start);
      b.mapping.limit.push(limit);
      b.mapping.offset.push(offset);
      b.mapping.file.push(strings.id(file));
      b.mapping.buildId.push(strings.id(buildId));
      b.mapping.flags.push(M.flags[m]);
      mappingIds.set(key, id);
      mapInfo[m] = id;
      return id;
    };
    const funcInfo = new Int32Array(src.functions.length).fill(-1);
    const mapFunction = (f: number): number => {
      if (f < 0) return -1;
      if (funcInfo[f] >= 0) return funcInfo[f];
      const F = src.functions;
      const name = str(F.name[f]);
      const system = str(F.systemName[f]);
      const file = str(F.filename[f]);
      const startLine = F.startLine[f];
      const key = `${startLine}\u0000${name}\u0000${system}\u0000${file}`;
      let id = functionIds.get(key);
      if (id === undefined) {
        id = b.func.name.length;
        b.func.name.push(strings.id(name));
        b.func.system.push(strings.id(system));
        b.func.file.push(strings.id(file));
        b.func.startLine.push(startLine);
        functionIds.set(key, id);
      }
      funcInfo[f] = id;
      return id;
    };
    const locInfo = new Int32Array(src.locations.length).fill(-1);
    const mapLocation = (loc: number): number => {
      if (locInfo[loc] >= 0) return locInfo[loc];
      const L = src.locations;
      const m = mapMapping(L.mapping[loc]);
      let address = exactOf(L.address, src.exact?.address, loc);
      if (m >= 0) address = (address + mapDelta[L.mapping[loc]]) & U64;
      const lineRows: Array<[number, number, number]> = [];
      for (let r = L.lineStart[loc]; r < L.lineStart[loc + 1]; r++) {
        lineRows.push([mapFunction(src.lines.func[r]), src.lines.line[r], src.lines.column[r]]);
      }
      const rel = m >= 0 ? (address - b.mapping.start[m]) & U64 : address;
      const key = `${rel}|${m}|${L.isFolded[loc]}|${lineRows.map((l) => l.join(',')).join(';')}`;
      let id = locationIds.get(key);
      if (id === undefined) {
        id = b.loc.mapping.length;
        b.loc.mapping.push(m);
        b.loc.address.push(address);
        b.loc.folded.push(L.isFolded[loc]);
        b.loc.lineStart.push(b.line.func.length);
        for (const [fn, line, column] of lineRows) {
          b.line.func.push(fn);
          b.line.line.push(line);
          b.line.column.push(column);
        }
        locationIds.set(key, id);
      }
      locInfo[loc] = id;
      return id;
    };
    if (mappingIds.size === 0 && src.mappings.length > 0) mapMapping(0);

    const S = src.samples;
    const snt = src.sampleTypes.length;
    const newStack = new Int32Array(src.stacks.length).fill(-2);
    const visited = new Uint8Array(src.stacks.length);
    const stackOf = (leaf: number): number => {
      if (leaf < 0) return -1;
      // Locations are first mapped leaf to root (pprof's order of first use) ...
      for (let s = leaf; s >= 0 && !visited[s]; s = src.stacks.prefix[s]) {
        visited[s] = 1;
        mapLocation(src.stacks.frame[s]);
      }
      // ... and the stack is interned root to leaf.
      const path: number[] = [];
      let s = leaf;
      while (s >= 0 && newStack[s] === -2) {
        path.push(s);
        s = src.stacks.prefix[s];
      }
      let parent = s >= 0 ? newStack[s] : -1;
      for (let i = path.length - 1; i >= 0; i--) {
        const e = path[i];
        parent = stacks.intern(parent, locInfo[src.stacks.frame[e]]);
        newStack[e] = parent;
      }
      return newStack[leaf];
    };
    for (let i = 0; i < S.length; i++) {
      let zero = true;
      for (let t = 0; t < snt; t++) if (S.values[i * snt + t] !== 0) zero = false;
      if (zero) continue;
      const st = stackOf(S.stack[i]);
      // Labels in the sample key: string labels by sorted key (values in order), then numeric
      // labels by sorted key with their units.
      const labels: Array<[number, number, number, number]> = [];
      const strL: Array<[string, string]> = [];
      const numL: Array<[string, number, string]> = [];
      for (let l = S.labelStart[i]; l < S.labelStart[i + 1]; l++) {
        const key = str(S.labelKey[l]);
        if (S.labelStr[l] !== 0) {
          strL.push([key, str(S.labelStr[l])]);
          labels.push([strings.id(key), strings.id(str(S.labelStr[l])), 0, 0]);
        } else if (S.labelNum[l] !== 0 || S.labelUnit[l] !== 0) {
          numL.push([key, S.labelNum[l], str(S.labelUnit[l])]);
          labels.push([strings.id(key), 0, S.labelNum[l], strings.id(str(S.labelUnit[l]))]);
        }
      }
      const byKey = <T extends [string, ...unknown[]]>(a: T, c: T): number =>
        a[0] < c[0] ? -1 : a[0] > c[0] ? 1 : 0;
      const key = `${st}|${JSON.stringify(strL.sort(byKey))}|${JSON.stringify(numL.sort(byKey))}`;
      const found = sampleIds.get(key);
      if (found !== undefined) {
        for (let t = 0; t < nt; t++) sampleValues[found * nt + t] += S.values[i * snt + t];
        continue;
      }
      const id = sampleStack.length;
      sampleIds.set(key, id);
      sampleStack.push(st);
      for (let t = 0; t < nt; t++) sampleValues.push(S.values[i * snt + t]);
      sampleLabels.push(labels);
    }
  }
  return build(header, strings.list, b, stacks, sampleStack, sampleValues, sampleLabels);
}

function build(
  header: ReturnType<typeof combineHeaders>,
  strings: string[],
  b: Building,
  stacks: StackBuilder,
  sampleStack: number[],
  sampleValues: number[],
  sampleLabels: Array<Array<[number, number, number, number]>>,
): Profile {
  const exact: Exact64 = { ...(header.exact ?? {}) };
  const num = (
    values: bigint[],
    field: 'address' | 'memoryStart' | 'memoryLimit' | 'fileOffset',
  ): Float64Array => {
    const out = new Float64Array(values.length);
    values.forEach((v, i) => {
      out[i] = Number(v);
      if (v > BigInt(MAX_SAFE)) {
        const m = (exact[field] ??= new Map<number, bigint>());
        m.set(i, v);
      }
    });
    return out;
  };
  const nm = b.mapping.start.length;
  const mappings: MappingTable = {
    length: nm,
    id: Float64Array.from({ length: nm }, (_, i) => i + 1),
    memoryStart: num(b.mapping.start, 'memoryStart'),
    memoryLimit: num(b.mapping.limit, 'memoryLimit'),
    fileOffset: num(b.mapping.offset, 'fileOffset'),
    filename: Int32Array.from(b.mapping.file),
    buildId: Int32Array.from(b.mapping.buildId),
    flags: Uint8Array.from(b.mapping.flags),
  };
  const nf = b.func.name.length;
  const functions: FunctionTable = {
    length: nf,
    id: Float64Array.from({ length: nf }, (_, i) => i + 1),
    name: Int32Array.from(b.func.name),
    systemName: Int32Array.from(b.func.system),
    filename: Int32Array.from(b.func.file),
    startLine: Float64Array.from(b.func.startLine),
  };
  const nl = b.loc.mapping.length;
  const locations: LocationTable = {
    length: nl,
    id: Float64Array.from({ length: nl }, (_, i) => i + 1),
    mapping: Int32Array.from(b.loc.mapping),
    address: num(b.loc.address, 'address'),
    isFolded: Uint8Array.from(b.loc.folded),
    lineStart: Uint32Array.from([...b.loc.lineStart, b.line.func.length]),
  };
  const lines: LineTable = {
    length: b.line.func.length,
    func: Int32Array.from(b.line.func),
    line: Float64Array.from(b.line.line),
    column: Float64Array.from(b.line.column),
  };
  const ns = sampleStack.length;
  let nlab = 0;
  for (const l of sampleLabels) nlab += l.length;
  const samples: SampleTable = {
    length: ns,
    stack: Int32Array.from(sampleStack),
    values: Float64Array.from(sampleValues),
    labelStart: new Uint32Array(ns + 1),
    labelKey: new Int32Array(nlab),
    labelStr: new Int32Array(nlab),
    labelNum: new Float64Array(nlab),
    labelUnit: new Int32Array(nlab),
  };
  let w = 0;
  sampleLabels.forEach((labels, i) => {
    samples.labelStart[i] = w;
    for (const [k, s, n, u] of labels) {
      samples.labelKey[w] = k;
      samples.labelStr[w] = s;
      samples.labelNum[w] = n;
      samples.labelUnit[w] = u;
      w++;
    }
  });
  samples.labelStart[ns] = w;
  const { exact: _drop, ...rest } = header;
  void _drop;
  const out: Profile = {
    ...rest,
    strings,
    mappings,
    functions,
    locations,
    lines,
    stacks: stacks.finish(),
    samples,
  };
  if (Object.keys(exact).length > 0) out.exact = exact;
  return out;
}

/**
 * Merges profiles like `go tool pprof A B ...`: common sample types, common units, then
 * profile.Merge (which also drops samples that sum to zero and compacts the tables).
 */
/**
 * The header fields (types, period, times, drop_frames, default type...) mergeProfiles(ps)
 * would give, with its compatibility errors, without merging any table.
 */
export function mergedHeader(ps: Profile[]): ReturnType<typeof combineHeaders> {
  if (ps.length === 0) throw new ReportError('bad-option', 'no profiles to merge');
  return combineHeaders(scaleToCommonUnits(compatibilizeSampleTypes(ps)));
}

export function mergeProfiles(ps: Profile[]): Profile {
  if (ps.length === 0) throw new ReportError('bad-option', 'no profiles to merge');
  const ready = scaleToCommonUnits(compatibilizeSampleTypes(ps));
  let merged = mergeRaw(ready);
  const nt = merged.sampleTypes.length;
  const v = merged.samples.values;
  let anyZero = false;
  for (let i = 0; i < merged.samples.length && !anyZero; i++) {
    let zero = true;
    for (let t = 0; t < nt; t++) if (v[i * nt + t] !== 0) zero = false;
    anyZero = zero;
  }
  // pprof merges once more to garbage-collect what only zero samples used.
  if (anyZero) merged = mergeRaw([merged]);
  return merged;
}

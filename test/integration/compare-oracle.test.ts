// Oracle for every number the Compare tab shows, on the committed before/after fixtures of the
// real Go target, every kind and every sample type:
//   - the diff top table (the compare Worker's rows): Δ flat, Δ cum and Δ% equal
//     `go tool pprof -top -diff_base=BEFORE AFTER` (and with -normalize for the share mode);
//     base and new columns equal the pprof::base / other samples of `-raw -diff_base`;
//   - the side-by-side and diff flame graphs (the union call tree): before and after total and
//     self of every call path equal sums over the samples of `-raw -diff_base`.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import type { CompareParams } from '../../renderer/src/worker/compare-protocol';
import { CompareSession } from '../../renderer/src/worker/compare-session';
import { NO_FILTERS } from '../../renderer/src/worker/protocol';
import { fmtPctOf } from '../../renderer/src/components/compare/format-compare';
import { findGo } from '../helpers/go-target';
import {
  FIXTURE_KINDS,
  fixturePath,
  isBaseSample,
  oracleNodes,
  parseRaw,
  runPprof,
  type RawProfile,
} from '../helpers/pprof-raw';

const counts = { tables: 0, topRows: 0, rawRows: 0, paths: 0 };

beforeAll(() => {
  findGo();
});

afterAll(() => {
  console.log(
    `compare oracle: ${counts.tables} diff tables, ${counts.topRows} -top rows (Δ and Δ%), ${counts.rawRows} base/new rows against -raw, ${counts.paths} call paths of the union tree`,
  );
});

interface TopRow {
  flat: number;
  flatPct: string;
  cum: number;
  cumPct: string;
}

/** `go tool pprof -top` rows in unscaled units: name -> flat, flat%, cum, cum%. */
function parseTop(text: string): Map<string, TopRow> {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(l));
  if (head < 0) throw new Error(`no table header in go tool pprof -top output:\n${text}`);
  const out = new Map<string, TopRow>();
  for (const line of lines.slice(head + 1)) {
    if (line.trim() === '') continue;
    const m =
      /^\s*(-?\d+)[A-Za-z]*\s+(\S+%)\s+\S+%\s+(-?\d+)[A-Za-z]*\s+(\S+%)\s+(.+?)( \(inline\))?$/.exec(
        line,
      );
    if (!m) throw new Error(`cannot parse go tool pprof -top row: ${JSON.stringify(line)}`);
    out.set(m[5], { flat: Number(m[1]), flatPct: m[2], cum: Number(m[3]), cumPct: m[4] });
  }
  return out;
}

function unitFlag(unit: string): string[] {
  if (unit === 'nanoseconds') return ['-unit=ns'];
  if (unit === 'bytes') return ['-unit=B'];
  return [];
}

const unsigned = (s: string): string => s.replace(/^[+−-]/, '');

const params = (sampleType: string, over: Partial<CompareParams> = {}): CompareParams => ({
  sampleType,
  granularity: 'functions',
  filters: { ...NO_FILTERS },
  normalization: 'absolute',
  matching: 'exact',
  pivot: '',
  ...over,
});

/** Per call path (function names, inlined frames marked), the two sides' total and self. */
function oraclePaths(
  raw: RawProfile,
  index: number,
): Map<string, { bt: number; nt: number; bs: number; ns: number }> {
  const out = new Map<string, { bt: number; nt: number; bs: number; ns: number }>();
  for (const s of raw.samples) {
    const v = s.values[index];
    if (v === 0) continue;
    const base = isBaseSample(s);
    const w = base ? -v : v;
    let key = '';
    const touch = (k: string) => {
      let e = out.get(k);
      if (!e) out.set(k, (e = { bt: 0, nt: 0, bs: 0, ns: 0 }));
      if (base) e.bt += w;
      else e.nt += w;
      return e;
    };
    let leaf: ReturnType<typeof touch> | null = null;
    for (let li = s.locations.length - 1; li >= 0; li--) {
      const loc = raw.locations.get(s.locations[li])!;
      const lines = loc.lines.length ? loc.lines : [null];
      for (let k = lines.length - 1; k >= 0; k--) {
        const line = lines[k];
        const file = raw.mappings.get(loc.mapping)?.file ?? '';
        // A nameless frame is named after its binary, as pprof names it.
        const name =
          line && line.func ? line.func : file ? `[${file.split('/').pop()}]` : '<unknown>';
        key += `\u0000${k < lines.length - 1 ? 'i:' : ''}${name}`;
        leaf = touch(key);
      }
    }
    if (leaf) {
      if (base) leaf.bs += w;
      else leaf.ns += w;
    }
  }
  return out;
}

describe.each(FIXTURE_KINDS)('%s', (kind) => {
  let session: CompareSession;
  let raw: RawProfile;
  let types: { type: string; unit: string }[];
  const B = () => fixturePath('before', kind);
  const A = () => fixturePath('after', kind);

  beforeAll(() => {
    const bytes = (p: string) => {
      const b = readFileSync(p);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    };
    session = new CompareSession(
      bytes(B()),
      bytes(A()),
      { name: 'before', kind },
      { name: 'after', kind },
    );
    types = decodeProfile(new Uint8Array(readFileSync(B()))).sampleTypes;
    raw = parseRaw(runPprof(['-raw', `-diff_base=${B()}`, A()]));
  });

  it('diff table: Δ flat, Δ cum and Δ% equal go tool pprof -top -diff_base (and -normalize)', () => {
    for (const t of types) {
      for (const normalize of [false, true]) {
        const top = session.topWindow({
          params: params(t.type, { normalization: normalize ? 'share' : 'absolute' }),
          filter: '',
          sort: 'deltaCum',
          dir: 'desc',
          offset: 0,
          limit: 1_000_000,
        });
        const text = runPprof([
          '-top',
          '-nodecount=1000000',
          '-nodefraction=0',
          '-edgefraction=0',
          `-sample_index=${t.type}`,
          ...unitFlag(t.unit),
          ...(normalize ? ['-normalize'] : []),
          `-diff_base=${B()}`,
          A(),
        ]);
        const want = parseTop(text);
        const got = new Map(
          top.names.map((n, i) => [
            n,
            {
              flat: top.afterFlat[i] - top.beforeFlat[i],
              cum: top.afterCum[i] - top.beforeCum[i],
            },
          ]),
        );
        for (const [name, w] of want) {
          const g = got.get(name);
          expect(
            g,
            `${kind} ${t.type}: ${name} is in pprof's -top but not in the diff table`,
          ).toBeDefined();
          expect({ flat: g!.flat, cum: g!.cum }, `${kind} ${t.type} ${name}`).toEqual({
            flat: w.flat,
            cum: w.cum,
          });
          // Δ% as the table prints it (sign aside) is pprof's column, character for character.
          expect(unsigned(fmtPctOf(g!.flat, top.pprofTotal)), `${name} flat%`).toBe(w.flatPct);
          expect(unsigned(fmtPctOf(g!.cum, top.pprofTotal)), `${name} cum%`).toBe(w.cumPct);
          counts.topRows++;
        }
        // What pprof leaves out has no net change.
        for (const [name, g] of got)
          if (!want.has(name)) expect({ name, ...g }).toEqual({ name, flat: 0, cum: 0 });
        counts.tables++;
      }
    }
  });

  it('diff table: before and after columns equal the two sides of -raw -diff_base', () => {
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      const base = new Map(
        [...oracleNodes(raw, i, 'functions', { select: isBaseSample }).values()].map((n) => [
          n.name,
          n,
        ]),
      );
      const next = new Map(
        [...oracleNodes(raw, i, 'functions', { select: (s) => !isBaseSample(s) }).values()].map(
          (n) => [n.name, n],
        ),
      );
      const top = session.topWindow({
        params: params(t.type),
        filter: '',
        sort: 'name',
        dir: 'asc',
        offset: 0,
        limit: 1_000_000,
      });
      const names = new Set([...base.keys(), ...next.keys()]);
      expect(new Set(top.names)).toEqual(names);
      top.names.forEach((name, k) => {
        const b = base.get(name);
        const n = next.get(name);
        expect(
          {
            bf: top.beforeFlat[k],
            bc: top.beforeCum[k],
            nf: top.afterFlat[k],
            nc: top.afterCum[k],
          },
          `${kind} ${t.type} ${name}`,
        ).toEqual({
          bf: b ? 0 - b.flat : 0,
          bc: b ? 0 - b.cum : 0,
          nf: n?.flat ?? 0,
          nc: n?.cum ?? 0,
        });
        counts.rawRows++;
      });
    }
  });

  it('flame graphs: before/after total and self of every call path equal -raw -diff_base', () => {
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      const want = oraclePaths(raw, i);
      const trees = session.build(params(t.type));
      const key = new Array<string>(trees.nodeCount);
      key[0] = '';
      const got = new Map<string, { bt: number; nt: number; bs: number; ns: number }>();
      for (let id = 1; id < trees.nodeCount; id++) {
        const info = session.node(id);
        const parent = info.path.length > 1 ? info.path[info.path.length - 2].id : 0;
        key[id] = `${key[parent]}\u0000${info.inlined ? 'i:' : ''}${info.name}`;
        got.set(key[id], {
          bt: info.beforeTotal,
          nt: info.afterTotal,
          bs: info.beforeSelf,
          ns: info.afterSelf,
        });
      }
      expect(got.size, `${kind} ${t.type}: the union tree has one node per call path`).toBe(
        trees.nodeCount - 1,
      );
      const nonZero = [...got].filter(([, v]) => v.bt !== 0 || v.nt !== 0);
      expect(new Map(nonZero), `${kind} ${t.type}`).toEqual(want);
      const root = session.node(0);
      expect(root.beforeTotal).toBe(trees.beforeTotal);
      counts.paths += want.size;
    }
  });
});

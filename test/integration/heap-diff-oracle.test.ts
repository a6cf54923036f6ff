// Oracle for the heap diff: heapDiffByFunction(before, after) on the committed heap fixtures
// against Go's own pprof, for all four heap measures, exactly:
//   - `go tool pprof -raw -diff_base=BEFORE AFTER`: base samples carry pprof::base=true and
//     negated values, so base, new and delta flat/cum of every function come from one dump;
//   - `go tool pprof -top -diff_base=BEFORE AFTER` (every node, unscaled units): the delta
//     flat and cum of every row pprof prints.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import { HEAP_MEASURES, heapDiffByFunction, type HeapDiff } from '../../core/pprof/heap-diff';
import { findGo } from '../helpers/go-target';
import {
  fixturePath,
  isBaseSample,
  oracleNodes,
  parseRaw,
  runPprof,
  type OracleNode,
  type RawProfile,
} from '../helpers/pprof-raw';

interface Side {
  flat: number;
  cum: number;
}

let diff: HeapDiff;
let raw: RawProfile;
const counts = { rows: 0, topRows: 0 };

function byName(m: Map<string, OracleNode>): Map<string, Side> {
  return new Map([...m.values()].map((n) => [n.name, { flat: n.flat, cum: n.cum }]));
}

/** The rows of `-top` with every node shown: name -> flat, cum (integers, unit suffix cut). */
function parseTop(text: string): Map<string, Side> {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(l));
  if (head < 0) throw new Error(`no table header in go tool pprof -top output:\n${text}`);
  const out = new Map<string, Side>();
  for (const line of lines.slice(head + 1)) {
    if (line.trim() === '') continue;
    const m =
      /^\s*(-?\d+)[A-Za-z]*\s+\S+%\s+\S+%\s+(-?\d+)[A-Za-z]*\s+\S+%\s+(.+?)( \(inline\))?$/.exec(
        line,
      );
    if (!m) throw new Error(`cannot parse go tool pprof -top row: ${JSON.stringify(line)}`);
    out.set(m[3], { flat: Number(m[1]), cum: Number(m[2]) });
  }
  return out;
}

beforeAll(() => {
  findGo();
  const read = (side: 'before' | 'after') =>
    decodeProfile(new Uint8Array(readFileSync(fixturePath(side, 'heap'))));
  diff = heapDiffByFunction(read('before'), read('after'));
  raw = parseRaw(
    runPprof(['-raw', `-diff_base=${fixturePath('before', 'heap')}`, fixturePath('after', 'heap')]),
  );
});

afterAll(() => {
  console.log(
    `heap diff oracle: ${counts.rows} function x measure values checked against -raw, ${counts.topRows} -top rows`,
  );
});

describe('heapDiffByFunction on test/fixtures/{before,after}/heap.pb.gz', () => {
  it('has base samples in the -raw -diff_base dump and the four heap measures', () => {
    expect(raw.samples.some(isBaseSample)).toBe(true);
    expect(raw.samples.some((s) => !isBaseSample(s))).toBe(true);
    expect(raw.sampleTypes.map((t) => t.type).sort()).toEqual([...HEAP_MEASURES].sort());
    expect(diff.rows.length).toBeGreaterThan(10);
  });

  describe.each(HEAP_MEASURES)('%s', (measure) => {
    it('base, new and delta flat/cum of every function equal -raw -diff_base', () => {
      const index = raw.sampleTypes.findIndex((t) => t.type === measure);
      expect(index).toBeGreaterThanOrEqual(0);
      const base = byName(oracleNodes(raw, index, 'functions', { select: isBaseSample }));
      const next = byName(
        oracleNodes(raw, index, 'functions', { select: (s) => !isBaseSample(s) }),
      );
      const rows = new Map(diff.rows.map((r) => [r.name, r]));
      // Every function pprof has on either side is a row of ours.
      const names = new Set([...base.keys(), ...next.keys()]);
      for (const name of names) expect(rows.has(name), name).toBe(true);
      let nonZero = 0;
      for (const [name, r] of rows) {
        // pprof negates the base samples of -diff_base; 0 - x keeps +0 for absent nodes.
        const b = base.get(name);
        const n = next.get(name);
        const want = {
          base: { flat: b ? 0 - b.flat : 0, cum: b ? 0 - b.cum : 0 },
          next: { flat: n?.flat ?? 0, cum: n?.cum ?? 0 },
        };
        const got = {
          base: { flat: r.flat.base[measure], cum: r.cum.base[measure] },
          next: { flat: r.flat.next[measure], cum: r.cum.next[measure] },
        };
        expect(got, `${measure} ${name}`).toEqual(want);
        expect(r.flat.delta[measure], `${measure} ${name} flat delta`).toBe(
          want.next.flat - want.base.flat,
        );
        expect(r.cum.delta[measure], `${measure} ${name} cum delta`).toBe(
          want.next.cum - want.base.cum,
        );
        if (r.flat.delta[measure] !== 0 || r.cum.delta[measure] !== 0) nonZero++;
        counts.rows++;
      }
      // Something changed between the two runs, or this test would prove little.
      expect(nonZero).toBeGreaterThan(0);
      // Totals: the sum of flat on each side.
      const sum = (m: Map<string, Side>) => [...m.values()].reduce((a, v) => a + v.flat, 0);
      expect(diff.totals.base[measure]).toBe(0 - sum(base));
      expect(diff.totals.next[measure]).toBe(sum(next));
    });

    it('delta flat and cum of every row equal go tool pprof -top -diff_base', () => {
      const text = runPprof([
        '-top',
        '-nodecount=1000000',
        '-nodefraction=0',
        '-edgefraction=0',
        `-sample_index=${measure}`,
        '-unit=B',
        `-diff_base=${fixturePath('before', 'heap')}`,
        fixturePath('after', 'heap'),
      ]);
      const top = parseTop(text);
      expect(top.size).toBeGreaterThan(5);
      const rows = new Map(diff.rows.map((r) => [r.name, r]));
      for (const [name, want] of top) {
        const r = rows.get(name);
        expect(r, `${measure}: ${name} is in pprof's -top but not in the heap diff`).toBeDefined();
        expect({ flat: r!.flat.delta[measure], cum: r!.cum.delta[measure] }, name).toEqual(want);
        counts.topRows++;
      }
      // Rows pprof does not print have nothing to show for this measure.
      for (const [name, r] of rows) {
        if (top.has(name)) continue;
        expect({ flat: r.flat.delta[measure], cum: r.cum.delta[measure] }, name).toEqual({
          flat: 0,
          cum: 0,
        });
      }
    });
  });
});

// Oracle for diffs: our base/new rows against `go tool pprof -raw -diff_base BEFORE AFTER`
// (base samples carry pprof::base=true and negative values) and `-raw -base BEFORE AFTER`
// (merged, net values), for every fixture kind and sample type; and the whole
// `go tool pprof -top -diff_base/-base` text (totals and percentages) on our merged profile.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import { combineForDiff, diffTable, type BaseMode } from '../../core/pprof/diff';
import type { Profile } from '../../core/pprof/model';
import { prepareProfile } from '../../core/pprof/report';
import { topTable } from '../../core/pprof/top';
import { formatTopText } from '../../core/pprof/top-text';
import { findGo } from '../helpers/go-target';
import {
  FIXTURE_KINDS,
  fixturePath,
  removeFixtureSnapshot,
  isBaseSample,
  oracleNodes,
  parseRaw,
  runPprof,
} from '../helpers/pprof-raw';

const counts = { comparisons: 0, rows: 0, texts: 0 };

beforeAll(() => {
  findGo();
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(
    `oracle diff: ${counts.comparisons} (kind x mode x sample type) comparisons, ${counts.rows} rows, ${counts.texts} -top texts identical`,
  );
});

describe.each(FIXTURE_KINDS)('%s', (kind) => {
  let before: Profile;
  let after: Profile;
  const B = (): string => fixturePath('before', kind);
  const A = (): string => fixturePath('after', kind);
  beforeAll(() => {
    before = decodeProfile(new Uint8Array(readFileSync(B())));
    after = decodeProfile(new Uint8Array(readFileSync(A())));
  });

  it('-diff_base: base and new flat/cum of every function, every sample type', () => {
    const raw = parseRaw(runPprof(['-raw', `-diff_base=${B()}`, A()]));
    expect(raw.samples.some(isBaseSample)).toBe(true);
    for (let i = 0; i < before.sampleTypes.length; i++) {
      const byName = (m: ReturnType<typeof oracleNodes>) =>
        new Map([...m.values()].map((n) => [n.name, n]));
      const base = byName(oracleNodes(raw, i, 'functions', { select: isBaseSample }));
      const next = byName(oracleNodes(raw, i, 'functions', { select: (s) => !isBaseSample(s) }));
      const d = diffTable(before, after, { sampleIndex: i });
      const got = new Map(d.rows.map((r) => [r.name, r]));
      const names = new Set([...base.keys(), ...next.keys()]);
      expect([...got.keys()].sort()).toEqual([...names].sort());
      for (const name of names) {
        const b = base.get(name);
        const n = next.get(name);
        expect(got.get(name), `${kind} ${i} ${name}`).toEqual({
          name,
          baseFlat: b ? 0 - b.flat + 0 : 0,
          baseCum: b ? 0 - b.cum + 0 : 0,
          newFlat: n ? n.flat : 0,
          newCum: n ? n.cum : 0,
        });
      }
      counts.comparisons++;
      counts.rows += got.size;
    }
  });

  it('-base: net flat/cum (new - base) of every function, every sample type', () => {
    const raw = parseRaw(runPprof(['-raw', `-base=${B()}`, A()]));
    expect(raw.samples.some(isBaseSample)).toBe(false);
    for (let i = 0; i < before.sampleTypes.length; i++) {
      const net = oracleNodes(raw, i, 'functions');
      const d = diffTable(before, after, { sampleIndex: i, mode: 'base' });
      const got = new Map<string, { flat: number; cum: number }>();
      for (const r of d.rows) {
        const flat = r.newFlat - r.baseFlat;
        const cum = r.newCum - r.baseCum;
        if (flat !== 0 || cum !== 0) got.set(r.name, { flat, cum });
      }
      const expected = new Map(
        [...net.values()].map((n) => [n.name, { flat: n.flat, cum: n.cum }]),
      );
      expect(got, `${kind} sample type ${i}`).toEqual(expected);
      counts.comparisons++;
      counts.rows += got.size;
    }
  });

  it.each([
    ['diff_base', false],
    ['base', false],
    ['diff_base', true],
  ] as Array<[BaseMode, boolean]>)(
    '-top -%s (normalize %s) text is identical',
    (mode, normalize) => {
      for (let i = 0; i < before.sampleTypes.length; i++) {
        const merged = combineForDiff(before, after, mode, normalize);
        const prep = prepareProfile(merged, { sampleIndex: i });
        const text = formatTopText(
          prep.profile,
          topTable(prep, { nodeFraction: 0.005, inlineLabels: true }),
        );
        const flags = [
          `-${mode}=${B()}`,
          `-sample_index=${i}`,
          ...(normalize ? ['-normalize'] : []),
        ];
        expect(text).toBe(runPprof(['-top', ...flags, A()]));
        // The diff table's denominator is the one in that header.
        expect(diffTable(before, after, { sampleIndex: i, mode, normalize }).pprofTotal).toBe(
          prep.total,
        );
        counts.texts++;
      }
    },
  );
});

// Oracle: our flat and cum per node equal the numbers computed from `go tool pprof -raw`
// for every fixture kind (before and after), every sample type and every granularity; and
// our `-top` text equals `go tool pprof -top` byte for byte.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import type { Granularity } from '../../core/pprof/granularity';
import type { Profile } from '../../core/pprof/model';
import { prepareProfile, type ReportOptions } from '../../core/pprof/report';
import { topTable } from '../../core/pprof/top';
import { formatTopText } from '../../core/pprof/top-text';
import { findGo } from '../helpers/go-target';
import {
  FIXTURE_KINDS,
  fixturePath,
  removeFixtureSnapshot,
  oracleNodes,
  parseRaw,
  rawTotal,
  runPprof,
  type RawGranularity,
  type RawProfile,
} from '../helpers/pprof-raw';

const counts = { comparisons: 0, rows: 0, texts: 0 };

beforeAll(() => {
  findGo(); // fails with a clear message when Go is missing
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(
    `oracle: ${counts.comparisons} (file x sample type x granularity) comparisons, ${counts.rows} node rows, ${counts.texts} -top texts identical`,
  );
});

/** Our rows as sorted "name flat cum" lines (a multiset: files granularity repeats names). */
function ourRows(p: Profile, opts: ReportOptions, index: number): string[] {
  const t = topTable(prepareProfile(p, { ...opts, sampleIndex: index }), {
    granularity: opts.granularity,
    noInlines: opts.noInlines,
  });
  return t.rows.map((r) => `${r.name} ${r.flat} ${r.cum}`).sort();
}

function oracleRows(
  raw: RawProfile,
  index: number,
  g: RawGranularity,
  noInlines = false,
): string[] {
  return [...oracleNodes(raw, index, g, { noInlines }).values()]
    .map((n) => `${n.name} ${n.flat} ${n.cum}`)
    .sort();
}

/** Compares every sample type of one file at one granularity; returns rows compared. */
export function compareAllTypes(
  p: Profile,
  raw: RawProfile,
  opts: ReportOptions,
  noInlines = false,
): void {
  expect(raw.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(
    p.sampleTypes.map((t) => `${t.type}/${t.unit}`),
  );
  for (let i = 0; i < p.sampleTypes.length; i++) {
    const g = (opts.granularity ?? 'functions') as RawGranularity;
    const expected = oracleRows(raw, i, g, noInlines);
    const got = ourRows(p, { ...opts, noInlines }, i);
    expect(got, `sample type ${i} (${p.sampleTypes[i]!.type}) at ${g}`).toEqual(expected);
    counts.comparisons++;
    counts.rows += got.length;
  }
}

describe.each(['before', 'after'] as const)('%s fixtures', (side) => {
  describe.each(FIXTURE_KINDS)('%s', (kind) => {
    const file = fixturePath(side, kind);
    let profile: Profile;
    let raw: RawProfile;
    beforeAll(() => {
      profile = decodeProfile(new Uint8Array(readFileSync(file)));
      raw = parseRaw(runPprof(['-raw', file]));
    });

    it('has samples to compare', () => {
      expect(raw.samples.length).toBeGreaterThan(0);
      expect(profile.samples.length).toBe(raw.samples.length);
    });

    it.each(['functions', 'filefunctions', 'files', 'lines'] as Granularity[])(
      'flat/cum of every node, every sample type, at %s',
      (granularity) => {
        compareAllTypes(profile, raw, { granularity });
      },
    );

    it('flat/cum with -noinlines', () => {
      const rawNoInl = parseRaw(runPprof(['-raw', '-noinlines', file]));
      // -raw -noinlines prints the locations already cut to their last Line.
      for (const loc of rawNoInl.locations.values())
        expect(loc.lines.length).toBeLessThanOrEqual(1);
      compareAllTypes(profile, rawNoInl, {}, true);
    });

    it('total = sum of |values| for every sample type', () => {
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        expect(prepareProfile(profile, { sampleIndex: i }).total).toBe(rawTotal(raw, i));
      }
    });

    it('-top text is identical for every sample type', () => {
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        const prep = prepareProfile(profile, { sampleIndex: i });
        const ours = formatTopText(
          prep.profile,
          topTable(prep, { nodeFraction: 0.005, inlineLabels: true }),
          prep.activeFilters,
        );
        expect(ours).toBe(runPprof(['-top', `-sample_index=${i}`, file]));
        counts.texts++;
      }
    });

    it.each([
      ['lines', ['-lines', '-nodefraction=0']],
      ['filefunctions', ['-filefunctions', '-nodecount=15']],
      ['addresses', ['-addresses', '-nodecount=25']],
    ] as Array<[Granularity, string[]]>)('-top text is identical at %s', (granularity, flags) => {
      const prep = prepareProfile(profile);
      const nodeFraction = flags.includes('-nodefraction=0') ? 0 : 0.005;
      const nodeCount = flags.includes('-nodecount=15')
        ? 15
        : flags.includes('-nodecount=25')
          ? 25
          : 0;
      const ours = formatTopText(
        prep.profile,
        topTable(prep, { granularity, nodeFraction, nodeCount, inlineLabels: true }),
      );
      expect(ours).toBe(runPprof(['-top', ...flags, file]));
      counts.texts++;
    });
  });
});

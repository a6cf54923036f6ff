// Oracle for the filters: `go tool pprof -raw` applies pprof's own focus/ignore/hide/...
// before printing, so flat/cum from its samples must equal ours with the same options, for
// every sample type. focus, ignore and hide run on every fixture (before and after); the
// other filters on the "before" fixtures.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import type { Profile } from '../../core/pprof/model';
import { prepareProfile, type ReportOptions } from '../../core/pprof/report';
import { topTable } from '../../core/pprof/top';
import { formatTopText } from '../../core/pprof/top-text';
import { findGo } from '../helpers/go-target';
import {
  FIXTURE_KINDS,
  fixturePath,
  oracleNodes,
  parseRaw,
  removeFixtureSnapshot,
  runPprof,
} from '../helpers/pprof-raw';

interface FilterCase {
  name: string;
  opts: ReportOptions;
  flags: string[];
  sides: Array<'before' | 'after'>;
}

const both: Array<'before' | 'after'> = ['before', 'after'];
const CASES: FilterCase[] = [
  { name: 'focus', opts: { focus: 'main\\.' }, flags: ['-focus=main\\.'], sides: both },
  { name: 'ignore', opts: { ignore: 'runtime\\.' }, flags: ['-ignore=runtime\\.'], sides: both },
  { name: 'hide', opts: { hide: 'runtime\\.' }, flags: ['-hide=runtime\\.'], sides: both },
  {
    name: 'focus+ignore+hide',
    opts: {
      focus: 'main|json',
      ignore: 'gopark',
      hide: '^runtime\\.(mallocgc|memmove)$|json/scanner',
    },
    flags: [
      '-focus=main|json',
      '-ignore=gopark',
      '-hide=^runtime\\.(mallocgc|memmove)$|json/scanner',
    ],
    sides: both,
  },
  {
    name: 'show',
    opts: { show: 'main\\.|encoding/json' },
    flags: ['-show=main\\.|encoding/json'],
    sides: ['before'],
  },
  {
    name: 'show_from',
    opts: { showFrom: 'main\\.\\(\\*service\\)' },
    flags: ['-show_from=main\\.\\(\\*service\\)'],
    sides: ['before'],
  },
  {
    name: 'tagfocus (key=values)',
    opts: { tagFocus: 'tenant=acme,globex' },
    flags: ['-tagfocus=tenant=acme,globex'],
    sides: ['before'],
  },
  {
    name: 'tagignore',
    opts: { tagIgnore: 'pool=orders' },
    flags: ['-tagignore=pool=orders'],
    sides: ['before'],
  },
  {
    name: 'tagfocus (numeric range)',
    opts: { tagFocus: '1kb:' },
    flags: ['-tagfocus=1kb:'],
    sides: ['before'],
  },
  {
    name: 'prune_from',
    opts: { pruneFrom: 'json' },
    flags: ['-prune_from=json'],
    sides: ['before'],
  },
  {
    name: 'case-insensitive focus + noinlines',
    opts: { focus: '(?i)HASH|SCORE', noInlines: true },
    flags: ['-focus=(?i)HASH|SCORE', '-noinlines'],
    sides: ['before'],
  },
];

const counts = { comparisons: 0, rows: 0, texts: 0 };

beforeAll(() => {
  findGo();
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(
    `oracle filters: ${counts.comparisons} (file x filter x sample type) comparisons, ${counts.rows} node rows, ${counts.texts} -top texts identical`,
  );
});

describe.each(FIXTURE_KINDS)('%s', (kind) => {
  const profiles = new Map<string, Profile>();
  beforeAll(() => {
    for (const side of both) {
      profiles.set(side, decodeProfile(new Uint8Array(readFileSync(fixturePath(side, kind)))));
    }
  });

  it.each(CASES)('$name', ({ opts, flags, sides }) => {
    for (const side of sides) {
      const file = fixturePath(side, kind);
      const p = profiles.get(side)!;
      const raw = parseRaw(runPprof(['-raw', ...flags, file]));
      for (let i = 0; i < p.sampleTypes.length; i++) {
        const expected = [
          ...oracleNodes(raw, i, 'functions', { noInlines: opts.noInlines }).values(),
        ]
          .map((n) => `${n.name} ${n.flat} ${n.cum}`)
          .sort();
        const prep = prepareProfile(p, { ...opts, sampleIndex: i });
        const got = topTable(prep, { noInlines: opts.noInlines })
          .rows.map((r) => `${r.name} ${r.flat} ${r.cum}`)
          .sort();
        expect(got, `${side} ${kind} sample type ${i}`).toEqual(expected);
        counts.comparisons++;
        counts.rows += got.length;
      }
      // The text report too (pprof's total stays the unfiltered one).
      const prep = prepareProfile(p, opts);
      const text = formatTopText(
        prep.profile,
        topTable(prep, { nodeFraction: 0.005, inlineLabels: true, noInlines: opts.noInlines }),
        prep.activeFilters,
      );
      expect(text).toBe(runPprof(['-top', ...flags, file]));
      counts.texts++;
    }
  });
});

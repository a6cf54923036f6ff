// Oracle for the filters: `go tool pprof -top` applies pprof's own focus/ignore/hide/...
// before printing, so every row it prints (every node, exact unit) must equal ours with the
// same options, for every sample type; and its default -top text ours byte for byte.
// focus, ignore and hide run on every fixture (before and after); the other filters on the
// "before" fixtures. Every case must select samples: a case whose rows are empty fails.
// A tag filter runs only on the kinds whose samples carry that tag: Go's runtime writes
// labels on cpu and goroutine samples and a numeric "bytes" tag on heap and allocs samples,
// and nothing on mutex, block and threadcreate samples (no tag can select them; tagignore
// keeps them all, which the tagignore case checks).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import type { Profile } from '../../core/pprof/model';
import { prepareProfile, type ReportOptions } from '../../core/pprof/report';
import { topTable } from '../../core/pprof/top';
import { formatTopText } from '../../core/pprof/top-text';
import { findGo } from '../helpers/go-target';
import { printedTop } from '../helpers/pprof-printed';
import {
  FIXTURE_KINDS,
  fixturePath,
  removeFixtureSnapshot,
  runPprof,
  type FixtureKind,
} from '../helpers/pprof-raw';

interface FilterCase {
  name: string;
  opts: ReportOptions;
  flags: string[];
  sides: Array<'before' | 'after'>;
  /** The kinds it runs on (default: all). */
  kinds?: FixtureKind[];
}

const both: Array<'before' | 'after'> = ['before', 'after'];
const CASES: FilterCase[] = [
  {
    name: 'focus',
    opts: { focus: 'main\\.|runtime\\.newm$' },
    flags: ['-focus=main\\.|runtime\\.newm$'],
    sides: both,
  },
  {
    name: 'ignore',
    opts: { ignore: 'runtime\\.gopark|encoding/json' },
    flags: ['-ignore=runtime\\.gopark|encoding/json'],
    sides: both,
  },
  { name: 'hide', opts: { hide: 'runtime\\.' }, flags: ['-hide=runtime\\.'], sides: both },
  {
    name: 'focus+ignore+hide',
    opts: {
      focus: 'main|json|newm',
      ignore: 'gopark',
      hide: '^runtime\\.(mallocgc|memmove)$|json/scanner',
    },
    flags: [
      '-focus=main|json|newm',
      '-ignore=gopark',
      '-hide=^runtime\\.(mallocgc|memmove)$|json/scanner',
    ],
    sides: both,
  },
  {
    name: 'show',
    opts: { show: 'main\\.|encoding/json|runtime\\.allocm' },
    flags: ['-show=main\\.|encoding/json|runtime\\.allocm'],
    sides: ['before'],
  },
  {
    name: 'show_from',
    opts: { showFrom: 'main\\.\\(\\*service\\)|runtime\\.newm$' },
    flags: ['-show_from=main\\.\\(\\*service\\)|runtime\\.newm$'],
    sides: ['before'],
  },
  {
    name: 'tagfocus (key=values)',
    opts: { tagFocus: 'tenant=acme,globex' },
    flags: ['-tagfocus=tenant=acme,globex'],
    sides: ['before'],
    kinds: ['cpu'],
  },
  {
    name: 'tagfocus (goroutine labels)',
    opts: { tagFocus: 'component=outbox' },
    flags: ['-tagfocus=component=outbox'],
    sides: ['before'],
    kinds: ['goroutine'],
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
    kinds: ['heap', 'allocs'],
  },
  {
    name: 'tagfocus (numeric key=range) + tagignore',
    opts: { tagFocus: 'bytes=:64kb', tagIgnore: 'bytes=16b:48b' },
    flags: ['-tagfocus=bytes=:64kb', '-tagignore=bytes=16b:48b'],
    sides: ['before'],
    kinds: ['heap', 'allocs'],
  },
  {
    name: 'prune_from',
    opts: { pruneFrom: 'json' },
    flags: ['-prune_from=json'],
    sides: ['before'],
  },
  {
    name: 'case-insensitive focus + noinlines',
    opts: { focus: '(?i)HASH|SCORE|RECEIPT|RESERVE|AUDIT|AWAITACK|NEWM', noInlines: true },
    flags: ['-focus=(?i)HASH|SCORE|RECEIPT|RESERVE|AUDIT|AWAITACK|NEWM', '-noinlines'],
    sides: ['before'],
  },
];

const counts = { comparisons: 0, rows: 0, texts: 0, cases: 0 };

beforeAll(() => {
  findGo();
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(
    `oracle filters: ${counts.cases} non-empty (file x filter) cases, ${counts.comparisons} exact -top tables (file x filter x sample type), ${counts.rows} node rows, ${counts.texts} -top texts identical`,
  );
});

describe.each(FIXTURE_KINDS)('%s', (kind) => {
  const profiles = new Map<string, Profile>();
  beforeAll(() => {
    for (const side of both) {
      profiles.set(side, decodeProfile(new Uint8Array(readFileSync(fixturePath(side, kind)))));
    }
  });

  it.each(CASES.filter((c) => !c.kinds || c.kinds.includes(kind)))(
    '$name',
    ({ opts, flags, sides }) => {
      for (const side of sides) {
        const file = fixturePath(side, kind);
        const p = profiles.get(side)!;
        let selected = 0;
        for (let i = 0; i < p.sampleTypes.length; i++) {
          const exact = printedTop(file, p.sampleTypes[i], i, flags);
          const prep = prepareProfile(p, { ...opts, sampleIndex: i });
          const table = topTable(prep, {
            noInlines: opts.noInlines,
            nodeCount: 0,
            nodeFraction: 0,
            edgeFraction: 0,
            inlineLabels: true,
          });
          expect(
            table.rows.map((r, k) => `${r.name} ${table.inline[k]} ${r.flat} ${r.cum}`),
            `${side} ${kind} sample type ${i}`,
          ).toEqual(exact.map((r) => `${r.name} ${r.inline} ${r.flat} ${r.cum}`));
          counts.comparisons++;
          counts.rows += exact.length;
          selected += exact.length;
        }
        expect(selected, `${side} ${kind}: the filter selects nothing`).toBeGreaterThan(0);
        // The default text report too (pprof's total stays the unfiltered one).
        const prep = prepareProfile(p, opts);
        const text = formatTopText(
          prep.profile,
          topTable(prep, { nodeFraction: 0.005, inlineLabels: true, noInlines: opts.noInlines }),
          prep.activeFilters,
        );
        expect(text).toBe(runPprof(['-top', ...flags, file]));
        counts.texts++;
        counts.cases++;
      }
    },
  );
});

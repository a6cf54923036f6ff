// Oracle: Go's printed reports, compared directly (no re-derivation on the test side).
// For every fixture (before and after), every sample type and every granularity:
//  - our -top text equals `go tool pprof -top -nodecount=0 -nodefraction=0 -edgefraction=0`
//    byte for byte (every node, including those under 0.5%);
//  - the same report printed with an exact unit (-unit=ns / -unit=B) equals our rows: name,
//    inline mark, flat and cum, in Go's order;
//  - the stacks Go prints with -traces equal our decoded samples (labels, value, frames);
//  - the callers and callees Go prints with -peek equal our sandwich's first level.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import type { Granularity } from '../../core/pprof/granularity';
import type { Profile } from '../../core/pprof/model';
import { prepareProfile } from '../../core/pprof/report';
import { buildSandwich } from '../../core/pprof/sandwich';
import { formatTopText } from '../../core/pprof/top-text';
import { topTable } from '../../core/pprof/top';
import type { CallTree } from '../../core/pprof/tree';
import { findGo } from '../helpers/go-target';
import {
  ALL_NODES,
  printedPeek,
  printedTop,
  ourTraces,
  printedTraces,
  traceKey,
} from '../helpers/pprof-printed';
import { FIXTURE_KINDS, fixturePath, removeFixtureSnapshot, runPprof } from '../helpers/pprof-raw';

const GRANULARITIES: Granularity[] = ['functions', 'filefunctions', 'files', 'lines'];
const counts = { texts: 0, tables: 0, rows: 0, traces: 0, stacks: 0, peeks: 0, edges: 0 };

beforeAll(() => {
  findGo();
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(
    `oracle printed: ${counts.texts} -top texts identical, ${counts.tables} exact -top tables (${counts.rows} rows), ` +
      `${counts.traces} -traces reports (${counts.stacks} stacks), ${counts.peeks} -peek reports (${counts.edges} caller/callee edges)`,
  );
});

/** name -> total of a sandwich tree's nodes one level below the function. */
function firstLevel(t: CallTree): Map<string, number> {
  const out = new Map<string, number>();
  const fnNodes = new Set<number>();
  for (let i = 1; i < t.length; i++) if (t.parent[i] === 0) fnNodes.add(i);
  for (let i = 1; i < t.length; i++) {
    if (!fnNodes.has(t.parent[i])) continue;
    const name = t.names[t.name[i]];
    out.set(name, (out.get(name) ?? 0) + t.total[i]);
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

const sortIf = (sort: boolean, l: string[]): string[] => (sort ? [...l].sort() : l);

describe.each(['before', 'after'] as const)('%s fixtures', (side) => {
  describe.each(FIXTURE_KINDS)('%s', (kind) => {
    const file = fixturePath(side, kind);
    let profile: Profile;
    beforeAll(() => {
      profile = decodeProfile(new Uint8Array(readFileSync(file)));
    });

    it.each(GRANULARITIES)('-top of every node at %s, every sample type', (granularity) => {
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        const t = profile.sampleTypes[i];
        const prep = prepareProfile(profile, { sampleIndex: i });
        const table = topTable(prep, {
          granularity,
          nodeCount: 0,
          nodeFraction: 0,
          edgeFraction: 0,
          inlineLabels: true,
        });
        const what = `${side} ${kind} ${t.type} at ${granularity}`;
        expect(table.rows.length, `${what}: no rows to compare`).toBeGreaterThan(0);
        const go = runPprof(['-top', ...ALL_NODES, `-sample_index=${i}`, `-${granularity}`, file]);
        const ours = formatTopText(prep.profile, table, prep.activeFilters);
        // At files granularity pprof keeps one node per (file, start line, ...) but prints only
        // the file, and orders equal names by a comparison that calls them neither less nor
        // greater: their order changes from run to run of Go's own tool (its nodes come from a
        // map). Equal-flat rows share their sum%, so the multiset of rows is still exact.
        // Rows are compared without their sum% (which follows the order), the sum% column as
        // a sorted list of its own.
        const tied =
          granularity === 'files'
            ? (l: string[]): string[] => {
                const row = /^(\s*\S+\s+\S+%)\s+(\S+%)(.*)$/;
                const rows = l.map((x) => row.exec(x));
                return [
                  ...l.filter((_, k) => !rows[k]),
                  ...rows.flatMap((m) => (m ? [`${m[1]}${m[3]}`] : [])).sort(),
                  ...rows.flatMap((m) => (m ? [m[2]] : [])).sort(),
                ];
              }
            : (l: string[]): string[] => l;
        expect(tied(ours.split('\n')), what).toEqual(tied(go.split('\n')));
        counts.texts++;
        const exact = printedTop(file, t, i, [`-${granularity}`]);
        expect(
          sortIf(
            granularity === 'files',
            table.rows.map((r, k) => `${r.name} ${table.inline[k]} ${r.flat} ${r.cum}`),
          ),
          what,
        ).toEqual(
          sortIf(
            granularity === 'files',
            exact.map((r) => `${r.name} ${r.inline} ${r.flat} ${r.cum}`),
          ),
        );
        counts.tables++;
        counts.rows += exact.length;
      }
    });

    it('-top of every node with -noinlines, every sample type', () => {
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        const t = profile.sampleTypes[i];
        const prep = prepareProfile(profile, { sampleIndex: i, noInlines: true });
        const table = topTable(prep, { noInlines: true, nodeCount: 0, nodeFraction: 0 });
        const exact = printedTop(file, t, i, ['-noinlines']);
        expect(exact.length).toBeGreaterThan(0);
        expect(table.rows.map((r) => `${r.name} ${r.flat} ${r.cum}`)).toEqual(
          exact.map((r) => `${r.name} ${r.flat} ${r.cum}`),
        );
        counts.tables++;
        counts.rows += exact.length;
      }
    });

    it('-traces: every stack, label and value, every sample type', () => {
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        const go = printedTraces(file, profile.sampleTypes[i], i);
        expect(go.length, 'Go printed no stacks').toBeGreaterThan(0);
        // -traces prints no sample without a stack.
        const ours = ourTraces(profile, i).filter((t) => t.frames.length > 0);
        expect(ours.map(traceKey).sort()).toEqual(go.map(traceKey).sort());
        counts.traces++;
        counts.stacks += go.length;
      }
    });

    it('-peek: flat, cum, callers and callees of every function, every sample type', () => {
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        const go = printedPeek(file, profile.sampleTypes[i], i);
        // pprof's edges count a caller->callee pair once per sample wherever it sits on the
        // stack; the sandwich counts a sample once, at the function's outermost occurrence.
        // They agree for a function that never recurs; Go's -traces tells which ones do.
        const recursive = new Set<string>();
        for (const t of printedTraces(file, profile.sampleTypes[i], i)) {
          const names = t.frames.map((f) => f.replace(/ \(inline\)$/, ''));
          names.forEach((n, k) => {
            if (names.indexOf(n) !== k) recursive.add(n);
          });
        }
        let compared = 0;
        for (const node of go.values()) {
          if (node.cum === 0 && node.flat === 0) continue;
          const s = buildSandwich(profile, node.name, { sampleIndex: i });
          expect([s.flat, s.cum], node.name).toEqual([node.flat, node.cum]);
          if (recursive.has(node.name)) continue;
          const callers = new Map([...node.callers].filter(([n]) => !recursive.has(n)));
          const callees = new Map([...node.callees].filter(([n]) => !recursive.has(n)));
          const ours = (m: Map<string, number>): Map<string, number> =>
            new Map([...m].filter(([n]) => !recursive.has(n)));
          expect(ours(firstLevel(s.callers)), `callers of ${node.name}`).toEqual(callers);
          expect(ours(firstLevel(s.callees)), `callees of ${node.name}`).toEqual(callees);
          compared++;
          counts.edges += callers.size + callees.size;
        }
        expect(compared, 'no function compared').toBeGreaterThan(0);
        counts.peeks++;
      }
    });
  });
});

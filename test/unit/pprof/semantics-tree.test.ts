// The call tree merged by path, and the callers/callees (sandwich) of one function.
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../../core/pprof/calltree';
import { buildSandwich } from '../../../core/pprof/sandwich';
import type { CallTree } from '../../../core/pprof/tree';
import { buildProfile, type ProfileSpec } from './build-profile';

const spec: ProfileSpec = {
  sampleTypes: [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ],
  samples: [
    { stack: ['main', 'a', 'walk', 'walk', 'leaf'], values: [1, 10] },
    { stack: ['main', 'a', 'walk'], values: [1, 5] },
    { stack: ['main', 'b', ['hash', 'score']], values: [1, 7] },
    { stack: ['main', 'b', 'walk'], values: [1, 3] },
    { stack: ['main'], values: [1, 1] },
  ],
};

/** "path: self/total[i]" lines, depth first in the tree's sibling order. */
function dump(t: CallTree): string[] {
  const out: string[] = [];
  const visit = (n: number, path: string): void => {
    for (let c = t.firstChild[n]; c < t.firstChild[n] + t.childCount[n]; c++) {
      const p = path ? `${path}>${t.names[t.name[c]]}` : t.names[t.name[c]];
      out.push(`${p}: ${t.self[c]}/${t.total[c]}${t.inlined[c] ? ' i' : ''}`);
      visit(c, p);
    }
  };
  visit(0, '');
  return out;
}

function checkShape(t: CallTree): void {
  expect(t.parent[0]).toBe(-1);
  for (let i = 1; i < t.length; i++) {
    expect(t.parent[i]).toBeLessThan(i);
    expect(t.depth[i]).toBe(t.depth[t.parent[i]] + 1);
  }
  for (let i = 0; i < t.length; i++) {
    let sum = t.self[i];
    for (let c = t.firstChild[i]; c < t.firstChild[i] + t.childCount[i]; c++) {
      expect(t.parent[c]).toBe(i);
      sum += t.total[c];
    }
    expect(t.total[i]).toBe(sum);
  }
}

describe('buildCallTree', () => {
  it('merges by path, inlined frames are flagged nodes, siblings largest first', () => {
    const t = buildCallTree(buildProfile(spec));
    checkShape(t);
    expect(t.sampleType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(t.total[0]).toBe(26);
    expect(dump(t)).toEqual([
      'main: 1/26',
      'main>a: 0/15',
      'main>a>walk: 5/15',
      'main>a>walk>walk: 0/10',
      'main>a>walk>walk>leaf: 10/10',
      'main>b: 0/10',
      'main>b>score: 0/7',
      'main>b>score>hash: 7/7 i',
      'main>b>walk: 3/3',
    ]);
  });

  it('honours sample index, granularity and filters', () => {
    const t = buildCallTree(buildProfile(spec), {
      sampleIndex: 'samples',
      hide: '^walk$',
      granularity: 'filefunctions',
    });
    checkShape(t);
    expect(dump(t)).toEqual([
      'main main/main.go: 1/5',
      'main main/main.go>a a/a.go: 1/2',
      'main main/main.go>a a/a.go>leaf leaf/leaf.go: 1/1',
      'main main/main.go>b b/b.go: 1/2',
      'main main/main.go>b b/b.go>score score/score.go: 0/1',
      'main main/main.go>b b/b.go>score score/score.go>hash hash/hash.go: 1/1 i',
    ]);
    expect(t.names[t.file[1]]).toBe('main/main.go');
  });
});

describe('buildSandwich', () => {
  it('counts the outermost occurrence of a recursive function once', () => {
    const s = buildSandwich(buildProfile(spec), 'walk');
    expect(s).toMatchObject({ found: true, flat: 8, cum: 18 });
    checkShape(s.callees);
    checkShape(s.callers);
    expect(dump(s.callees)).toEqual(['walk: 8/18', 'walk>walk: 0/10', 'walk>walk>leaf: 10/10']);
    expect(dump(s.callers)).toEqual([
      'walk: 0/18',
      'walk>a: 0/15',
      'walk>a>main: 15/15',
      'walk>b: 0/3',
      'walk>b>main: 3/3',
    ]);
  });

  it('walks callers through the outer Lines of an inlined frame', () => {
    const s = buildSandwich(buildProfile(spec), 'hash');
    expect(dump(s.callers)).toEqual([
      'hash: 0/7 i',
      'hash>score: 0/7',
      'hash>score>b: 0/7',
      'hash>score>b>main: 7/7',
    ]);
    expect(buildSandwich(buildProfile(spec), 'nope').found).toBe(false);
  });
});

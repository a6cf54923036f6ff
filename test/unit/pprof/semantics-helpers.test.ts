// The small pieces under the semantics: the pair hash, Go path cleaning, the stack walk.
import { describe, expect, it } from 'vitest';
import { stackWalk } from '../../../core/pprof/aggregate';
import { basePath, cleanPath, reportFileName } from '../../../core/pprof/go-path';
import { PairMap } from '../../../core/pprof/pair-map';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import { buildProfile } from './build-profile';

describe('PairMap', () => {
  it('gives dense ids, finds them again across growth, handles -1 and large keys', () => {
    const m = new PairMap(4);
    const keys: Array<[number, number]> = [];
    for (let a = -1; a < 300; a++) for (let b = 0; b < 40; b += 7) keys.push([a, b * 100_003]);
    keys.forEach(([a, b], i) => expect(m.intern(a, b)).toBe(i));
    expect(m.size).toBe(keys.length);
    keys.forEach(([a, b], i) => expect(m.get(a, b)).toBe(i));
    expect(m.get(5, 1)).toBe(-1);
    expect(m.intern(-1, 0)).toBe(0);
  });
});

describe('Go paths', () => {
  it('cleans like filepath.Clean and trims /proc/self/cwd like pprof', () => {
    expect(cleanPath('')).toBe('.');
    expect(cleanPath('a/./b/../c//d/')).toBe('a/c/d');
    expect(cleanPath('/../x')).toBe('/x');
    expect(cleanPath('../../x/..')).toBe('../..');
    expect(reportFileName('/proc/self/cwd/./main.go')).toBe('main.go');
    expect(reportFileName('/proc/self/cwd/pkg/a.go')).toBe('pkg/a.go');
    expect(reportFileName('')).toBe('');
    expect(basePath('/usr/bin/orders')).toBe('orders');
    expect(basePath('orders/')).toBe('orders');
  });
});

describe('stackWalk', () => {
  it('lays the used stack entries out in depth-first preorder with subtree values', () => {
    const p = buildProfile({
      sampleTypes: [['samples', 'count']],
      samples: [
        { stack: ['a', 'b', 'c'], values: [1] },
        { stack: ['d'], values: [10] },
        { stack: ['a', 'e'], values: [100] },
        { stack: ['a', 'b'], values: [0] }, // zero: not counted
        { stack: ['z', 'y'], values: [0] }, // a path used by no counted sample
      ],
    });
    const w = stackWalk(p, resolveSampleIndex(p, 0));
    const name = (loc: number): string =>
      p.strings[p.functions.name[p.lines.func[p.locations.lineStart[loc]]]];
    expect(Array.from(w.loc, name)).toEqual(['a', 'b', 'c', 'e', 'd']);
    expect(Array.from(w.value)).toEqual([101, 1, 1, 100, 10]);
    expect(Array.from(w.end)).toEqual([4, 3, 3, 4, 5]);
  });
});

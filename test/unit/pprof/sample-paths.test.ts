// The decoder's two ways of holding sample stacks (core/pprof/sample-paths.ts): interned into
// the stack table while stacks share their prefixes, a flat location column once they do not.
// Either way the profile reads the same.
import { describe, expect, it } from 'vitest';
import { aggregateNodes } from '../../../core/pprof/aggregate';
import { decodeProfile } from '../../../core/pprof/decode';
import { encodeProfile } from '../../../core/pprof/encode';
import { computeFrameKeys } from '../../../core/pprof/granularity';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import { buildStacks, samplePaths } from '../../../core/pprof/sample-paths';
import { buildProfile, sampleStacks, type SampleSpec } from './build-profile';

/** `n` samples 24 frames deep over `funcs` functions: shared when `funcs` is small. */
function profileBytes(n: number, funcs: number): Uint8Array {
  let seed = 12345;
  const rnd = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  const samples: SampleSpec[] = [];
  for (let i = 0; i < n; i++) {
    const stack = ['main.main'];
    for (let d = 1; d < 24; d++) stack.push(`pkg.f${rnd(funcs)}`);
    samples.push({ stack, values: [1 + rnd(9)] });
  }
  return encodeProfile(buildProfile({ sampleTypes: [['cpu', 'nanoseconds']], samples }), {
    gzip: false,
  });
}

function totals(bytes: Uint8Array, flatPaths: boolean): string[] {
  const p = decodeProfile(bytes, { flatPaths });
  const keys = computeFrameKeys(p, { granularity: 'functions', noInlines: false });
  const v = aggregateNodes(p, keys, resolveSampleIndex(p, 0));
  return keys.names.map((name, k) => `${name} flat ${v.flat[k]} cum ${v.cum[k]}`).sort();
}

describe('sample paths', () => {
  it('interns stacks that share prefixes, and keeps unique ones as a flat column', () => {
    const shared = profileBytes(3000, 2);
    const unique = profileBytes(3000, 5000);
    expect(samplePaths(decodeProfile(shared))).toBeNull();
    const p = decodeProfile(unique);
    const paths = samplePaths(p);
    expect(paths).not.toBeNull();
    expect(paths!.start.length).toBe(3001);
    expect(paths!.loc.length).toBe(3000 * 24);
  });

  it('reads the same whichever way the stacks are held', () => {
    for (const bytes of [profileBytes(3000, 2), profileBytes(3000, 5000)]) {
      expect(totals(bytes, true)).toEqual(totals(bytes, false));
      const flat = decodeProfile(bytes, { flatPaths: true });
      const interned = decodeProfile(bytes, { flatPaths: false });
      buildStacks(flat);
      expect(samplePaths(flat)).toBeNull();
      expect(sampleStacks(flat)).toEqual(sampleStacks(interned));
      expect(flat.stacks.length).toBe(interned.stacks.length);
    }
  });
});

// aggregateNodes has two paths with the same numbers: a walk of the stack tree (shared stacks)
// and one streaming pass over the samples (mostly unique stacks), over the decoder's flat
// location column or over one walked out of the stack table. All, on real profiles.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateBySamples, aggregateNodes, stackWalk } from '../../../core/pprof/aggregate';
import { decodeProfile } from '../../../core/pprof/decode';
import { computeFrameKeys } from '../../../core/pprof/granularity';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import { samplePaths } from '../../../core/pprof/sample-paths';
import { inlineLabels } from '../../../core/pprof/top';

const DIR = join(__dirname, '..', '..', 'fixtures', 'before');

describe('aggregateNodes paths', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.pb.gz'));
  it.each(files)(
    '%s: the streaming passes equal the stack tree walk (flat, cum, inline labels)',
    (f) => {
      const bytes = new Uint8Array(readFileSync(join(DIR, f)));
      const p = decodeProfile(bytes);
      // Never asked for its stack table: streams over the decoder's column.
      const flat = decodeProfile(bytes, { flatPaths: true });
      expect(p.samples.length).toBeGreaterThan(0);
      for (const granularity of ['functions', 'lines'] as const) {
        const keys = computeFrameKeys(p, { granularity, noInlines: false });
        for (let t = 0; t < p.sampleTypes.length; t++) {
          for (const mean of [false, true]) {
            const choice = { ...resolveSampleIndex(p, t), mean };
            const a = aggregateNodes(p, keys, choice, stackWalk(p, choice));
            const flatKeys = computeFrameKeys(flat, { granularity, noInlines: false });
            for (const b of [
              aggregateBySamples(p, keys, choice),
              aggregateNodes(flat, flatKeys, choice),
            ]) {
              expect(Array.from(b.flat)).toEqual(Array.from(a.flat));
              expect(Array.from(b.cum)).toEqual(Array.from(a.cum));
              expect(Array.from(b.flatDiv)).toEqual(Array.from(a.flatDiv));
              expect(Array.from(b.cumDiv)).toEqual(Array.from(a.cumDiv));
            }
            const kept = new Uint8Array(keys.count).fill(1);
            const la = inlineLabels(p, keys, stackWalk(p, choice), kept, 0, choice);
            for (const lb of [
              inlineLabels(p, keys, null, kept, 0, choice),
              inlineLabels(flat, flatKeys, null, kept, 0, choice),
            ]) {
              expect(Array.from(lb.inline)).toEqual(Array.from(la.inline));
              expect(Array.from(lb.noInline)).toEqual(Array.from(la.noInline));
            }
          }
        }
      }
      expect(samplePaths(flat)).not.toBeNull();
      expect(samplePaths(p)).toBeNull();
      // Asked for, the stack table holds every sample's path as decoded.
      const paths = samplePaths(flat)!;
      const { stack } = flat.samples;
      for (let i = 0; i < flat.samples.length; i++) {
        const path: number[] = [];
        for (let x = stack[i]; x >= 0; x = flat.stacks.prefix[x]) path.push(flat.stacks.frame[x]);
        expect(path).toEqual(Array.from(paths.loc.subarray(paths.start[i], paths.start[i + 1])));
      }
      expect(flat.stacks.length).toBe(p.stacks.length);
    },
  );
});

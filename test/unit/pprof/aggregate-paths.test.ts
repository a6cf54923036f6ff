// aggregateNodes has two paths with the same numbers: a walk of the stack tree (shared stacks)
// and one streaming pass over the samples (mostly unique stacks). Both, on real profiles.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateBySamples, aggregateNodes, stackWalk } from '../../../core/pprof/aggregate';
import { decodeProfile } from '../../../core/pprof/decode';
import { computeFrameKeys } from '../../../core/pprof/granularity';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import { inlineLabels } from '../../../core/pprof/top';

const DIR = join(__dirname, '..', '..', 'fixtures', 'before');

describe('aggregateNodes paths', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.pb.gz'));
  it.each(files)(
    '%s: the streaming passes equal the stack tree walk (flat, cum, inline labels)',
    (f) => {
      const p = decodeProfile(new Uint8Array(readFileSync(join(DIR, f))));
      expect(p.samples.length).toBeGreaterThan(0);
      for (const granularity of ['functions', 'lines'] as const) {
        const keys = computeFrameKeys(p, { granularity, noInlines: false });
        for (let t = 0; t < p.sampleTypes.length; t++) {
          for (const mean of [false, true]) {
            const choice = { ...resolveSampleIndex(p, t), mean };
            const a = aggregateNodes(p, keys, choice, stackWalk(p, choice));
            const b = aggregateBySamples(p, keys, choice);
            expect(Array.from(b.flat)).toEqual(Array.from(a.flat));
            expect(Array.from(b.cum)).toEqual(Array.from(a.cum));
            expect(Array.from(b.flatDiv)).toEqual(Array.from(a.flatDiv));
            expect(Array.from(b.cumDiv)).toEqual(Array.from(a.cumDiv));
            const kept = new Uint8Array(keys.count).fill(1);
            const la = inlineLabels(p, keys, stackWalk(p, choice), kept, 0, choice);
            const lb = inlineLabels(p, keys, null, kept, 0, choice);
            expect(Array.from(lb.inline)).toEqual(Array.from(la.inline));
            expect(Array.from(lb.noInline)).toEqual(Array.from(la.noInline));
          }
        }
      }
    },
  );
});

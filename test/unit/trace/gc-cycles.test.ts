// GC cycles and pause figures on real traces: the counts and the STW total equal Go's reader
// (test/oracles/trace: gcCount, stwNs), every GC pause belongs to a cycle, and a window's
// figures add up to the whole trace's.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcCycles, gcSummary } from '../../../core/trace/gc-cycles';
import { parseTrace } from '../../../core/trace/parse';
import { runOracle } from './go-oracle';

const repo = resolve(__dirname, '..', '..', '..');
const FILES = [
  'test/fixtures/before/trace.out',
  'test/fixtures/after/trace.out',
  'test/unit/trace/fixtures/go122.trace',
  'test/unit/trace/fixtures/go123.trace',
  'test/unit/trace/fixtures/go125.trace',
  'test/unit/trace/fixtures/go126.trace',
];

describe('gcSummary and gcCycles', () => {
  for (const f of FILES) {
    it(`${f}: GC count and STW total equal Go's reader`, async () => {
      const file = join(repo, f);
      const model = parseTrace(new Uint8Array(readFileSync(file)));
      const want = await runOracle(file);
      const s = gcSummary(model);
      expect(s.gcCount).toBe(want.gcCount);
      expect(s.pauses.totalNs).toBe(want.stwNs);
      expect(s.gcPerSecond).toBeCloseTo(want.gcCount / (want.durationNs / 1e9), 9);
      const c = gcCycles(model);
      let attached = 0;
      let attachedNs = 0;
      for (let i = 0; i < c.length; i++) {
        attached += c.pauseCount[i];
        attachedNs += c.pauseNs[i];
        expect(c.start[i]).toBeLessThanOrEqual(c.markStart[i]);
        expect(c.end[i]).toBeGreaterThanOrEqual(c.markEnd[i]);
        expect(c.maxPauseNs[i]).toBeLessThanOrEqual(c.pauseNs[i]);
        if (i > 0) expect(c.start[i]).toBeGreaterThanOrEqual(c.end[i - 1]);
      }
      expect(attached).toBe(s.gcPauses.count);
      expect(attachedNs).toBe(s.gcPauses.totalNs);
      // Two halves hold every pause and cycle start of the whole.
      const mid = Math.floor(model.durationNs / 2);
      const a = gcSummary(model, 0, mid);
      const b = gcSummary(model, mid, model.durationNs);
      expect(a.gcCount + b.gcCount).toBe(s.gcCount);
      expect(a.pauses.count + b.pauses.count).toBe(s.pauses.count);
      expect(a.pauses.totalNs + b.pauses.totalNs).toBe(s.pauses.totalNs);
      expect(Math.max(a.pauses.maxNs, b.pauses.maxNs)).toBe(s.pauses.maxNs);
    });
  }

  it('the before fixture has the GC pressure the after fixture fixed', () => {
    const before = gcSummary(parseTrace(new Uint8Array(readFileSync(join(repo, FILES[0])))));
    const after = gcSummary(parseTrace(new Uint8Array(readFileSync(join(repo, FILES[1])))));
    expect(before.gcCount).toBeGreaterThan(after.gcCount);
    expect(before.gcPauses.count).toBeGreaterThanOrEqual(2 * before.gcCount);
    // Nearest rank: p50 is a pause of the list, p99 of 16 pauses is the longest.
    expect(before.gcPauses.p99Ns).toBe(before.gcPauses.maxNs);
    expect(before.gcPauses.p50Ns).toBeLessThan(before.gcPauses.maxNs);
  });
});

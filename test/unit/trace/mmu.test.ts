// MMU over a selected window (go tool trace has only the whole trace; the whole-trace curve is
// checked against it in test/integration/trace-mmu-oracle.test.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MMU_FLAGS,
  clipUtilization,
  mmu,
  mmuCurve,
  mutatorUtilization,
} from '../../../core/trace/mmu';
import { parseTrace } from '../../../core/trace/parse';

const repo = resolve(__dirname, '..', '..', '..');
const model = parseTrace(
  new Uint8Array(readFileSync(join(repo, 'test/fixtures/before/trace.out'))),
);
const util = mutatorUtilization(model, DEFAULT_MMU_FLAGS);

describe('clipUtilization', () => {
  it('clipped to the whole trace gives the same curve', () => {
    const s = util[0];
    const whole = mmuCurve(util);
    const clipped = mmuCurve(clipUtilization(util, s.time[0], s.time[s.time.length - 1]));
    for (const w of [1e5, 1e6, 1e7, 1e8]) expect(mmu(clipped, w)).toBe(mmu(whole, w));
  });

  it('a window sees only its own utilization', () => {
    const s = util[0];
    // The longest stretch of one utilization: every window inside it has that MMU.
    let best = 0;
    let at = 0;
    for (let i = 0; i + 1 < s.time.length; i++) {
      const d = s.time[i + 1] - s.time[i];
      if (d > best) {
        best = d;
        at = i;
      }
    }
    expect(best).toBeGreaterThan(1e5);
    const u = s.util[at];
    expect(u).toBeGreaterThan(0);
    const inner = mmuCurve(clipUtilization(util, s.time[at], s.time[at + 1]));
    expect(mmu(inner, best / 2)).toBeCloseTo(u, 12);
    // The whole trace has worse stretches (GC pauses bring it to 0).
    expect(mmu(mmuCurve(util), best / 2)).toBeLessThan(u);
    // A window larger than the selection is cut to it.
    expect(mmu(inner, best * 10)).toBeCloseTo(u, 12);
  });

  it('an empty or inverted window gives no series', () => {
    expect(clipUtilization(util, 5e6, 5e6)).toEqual([]);
    expect(clipUtilization(util, 6e6, 5e6)).toEqual([]);
    expect(mmuCurve([]).series.length).toBe(0);
  });
});

describe('mutatorUtilization on hostile input', () => {
  it('a corrupt GOMAXPROCS of 2^40 does not allocate without bound', () => {
    const m = parseTrace(new Uint8Array(readFileSync(join(repo, 'test/fixtures/after/trace.out'))));
    const value = Float64Array.from(m.metrics.value);
    for (let i = 0; i < m.metrics.length; i++) if (m.metrics.kind[i] === 0) value[i] = 2 ** 40;
    const s = mutatorUtilization({ ...m, metrics: { ...m.metrics, value } }, DEFAULT_MMU_FLAGS);
    expect(s.length).toBe(1);
    expect(s[0].util.every((u) => u >= 0 && u <= 1)).toBe(true);
  });
});

// Zoom ahead's cache (core/view/flame/ahead): bounded in count and bytes, oldest out first,
// an answer drawn once, and a round that a newer frame ended keeps nothing.
import { describe, expect, it } from 'vitest';
import { AheadCache, answerBytes } from '../../../../core/view/flame/ahead';

const answer = (bytes: number) => ({ x: new Uint8Array(bytes) });

describe('AheadCache', () => {
  it('counts typed arrays and pixels', () => {
    expect(
      answerBytes({
        x: new Float64Array(4),
        raster: { pixels: new Uint8ClampedArray(16), labels: new Int32Array(2) },
      }),
    ).toBe(32 + 16 + 8);
  });

  it('keeps at most N answers and B bytes, oldest out first', () => {
    const c = new AheadCache<ReturnType<typeof answer>>(2, 100);
    const g = c.nextRound();
    c.put(g, 'a', answer(10));
    c.put(g, 'b', answer(10));
    c.put(g, 'c', answer(10));
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([false, true, true]);
    c.put(g, 'd', answer(95));
    expect([c.has('b'), c.has('c'), c.has('d')]).toEqual([false, false, true]);
    expect(c.bytes).toBe(95);
  });

  it('hands an answer out once', () => {
    const c = new AheadCache<ReturnType<typeof answer>>(4, 1000);
    c.put(c.nextRound(), 'a', answer(10));
    expect(c.take('a')?.x.byteLength).toBe(10);
    expect(c.take('a')).toBeUndefined();
    expect(c.bytes).toBe(0);
  });

  it('drops answers of a round that ended', () => {
    const c = new AheadCache<ReturnType<typeof answer>>(4, 1000);
    const g = c.nextRound();
    c.nextRound();
    expect(c.put(g, 'a', answer(10))).toBe(false);
    const h = c.generation;
    c.clear();
    expect(c.put(h, 'b', answer(10))).toBe(false);
    expect(c.size).toBe(0);
  });
});

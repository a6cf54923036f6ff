import { describe, expect, it } from 'vitest';
import {
  parseGoroutineTotal,
  parseMemStats,
  pauseNsBetween,
  pauseTotalNs,
} from '../../../electron/services/poll/memstats';

function ring(values: Record<number, number>): number[] {
  const r = new Array<number>(256).fill(0);
  for (const [i, v] of Object.entries(values)) r[Number(i)] = v;
  return r;
}

// The block runtime/pprof writeHeapInternal prints at the end of heap?debug=1.
function memStatsText(numGC: number, pause: number[]): string {
  return [
    'heap profile: 3: 2048 [10: 40960] @ heap/524288',
    '1: 1024 [5: 5120] @ 0x1 0x2',
    '#	0x1	main.alloc+0x1	/src/main.go:10',
    '',
    '# runtime.MemStats',
    '# Alloc = 1111',
    '# TotalAlloc = 99999',
    '# Sys = 8000000',
    '# Lookups = 0',
    '# Mallocs = 500',
    '# Frees = 400',
    '# HeapAlloc = 1111',
    '# HeapSys = 4000000',
    '# HeapIdle = 2000000',
    '# HeapInuse = 1900000',
    '# HeapReleased = 100000',
    '# HeapObjects = 100',
    '# Stack = 393216 / 393216',
    '# MSpan = 50000 / 60000',
    '# MCache = 1200 / 15600',
    '# BuckHashSys = 1000',
    '# GCSys = 2000',
    '# OtherSys = 3000',
    '# NextGC = 4194304',
    '# LastGC = 1700000000123456789',
    `# PauseNs = [${pause.join(' ')}]`,
    '# PauseEnd = [0 0]',
    `# NumGC = ${numGC}`,
    '# NumForcedGC = 1',
    '# GCCPUFraction = 0.0012345',
    '# DebugGC = false',
    '# MaxRSS = 12345678',
    '',
  ].join('\n');
}

describe('parseMemStats', () => {
  it('reads every figure of the MemStats block', () => {
    const ms = parseMemStats(memStatsText(3, ring({ 0: 100, 1: 200, 2: 300 })))!;
    expect(ms.HeapInuse).toBe(1900000);
    expect(ms.HeapAlloc).toBe(1111);
    expect(ms.HeapSys).toBe(4000000);
    expect(ms.HeapIdle).toBe(2000000);
    expect(ms.HeapReleased).toBe(100000);
    expect(ms.HeapObjects).toBe(100);
    expect(ms.StackInuse).toBe(393216);
    expect(ms.MSpanInuse).toBe(50000);
    expect(ms.MSpanSys).toBe(60000);
    expect(ms.NextGC).toBe(4194304);
    expect(ms.NumGC).toBe(3);
    expect(ms.NumForcedGC).toBe(1);
    expect(ms.GCCPUFraction).toBeCloseTo(0.0012345);
    expect(ms.MaxRSS).toBe(12345678);
    expect(ms.PauseNs).toHaveLength(256);
  });

  it('returns null for text without the block', () => {
    expect(parseMemStats('<html>not this</html>')).toBeNull();
    expect(parseMemStats('')).toBeNull();
  });

  it('derives pause totals from the PauseNs ring', () => {
    const ms = parseMemStats(memStatsText(3, ring({ 0: 100, 1: 200, 2: 300 })))!;
    expect(pauseTotalNs(ms)).toBe(600);
    expect(pauseNsBetween(1, ms)).toBe(500);
    expect(pauseNsBetween(3, ms)).toBe(0);
    // The ring wraps: GC number 258 writes slot (258-1)%256 = 1.
    const wrapped = parseMemStats(memStatsText(258, ring({ 0: 7, 1: 11, 255: 5 })))!;
    expect(pauseTotalNs(wrapped)).toBeNull();
    expect(pauseNsBetween(255, wrapped)).toBe(11 + 7 + 5);
    // More than 256 GCs in between: the older pauses are gone.
    expect(pauseNsBetween(1, wrapped)).toBeNull();
  });
});

describe('parseGoroutineTotal', () => {
  it('reads the header line of goroutine?debug=1', () => {
    expect(parseGoroutineTotal('goroutine profile: total 42\n3 @ 0x1 0x2\n')).toBe(42);
    expect(parseGoroutineTotal('goroutine profile: total 7')).toBe(7);
  });
  it('refuses anything else', () => {
    expect(parseGoroutineTotal('goroutine 1 [running]:\n')).toBeNull();
    expect(parseGoroutineTotal('<html>')).toBeNull();
  });
});

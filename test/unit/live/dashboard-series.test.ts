// The live dashboard's data (renderer/src/charts/sparkline-series.ts): the 30-minute window,
// replays ignored, GC rate and pause per interval derived from consecutive polls, and the
// ECharts option of a sparkline (no animation, hidden axes, values escaped in tooltips).
import { describe, expect, it } from 'vitest';
import type { MetricsSample } from '../../../core/contract';
import {
  DASHBOARD_WINDOW_MS,
  MetricsBuffer,
  formatSeriesValue,
  isGcStorm,
} from '../../../renderer/src/charts/sparkline-series';
import { SPARKLINE_THEMES, sparklineOption } from '../../../renderer/src/charts/sparkline';

const T0 = Date.parse('2026-11-26T12:00:00.000Z');

function sample(
  offsetMs: number,
  numGC: number | null,
  extra: Partial<MetricsSample> = {},
): MetricsSample {
  return {
    targetId: 't1',
    at: new Date(T0 + offsetMs).toISOString(),
    goroutines: 40,
    heapInuse: 1000,
    heapAlloc: 900,
    heapSys: 2000,
    numGC,
    pauseTotalNs: null,
    heapIdle: null,
    heapReleased: null,
    heapObjects: null,
    sys: null,
    totalAlloc: null,
    mallocs: null,
    frees: null,
    nextGC: null,
    numForcedGC: null,
    gcCPUFraction: null,
    stackInuse: null,
    maxRSS: null,
    lastGC: null,
    pauseNs: null,
    ...extra,
  };
}

describe('MetricsBuffer', () => {
  it('derives GCs per second between polls, with no rate across a restart', () => {
    const b = new MetricsBuffer();
    b.push(sample(0, 10));
    b.push(sample(30_000, 16)); // 6 GCs in 30 s
    b.push(sample(60_000, 2)); // the target restarted: NumGC went down
    b.push(sample(90_000, 5));
    expect(b.points('gcRate')).toEqual([
      [T0, null],
      [T0 + 30_000, 0.2],
      [T0 + 60_000, null],
      [T0 + 90_000, 0.1],
    ]);
    expect(b.current('gcRate')).toBe(0.1);
  });

  it('draws the pause per interval and the gauges as reported, nulls as gaps', () => {
    const b = new MetricsBuffer();
    b.push(sample(0, 1, { pauseNs: null }));
    b.push(sample(5000, 3, { pauseNs: 120_000, goroutines: null }));
    expect(b.points('gcPause')).toEqual([
      [T0, null],
      [T0 + 5000, 120_000],
    ]);
    expect(b.points('goroutines')).toEqual([
      [T0, 40],
      [T0 + 5000, null],
    ]);
  });

  it('ignores replays and out-of-order samples, and keeps only the last 30 minutes', () => {
    const b = new MetricsBuffer();
    expect(b.push(sample(0, 1))).toBe(true);
    expect(b.push(sample(0, 1))).toBe(false);
    expect(b.push(sample(-1000, 1))).toBe(false);
    const v = b.version;
    for (let i = 1; i <= 40; i++) b.push(sample(i * 60_000, 1 + i));
    expect(b.version).toBe(v + 40);
    const pts = b.points('goroutines');
    expect(pts[pts.length - 1][0] - pts[0][0]).toBeLessThanOrEqual(DASHBOARD_WINDOW_MS);
    expect(pts[0][0]).toBe(T0 + 10 * 60_000);
    expect(b.length).toBe(31);
  });

  it('loads a history sorted and deduplicated, and spans at least 10 s', () => {
    const b = new MetricsBuffer();
    b.load([sample(2000, 3), sample(0, 1), sample(2000, 3), sample(1000, 2)]);
    expect(b.points('goroutines').map((p) => p[0])).toEqual([T0, T0 + 1000, T0 + 2000]);
    expect(b.window()).toEqual({ from: T0 + 2000 - 10_000, to: T0 + 2000 });
    b.load([sample(0, 1), sample(60_000, 2)]);
    expect(b.window()).toEqual({ from: T0, to: T0 + 60_000 });
  });
});

describe('dashboard formatting and the sparkline option', () => {
  it('formats counts, bytes, rates and pauses', () => {
    expect(formatSeriesValue('count', 12345)).toBe('12,345');
    expect(formatSeriesValue('bytes', 3 * 1024 * 1024)).toBe('3 MiB');
    expect(formatSeriesValue('per-minute', 12.34)).toBe('12/min');
    expect(formatSeriesValue('per-minute', 2.5)).toBe('2.5/min');
    expect(formatSeriesValue('per-second', 8.25)).toBe('8.25/s');
    expect(formatSeriesValue('per-second', 12.4)).toBe('12/s');
    expect(formatSeriesValue('nanoseconds', null)).toBe('–');
    // Pauses print as every other duration does (core/view/format, pprof's style).
    expect(formatSeriesValue('nanoseconds', 1_500_000)).toBe('1.50ms');
    expect(formatSeriesValue('nanoseconds', 820)).toBe('820ns');
  });

  it('builds a light line chart: no animation, hidden x axis, the window as its range', () => {
    const o = sparklineOption({
      series: 'heapInuse',
      points: [
        [T0, 1],
        [T0 + 1000, 2],
        [T0 + 2000, null],
        [T0 + 3000, 4],
      ],
      from: T0,
      to: T0 + 3000,
      theme: SPARKLINE_THEMES.dark,
      format: (v) => `<b>${v}</b>`,
    });
    expect(o.animation).toBe(false);
    const series = (Array.isArray(o.series) ? o.series : [o.series])[0] as Record<string, unknown>;
    expect(series).toMatchObject({
      type: 'line',
      showSymbol: false,
      connectNulls: false,
      animation: false,
    });
    expect(o.xAxis).toMatchObject({ type: 'time', min: T0, max: T0 + 3000, show: false });
    const tooltip = o.tooltip as { formatter: (p: unknown) => string };
    const text = tooltip.formatter([{ value: [T0, 7] }]);
    expect(text).toContain('&lt;b&gt;7&lt;/b&gt;');
    expect(text).not.toContain('<b>');
  });
});

describe('GC storm flag', () => {
  it('is raised only above the threshold, never for a missing rate', () => {
    expect(isGcStorm(2.5, 2)).toBe(true);
    expect(isGcStorm(2, 2)).toBe(false);
    expect(isGcStorm(null, 2)).toBe(false);
    expect(isGcStorm(Number.NaN, 0.1)).toBe(false);
  });

  it('draws the threshold as a dashed line on the GC rate sparkline only when asked', () => {
    const base = {
      series: 'gcRate' as const,
      points: [[T0, 1] as [number, number | null]],
      from: T0,
      to: T0 + 10_000,
      theme: SPARKLINE_THEMES.light,
      format: (v: number | null) => String(v),
    };
    const withLine = sparklineOption({ ...base, threshold: { value: 2, color: '#e03131' } });
    const series = (withLine.series as { markLine?: { data: unknown[] } }[])[0];
    expect(series.markLine!.data).toEqual([
      { yAxis: 2, lineStyle: { color: '#e03131', type: 'dashed', width: 1 } },
    ]);
    // A restart line and the threshold share the series' markLine without replacing each other.
    const both = sparklineOption({
      ...base,
      threshold: { value: 2, color: '#e03131' },
      restarts: [T0 + 5_000],
    });
    const lines = (both.series as { markLine?: { data: Record<string, unknown>[] } }[])[0].markLine!
      .data;
    expect(
      lines.map((d) => ('yAxis' in d ? `y${String(d.yAxis)}` : `x${String(d.xAxis)}`)),
    ).toEqual(['y2', `x${T0 + 5_000}`]);
    const without = sparklineOption(base);
    expect((without.series as { markLine?: unknown }[])[0].markLine).toBeUndefined();
  });
});

// Duration histograms as ECharts bar charts: one series, or two overlaid (before and after on
// the same buckets), with a tooltip of numbers only (no trace strings). Used by the scheduler
// latency panel, the user task histograms and the trace compare.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { formatDuration } from '../../../core/view/format';
import type { TimelineTheme } from './timeline-theme';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type HistogramOption = ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface HistogramData {
  /** Bucket i holds durations in [lower[i], upper[i]) ns. */
  lower: number[];
  upper: number[];
  series: { name: string; counts: number[]; color: string }[];
  /** x-axis name ("wait in runnable") and what one count is ("waits"). */
  xName: string;
  unit: string;
}

export function histogramOption(h: HistogramData, t: TimelineTheme): HistogramOption {
  const two = h.series.length > 1;
  const totals = h.series.map((s) =>
    Math.max(
      1,
      s.counts.reduce((a, b) => a + b, 0),
    ),
  );
  return {
    animation: false,
    backgroundColor: t.background,
    grid: { left: 56, right: 16, top: two ? 28 : 14, bottom: 44 },
    legend: two
      ? { top: 0, right: 8, textStyle: { color: t.axisText }, data: h.series.map((s) => s.name) }
      : { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: unknown) => {
        const p = (Array.isArray(ps) ? ps[0] : ps) as { dataIndex: number };
        const i = p.dataIndex;
        const lines = h.series.map((s, k) => {
          const n = s.counts[i] ?? 0;
          const pct = ((n / totals[k]) * 100).toFixed(2);
          return `${two ? `${s.name}: ` : ''}${n.toLocaleString('en-US')} ${h.unit} (${pct}%)`;
        });
        return [
          `${formatDuration(h.lower[i] ?? 0)} – ${formatDuration(h.upper[i] ?? 0)}`,
          ...lines,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: h.lower.map((l) => formatDuration(l)),
      name: h.xName,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: t.axisText },
      axisLine: { lineStyle: { color: t.axisLine } },
      axisLabel: { color: t.axisText, fontSize: 10, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: h.unit,
      nameTextStyle: { color: t.axisText },
      splitLine: { lineStyle: { color: t.splitLine } },
      axisLabel: { color: t.axisText, fontSize: 10 },
    },
    series: h.series.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      data: s.counts,
      barCategoryGap: '10%',
      // Two series overlap on the same bucket, the second half see-through.
      barGap: two ? '-100%' : undefined,
      itemStyle: { color: s.color, opacity: two ? 0.6 : 1 },
      emphasis: { itemStyle: { color: t.classes[0] } },
    })),
  };
}

export class HistogramChart {
  private readonly chart: ECharts;
  constructor(el: HTMLElement) {
    this.chart = init(el, null, { renderer: 'canvas' });
  }
  set(h: HistogramData, t: TimelineTheme): void {
    this.chart.setOption(histogramOption(h, t), { notMerge: true });
  }
  resize(): void {
    this.chart.resize();
  }
  dispose(): void {
    this.chart.dispose();
  }
}

// The scheduler-latency histogram (waits in runnable, as go tool trace counts them) as an
// ECharts bar chart: one bar per non-empty bucket range (at most a few hundred), log-spaced buckets.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { LatencyPayload } from '../worker/trace-protocol';
import type { TimelineTheme } from './timeline-theme';
import { formatDuration } from '../../../core/view/format';

use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type LatencyOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export function latencyOption(h: LatencyPayload, t: TimelineTheme): LatencyOption {
  const labels = h.lower.map((l) => formatDuration(l));
  return {
    animation: false,
    backgroundColor: t.background,
    grid: { left: 56, right: 16, top: 14, bottom: 44 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      // Numbers only (no trace strings): plain text lines.
      formatter: (ps: unknown) => {
        const p = (Array.isArray(ps) ? ps[0] : ps) as { dataIndex: number };
        const i = p.dataIndex;
        const n = h.counts[i] ?? 0;
        return `${formatDuration(h.lower[i] ?? 0)} – ${formatDuration(h.upper[i] ?? 0)}<br/>${n.toLocaleString('en-US')} waits (${((n / Math.max(1, h.count)) * 100).toFixed(2)}%)`;
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      name: 'wait in runnable',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: t.axisText },
      axisLine: { lineStyle: { color: t.axisLine } },
      axisLabel: { color: t.axisText, fontSize: 10, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: 'waits',
      nameTextStyle: { color: t.axisText },
      splitLine: { lineStyle: { color: t.splitLine } },
      axisLabel: { color: t.axisText, fontSize: 10 },
    },
    series: [
      {
        type: 'bar',
        data: h.counts,
        barCategoryGap: '10%',
        itemStyle: { color: t.classes[1] },
        emphasis: { itemStyle: { color: t.classes[0] } },
      },
    ],
  };
}

export class LatencyChart {
  private readonly chart: ECharts;
  constructor(el: HTMLElement) {
    this.chart = init(el, null, { renderer: 'canvas' });
  }
  set(h: LatencyPayload, t: TimelineTheme): void {
    this.chart.setOption(latencyOption(h, t), { notMerge: true });
  }
  resize(): void {
    this.chart.resize();
  }
  dispose(): void {
    this.chart.dispose();
  }
}

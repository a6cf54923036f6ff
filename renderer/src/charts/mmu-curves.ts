// Minimum mutator utilization curves (go tool trace's MMU page) overlaid as an ECharts line
// chart: window size on a log axis, MMU in percent, one line per trace.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
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

use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type MmuCurvesOption = ComposeOption<
  LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface MmuCurveData {
  name: string;
  windows: ArrayLike<number>;
  mmu: ArrayLike<number>;
  color: string;
}

export function mmuCurvesOption(curves: MmuCurveData[], t: TimelineTheme): MmuCurvesOption {
  const all = curves.flatMap((c) => Array.from(c.windows));
  return {
    animation: false,
    backgroundColor: t.background,
    grid: { left: 44, right: 18, top: 28, bottom: 38 },
    legend: { top: 0, right: 8, textStyle: { color: t.axisText } },
    tooltip: {
      trigger: 'item',
      // Numbers only: plain text.
      formatter: (p: unknown) => {
        const q = p as { seriesName: string; value: [number, number] };
        return `${q.seriesName}<br/>window ${formatDuration(q.value[0])}<br/>MMU ${q.value[1].toFixed(2)}%`;
      },
    },
    xAxis: {
      type: 'log',
      logBase: 10,
      name: 'window',
      nameLocation: 'middle',
      nameGap: 24,
      min: all.length ? Math.min(...all) : 1,
      max: all.length ? Math.max(...all) : 10,
      nameTextStyle: { color: t.axisText },
      axisLine: { lineStyle: { color: t.axisLine } },
      axisLabel: { color: t.axisText, fontSize: 10, formatter: (v: number) => formatDuration(v) },
      splitLine: { show: true, lineStyle: { color: t.splitLine } },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 25,
      splitLine: { lineStyle: { color: t.splitLine } },
      axisLabel: { color: t.axisText, fontSize: 10, formatter: '{value}%' },
    },
    series: curves.map((c) => ({
      type: 'line' as const,
      name: c.name,
      data: Array.from(c.windows, (w, i) => [w, (c.mmu[i] ?? 0) * 100]),
      showSymbol: false,
      lineStyle: { color: c.color, width: 2 },
      itemStyle: { color: c.color },
    })),
  };
}

export class MmuCurvesChart {
  private readonly chart: ECharts;
  constructor(el: HTMLElement) {
    this.chart = init(el, null, { renderer: 'canvas' });
  }
  set(curves: MmuCurveData[], t: TimelineTheme): void {
    this.chart.setOption(mmuCurvesOption(curves, t), { notMerge: true });
  }
  resize(): void {
    this.chart.resize();
  }
  dispose(): void {
    this.chart.dispose();
  }
}

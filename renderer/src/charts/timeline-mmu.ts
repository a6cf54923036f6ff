// The minimum mutator utilization curve (go tool trace's MMU page) as an ECharts line chart:
// window size on a log axis, MMU in percent.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { MmuPayload } from '../worker/trace-protocol';
import { formatDuration } from '../../../core/view/format';
import type { TimelineTheme } from './timeline-theme';

use([LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

type MmuOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption>;

export function mmuOption(m: MmuPayload, t: TimelineTheme): MmuOption {
  const data = Array.from(m.windows, (w, i) => [w, (m.mmu[i] ?? 0) * 100]);
  return {
    animation: false,
    backgroundColor: t.background,
    grid: { left: 44, right: 18, top: 10, bottom: 38 },
    tooltip: {
      trigger: 'axis',
      // Numbers only: plain text.
      formatter: (ps: unknown) => {
        const p = (Array.isArray(ps) ? ps[0] : ps) as { value: [number, number] };
        return `window ${formatDuration(p.value[0])}<br/>MMU ${p.value[1].toFixed(2)}%`;
      },
    },
    xAxis: {
      type: 'log',
      logBase: 10,
      name: 'window',
      nameLocation: 'middle',
      nameGap: 24,
      min: m.windows[0],
      max: m.windows[m.windows.length - 1],
      nameTextStyle: { color: t.axisText },
      axisLine: { lineStyle: { color: t.axisLine } },
      axisLabel: { color: t.axisText, fontSize: 10, formatter: (v: number) => formatDuration(v) },
      splitLine: { show: true, lineStyle: { color: t.splitLine } },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 50,
      splitLine: { lineStyle: { color: t.splitLine } },
      axisLabel: { color: t.axisText, fontSize: 10, formatter: '{value}%' },
    },
    series: [
      {
        type: 'line',
        data,
        showSymbol: false,
        lineStyle: { color: t.classes[0], width: 2 },
        itemStyle: { color: t.classes[0] },
      },
    ],
  };
}

export class MmuChart {
  private readonly chart: ECharts;
  constructor(el: HTMLElement) {
    this.chart = init(el, null, { renderer: 'canvas' });
  }
  set(m: MmuPayload, t: TimelineTheme): void {
    this.chart.setOption(mmuOption(m, t), { notMerge: true });
  }
  resize(): void {
    this.chart.resize();
  }
  dispose(): void {
    this.chart.dispose();
  }
}

// One dashboard sparkline as a small ECharts line chart: no animation, no symbols, hidden
// axes, LTTB sampling, lazy updates (applied on the next frame, so a burst of polls never
// blocks the UI). The option is built by a pure function; the class only owns the instance.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ThemeName } from './palette';
import type { Point, SeriesId } from './sparkline-series';

use([LineChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type SparklineOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | MarkLineComponentOption
>;

export interface SparklineTheme {
  colors: Record<SeriesId, string>;
  tooltipBg: string;
  tooltipBorder: string;
  tooltipText: string;
  baseline: string;
  /** The dashed line marking a restart. */
  restart: string;
}

export const SPARKLINE_THEMES: Record<ThemeName, SparklineTheme> = {
  light: {
    colors: {
      goroutines: '#0b57d0',
      heapInuse: '#8a3ffc',
      heapAlloc: '#b0327a',
      gcRate: '#1a7f37',
      gcPause: '#c2410c',
    },
    tooltipBg: '#ffffff',
    tooltipBorder: '#b9c1ca',
    tooltipText: '#1f2328',
    baseline: '#d6dbe1',
    restart: '#cf222e',
  },
  dark: {
    colors: {
      goroutines: '#7cb4ff',
      heapInuse: '#be95ff',
      heapAlloc: '#ff7eb6',
      gcRate: '#56d364',
      gcPause: '#ffa657',
    },
    tooltipBg: '#23272e',
    tooltipBorder: '#434a55',
    tooltipText: '#e6e9ee',
    baseline: '#30353d',
    restart: '#ff7b72',
  },
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export interface SparklineInput {
  series: SeriesId;
  points: Point[];
  from: number;
  to: number;
  theme: SparklineTheme;
  format: (v: number | null) => string;
  /** A level drawn as a dashed line (the GC storm threshold on the GC rate). */
  threshold?: { value: number; color: string };
  /** Times the target restarted (a new process answered), drawn as dashed lines. */
  restarts?: number[];
}

export function sparklineOption(i: SparklineInput): SparklineOption {
  const color = i.theme.colors[i.series];
  return {
    animation: false,
    grid: { left: 1, right: 1, top: 4, bottom: 1 },
    xAxis: { type: 'time', min: i.from, max: i.to, show: false },
    yAxis: {
      type: 'value',
      min: 0,
      show: true,
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { show: false },
      splitNumber: 1,
      splitLine: { show: true, lineStyle: { color: i.theme.baseline, width: 1 } },
    },
    tooltip: {
      trigger: 'axis',
      confine: true,
      transitionDuration: 0,
      backgroundColor: i.theme.tooltipBg,
      borderColor: i.theme.tooltipBorder,
      textStyle: { color: i.theme.tooltipText, fontSize: 11 },
      axisPointer: { type: 'line', animation: false, lineStyle: { color: i.theme.baseline } },
      // Numbers formatted by us; escaped anyway since ECharts renders this as HTML.
      formatter: (params: unknown) => {
        const p = (Array.isArray(params) ? params[0] : params) as { value?: Point } | undefined;
        const v = p?.value;
        if (!v) return '';
        return escapeText(`${clock(v[0])}  ${i.format(v[1])}`);
      },
    },
    series: [
      {
        type: 'line',
        data: i.points,
        // A lone point has no line to draw: show it as a dot until the next poll arrives.
        showSymbol: i.points.length < 3,
        symbol: 'circle',
        symbolSize: 4,
        connectNulls: false,
        sampling: 'lttb',
        animation: false,
        lineStyle: { width: 1.5, color },
        itemStyle: { color },
        areaStyle: { color, opacity: 0.14 },
        emphasis: { disabled: true },
        markLine:
          i.threshold || i.restarts?.length
            ? {
                silent: true,
                symbol: 'none',
                animation: false,
                label: { show: false },
                data: [
                  ...(i.threshold
                    ? [
                        {
                          yAxis: i.threshold.value,
                          lineStyle: {
                            color: i.threshold.color,
                            type: 'dashed' as const,
                            width: 1,
                          },
                        },
                      ]
                    : []),
                  ...(i.restarts ?? []).map((t) => ({
                    xAxis: t,
                    lineStyle: { type: 'dashed' as const, width: 1, color: i.theme.restart },
                  })),
                ],
              }
            : undefined,
      },
    ],
  };
}

export class Sparkline {
  private readonly chart: ECharts;
  private disposed = false;

  constructor(el: HTMLElement) {
    this.chart = init(el, null, { renderer: 'canvas' });
  }

  draw(option: SparklineOption): void {
    if (this.disposed) return;
    this.chart.setOption(option, { lazyUpdate: true, silent: true });
  }

  resize(): void {
    if (!this.disposed) this.chart.resize();
  }

  dispose(): void {
    this.disposed = true;
    this.chart.dispose();
  }
}

// The GC view's chart: one ECharts instance with stacked panels over the program's time
// (seconds since start, as gctrace prints it), zoomed together: heap at GC start / end, live
// heap and goal; the STW pause of each cycle; GCs per second with the storm line; the
// runtime's GC CPU share. Forced cycles (runtime.GC) are marked on the heap panel. The option
// is a pure function of the Worker's columns; the class only owns the instance.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import {
  BarChart,
  LineChart,
  ScatterChart,
  type BarSeriesOption,
  type LineSeriesOption,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { GC_FORCED, GC_PERIODIC } from '../../../core/gctrace/model';
import type { GcStreamData } from '../worker/gclog-protocol';
import type { ThemeName } from './palette';
import { escapeText } from './sparkline';
import { TIMELINE_THEMES } from './timeline-theme';

use([
  LineChart,
  BarChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type GcChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
  | MarkLineComponentOption
>;

export type GcPanel = 'heap' | 'pause' | 'rate' | 'cpu';

interface GcColors {
  heapStart: string;
  heapEnd: string;
  live: string;
  goal: string;
  pause: string;
  rate: string;
  storm: string;
  cpu: string;
  forced: string;
}

const COLORS: Record<ThemeName, GcColors> = {
  light: {
    heapStart: '#74c0fc',
    heapEnd: '#1c7ed6',
    live: '#2f9e44',
    goal: '#e8590c',
    pause: '#c2255c',
    rate: '#7048e8',
    storm: '#e03131',
    cpu: '#0c8599',
    forced: '#1f2328',
  },
  dark: {
    heapStart: '#a5d8ff',
    heapEnd: '#4dabf7',
    live: '#40c057',
    goal: '#fd7e14',
    pause: '#f06595',
    rate: '#9775fa',
    storm: '#ff6b6b',
    cpu: '#22b8cf',
    forced: '#e6e9ee',
  },
};

const PANEL_TITLES: Record<GcPanel, string> = {
  heap: 'Heap (MB)',
  pause: 'STW pause per GC (ms)',
  rate: 'GCs per second',
  cpu: 'GC CPU since start (%)',
};

export interface GcChartInput {
  data: GcStreamData;
  theme: ThemeName;
  panels: GcPanel[];
  /** Height of the drawing area in px (the panels share it). */
  height: number;
  /** GCs per second above which the rate panel draws the storm line. */
  stormPerSecond: number;
  /** A fixed top per panel, so two charts side by side share their scales (Compare). */
  yMax?: Partial<Record<GcPanel, number>>;
}

/** The top of each panel's scale for these columns, as gcChartOption would pick it. */
export function gcPanelMax(d: GcStreamData): Record<GcPanel, number> {
  let heap = 0;
  let pause = 0;
  let cpu = 0;
  for (let j = 0; j < d.num.length; j++) {
    heap = Math.max(heap, d.heapStartMB[j], d.heapEndMB[j], d.heapGoalMB[j]);
    pause = Math.max(pause, d.pauseMs[j]);
    cpu = Math.max(cpu, d.cpuPct[j]);
  }
  let rate = 0;
  for (let j = 0; j < d.rate.perSecond.length; j++) rate = Math.max(rate, d.rate.perSecond[j]);
  return { heap, pause, rate, cpu };
}

function xy(x: Float64Array, y: Float64Array): [number, number][] {
  const out = new Array<[number, number]>(x.length);
  for (let i = 0; i < x.length; i++) out[i] = [x[i], y[i]];
  return out;
}

/** A number as the tooltip prints it: up to 3 decimals. */
function num(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

export function gcChartOption(i: GcChartInput): GcChartOption {
  const d = i.data;
  const t = TIMELINE_THEMES[i.theme];
  const c = COLORS[i.theme];
  const n = d.num.length;
  const top = 38;
  const bottom = 58;
  const gap = 30;
  const h = Math.max(60, (i.height - top - bottom - gap * (i.panels.length - 1)) / i.panels.length);
  const xMin = n ? Math.floor(d.atS[0]) : 0;
  const xMax = n ? Math.max(xMin + 1, Math.ceil(d.atS[n - 1])) : 1;
  const symbols = n <= 300;

  const grids: GridComponentOption[] = [];
  const xAxes: object[] = [];
  const yAxes: object[] = [];
  const series: (LineSeriesOption | BarSeriesOption | ScatterSeriesOption)[] = [];
  const legend: string[] = [];
  const line = (
    name: string,
    axis: number,
    data: [number, number][],
    color: string,
    extra: Partial<LineSeriesOption> = {},
  ): void => {
    legend.push(name);
    series.push({
      type: 'line',
      name,
      xAxisIndex: axis,
      yAxisIndex: axis,
      data,
      showSymbol: symbols,
      symbolSize: 4,
      sampling: 'lttb',
      animation: false,
      lineStyle: { width: 1.5, color },
      itemStyle: { color },
      emphasis: { disabled: true },
      ...extra,
    });
  };

  i.panels.forEach((panel, k) => {
    grids.push({ left: 56, right: 18, top: top + k * (h + gap), height: h });
    const last = k === i.panels.length - 1;
    xAxes.push({
      type: 'value',
      gridIndex: k,
      min: xMin,
      max: xMax,
      axisLabel: { show: last, color: t.axisText, formatter: (v: number) => `${num(v)} s` },
      axisLine: { lineStyle: { color: t.axisLine } },
      axisTick: { show: last },
      splitLine: { show: false },
    });
    yAxes.push({
      type: 'value',
      gridIndex: k,
      min: 0,
      name: PANEL_TITLES[panel],
      nameLocation: 'end',
      nameGap: 6,
      nameTextStyle: { color: t.axisText, align: 'left', fontSize: 11 },
      max: i.yMax?.[panel],
      splitNumber: 2,
      axisLabel: { color: t.axisText, fontSize: 10 },
      axisLine: { show: false },
      splitLine: { lineStyle: { color: t.splitLine } },
    });
    if (panel === 'heap') {
      line('heap at GC start', k, xy(d.atS, d.heapStartMB), c.heapStart);
      line('heap at GC end', k, xy(d.atS, d.heapEndMB), c.heapEnd);
      line('live heap', k, xy(d.atS, d.heapLiveMB), c.live);
      line('heap goal', k, xy(d.atS, d.heapGoalMB), c.goal, {
        lineStyle: { width: 1.5, color: c.goal, type: 'dashed' },
        step: 'end',
      });
      const forced: [number, number][] = [];
      const periodic: [number, number][] = [];
      for (let j = 0; j < n; j++) {
        if (d.flags[j] & GC_FORCED) forced.push([d.atS[j], d.heapEndMB[j]]);
        else if (d.flags[j] & GC_PERIODIC) periodic.push([d.atS[j], d.heapEndMB[j]]);
      }
      if (forced.length) {
        legend.push('forced GC');
        series.push({
          type: 'scatter',
          name: 'forced GC',
          xAxisIndex: k,
          yAxisIndex: k,
          data: forced,
          symbol: 'triangle',
          symbolSize: 10,
          itemStyle: { color: c.forced },
          animation: false,
          z: 5,
        });
      }
      if (periodic.length) {
        legend.push('periodic GC');
        series.push({
          type: 'scatter',
          name: 'periodic GC',
          xAxisIndex: k,
          yAxisIndex: k,
          data: periodic,
          symbol: 'diamond',
          symbolSize: 9,
          itemStyle: { color: c.forced },
          animation: false,
          z: 5,
        });
      }
    } else if (panel === 'pause') {
      line('STW pause', k, xy(d.atS, d.pauseMs), c.pause, {
        showSymbol: true,
        symbolSize: symbols ? 5 : 2,
        lineStyle: { width: 1, color: c.pause, opacity: 0.6 },
      });
    } else if (panel === 'rate') {
      const r = d.rate;
      const data = new Array<[number, number]>(r.startS.length);
      for (let j = 0; j < r.startS.length; j++)
        data[j] = [r.startS[j] + r.binS / 2, r.perSecond[j]];
      legend.push('GCs per second');
      series.push({
        type: 'bar',
        name: 'GCs per second',
        xAxisIndex: k,
        yAxisIndex: k,
        data,
        barMaxWidth: 24,
        barCategoryGap: '10%',
        animation: false,
        itemStyle: { color: c.rate },
        markLine: {
          silent: true,
          symbol: 'none',
          animation: false,
          lineStyle: { color: c.storm, type: 'dashed', width: 1.5 },
          label: {
            formatter: `storm > ${num(i.stormPerSecond)}/s`,
            color: c.storm,
            position: 'insideEndTop',
          },
          data: [{ yAxis: i.stormPerSecond }],
        },
      });
      // Keep the storm line in view when every bin is below it.
      const fixed = i.yMax?.rate;
      (yAxes[k] as { max?: unknown }).max = (v: { max: number }) =>
        Math.max(fixed ?? v.max, i.stormPerSecond * 1.15);
    } else {
      line('GC CPU %', k, xy(d.atS, d.cpuPct), c.cpu, { step: 'end' });
    }
  });

  const axes = i.panels.map((_, k) => k);
  return {
    animation: false,
    legend: {
      // One row; arrows page through it when the chart is narrow (Compare's halves).
      type: 'scroll',
      data: legend,
      top: 0,
      left: 50,
      itemWidth: 16,
      itemHeight: 8,
      textStyle: { color: t.axisText, fontSize: 11 },
    },
    grid: grids,
    xAxis: xAxes as GcChartOption['xAxis'],
    yAxis: yAxes as GcChartOption['yAxis'],
    dataZoom: [
      { type: 'inside', xAxisIndex: axes, filterMode: 'none' },
      {
        type: 'slider',
        xAxisIndex: axes,
        filterMode: 'none',
        height: 18,
        bottom: 6,
        borderColor: t.sliderBorder,
        fillerColor: t.sliderFill,
        textStyle: { color: t.axisText },
        labelFormatter: (v: number) => `${num(v)} s`,
      },
    ],
    tooltip: {
      trigger: 'axis',
      confine: true,
      transitionDuration: 0,
      backgroundColor: t.background,
      borderColor: t.axisLine,
      textStyle: { color: t.axisText, fontSize: 11 },
      axisPointer: { type: 'line', animation: false, link: [{ xAxisIndex: 'all' }] },
      // Built from numbers and our own names, escaped anyway: ECharts renders it as HTML.
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as {
          seriesName?: string;
          value?: [number, number];
        }[];
        const first = list[0]?.value;
        if (!first) return '';
        const lines = [`@${num(first[0])} s`];
        for (const p of list) if (p.value) lines.push(`${p.seriesName ?? ''}: ${num(p.value[1])}`);
        return lines.map(escapeText).join('<br>');
      },
    },
    series,
  };
}

export class GcChart {
  private readonly chart: ECharts;
  private disposed = false;

  constructor(el: HTMLElement) {
    this.chart = init(el, null, { renderer: 'canvas' });
  }

  draw(option: GcChartOption): void {
    if (!this.disposed) this.chart.setOption(option, { notMerge: true, lazyUpdate: true });
  }

  resize(): void {
    if (!this.disposed) this.chart.resize();
  }

  dispose(): void {
    this.disposed = true;
    this.chart.dispose();
  }
}

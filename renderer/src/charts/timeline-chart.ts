// The timeline as one ECharts chart: three grids sharing a time axis (heap, goroutine counts,
// lanes), dataZoom (a slider, plus wheel zoom and drag pan inside the grids), and the lanes
// drawn by timeline-draw into an offscreen canvas that a custom series shows as ONE image
// element (silent, no animation, no progressive rendering). The counter lines hold one point
// per pixel (the Worker's per-pixel maxima), so every part of the chart is bounded by the
// width, not by the trace.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import {
  CustomChart,
  LineChart,
  type CustomSeriesOption,
  type LineSeriesOption,
} from 'echarts/charts';
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { fitCanvas } from './canvas';
import { drawTimeline, TextFit, type DrawParams, type DrawStats } from './timeline-draw';
import type { TimelineTheme } from './timeline-theme';
import { formatAxisTime } from '../../../core/view/format';

use([
  CustomChart,
  LineChart,
  GridComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  CanvasRenderer,
]);

type TimelineOption = ComposeOption<
  CustomSeriesOption | LineSeriesOption | GridComponentOption | DataZoomComponentOption
>;

/**
 * Layout in CSS px: the lane labels' gutter on the left; on the right, room for the last time
 * label and the lanes' scrollbar (SCROLLBAR wide, at the far right).
 */
export const GUTTER = 210;
export const RIGHT = 30;
export const SCROLLBAR = 14;
const HEAP_TOP = 28;
const COUNTER_H = 40;
const GOS_TOP = HEAP_TOP + COUNTER_H + 8;
export const LANES_TOP = GOS_TOP + COUNTER_H + 8;
const SLIDER_H = 20;
export const LANES_BOTTOM = SLIDER_H + 14;
/** Narrowest window: a few hundred nanoseconds (trace clocks tick in tens of ns). */
const MIN_SPAN = 200;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CounterData {
  time: Float64Array;
  heap: Float64Array;
  heapGoal: Float64Array;
  running: Float64Array;
  runnable: Float64Array;
  syscall: Float64Array;
  waiting: Float64Array;
  maxHeap: number;
  maxActive: number;
  maxWaiting: number;
}

export type LanesParams = Omit<DrawParams, 'width' | 'height' | 'theme' | 't0' | 't1'>;

interface ZoomEvent {
  start?: number;
  end?: number;
  startValue?: number;
  endValue?: number;
  batch?: ZoomEvent[];
}

function points(time: Float64Array, v: Float64Array): Array<[number, number | null]> {
  const out: Array<[number, number | null]> = new Array(time.length);
  for (let i = 0; i < time.length; i++) out[i] = [time[i], Number.isNaN(v[i]) ? null : v[i]];
  return out;
}

export class TimelineChart {
  private readonly chart: ECharts;
  private readonly canvases: HTMLCanvasElement[];
  private front = 0;
  private readonly fit = new TextFit();
  private theme: TimelineTheme;
  private t0 = 0;
  private t1 = 1;
  private frameNo = 0;
  private fontReady = false;

  constructor(
    private readonly el: HTMLElement,
    theme: TimelineTheme,
    private readonly durationNs: number,
    private readonly onWindow: (t0: number, t1: number) => void,
  ) {
    this.theme = theme;
    this.t1 = Math.max(1, durationNs);
    this.chart = init(el, null, { renderer: 'canvas' });
    this.canvases = [document.createElement('canvas'), document.createElement('canvas')];
    this.chart.setOption(this.baseOption(), { notMerge: true });
    this.chart.on('datazoom', (e) => this.onZoom(e as ZoomEvent));
  }

  /** The lanes' drawing area, CSS px relative to the chart element. */
  lanesRect(): Rect {
    return {
      x: GUTTER,
      y: LANES_TOP,
      width: Math.max(1, this.el.clientWidth - GUTTER - RIGHT),
      height: Math.max(1, this.el.clientHeight - LANES_TOP - LANES_BOTTOM),
    };
  }

  /** The heap and goroutine-count plots, CSS px relative to the chart element. */
  counterRects(): { heap: Rect; goroutines: Rect } {
    const width = Math.max(1, this.el.clientWidth - GUTTER - RIGHT);
    return {
      heap: { x: GUTTER, y: HEAP_TOP, width, height: COUNTER_H },
      goroutines: { x: GUTTER, y: GOS_TOP, width, height: COUNTER_H },
    };
  }

  window(): { t0: number; t1: number } {
    return { t0: this.t0, t1: this.t1 };
  }

  /** Moves the window (clamped to the trace); dataZoom follows and reports it back. */
  setWindow(t0: number, t1: number): void {
    const d = Math.max(1, this.durationNs);
    let span = Math.max(Math.min(MIN_SPAN, d), Math.min(d, t1 - t0));
    if (!(span > 0)) span = d;
    let a = Math.max(0, Math.min(d - span, t0));
    if (!Number.isFinite(a)) a = 0;
    this.chart.dispatchAction({ type: 'dataZoom', startValue: a, endValue: a + span });
  }

  setTheme(theme: TimelineTheme): void {
    this.theme = theme;
    this.chart.setOption(this.baseOption(), { notMerge: true });
  }

  /** Draws the lanes for the current window; returns what was drawn. */
  drawLanes(p: LanesParams): DrawStats {
    const rect = this.lanesRect();
    const dpr = window.devicePixelRatio || 1;
    this.front ^= 1;
    const canvas = this.canvases[this.front];
    const ctx = fitCanvas(canvas, rect.width, rect.height, dpr);
    if (!ctx) return { items: 0, labels: 0, samples: 0, ms: 0 };
    if (!this.fontReady) {
      ctx.font = '10px system-ui, sans-serif';
      this.fit.reset(ctx);
      this.fontReady = true;
    }
    const stats = drawTimeline(
      ctx,
      { ...p, width: rect.width, height: rect.height, theme: this.theme, t0: this.t0, t1: this.t1 },
      this.fit,
    );
    this.frameNo++;
    const frame = this.frameNo;
    this.chart.setOption(
      {
        series: [
          {
            id: 'lanes',
            data: [[frame]],
            renderItem: () => ({
              type: 'image',
              silent: true,
              style: {
                image: canvas,
                x: rect.x,
                y: rect.y,
                width: rect.width,
                height: rect.height,
              },
            }),
          },
        ],
      },
      { lazyUpdate: false, silent: true },
    );
    return stats;
  }

  setCounters(c: CounterData | null): void {
    const empty: Array<[number, number]> = [];
    const pts = (v: Float64Array | undefined): Array<[number, number | null]> =>
      c && v ? points(c.time, v) : empty;
    this.chart.setOption(
      {
        yAxis: [
          { id: 'heap', max: c ? Math.max(1, c.maxHeap) * 1.05 : 1 },
          { id: 'active', max: c ? Math.max(1, c.maxActive) * 1.05 : 1 },
          { id: 'lanes' },
          { id: 'waiting', max: c ? Math.max(1, c.maxWaiting) * 1.05 : 1 },
        ],
        series: [
          { id: 'heap', data: pts(c?.heap) },
          { id: 'goal', data: pts(c?.heapGoal) },
          { id: 'running', data: pts(c?.running) },
          { id: 'runnable', data: pts(c?.runnable) },
          { id: 'syscall', data: pts(c?.syscall) },
          { id: 'waiting', data: pts(c?.waiting) },
        ],
      },
      { lazyUpdate: false, silent: true },
    );
  }

  resize(): void {
    this.chart.resize();
  }

  dispose(): void {
    this.chart.dispose();
  }

  private onZoom(e: ZoomEvent): void {
    const z = e.batch?.[0] ?? e;
    const d = Math.max(1, this.durationNs);
    let t0: number;
    let t1: number;
    if (z.startValue !== undefined && z.endValue !== undefined) {
      t0 = z.startValue;
      t1 = z.endValue;
    } else {
      // Wheel, drag and slider events carry percents of the axis, which spans [0, duration].
      t0 = ((z.start ?? 0) / 100) * d;
      t1 = ((z.end ?? 100) / 100) * d;
    }
    if (!(t1 > t0)) return;
    this.t0 = t0;
    this.t1 = t1;
    this.onWindow(t0, t1);
  }

  /** Axis labels read the window when drawn: the next redraw labels the new span. */
  private fmtTick = (v: number): string => formatAxisTime(v, this.t1 - this.t0);

  private baseOption(): TimelineOption {
    const t = this.theme;
    const d = Math.max(1, this.durationNs);
    const grid = (top: number, height?: number): GridComponentOption => ({
      left: GUTTER,
      right: RIGHT,
      top,
      ...(height !== undefined ? { height } : { bottom: LANES_BOTTOM }),
      outerBoundsMode: 'none',
      show: false,
    });
    const xAxis = (gridIndex: number, labels: boolean) => ({
      type: 'value' as const,
      gridIndex,
      min: 0,
      max: d,
      position: 'top' as const,
      show: true,
      splitLine: { show: gridIndex === 2, lineStyle: { color: t.splitLine } },
      axisLine: { show: labels, lineStyle: { color: t.axisLine } },
      axisTick: { show: labels, lineStyle: { color: t.axisLine } },
      axisLabel: {
        show: labels,
        color: t.axisText,
        fontSize: 11,
        hideOverlap: true,
        alignMinLabel: 'left' as const,
        alignMaxLabel: 'right' as const,
        formatter: this.fmtTick,
      },
    });
    const yAxis = (id: string, gridIndex: number) => ({
      id,
      type: 'value' as const,
      gridIndex,
      min: 0,
      max: 1,
      show: false,
    });
    const line = (
      id: string,
      xAxisIndex: number,
      yAxisIndex: number,
      color: string,
      extra: LineSeriesOption = {},
    ): LineSeriesOption => ({
      id,
      type: 'line',
      xAxisIndex,
      yAxisIndex,
      data: [],
      showSymbol: false,
      silent: true,
      animation: false,
      connectNulls: false,
      lineStyle: { color, width: 1 },
      itemStyle: { color },
      ...extra,
    });
    return {
      animation: false,
      backgroundColor: t.background,
      grid: [grid(HEAP_TOP, COUNTER_H), grid(GOS_TOP, COUNTER_H), grid(LANES_TOP)],
      xAxis: [xAxis(0, true), xAxis(1, false), xAxis(2, false)],
      yAxis: [yAxis('heap', 0), yAxis('active', 1), yAxis('lanes', 2), yAxis('waiting', 1)],
      dataZoom: [
        {
          type: 'inside',
          xAxisIndex: [0, 1, 2],
          filterMode: 'none',
          minValueSpan: MIN_SPAN,
          zoomOnMouseWheel: true,
          moveOnMouseMove: true,
          moveOnMouseWheel: false,
          startValue: this.t0,
          endValue: this.t1,
        },
        {
          type: 'slider',
          xAxisIndex: [0, 1, 2],
          filterMode: 'none',
          minValueSpan: MIN_SPAN,
          left: GUTTER,
          right: RIGHT,
          bottom: 6,
          height: SLIDER_H,
          showDataShadow: false,
          borderColor: t.sliderBorder,
          fillerColor: t.sliderFill,
          textStyle: { color: t.axisText, fontSize: 11 },
          labelFormatter: this.fmtTick,
          startValue: this.t0,
          endValue: this.t1,
        },
      ],
      series: [
        line('heap', 0, 0, t.heapLine, { areaStyle: { color: t.heapArea } }),
        line('goal', 0, 0, t.goalLine, {
          lineStyle: { color: t.goalLine, width: 1, type: 'dashed' },
        }),
        line('running', 1, 1, t.counts[0], {
          stack: 'active',
          areaStyle: { color: t.counts[0], opacity: 0.5 },
        }),
        line('runnable', 1, 1, t.counts[1], {
          stack: 'active',
          areaStyle: { color: t.counts[1], opacity: 0.5 },
        }),
        line('syscall', 1, 1, t.counts[2], {
          stack: 'active',
          areaStyle: { color: t.counts[2], opacity: 0.5 },
        }),
        line('waiting', 1, 3, t.counts[3], {
          lineStyle: { color: t.counts[3], width: 1, type: 'dashed' },
        }),
        {
          id: 'lanes',
          type: 'custom',
          xAxisIndex: 2,
          yAxisIndex: 2,
          silent: true,
          animation: false,
          progressive: 0,
          clip: true,
          data: [[0]],
          renderItem: () => null,
        },
      ],
    };
  }
}

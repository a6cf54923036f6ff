// The flame graph as an ECharts chart: ECharts owns the value axis (the window in profile
// units) and the canvas; the rectangles come from the Worker's level-of-detail output, drawn
// into an offscreen canvas and handed to a custom series as ONE image element (silent, no
// animation, no progressive rendering). Per-item zrender elements would cost ~10 µs and
// ~3.7 KB each (rendering-performance.md); here a frame costs the same for 1k or 1M nodes.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CustomChart, type CustomSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { drawFlame, LabelCache, type DrawParams, type DrawStats } from './flame-draw';
import type { FlameTheme } from './palette';
import { fmtTick } from '../format';

use([CustomChart, GridComponent, CanvasRenderer]);

type FlameOption = ComposeOption<CustomSeriesOption | GridComponentOption>;

export const AXIS_HEIGHT = 22;

export type FrameParams = Omit<DrawParams, 'width' | 'height' | 'theme'>;

export interface PlotRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class FlameChart {
  private readonly chart: ECharts;
  // Two canvases alternate so the image element sees a new source on every frame.
  private readonly canvases: HTMLCanvasElement[];
  private front = 0;
  private readonly labels = new LabelCache();
  private theme: FlameTheme;
  private readonly axis: boolean;
  private readonly axisUnit: (span: number) => { factor: number; label: string };
  private frame = 0;
  private lastStats: DrawStats = { rects: 0, labels: 0, canvasMs: 0, chartMs: 0 };

  constructor(
    private readonly el: HTMLElement,
    theme: FlameTheme,
    opts: { axis: boolean; axisUnit: (span: number) => { factor: number; label: string } },
  ) {
    this.theme = theme;
    this.axis = opts.axis;
    this.axisUnit = opts.axisUnit;
    this.chart = init(el, null, { renderer: 'canvas' });
    this.canvases = [document.createElement('canvas'), document.createElement('canvas')];
    this.chart.setOption(this.baseOption(0, 1), { notMerge: true });
  }

  /** The drawing area in CSS px, relative to the chart element. */
  plot(): PlotRect {
    const top = this.axis ? AXIS_HEIGHT : 0;
    return {
      x: 0,
      y: top,
      width: this.el.clientWidth,
      height: Math.max(0, this.el.clientHeight - top),
    };
  }

  setTheme(theme: FlameTheme): void {
    this.theme = theme;
    this.chart.setOption(this.baseOption(0, 1), { notMerge: true });
  }

  /** Draws one frame; returns what was drawn. */
  render(p: FrameParams): DrawStats {
    const rect = this.plot();
    const dpr = window.devicePixelRatio || 1;
    this.front ^= 1;
    const canvas = this.canvases[this.front];
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) return this.lastStats;
    if (this.frame === 0) this.labels.reset(ctx);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const t0 = performance.now();
    this.lastStats = drawFlame(
      ctx,
      { ...p, width: rect.width, height: rect.height, theme: this.theme },
      this.labels,
    );
    const t1 = performance.now();
    this.frame++;
    this.chart.setOption(this.frameOption(p.x0, p.x1, rect, canvas), {
      lazyUpdate: false,
      silent: true,
    });
    this.lastStats = { ...this.lastStats, canvasMs: t1 - t0, chartMs: performance.now() - t1 };
    return this.lastStats;
  }

  /** New names table: label strings are cached per name index. */
  namesChanged(): void {
    this.labels.clearNames();
  }

  resize(): void {
    this.chart.resize();
  }

  dispose(): void {
    this.chart.dispose();
  }

  // The axis runs in a readable unit (MB, ms...) so ECharts' round ticks are round there.
  private baseOption(x0: number, x1: number): FlameOption {
    const t = this.theme;
    const { factor, label } = this.axisUnit(x1 - x0);
    return {
      animation: false,
      backgroundColor: t.background,
      grid: {
        left: 0,
        right: 0,
        top: this.axis ? AXIS_HEIGHT : 0,
        bottom: 0,
        outerBoundsMode: 'none',
        show: false,
      },
      xAxis: {
        type: 'value',
        position: 'top',
        show: this.axis,
        min: x0 / factor,
        max: x1 / factor,
        splitLine: { show: false },
        axisLine: { show: true, lineStyle: { color: t.axisLine } },
        axisTick: { show: true, lineStyle: { color: t.axisLine } },
        axisLabel: {
          color: t.axisText,
          fontSize: 11,
          formatter: (v: number) => `${fmtTick(v)}${label}`,
          alignMinLabel: 'left',
          alignMaxLabel: 'right',
          hideOverlap: true,
        },
      },
      yAxis: { type: 'value', show: false, min: 0, max: 1 },
      series: [
        {
          type: 'custom',
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

  // Per frame only the axis window and the series' one datum change; the rest stays merged
  // from the base option (set again in full when the theme changes).
  private frameOption(
    x0: number,
    x1: number,
    rect: PlotRect,
    canvas: HTMLCanvasElement,
  ): FlameOption {
    const { factor, label } = this.axisUnit(x1 - x0);
    const frame = this.frame;
    return {
      xAxis: {
        min: x0 / factor,
        max: x1 / factor,
        axisLabel: { formatter: (v: number) => `${fmtTick(v)}${label}` },
      },
      series: [
        {
          data: [[frame]],
          renderItem: () => ({
            type: 'image',
            silent: true,
            style: { image: canvas, x: rect.x, y: rect.y, width: rect.width, height: rect.height },
          }),
        },
      ],
    };
  }
}

// The flame graph: ECharts owns the value axis (the window in profile units, in a strip
// above the plot); the rectangles come from the Worker's level-of-detail output and are
// drawn by flame-draw straight into a canvas laid over the plot area, the hovered item into
// a second, transparent canvas above it. Per-item zrender elements would cost ~10 µs and
// ~3.7 KB each, and even one image element makes ECharts copy the whole plot every frame
// (rendering-performance.md §1, §5); here a frame is one pass over the drawn items, a hover
// one outline, and the axis is updated only when the window moves.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CustomChart, type CustomSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { drawFlame, drawHover, LabelCache, type DrawParams, type DrawStats } from './flame-draw';
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
  private readonly axisChart: ECharts | null = null;
  private readonly axisEl: HTMLDivElement | null = null;
  private readonly canvas: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly labels = new LabelCache();
  private theme: FlameTheme;
  private readonly axisUnit: (span: number) => { factor: number; label: string };
  private readonly top: number;
  /** Element size in CSS px, read on resize rather than per frame (a read forces layout). */
  private width = 0;
  private height = 0;
  private readonly observer: ResizeObserver;
  private frame = 0;
  /** The last frame drawn, so a hover can be drawn alone. */
  private last: DrawParams | null = null;
  private axisWindow = { x0: Number.NaN, x1: Number.NaN };
  private formatter: { label: string; fn: (v: number) => string } | null = null;
  private lastStats: DrawStats = { rects: 0, labels: 0, canvasMs: 0, chartMs: 0 };

  constructor(
    private readonly el: HTMLElement,
    theme: FlameTheme,
    opts: { axis: boolean; axisUnit: (span: number) => { factor: number; label: string } },
  ) {
    this.theme = theme;
    this.axisUnit = opts.axisUnit;
    this.top = opts.axis ? AXIS_HEIGHT : 0;
    if (getComputedStyle(el).position === 'static') el.style.position = 'relative';
    if (opts.axis) {
      this.axisEl = layer(document.createElement('div'), 0, AXIS_HEIGHT);
      el.appendChild(this.axisEl);
      // Its option is set with the first frame's window (one ECharts update, not two).
      this.axisChart = init(this.axisEl, null, { renderer: 'canvas' });
    }
    this.canvas = layer(document.createElement('canvas'), this.top, 0);
    this.overlay = layer(document.createElement('canvas'), this.top, 0);
    el.append(this.canvas, this.overlay);
    this.measure();
    this.observer = new ResizeObserver(() => this.measure());
    this.observer.observe(el);
  }

  /** The drawing area in CSS px, relative to the chart element. */
  plot(): PlotRect {
    return {
      x: 0,
      y: this.top,
      width: this.width,
      height: Math.max(0, this.height - this.top),
    };
  }

  setTheme(theme: FlameTheme): void {
    this.theme = theme;
    const { x0, x1 } = this.axisWindow;
    this.axisWindow = { x0: Number.NaN, x1: Number.NaN };
    if (!Number.isNaN(x0)) this.updateAxis(x0, x1);
  }

  /** Draws one frame; returns what was drawn. */
  render(p: FrameParams): DrawStats {
    const rect = this.plot();
    const dpr = window.devicePixelRatio || 1;
    const ctx = this.fit(this.canvas, rect, dpr, false);
    if (!ctx) return this.lastStats;
    if (this.frame === 0) this.labels.reset(ctx);
    const params: DrawParams = { ...p, width: rect.width, height: rect.height, theme: this.theme };
    const t0 = performance.now();
    const stats = drawFlame(ctx, params, this.labels);
    this.last = params;
    this.drawOverlay(p.hover);
    const t1 = performance.now();
    this.frame++;
    this.updateAxis(p.x0, p.x1);
    this.lastStats = { ...stats, canvasMs: t1 - t0, chartMs: performance.now() - t1 };
    return this.lastStats;
  }

  /** Outlines LOD item `i` of the last frame (-1: none) without drawing the frame again. */
  hover(i: number): void {
    if (this.last) this.last.hover = i;
    this.drawOverlay(i);
  }

  /** New names table: label strings are cached per name index. */
  namesChanged(): void {
    this.labels.clearNames();
  }

  resize(): void {
    this.measure();
    this.axisChart?.resize();
  }

  dispose(): void {
    this.observer.disconnect();
    this.axisChart?.dispose();
    this.axisEl?.remove();
    this.canvas.remove();
    this.overlay.remove();
    this.last = null;
  }

  private measure(): void {
    this.width = this.el.clientWidth;
    this.height = this.el.clientHeight;
  }

  /** Sizes a canvas to the plot (its backing store only when that changed). */
  private fit(
    canvas: HTMLCanvasElement,
    rect: PlotRect,
    dpr: number,
    alpha: boolean,
  ): CanvasRenderingContext2D | null {
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
      canvas.style.width = `${rect.width}px`;
      canvas.style.height = `${rect.height}px`;
    }
    const ctx = canvas.getContext('2d', { alpha });
    ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  private drawOverlay(i: number): void {
    const p = this.last;
    if (!p) return;
    const ctx = this.fit(this.overlay, this.plot(), window.devicePixelRatio || 1, true);
    if (!ctx) return;
    ctx.clearRect(0, 0, p.width, p.height);
    if (i >= 0) drawHover(ctx, p, i);
  }

  private updateAxis(x0: number, x1: number): void {
    const chart = this.axisChart;
    if (!chart || (x0 === this.axisWindow.x0 && x1 === this.axisWindow.x1)) return;
    const first = Number.isNaN(this.axisWindow.x0);
    this.axisWindow = { x0, x1 };
    if (first) {
      chart.setOption(this.axisOption(x0, x1), { notMerge: true, lazyUpdate: false, silent: true });
      return;
    }
    const { factor, label } = this.axisUnit(x1 - x0);
    chart.setOption(
      {
        xAxis: { min: x0 / factor, max: x1 / factor, axisLabel: { formatter: this.format(label) } },
      },
      { lazyUpdate: false, silent: true },
    );
  }

  /** One formatter per unit label, so an unchanged axis option stays unchanged. */
  private format(label: string): (v: number) => string {
    if (this.formatter?.label !== label) {
      this.formatter = { label, fn: (v: number) => `${fmtTick(v)}${label}` };
    }
    return this.formatter.fn;
  }

  // The axis runs in a readable unit (MB, ms...) so ECharts' round ticks are round there.
  private axisOption(x0: number, x1: number): FlameOption {
    const t = this.theme;
    const { factor, label } = this.axisUnit(x1 - x0);
    return {
      animation: false,
      backgroundColor: t.background,
      grid: {
        left: 0,
        right: 0,
        top: AXIS_HEIGHT - 1,
        bottom: 0,
        outerBoundsMode: 'none',
        show: false,
      },
      xAxis: {
        type: 'value',
        position: 'top',
        min: x0 / factor,
        max: x1 / factor,
        splitLine: { show: false },
        axisLine: { show: true, lineStyle: { color: t.axisLine } },
        axisTick: { show: true, lineStyle: { color: t.axisLine } },
        axisLabel: {
          color: t.axisText,
          fontSize: 11,
          formatter: this.format(label),
          alignMinLabel: 'left',
          alignMaxLabel: 'right',
          hideOverlap: true,
        },
      },
      yAxis: { type: 'value', show: false, min: 0, max: 1 },
      // Nothing to draw: the grid needs a series to lay out its axes.
      series: [{ type: 'custom', silent: true, data: [], renderItem: () => null }],
    };
  }
}

/** An absolutely placed layer of the chart element: `height` 0 fills it below `top`. */
function layer<T extends HTMLElement>(node: T, top: number, height: number): T {
  const s = node.style;
  s.position = 'absolute';
  s.left = '0';
  s.top = `${top}px`;
  if (height > 0) {
    s.width = '100%';
    s.height = `${height}px`;
  }
  s.pointerEvents = 'none';
  return node;
}

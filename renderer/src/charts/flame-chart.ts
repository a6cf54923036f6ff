// The flame graph as one ECharts chart: a grid whose value axis (in a strip above the plot)
// is the window in profile units, and two custom series over it. The `flame` series draws
// the frame's rectangles as ONE image element (silent, no animation, no progressive
// rendering): flame-draw paints the Worker's level-of-detail items into an offscreen canvas,
// double-buffered, and the series shows it over the whole plot. The `hover` series outlines
// the item under the pointer with one rect element, so a hover re-renders only that series.
// Per-item zrender elements would cost ~10 µs and ~3.7 KB each; here ECharts handles a constant number of elements whatever the profile size.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CustomChart, type CustomSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CustomSeriesRenderItemReturn } from 'echarts';
import { itemBox } from '../../../core/view/flame/geometry';
import {
  drawFlame,
  LabelCache,
  paletteKey,
  paletteOf,
  type DrawParams,
  type DrawStats,
} from './flame-draw';
import { fitCanvas } from './canvas';
import { paletteArrays, type RasterRequest } from '../../../core/view/flame/raster';
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

interface Box {
  width?: number;
  height?: number;
}

/** What the flame series shows: a painted canvas and where it goes, in CSS px. */
interface Shown {
  canvas: HTMLCanvasElement;
  rect: PlotRect;
}

export class FlameChart {
  private readonly chart: ECharts;
  /** Drawn alternately: the one on screen stays intact while the next frame is painted. */
  private readonly canvases: [HTMLCanvasElement, HTMLCanvasElement];
  private front = 0;
  private shown: Shown | null = null;
  private readonly labels = new LabelCache();
  private theme: FlameTheme;
  /** The theme's pixel words as a LOD request carries them, made once per theme. */
  private palette: { theme: FlameTheme; arrays: RasterRequest['palette'] } | null = null;
  private readonly axis: boolean;
  private readonly axisUnit: (span: number) => { factor: number; label: string };
  private readonly top: number;
  /** Element size in CSS px, read on resize rather than per frame (a read forces layout). */
  private width = 0;
  private height = 0;
  private readonly observer: ResizeObserver;
  private frame = 0;
  /** Bumped per hover change: the hover series' datum, so ECharts renders it again. */
  private hoverSeq = 0;
  /** The last frame drawn, so a hover can be outlined without drawing the frame again. */
  private last: DrawParams | null = null;
  private axisWindow = { x0: 0, x1: 1 };
  private formatter: { label: string; fn: (v: number) => string } | null = null;
  private lastStats: DrawStats = { rects: 0, labels: 0, worker: false, canvasMs: 0, chartMs: 0 };

  constructor(
    private readonly el: HTMLElement,
    theme: FlameTheme,
    opts: { axis: boolean; axisUnit: (span: number) => { factor: number; label: string } },
  ) {
    this.theme = theme;
    this.axis = opts.axis;
    this.axisUnit = opts.axisUnit;
    this.top = opts.axis ? AXIS_HEIGHT : 0;
    this.canvases = [document.createElement('canvas'), document.createElement('canvas')];
    this.measure();
    this.chart = init(el, null, { renderer: 'canvas' });
    this.chart.setOption(this.baseOption(), { notMerge: true, lazyUpdate: false, silent: true });
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
    this.chart.setOption(this.baseOption(), { notMerge: true, lazyUpdate: false, silent: true });
  }

  /** Draws one frame; returns what was drawn. */
  render(p: FrameParams): DrawStats {
    const rect = this.plot();
    const dpr = window.devicePixelRatio || 1;
    const canvas = this.canvases[this.front ^ 1];
    const ctx = fitCanvas(canvas, rect.width, rect.height, dpr);
    if (!ctx) return this.lastStats;
    if (this.frame === 0) this.labels.reset(ctx);
    const params: DrawParams = { ...p, width: rect.width, height: rect.height, theme: this.theme };
    const t0 = performance.now();
    const stats = drawFlame(ctx, params, this.labels);
    const t1 = performance.now();
    this.front ^= 1;
    this.last = params;
    this.shown = { canvas, rect };
    this.frame++;
    this.hoverSeq++;
    // One ECharts update for the axis window, the new image and the hover outline.
    const option: FlameOption = {
      series: [
        { id: 'flame', data: [[this.frame]] },
        { id: 'hover', data: [[this.hoverSeq]] },
      ],
    };
    if (p.x0 !== this.axisWindow.x0 || p.x1 !== this.axisWindow.x1) {
      this.axisWindow = { x0: p.x0, x1: p.x1 };
      option.xAxis = this.xAxis();
    }
    this.chart.setOption(option, { lazyUpdate: false, silent: true });
    this.lastStats = { ...stats, canvasMs: t1 - t0, chartMs: performance.now() - t1 };
    return this.lastStats;
  }

  /**
   * What the Worker needs to rasterize a LOD answer for this chart's drawing area (its
   * pixels are used only if the frame they are drawn in has the same view).
   */
  rasterRequest(top: number, flip: boolean, rowH: number): RasterRequest | undefined {
    const rect = this.plot();
    if (rect.width <= 0 || rect.height <= 0) return undefined;
    if (this.palette?.theme !== this.theme) {
      const ctx = this.canvases[0].getContext('2d', { alpha: false });
      if (!ctx) return undefined;
      this.palette = { theme: this.theme, arrays: paletteArrays(paletteOf(ctx, this.theme)) };
    }
    return {
      width: rect.width,
      height: rect.height,
      dpr: window.devicePixelRatio || 1,
      rowH,
      top,
      flip,
      paletteKey: paletteKey(this.theme),
      palette: this.palette.arrays,
    };
  }

  /** Outlines LOD item `i` of the last frame (-1: none) without drawing the frame again. */
  hover(i: number): void {
    if (!this.last || this.last.hover === i) return;
    this.last.hover = i;
    this.hoverSeq++;
    this.chart.setOption(
      { series: [{ id: 'hover', data: [[this.hoverSeq]] }] },
      { lazyUpdate: false, silent: true },
    );
  }

  /**
   * What ECharts holds, for the browser tests: the series, and the elements it displays
   * (type and size); and how many canvases the chart element has (ECharts' own only).
   */
  describe(): {
    series: Array<{ id: string; type: string }>;
    elements: Array<{ type: string; width: number; height: number; ours: boolean }>;
    canvases: number;
  } {
    const opt = this.chart.getOption() as { series?: Array<{ id?: string; type?: string }> };
    const elements = this.chart
      .getZr()
      .storage.getDisplayList(true)
      .filter((el) => el.type === 'image' || el.type === 'rect')
      .map((el) => {
        // The element's own size: an image's drawn box, a rect's shape (a stroked path's
        // bounding rect is widened for hit-testing).
        const style = el.style as { image?: unknown; width?: number; height?: number };
        const box = el.type === 'rect' ? (el as unknown as { shape: Box }).shape : style;
        return {
          type: el.type,
          width: box.width ?? 0,
          height: box.height ?? 0,
          ours:
            style.image !== undefined && this.canvases.includes(style.image as HTMLCanvasElement),
        };
      });
    return {
      series: (opt.series ?? []).map((x) => ({ id: String(x.id), type: String(x.type) })),
      elements,
      canvases: this.el.querySelectorAll('canvas').length,
    };
  }

  /** New names table: label strings are cached per name index. */
  namesChanged(): void {
    this.labels.clearNames();
  }

  resize(): void {
    this.measure();
    this.chart.resize();
  }

  dispose(): void {
    this.observer.disconnect();
    this.chart.dispose();
    this.last = null;
    this.shown = null;
    for (const c of this.canvases) c.width = c.height = 0;
  }

  private measure(): void {
    this.width = this.el.clientWidth;
    this.height = this.el.clientHeight;
  }

  // The flame series' one element: the painted canvas over the plot.
  private readonly renderFlame = (): CustomSeriesRenderItemReturn => {
    const s = this.shown;
    if (!s) return null;
    return {
      type: 'image',
      silent: true,
      style: {
        image: s.canvas,
        x: s.rect.x,
        y: s.rect.y,
        width: s.rect.width,
        height: s.rect.height,
      },
    };
  };

  // The hover series' one element: the outline of the item under the pointer.
  private readonly renderHover = (): CustomSeriesRenderItemReturn => {
    const p = this.last;
    const s = this.shown;
    const box = p && s && p.hover >= 0 ? itemBox(p.lod, p.hover, p) : null;
    if (!box || !s) return null;
    return {
      type: 'rect',
      silent: true,
      shape: { x: s.rect.x + box.x, y: s.rect.y + box.y, width: box.width, height: box.height },
      style: { fill: 'none', stroke: this.theme.hoverStroke, lineWidth: 1.5 },
    };
  };

  /** One formatter per unit label, so an unchanged axis option stays unchanged. */
  private format(label: string): (v: number) => string {
    if (this.formatter?.label !== label) {
      this.formatter = { label, fn: (v: number) => `${fmtTick(v)}${label}` };
    }
    return this.formatter.fn;
  }

  // The axis runs in a readable unit (MB, ms...) so ECharts' round ticks are round there.
  private xAxis(): FlameOption['xAxis'] {
    const { x0, x1 } = this.axisWindow;
    const { factor, label } = this.axisUnit(x1 - x0);
    return {
      min: x0 / factor,
      max: x1 / factor,
      axisLabel: { formatter: this.format(label) },
    };
  }

  private baseOption(): FlameOption {
    const t = this.theme;
    const { x0, x1 } = this.axisWindow;
    const { factor, label } = this.axisUnit(x1 - x0);
    const custom = (
      id: string,
      z: number,
      datum: number,
      renderItem: () => CustomSeriesRenderItemReturn,
    ): CustomSeriesOption => ({
      id,
      type: 'custom',
      z,
      silent: true,
      animation: false,
      progressive: 0,
      clip: true,
      data: [[datum]],
      renderItem,
    });
    return {
      animation: false,
      backgroundColor: t.background,
      grid: {
        left: 0,
        right: 0,
        top: this.top,
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
          formatter: this.format(label),
          alignMinLabel: 'left',
          alignMaxLabel: 'right',
          hideOverlap: true,
        },
      },
      yAxis: { type: 'value', show: false, min: 0, max: 1 },
      series: [
        custom('flame', 1, this.frame, this.renderFlame),
        custom('hover', 2, this.hoverSeq, this.renderHover),
      ],
    };
  }
}

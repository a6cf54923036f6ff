// The scheduler-latency histogram (waits in runnable, as go tool trace counts them): one bar
// per non-empty bucket range (at most a few hundred), log-spaced buckets (histogram-chart).
import type { LatencyPayload } from '../worker/trace-protocol';
import {
  HistogramChart,
  histogramOption,
  type HistogramData,
  type HistogramOption,
} from './histogram-chart';
import type { TimelineTheme } from './timeline-theme';

function latencyData(h: LatencyPayload, t: TimelineTheme): HistogramData {
  return {
    lower: h.lower,
    upper: h.upper,
    series: [{ name: 'waits', counts: h.counts, color: t.classes[1] }],
    xName: 'wait in runnable',
    unit: 'waits',
  };
}

export function latencyOption(h: LatencyPayload, t: TimelineTheme): HistogramOption {
  return histogramOption(latencyData(h, t), t);
}

export class LatencyChart {
  private readonly chart: HistogramChart;
  constructor(el: HTMLElement) {
    this.chart = new HistogramChart(el);
  }
  set(h: LatencyPayload, t: TimelineTheme): void {
    this.chart.set(latencyData(h, t), t);
  }
  resize(): void {
    this.chart.resize();
  }
  dispose(): void {
    this.chart.dispose();
  }
}

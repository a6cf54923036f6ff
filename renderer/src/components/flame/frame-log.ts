// How long a flame pane's recent frames took, for the bench (bench/cases/flamegraph*.bench.ts
// reads them through the pane's `:state` test hook): request to drawn (LOD in the Worker,
// transfer, draw), and per frame the UI thread's part. Nothing in the pane reads it back.
import type { DrawStats } from '../../charts/flame-draw';

const KEEP = 200;

export interface FrameDraw {
  canvas: number;
  chart: number;
  rects: number;
  labels: number;
  /** The rects came as the Worker's pixels. */
  worker: boolean;
  /** The answer had been computed ahead (zoom ahead). */
  ahead: boolean;
  /** Worker time of the answer. */
  workerMs: number;
}

export class FrameLog {
  readonly frameTimes: number[] = [];
  readonly drawTimes: FrameDraw[] = [];
  frames = 0;
  lastFrameMs = 0;
  private askedAt = 0;

  /** A frame was asked for (or taken from what was computed ahead). */
  asked(): void {
    this.askedAt = performance.now();
  }

  /** A frame was drawn. */
  drawn(st: DrawStats, ahead: boolean, workerMs: number): void {
    this.frames++;
    push(this.drawTimes, {
      canvas: st.canvasMs,
      chart: st.chartMs,
      rects: st.rects,
      labels: st.labels,
      worker: st.worker,
      ahead,
      workerMs,
    });
  }

  /** The asked frame is on screen. */
  shown(): void {
    this.lastFrameMs = performance.now() - this.askedAt;
    push(this.frameTimes, this.lastFrameMs);
  }
}

function push<T>(a: T[], v: T): void {
  a.push(v);
  if (a.length > KEEP) a.shift();
}

// Offscreen canvases the charts draw into and show as one ECharts image element.

/**
 * Sizes `canvas` to `width` x `height` CSS px at `dpr` (its backing store only when that
 * changed: resizing clears it) and returns its opaque 2D context, scaled to CSS px.
 */
export function fitCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  dpr: number,
): CanvasRenderingContext2D | null {
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d', { alpha: false });
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

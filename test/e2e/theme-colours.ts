// What a theme looks like when drawn: pixel counts of the flame chart's canvas in the
// theme's colours, and the page's computed text and background colours (browser tests).
import type { Page } from 'playwright-core';
import { FLAME_THEMES, type FlameTheme } from '../../renderer/src/charts/palette';

/**
 * Counts the flame chart's canvas pixels of the theme's colours (each colour as this browser
 * paints it) and reads the page's computed text and background colours.
 */
export async function flameColours(
  page: Page,
  t: FlameTheme,
): Promise<{
  background: number;
  root: number;
  buckets: number;
  label: number;
  lightBackground: number;
  bodyColor: string;
  bodyBackground: string;
}> {
  return page.evaluate(
    ({ t, light }) => {
      const probe = document.createElement('canvas').getContext('2d', {
        willReadFrequently: true,
      })!;
      const rgb = (css: string): number => {
        probe.clearRect(0, 0, 1, 1);
        probe.fillStyle = css;
        probe.fillRect(0, 0, 1, 1);
        const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
        return (r! << 16) | (g! << 8) | b!;
      };
      const bucketSet = new Set(t.buckets.map(rgb));
      const bg = rgb(t.background);
      const root = rgb(t.root);
      const label = rgb(t.text);
      const lightBg = rgb(light);
      const canvases = [...document.querySelectorAll('[data-test=flame-main] canvas')];
      const out = { background: 0, root: 0, buckets: 0, label: 0, lightBackground: 0 };
      for (const c of canvases as HTMLCanvasElement[]) {
        if (c.width === 0 || c.height === 0) continue;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] !== 255) continue;
          const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
          if (v === bg) out.background++;
          else if (v === root) out.root++;
          else if (v === label) out.label++;
          else if (v === lightBg) out.lightBackground++;
          else if (bucketSet.has(v)) out.buckets++;
        }
      }
      const body = getComputedStyle(document.body);
      return { ...out, bodyColor: body.color, bodyBackground: body.backgroundColor };
    },
    { t, light: FLAME_THEMES.light.background },
  );
}

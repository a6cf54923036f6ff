// Colours of the flame graph per theme. A frame's colour bucket comes from a hash of its
// package path (core/pprof/flamegraph.ts), so a package keeps its colour across views.

export type ThemeName = 'light' | 'dark';

import { PALETTE_SIZE } from '../../../core/view/flame/raster';

export { PALETTE_SIZE };

export interface FlameTheme {
  name: ThemeName;
  background: string;
  /** One fill per colour bucket. */
  buckets: string[];
  merged: string;
  root: string;
  text: string;
  textOnRoot: string;
  /** Outline of search matches and of the selected function. */
  matchStroke: string;
  selectStroke: string;
  hoverStroke: string;
  /** Alpha of items that do not match while a search is active. */
  dimAlpha: number;
  /** Stripes drawn over inlined frames. */
  inlineStripe: string;
  axisText: string;
  axisLine: string;
}

function buckets(sat: number, light: number): string[] {
  // Warm-to-cool hues spread with the golden angle so neighbouring buckets differ.
  const out: string[] = [];
  for (let i = 0; i < PALETTE_SIZE; i++) {
    const hue = Math.round((i * 137.508) % 360);
    out.push(`hsl(${hue} ${sat}% ${light}%)`);
  }
  return out;
}

export const FLAME_THEMES: Record<ThemeName, FlameTheme> = {
  light: {
    name: 'light',
    background: '#ffffff',
    buckets: buckets(58, 78),
    merged: '#c9ced6',
    root: '#d9dde3',
    text: '#1b1f24',
    textOnRoot: '#1b1f24',
    matchStroke: '#c2185b',
    selectStroke: '#0b57d0',
    hoverStroke: '#1b1f24',
    dimAlpha: 0.28,
    inlineStripe: 'rgba(255,255,255,0.55)',
    axisText: '#57606a',
    axisLine: '#d0d7de',
  },
  dark: {
    name: 'dark',
    background: '#16181d',
    buckets: buckets(40, 36),
    merged: '#454b55',
    root: '#3a3f48',
    text: '#eef1f5',
    textOnRoot: '#eef1f5',
    matchStroke: '#ff6fb0',
    selectStroke: '#7cb4ff',
    hoverStroke: '#ffffff',
    dimAlpha: 0.3,
    inlineStripe: 'rgba(0,0,0,0.35)',
    axisText: '#9aa4b2',
    axisLine: '#30353d',
  },
};

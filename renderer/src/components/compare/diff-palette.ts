// Fills of the diff flame graph: the flame drawer's theme with its 24 package buckets replaced
// by the change buckets of core/pprof/diff-flame.ts (unchanged, noise, ten levels down, ten
// up, removed, added). Two palettes: red/green, and a colour-blind safe blue/orange.
import {
  BUCKET_ADDED,
  BUCKET_DOWN,
  BUCKET_NOISE,
  BUCKET_REMOVED,
  BUCKET_UNCHANGED,
  BUCKET_UP,
  DIFF_BUCKETS,
  DIFF_LEVELS,
} from '../../../../core/pprof/diff-flame';
import { FLAME_THEMES, PALETTE_SIZE, type FlameTheme, type ThemeName } from '../../charts/palette';
import type { DiffPalette } from '../../stores/compare';

interface Hues {
  down: number;
  up: number;
}

const HUES: Record<DiffPalette, Hues> = {
  'red-green': { down: 142, up: 4 },
  colorblind: { down: 214, up: 30 },
};

function level(theme: ThemeName, hue: number, t: number): string {
  // Stronger changes: more saturated and further from the neutral grey; never neon.
  if (theme === 'light') {
    return `hsl(${hue} ${Math.round(18 + 44 * t)}% ${Math.round(88 - 34 * t)}%)`;
  }
  return `hsl(${hue} ${Math.round(14 + 38 * t)}% ${Math.round(27 + 12 * t)}%)`;
}

/** The diff buckets' fills in order (DIFF_BUCKETS entries). */
export function diffFills(theme: ThemeName, palette: DiffPalette): string[] {
  const h = HUES[palette];
  const out = new Array<string>(DIFF_BUCKETS);
  out[BUCKET_UNCHANGED] = theme === 'light' ? '#d5d9df' : '#3d434c';
  out[BUCKET_NOISE] = theme === 'light' ? '#e6e8eb' : '#31363e';
  for (let k = 1; k <= DIFF_LEVELS; k++) {
    out[BUCKET_DOWN + k - 1] = level(theme, h.down, k / DIFF_LEVELS);
    out[BUCKET_UP + k - 1] = level(theme, h.up, k / DIFF_LEVELS);
  }
  out[BUCKET_REMOVED] = level(theme, h.down, 1.2);
  out[BUCKET_ADDED] = level(theme, h.up, 1.2);
  return out;
}

const made = new Map<string, FlameTheme>();

/** A flame theme drawing diff buckets instead of package colours (one object per pair). */
export function diffTheme(theme: ThemeName, palette: DiffPalette): FlameTheme {
  const key = `${theme} ${palette}`;
  const hit = made.get(key);
  if (hit) return hit;
  const t = makeDiffTheme(theme, palette);
  made.set(key, t);
  return t;
}

function makeDiffTheme(theme: ThemeName, palette: DiffPalette): FlameTheme {
  const base = FLAME_THEMES[theme];
  const fills = diffFills(theme, palette);
  // The drawer indexes buckets modulo its palette size: keep the sizes equal.
  const buckets = Array.from({ length: PALETTE_SIZE }, (_, i) => fills[i % DIFF_BUCKETS]);
  return { ...base, buckets };
}

// The diff flame graph of two call trees (a DiffTree from tree-diff.ts): per node, the width
// (before + after, normalized), the change that sets its colour, whether that change is
// within the sampling noise, and the legend that names the normalization in force. Also the
// per-pane call trees the side-by-side view lays out, and Go-aware frame matching.
//
// Colour buckets fit the flame graph drawer's palette (24 entries): unchanged, noise, ten
// levels of decrease, ten of increase, removed and added. The level is set by
// |log2(after/before)| so halving and doubling are equally strong; 2x and beyond saturate.
import { normalizeGenerics } from '../goroutines/frames';
import type { CallTree } from './tree';
import { normalizationScale, type DiffTree, type Normalization } from './tree-diff';

export const DIFF_BUCKETS = 24;
export const DIFF_LEVELS = 10;
export const BUCKET_UNCHANGED = 0;
export const BUCKET_NOISE = 1;
/** Decrease level k (1..10) is bucket BUCKET_DOWN + k - 1. */
export const BUCKET_DOWN = 2;
/** Increase level k (1..10) is bucket BUCKET_UP + k - 1. */
export const BUCKET_UP = 12;
export const BUCKET_REMOVED = 22;
export const BUCKET_ADDED = 23;

/** Relative changes at most this large are drawn as unchanged (like Parca's 0.1%). */
export const DEFAULT_MIN_CHANGE = 0.001;

export interface DiffColorOptions {
  mode: Normalization;
  beforeDurationNanos: number;
  afterDurationNanos: number;
  /**
   * Profile units per sample when the values are sampled counts (CPU): changes within
   * 2·√n samples are noise. 0 turns the noise rule off.
   */
  noisePeriod: number;
  minChange?: number;
}

export interface DiffColoring {
  /** The normalization actually applied (absolute when the one asked for is unavailable). */
  mode: Normalization;
  /** Legend text for the normalization, e.g. "per second of profile duration". */
  label: string;
  /** Why the mode asked for could not be used, when it could not. */
  unavailable?: string;
  scaleBefore: number;
  scaleAfter: number;
  /** Normalized total of each node, before and after side. */
  before: Float64Array;
  after: Float64Array;
  /** before + after: the node's width in the diff flame graph. */
  width: Float64Array;
  /** Normalized before self + after self. */
  widthSelf: Float64Array;
  /** (after - before) / before; +Infinity when only after, -1 when only before, 0 when both 0. */
  change: Float64Array;
  bucket: Uint16Array;
  /** 1 when the change is within the sampling noise. */
  noise: Uint8Array;
  /** Whether the noise rule applies to these values. */
  noiseRule: boolean;
}

/** The sampling noise band of a change, in normalized units: 2·σ of a Poisson difference. */
export function noiseBand(
  baseValue: number,
  newValue: number,
  period: number,
  scaleBase: number,
  scaleNew: number,
): number {
  if (!(period > 0)) return 0;
  const a = Math.abs(baseValue) / period;
  const b = Math.abs(newValue) / period;
  const sa = period * scaleBase;
  const sb = period * scaleNew;
  return 2 * Math.sqrt(a * sa * sa + b * sb * sb);
}

/**
 * Whether a change is within the sampling noise once both sides are normalized: with both
 * scales 1 this is |a - b| <= 2·√(a + b) samples (tree-diff's isWithinNoise).
 */
export function withinNoiseScaled(
  baseValue: number,
  newValue: number,
  period: number,
  scaleBase: number,
  scaleNew: number,
): boolean {
  if (!(period > 0)) return false;
  if (baseValue === 0 && newValue === 0) return false;
  const diff = Math.abs(newValue * scaleNew - baseValue * scaleBase);
  return diff <= noiseBand(baseValue, newValue, period, scaleBase, scaleNew);
}

/** The colour bucket of a change between two normalized values. */
export function changeBucket(
  base: number,
  next: number,
  noise: boolean,
  minChange = DEFAULT_MIN_CHANGE,
): number {
  if (noise) return BUCKET_NOISE;
  if (base === 0 && next === 0) return BUCKET_UNCHANGED;
  if (base === 0) return BUCKET_ADDED;
  if (next === 0) return BUCKET_REMOVED;
  if (Math.abs(next - base) <= minChange * Math.abs(base)) return BUCKET_UNCHANGED;
  const strength = Math.min(1, Math.abs(Math.log2(next / base)));
  const level = Math.max(1, Math.min(DIFF_LEVELS, Math.ceil(Math.sqrt(strength) * DIFF_LEVELS)));
  return (next > base ? BUCKET_UP : BUCKET_DOWN) + level - 1;
}

/** Units per sample for the noise rule: CPU sample counts and CPU time are Poisson counts. */
export function noisePeriodOf(
  sampleType: { type: string; unit: string },
  periodType: { type: string; unit: string } | null,
  period: number,
): number {
  if (periodType?.type !== 'cpu') return 0;
  if (sampleType.type === 'samples' && sampleType.unit === 'count') return 1;
  if (sampleType.unit === periodType.unit && period > 0) return period;
  return 0;
}

export function colorDiffTree(d: DiffTree, opts: DiffColorOptions): DiffColoring {
  const n = d.length;
  const scale = normalizationScale({
    mode: opts.mode,
    beforeTotal: n > 0 ? d.beforeTotal[0] : 0,
    afterTotal: n > 0 ? d.afterTotal[0] : 0,
    beforeDurationNanos: opts.beforeDurationNanos,
    afterDurationNanos: opts.afterDurationNanos,
  });
  const sb = scale.before;
  const sn = scale.after;
  const base = new Float64Array(n);
  const next = new Float64Array(n);
  const width = new Float64Array(n);
  const widthSelf = new Float64Array(n);
  const change = new Float64Array(n);
  const bucket = new Uint16Array(n);
  const noise = new Uint8Array(n);
  const minChange = opts.minChange ?? DEFAULT_MIN_CHANGE;
  for (let i = 0; i < n; i++) {
    const b = Math.abs(d.beforeTotal[i]) * sb;
    const x = Math.abs(d.afterTotal[i]) * sn;
    base[i] = b;
    next[i] = x;
    width[i] = b + x;
    widthSelf[i] = Math.abs(d.beforeSelf[i]) * sb + Math.abs(d.afterSelf[i]) * sn;
    change[i] = b === 0 ? (x === 0 ? 0 : Infinity) : (x - b) / b;
    const isNoise = withinNoiseScaled(d.beforeTotal[i], d.afterTotal[i], opts.noisePeriod, sb, sn);
    noise[i] = isNoise ? 1 : 0;
    bucket[i] = changeBucket(b, x, isNoise, minChange);
  }
  return {
    mode: scale.unavailable ? 'absolute' : opts.mode,
    label: scale.label,
    unavailable: scale.unavailable,
    scaleBefore: sb,
    scaleAfter: sn,
    before: base,
    after: next,
    width,
    widthSelf,
    change,
    bucket,
    noise,
    noiseRule: opts.noisePeriod > 0,
  };
}

export interface LegendEntry {
  bucket: number;
  label: string;
}

export interface DiffLegend {
  /** "Normalization: per second of profile duration". */
  normalization: string;
  /** How colour and width are read. */
  colour: string;
  width: string;
  /** Swatches from strongest decrease to strongest increase. */
  scale: LegendEntry[];
  /** Swatches with meanings of their own: unchanged, noise, removed, added. */
  special: LegendEntry[];
}

const pct = (ratio: number): string => {
  const p = (ratio - 1) * 100;
  return `${p > 0 ? '+' : '−'}${Math.abs(p) >= 10 ? Math.round(Math.abs(p)) : Math.abs(p).toFixed(1)}%`;
};

/** The legend of a diff coloring: always names the normalization in force. */
export function diffLegend(c: Pick<DiffColoring, 'mode' | 'noiseRule'>): DiffLegend {
  const ratios = [0.5, 0.7, 0.85, 0.95, 1.05, 1.2, 1.45, 2];
  const scale = ratios.map((r) => ({
    bucket: changeBucket(1, r, false),
    label: r === 0.5 ? '≤ −50%' : r === 2 ? '≥ +100%' : pct(r),
  }));
  const special: LegendEntry[] = [{ bucket: BUCKET_UNCHANGED, label: 'unchanged (≤ 0.1%)' }];
  if (c.noiseRule) special.push({ bucket: BUCKET_NOISE, label: 'noise (within 2√n samples)' });
  special.push({ bucket: BUCKET_REMOVED, label: 'removed' });
  special.push({ bucket: BUCKET_ADDED, label: 'added' });
  const normalization =
    c.mode === 'absolute'
      ? 'Normalization: absolute values, as captured'
      : c.mode === 'per-second'
        ? 'Normalization: per second of each profile’s duration'
        : 'Normalization: share of total, each side as a share of its own total';
  return {
    normalization,
    colour: 'Colour: change of each frame’s total, after − before',
    width: 'Width: before + after',
    scale,
    special,
  };
}

/** One side of a DiffTree as a CallTree, for laying out a side-by-side pane. */
export function sideTree(d: DiffTree, side: 'before' | 'after'): CallTree {
  return {
    length: d.length,
    parent: d.parent,
    firstChild: d.firstChild,
    childCount: d.childCount,
    depth: d.depth,
    name: d.name,
    file: d.file,
    line: d.line,
    inlined: d.inlined,
    self: side === 'before' ? d.beforeSelf : d.afterSelf,
    total: side === 'before' ? d.beforeTotal : d.afterTotal,
    names: d.names,
    sampleType: d.sampleType,
  };
}

/** The diff flame graph's tree: each node as wide as its normalized before + after total. */
export function combinedTree(d: DiffTree, c: DiffColoring): CallTree {
  return { ...sideTree(d, 'before'), self: c.widthSelf, total: c.width };
}

/**
 * Layout ranks that keep the DiffTree's sibling order (the before order, after-only frames
 * appended) in every pane, so towers stay in place across panes.
 */
export function unionRank(d: DiffTree): Float64Array {
  const rank = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) rank[i] = i;
  return rank;
}

/**
 * A looser frame identity for matching two builds: closure numbers (func1, gowrap2,
 * deferwrap1) and generic instantiations are folded, so a refactor that renumbers closures
 * or changes type arguments does not turn a frame into one removed and one added.
 */
export function goMatchKey(name: string): string {
  return normalizeGenerics(name).replace(/\.(func|gowrap|deferwrap)\d+(?:\.\d+)*/g, '.$1·');
}

export interface RenameRule {
  from: string;
  to: string;
}

/** goMatchKey plus a rename map (old name → new name), for functions renamed by a change. */
export function goMatchKeyWithRenames(renames: readonly RenameRule[]): (name: string) => string {
  const map = new Map(renames.map((r) => [goMatchKey(r.from), goMatchKey(r.to)]));
  return (name) => {
    const k = goMatchKey(name);
    return map.get(k) ?? k;
  };
}

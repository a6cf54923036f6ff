// Comparing two profiles the way `go tool pprof -diff_base BASE NEW` and `-base BASE NEW` do.
//
// pprof's recipe (driver.fetchProfiles): with -diff_base every base sample is labelled
// pprof::base=true; with -normalize NEW is scaled so each sample type sums like BASE; BASE is
// multiplied by -1; both are merged. The label keeps base and new samples apart under
// -diff_base, so the merged profile holds separate negative and positive stacks; under -base
// identical stacks cancel ("later minus earlier"). Percentages use the sum of |base values|
// (-diff_base) or of |merged values| (-base).
//
// diffTable reports base and new side by side per node: both sides go through the same
// filters and granularity, and the net (new - base) of every row equals pprof's flat and cum
// on the merged profile.
import { aggregateNodes, computeTotal, meanValue } from './aggregate';
import { computeFrameKeys, type FrameKeys, type Granularity } from './granularity';
import {
  checkCompatible,
  compatibilizeSampleTypes,
  mergeProfiles,
  mergedHeader,
  normalizeTo,
  scaleSamples,
  scaleToCommonUnits,
  setLabel,
} from './merge';
import type { Profile, ValueType } from './model';
import { prepareProfile, type ReportOptions } from './report';
import { ReportError } from './report-error';
import { resolveSampleIndex, type SampleChoice } from './sample-index';
import { compareGoStrings } from './top';

export type BaseMode = 'diff_base' | 'base';

export interface DiffOptions extends ReportOptions {
  /** -diff_base (default) or -base. */
  mode?: BaseMode;
  /** Scale NEW so each sample type sums like BASE (pprof -normalize). */
  normalize?: boolean;
  granularity?: Granularity;
  noInlines?: boolean;
  /** Keep at most this many rows (0: all), after sorting. */
  nodeCount?: number;
}

export interface DiffRow {
  name: string;
  baseFlat: number;
  newFlat: number;
  baseCum: number;
  newCum: number;
}

export interface DiffTable {
  sampleType: ValueType;
  typeLabel: string;
  mode: BaseMode;
  /** Sum of |values| of BASE, and of NEW (after normalization), before filters. */
  baseTotal: number;
  newTotal: number;
  /** pprof's percentage denominator for this mode. */
  pprofTotal: number;
  /** Sorted by |newCum - baseCum| descending, then name. */
  rows: DiffRow[];
  /** The rows before nodeCount. */
  rowCount: number;
  warnings: string[];
  activeFilters: string[];
}

/** The two sides as pprof sees them just before it merges: compatible types and units. */
export function alignForDiff(
  base: Profile,
  next: Profile,
  normalize: boolean,
): { base: Profile; next: Profile } {
  let n = next;
  if (normalize) n = normalizeTo(n, base);
  const [n2, b2] = scaleToCommonUnits(compatibilizeSampleTypes([n, base]));
  return { base: b2!, next: n2! };
}

/** The merged profile pprof reports on for `-diff_base BASE NEW` or `-base BASE NEW`. */
export function combineForDiff(
  base: Profile,
  next: Profile,
  mode: BaseMode = 'diff_base',
  normalize = false,
): Profile {
  let b = base;
  if (mode === 'diff_base') b = setLabel(b, 'pprof::base', 'true');
  let n = next;
  if (normalize) n = normalizeTo(n, b);
  b = scaleSamples(
    b,
    b.sampleTypes.map(() => -1),
  );
  return mergeProfiles([n, b]);
}

/**
 * pprof's total of the merged profile combineForDiff makes. Under -diff_base it counts only
 * the samples labelled pprof::base, which are the base's with their values negated: when
 * neither input carries that label itself, the base's values are positive or 0 and not all 0,
 * and no mean is asked
 * for (the negated divisor would flip its sign), that is the base side's own total, and the
 * tables need no merge.
 */
function mergedTotal(
  base: Profile,
  next: Profile,
  baseSide: Profile,
  choice: SampleChoice,
  opts: DiffOptions,
): number {
  const mode = opts.mode ?? 'diff_base';
  if (
    mode === 'diff_base' &&
    !choice.mean &&
    !base.strings.includes('pprof::base') &&
    !next.strings.includes('pprof::base') &&
    somePositiveNoneNegative(baseSide, choice.index)
  ) {
    return computeTotal(baseSide, choice);
  }
  const merged = combineForDiff(base, next, mode, opts.normalize ?? false);
  return computeTotal(merged, resolveSampleIndex(merged, opts.sampleIndex, opts.mean));
}

/** Samples that merge add up to the same |sum| only when no value is negative. */
function somePositiveNoneNegative(p: Profile, index: number): boolean {
  const nt = p.sampleTypes.length;
  const v = p.samples.values;
  let positive = false;
  for (let i = index; i < v.length; i += nt) {
    if (v[i] < 0) return false;
    if (v[i] > 0) positive = true;
  }
  return positive;
}

export function diffTable(base: Profile, next: Profile, opts: DiffOptions = {}): DiffTable {
  const mode = opts.mode ?? 'diff_base';
  if (opts.normalize) checkCompatible(next, base);
  const sides = alignForDiff(base, next, opts.normalize ?? false);
  // The merged profile's drop_frames (NEW's) apply to both sides, and its default type: read
  // from the header combineForDiff would give, without merging the tables.
  const merged = mergedHeader([next, base]);
  const baseSide: Profile = {
    ...sides.base,
    dropFrames: merged.dropFrames,
    keepFrames: merged.keepFrames,
    defaultSampleType: merged.defaultSampleType,
  };
  const newSide: Profile = { ...sides.next, defaultSampleType: merged.defaultSampleType };
  const bPrep = prepareProfile(baseSide, opts);
  const nPrep = prepareProfile(newSide, opts);
  if (bPrep.choice.index !== nPrep.choice.index) {
    throw new ReportError('incompatible', 'the two profiles resolve the sample index differently');
  }
  const keyOpts = {
    granularity: opts.granularity ?? 'functions',
    noInlines: opts.noInlines ?? false,
  };
  const bKeys = computeFrameKeys(bPrep.profile, keyOpts);
  const nKeys = computeFrameKeys(nPrep.profile, keyOpts);
  const bVals = aggregateNodes(bPrep.profile, bKeys, bPrep.choice);
  const nVals = aggregateNodes(nPrep.profile, nKeys, nPrep.choice);

  // Join the sides on pprof's node identity.
  interface Acc {
    name: string;
    info: string;
    row: DiffRow;
  }
  const byInfo = new Map<string, Acc>();
  const add = (keys: FrameKeys, v: typeof bVals, side: 'base' | 'new'): void => {
    for (let k = 0; k < keys.count; k++) {
      if (v.flat[k] === 0 && v.cum[k] === 0) continue;
      const info = keys.infoText[k];
      let acc = byInfo.get(info);
      if (!acc) {
        acc = {
          name: keys.names[k],
          info,
          row: { name: keys.names[k], baseFlat: 0, newFlat: 0, baseCum: 0, newCum: 0 },
        };
        byInfo.set(info, acc);
      }
      const flat = meanValue(v.flat[k], v.flatDiv[k]);
      const cum = meanValue(v.cum[k], v.cumDiv[k]);
      if (side === 'base') {
        acc.row.baseFlat = flat;
        acc.row.baseCum = cum;
      } else {
        acc.row.newFlat = flat;
        acc.row.newCum = cum;
      }
    }
  };
  add(bKeys, bVals, 'base');
  add(nKeys, nVals, 'new');
  const all = [...byInfo.values()];
  all.sort((a, b) => {
    const da = Math.abs(a.row.newCum - a.row.baseCum);
    const db = Math.abs(b.row.newCum - b.row.baseCum);
    if (da !== db) return db - da;
    const n = compareGoStrings(a.name, b.name);
    return n !== 0 ? n : compareGoStrings(a.info, b.info);
  });
  const nodeCount = opts.nodeCount ?? 0;
  const rows = (nodeCount > 0 ? all.slice(0, nodeCount) : all).map((a) => a.row);
  // A filter matched nothing only if it matched nothing on either side.
  const warnings = nPrep.warnings.filter((w) => bPrep.warnings.includes(w));
  return {
    sampleType: nPrep.choice.sampleType,
    typeLabel: nPrep.choice.label,
    mode,
    baseTotal: computeTotal(baseSide, bPrep.choice),
    newTotal: computeTotal(newSide, nPrep.choice),
    pprofTotal: mergedTotal(base, next, baseSide, bPrep.choice, opts),
    rows,
    rowCount: all.length,
    warnings,
    activeFilters: nPrep.activeFilters,
  };
}

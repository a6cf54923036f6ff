// The steps pprof runs between loading a profile and building a report, in pprof's order:
// drop_frames/keep_frames; the report total; focus/ignore/hide/show; show_from;
// tagfocus/tagignore; prune_from. Every report (top, call tree, sandwich, diff) starts here.
import { computeTotal } from './aggregate';
import { filterByName, showFrom } from './filters';
import type { Granularity } from './granularity';
import type { Profile } from './model';
import { applyDropFrames, pruneFrom } from './prune';
import { compileOptionalRegex } from './regex';
import { resolveSampleIndex, type SampleChoice } from './sample-index';
import { compileTagFilter, filterByTag, numLabelUnits } from './tag-filter';

export interface FilterOptions {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  showFrom?: string;
  tagFocus?: string;
  tagIgnore?: string;
  pruneFrom?: string;
  /** Apply the profile's drop_frames/keep_frames (pprof always does). Default true. */
  dropFrames?: boolean;
}

export interface ReportOptions extends FilterOptions {
  /** Sample type name or index; see resolveSampleIndex. */
  sampleIndex?: string | number;
  mean?: boolean;
  granularity?: Granularity;
  noInlines?: boolean;
}

export interface PreparedProfile {
  /** The profile after pruning and filtering. */
  profile: Profile;
  choice: SampleChoice;
  /** pprof's total: computed after drop_frames and BEFORE the filters (its percentages). */
  total: number;
  /** pprof's warnings, e.g. "Focus expression matched no samples". */
  warnings: string[];
  /** The filters in force, "focus=RE" style, for report headers. */
  activeFilters: string[];
}

/** Drops the profile's drop_frames, then applies the filters of `opts`. */
export function prepareProfile(input: Profile, opts: ReportOptions = {}): PreparedProfile {
  const choice = resolveSampleIndex(input, opts.sampleIndex, opts.mean ?? false);
  // Compile everything first so a bad expression fails before any work.
  const focus = compileOptionalRegex('focus', opts.focus);
  const ignore = compileOptionalRegex('ignore', opts.ignore);
  const hide = compileOptionalRegex('hide', opts.hide);
  const show = compileOptionalRegex('show', opts.show);
  const from = compileOptionalRegex('show_from', opts.showFrom);
  const pruneRe = compileOptionalRegex('prune_from', opts.pruneFrom);

  let p = opts.dropFrames === false ? input : applyDropFrames(input);
  const total = computeTotal(p, choice);
  const units = numLabelUnits(p);
  const tagFocus = compileTagFilter('tagfocus', opts.tagFocus, p, units);
  const tagIgnore = compileTagFilter('tagignore', opts.tagIgnore, p, units);

  const warnings: string[] = [];
  const warn = (ok: boolean, what: string): void => {
    if (!ok) warnings.push(`${what} expression matched no samples`);
  };
  const named = filterByName(p, focus, ignore, hide, show);
  warn(!focus || named.focusMatched, 'Focus');
  warn(!ignore || named.ignoreMatched, 'Ignore');
  warn(!hide || named.hideMatched, 'Hide');
  warn(!show || named.showMatched, 'Show');
  p = named.profile;
  const sf = showFrom(p, from);
  warn(!from || sf.matched, 'ShowFrom');
  p = sf.profile;
  if (tagFocus || tagIgnore) {
    // The tag predicates read sample rows of the profile they were compiled on.
    const tf = filterByTag(
      p,
      tagFocus ? compileTagFilter('tagfocus', opts.tagFocus, p, units) : null,
      tagIgnore ? compileTagFilter('tagignore', opts.tagIgnore, p, units) : null,
    );
    warn(!tagFocus || tf.focusMatched, 'TagFocus');
    warn(!tagIgnore || tf.ignoreMatched, 'TagIgnore');
    p = tf.profile;
  }
  p = pruneFrom(p, pruneRe);

  const activeFilters: string[] = [];
  const add = (k: string, v: string | undefined): void => {
    if (v) activeFilters.push(`${k}=${v}`);
  };
  add('focus', opts.focus);
  add('ignore', opts.ignore);
  add('hide', opts.hide);
  add('show', opts.show);
  add('show_from', opts.showFrom);
  add('tagfocus', opts.tagFocus);
  add('tagignore', opts.tagIgnore);
  return { profile: p, choice, total, warnings, activeFilters };
}

// The session's engine: core/pprof, as the CLI uses it, so the app shows pprof's numbers.
import { computeTotal } from '../../../core/pprof/aggregate';
import { callTreeOf } from '../../../core/pprof/calltree';
import { buildStacks } from '../../../core/pprof/sample-paths';
import { decodeProfile } from '../../../core/pprof/decode';
import {
  computeFrameKeys,
  type FrameKeys,
  type Granularity,
} from '../../../core/pprof/granularity';
import type { Profile } from '../../../core/pprof/model';
import { applyDropFrames } from '../../../core/pprof/prune';
import { compileGoRegex } from '../../../core/pprof/regex';
import { prepareProfile, type ReportOptions } from '../../../core/pprof/report';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import { buildSandwich } from '../../../core/pprof/sandwich';
import { topTable } from '../../../core/pprof/top';
import type { ViewParams } from './protocol';
import type { Engine } from './session';

function options(params: ViewParams): ReportOptions {
  const f = params.filters;
  return {
    sampleIndex: params.sampleIndex,
    granularity: params.granularity,
    focus: f.focus || undefined,
    ignore: f.ignore || undefined,
    hide: f.hide || undefined,
    show: f.show || undefined,
  };
}

// Frame keys per profile and granularity: they depend on the location, line and function
// tables only, so every tree of an unfiltered profile (each sample type) shares them. A
// filtered profile is a new object, so its entry goes with it.
const keyCache = new WeakMap<Profile, Map<Granularity, FrameKeys>>();

function frameKeys(p: Profile, granularity: Granularity): FrameKeys {
  let byGranularity = keyCache.get(p);
  if (!byGranularity) {
    byGranularity = new Map();
    keyCache.set(p, byGranularity);
  }
  let keys = byGranularity.get(granularity);
  if (!keys) {
    keys = computeFrameKeys(p, { granularity, noInlines: false });
    byGranularity.set(granularity, keys);
  }
  return keys;
}

export const engine: Engine = {
  decode: (bytes) => decodeProfile(bytes),
  defaultSampleIndex: (p) => resolveSampleIndex(p).index,
  total: (p, sampleIndex) => computeTotal(applyDropFrames(p), resolveSampleIndex(p, sampleIndex)),
  callTree(p, params, onProgress) {
    // A decoded profile's stack table is built on first use: here, with its own progress.
    buildStacks(p, (done, total) => onProgress?.('stacks', done, total));
    onProgress?.('filters', 0, 1);
    const prep = prepareProfile(p, options(params));
    return callTreeOf(prep, frameKeys(prep.profile, params.granularity), onProgress);
  },
  topRows(p, params) {
    const t = topTable(prepareProfile(p, options(params)), { granularity: params.granularity });
    const n = t.rows.length;
    const names: string[] = new Array(n);
    const flat = new Float64Array(n);
    const cum = new Float64Array(n);
    t.rows.forEach((r, i) => {
      names[i] = r.name;
      flat[i] = r.flat;
      cum[i] = r.cum;
    });
    return { total: t.total, names, flat, cum };
  },
  sandwich(p, params, name) {
    const s = buildSandwich(p, name, { ...options(params), granularity: params.granularity });
    return { callers: s.callers, callees: s.callees, flat: s.flat, cum: s.cum };
  },
  regex: (pattern) => compileGoRegex(pattern),
};

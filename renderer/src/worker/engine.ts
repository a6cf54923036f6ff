// The session's engine: core/pprof, as the CLI uses it, so the app shows pprof's numbers.
import { computeTotal } from '../../../core/pprof/aggregate';
import { buildCallTree } from '../../../core/pprof/calltree';
import { decodeProfile } from '../../../core/pprof/decode';
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

export const engine: Engine = {
  decode: (bytes) => decodeProfile(bytes),
  defaultSampleIndex: (p) => resolveSampleIndex(p).index,
  total: (p, sampleIndex) => computeTotal(applyDropFrames(p), resolveSampleIndex(p, sampleIndex)),
  callTree: (p, params) => buildCallTree(p, options(params)),
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

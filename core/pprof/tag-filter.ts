// pprof's tagfocus / tagignore (driver.compileTagFilter, profile.FilterSamplesByTag).
//
// An expression is `[KEY=]VALUE`:
// - VALUE a numeric range, with units: `32kb` (equal), `4mb:` (at least), `:64kb` (at most),
//   `12kb:64mb` (inclusive). Values are compared in the label key's unit (bytes, ns, ...);
//   without KEY, any numeric label may match.
// - otherwise VALUE is a comma-separated list of Go regexes. With KEY, a sample matches when
//   any regex matches any value of that key (comma = OR). Without KEY, EVERY regex must match
//   some "key:value" of the sample (comma = AND; pprof's own rule).
// tagfocus keeps matching samples, tagignore drops them; tagignore wins.
import type { Profile } from './model';
import { selectSamples } from './profile-edit';
import { compileGoRegex } from './regex';
import { scaleValue } from './format';
import { ReportError } from './report-error';

/** Per label key, the unit its numeric values are in (profile.NumLabelUnits). */
export function numLabelUnits(p: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const seen = new Set<string>();
  const s = p.samples;
  for (let l = 0; l < s.labelKey.length; l++) {
    if (s.labelStr[l] !== 0 || (s.labelNum[l] === 0 && s.labelUnit[l] === 0)) continue;
    const key = p.strings[s.labelKey[l]] ?? '';
    seen.add(key);
    const unit = p.strings[s.labelUnit[l]] ?? '';
    if (unit !== '' && !units.has(key)) units.set(key, unit);
  }
  for (const key of seen) {
    if (!units.has(key) || units.get(key) === '') {
      units.set(key, key === 'alignment' || key === 'request' ? 'bytes' : key);
    }
  }
  return units;
}

type NumTest = (value: number, unit: string) => boolean;

const RANGE_RE = /([+-]?[0-9]+)([A-Za-z]+)?/g;

/** driver.parseTagFilterRange: a numeric test, or null when VALUE is not a range. */
export function parseTagRange(filter: string): NumTest | null {
  const found = [...filter.matchAll(RANGE_RE)].slice(0, 2);
  if (found.length === 0) return null;
  const m0 = found[0];
  const scaled0 = scaleValue(Number(m0[1]), m0[2] ?? '', m0[2] ?? '');
  const unit = scaled0.unit;
  const v0 = scaled0.value;
  const inUnit = (v: number, u: string): { v: number; ok: boolean } => {
    const r = scaleValue(v, u, unit);
    return { v: r.value, ok: r.unit === unit };
  };
  if (found.length === 1) {
    const match = m0[0];
    if (filter === match) {
      return (v, u) => {
        const r = inUnit(v, u);
        return r.ok && r.v === v0;
      };
    }
    if (filter === `${match}:`) {
      return (v, u) => {
        const r = inUnit(v, u);
        return r.ok && r.v >= v0;
      };
    }
    if (filter === `:${match}`) {
      return (v, u) => {
        const r = inUnit(v, u);
        return r.ok && r.v <= v0;
      };
    }
    return null;
  }
  const m1 = found[1];
  if (filter !== `${m0[0]}:${m1[0]}`) return null;
  const scaled1 = scaleValue(Number(m1[1]), m1[2] ?? '', unit);
  if (scaled1.unit !== unit) return null;
  const v1 = scaled1.value;
  return (v, u) => {
    const r = inUnit(v, u);
    return r.ok && r.v >= v0 && r.v <= v1;
  };
}

/** A predicate over sample indexes of `p`. */
export type SamplePredicate = (sample: number) => boolean;

export function compileTagFilter(
  name: string,
  expr: string | undefined,
  p: Profile,
  units: Map<string, string> = numLabelUnits(p),
): SamplePredicate | null {
  if (expr === undefined || expr === '') return null;
  let value = expr;
  let wantKey = '';
  const eq = expr.indexOf('=');
  if (eq >= 0) {
    wantKey = expr.slice(0, eq);
    value = expr.slice(eq + 1);
  }
  const s = p.samples;
  const str = p.strings;
  const isNum = (l: number): boolean =>
    s.labelStr[l] === 0 && (s.labelNum[l] !== 0 || s.labelUnit[l] !== 0);
  const isStr = (l: number): boolean => s.labelStr[l] !== 0;

  const numTest = parseTagRange(value);
  if (numTest) {
    return (i) => {
      for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
        if (!isNum(l)) continue;
        const key = str[s.labelKey[l]] ?? '';
        if (wantKey !== '' && key !== wantKey) continue;
        if (numTest(s.labelNum[l], units.get(key) ?? key)) return true;
      }
      return false;
    };
  }
  let regexes: RegExp[];
  try {
    regexes = value.split(',').map((part) => compileGoRegex(part));
  } catch (err) {
    throw new ReportError(
      'bad-tag-filter',
      `${name} '${expr}': ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (wantKey === '') {
    return (i) => {
      for (const re of regexes) {
        let hit = false;
        for (let l = s.labelStart[i]; l < s.labelStart[i + 1] && !hit; l++) {
          if (!isStr(l)) continue;
          hit = re.test(`${str[s.labelKey[l]] ?? ''}:${str[s.labelStr[l]] ?? ''}`);
        }
        if (!hit) return false;
      }
      return true;
    };
  }
  return (i) => {
    for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
      if (!isStr(l) || str[s.labelKey[l]] !== wantKey) continue;
      const v = str[s.labelStr[l]] ?? '';
      for (const re of regexes) if (re.test(v)) return true;
    }
    return false;
  };
}

/** FilterSamplesByTag: keeps samples that match focus (if any) and not ignore. */
export function filterByTag(
  p: Profile,
  focus: SamplePredicate | null,
  ignore: SamplePredicate | null,
): { profile: Profile; focusMatched: boolean; ignoreMatched: boolean } {
  if (!focus && !ignore) return { profile: p, focusMatched: true, ignoreMatched: false };
  const n = p.samples.length;
  const keep = new Uint8Array(n);
  let fm = false;
  let im = false;
  for (let i = 0; i < n; i++) {
    const f = focus ? focus(i) : true;
    const ig = ignore ? ignore(i) : false;
    fm ||= f;
    im ||= ig;
    if (f && !ig) keep[i] = 1;
  }
  return { profile: selectSamples(p, keep), focusMatched: fm, ignoreMatched: im };
}

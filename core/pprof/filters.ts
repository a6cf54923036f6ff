// pprof's frame filters by name (profile.FilterSamplesByName and profile.ShowFrom).
//
// A regex matches a location when it matches the function name OR the file name of any of
// its Lines, OR the location's mapping file (unanchored, Go RE2 via regex.ts).
//   focus    keep samples with at least one matching location
//   ignore   drop samples with any matching location (wins over focus)
//   hide     delete matching Lines; a location left with none leaves the stacks, so its cost
//            lands on its caller
//   show     keep only matching Lines (same consequences as hide for the rest)
//   showFrom keep each stack from its outermost (root-most) match down to the leaf; the
//            matching location keeps its Lines up to the outermost matching one; samples
//            without a match are dropped
// Focus and ignore look at the Lines as they were before hide and show changed them.
// Whenever one of focus/ignore/hide/show is set, samples without locations are dropped.
import type { Profile } from './model';
import { keepLines, removeLocations, selectSamples, StackBuilder } from './profile-edit';

export interface NameFilterResult {
  profile: Profile;
  /** Whether each given expression matched anything (pprof warns "... matched no samples"). */
  focusMatched: boolean;
  ignoreMatched: boolean;
  hideMatched: boolean;
  showMatched: boolean;
}

/** Per function: does the regex match its name or its file name? */
export function functionMatches(p: Profile, re: RegExp): Uint8Array {
  const out = new Uint8Array(p.functions.length);
  const cache = new Map<number, boolean>();
  const test = (s: number): boolean => {
    let r = cache.get(s);
    if (r === undefined) {
      r = re.test(p.strings[s] ?? '');
      cache.set(s, r);
    }
    return r;
  };
  for (let f = 0; f < p.functions.length; f++) {
    out[f] = test(p.functions.name[f]) || test(p.functions.filename[f]) ? 1 : 0;
  }
  return out;
}

/** Per mapping: does the regex match its file? */
export function mappingMatches(p: Profile, re: RegExp): Uint8Array {
  const out = new Uint8Array(p.mappings.length);
  for (let m = 0; m < p.mappings.length; m++) {
    out[m] = re.test(p.strings[p.mappings.filename[m]] ?? '') ? 1 : 0;
  }
  return out;
}

/** Location.matchesName for every location. */
export function locationMatches(p: Profile, re: RegExp): Uint8Array {
  const fm = functionMatches(p, re);
  const mm = mappingMatches(p, re);
  const { locations, lines } = p;
  const out = new Uint8Array(locations.length);
  for (let loc = 0; loc < locations.length; loc++) {
    let hit = false;
    for (let r = locations.lineStart[loc]; r < locations.lineStart[loc + 1] && !hit; r++) {
      const f = lines.func[r];
      if (f >= 0 && fm[f]) hit = true;
    }
    const m = locations.mapping[loc];
    if (!hit && m >= 0 && mm[m]) hit = true;
    out[loc] = hit ? 1 : 0;
  }
  return out;
}

export function filterByName(
  p: Profile,
  focus: RegExp | null,
  ignore: RegExp | null,
  hide: RegExp | null,
  show: RegExp | null,
): NameFilterResult {
  const result: NameFilterResult = {
    profile: p,
    focusMatched: false,
    ignoreMatched: false,
    hideMatched: false,
    showMatched: false,
  };
  if (!focus && !ignore && !hide && !show) {
    result.focusMatched = true;
    return result;
  }
  const { locations, lines } = p;
  const nLoc = locations.length;
  // 0: neither, 1: focused, 2: ignored
  const mark = new Uint8Array(nLoc);
  const ignoreLoc = ignore ? locationMatches(p, ignore) : null;
  const focusLoc = focus ? locationMatches(p, focus) : null;
  for (let loc = 0; loc < nLoc; loc++) {
    if (ignoreLoc && ignoreLoc[loc]) {
      result.ignoreMatched = true;
      mark[loc] = 2;
    } else if (!focusLoc || focusLoc[loc]) {
      result.focusMatched = true;
      mark[loc] = 1;
    }
  }

  // hide, then show, edit the Lines of each location.
  let edited = p;
  const hidden = new Uint8Array(nLoc);
  let anyHidden = false;
  if (hide || show) {
    const keepLine = new Uint8Array(lines.length).fill(1);
    const hideLoc = hide ? locationMatches(p, hide) : null;
    const hideFn = hide ? functionMatches(p, hide) : null;
    const hideMap = hide ? mappingMatches(p, hide) : null;
    const showFn = show ? functionMatches(p, show) : null;
    const showMap = show ? mappingMatches(p, show) : null;
    for (let loc = 0; loc < nLoc; loc++) {
      const start = locations.lineStart[loc];
      const end = locations.lineStart[loc + 1];
      const m = locations.mapping[loc];
      if (hideLoc && hideLoc[loc]) {
        result.hideMatched = true;
        if (m >= 0 && hideMap![m]) {
          for (let r = start; r < end; r++) keepLine[r] = 0;
        } else {
          for (let r = start; r < end; r++) {
            const f = lines.func[r];
            if (f >= 0 && hideFn![f]) keepLine[r] = 0;
          }
        }
        let left = 0;
        for (let r = start; r < end; r++) left += keepLine[r];
        if (left === 0) hidden[loc] = 1;
      }
      if (show) {
        if (!(m >= 0 && showMap![m])) {
          for (let r = start; r < end; r++) {
            const f = lines.func[r];
            if (f >= 0 && !showFn![f]) keepLine[r] = 0;
          }
        }
        let left = 0;
        for (let r = start; r < end; r++) left += keepLine[r];
        if (left === 0) hidden[loc] = 1;
        else result.showMatched = true;
      }
      if (hidden[loc]) anyHidden = true;
    }
    edited = keepLines(p, keepLine);
  }

  // Sample selection: at least one focused location and no ignored one.
  const st = p.stacks;
  const focused = new Uint8Array(st.length);
  const ignored = new Uint8Array(st.length);
  for (let s = 0; s < st.length; s++) {
    const pre = st.prefix[s];
    const mk = mark[st.frame[s]];
    focused[s] = (pre >= 0 ? focused[pre] : 0) | (mk === 1 ? 1 : 0);
    ignored[s] = (pre >= 0 ? ignored[pre] : 0) | (mk === 2 ? 1 : 0);
  }
  const restack = anyHidden ? removeLocations(edited, hidden) : null;
  const samples = p.samples;
  const keep = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples.stack[i];
    if (s < 0 || !focused[s] || ignored[s]) continue;
    if (restack && restack.stackOf[s] < 0) continue;
    keep[i] = 1;
  }
  result.profile = selectSamples(
    edited,
    keep,
    restack ? restack.stackOf : null,
    restack ? restack.stacks : null,
  );
  return result;
}

/** pprof's ShowFrom. Returns the profile and whether anything matched. */
export function showFrom(p: Profile, re: RegExp | null): { profile: Profile; matched: boolean } {
  if (!re) return { profile: p, matched: false };
  const { locations, lines } = p;
  const fm = functionMatches(p, re);
  const mm = mappingMatches(p, re);
  const keepLine = new Uint8Array(lines.length).fill(1);
  const locMatch = new Uint8Array(locations.length);
  let matched = false;
  let linesChanged = false;
  for (let loc = 0; loc < locations.length; loc++) {
    const m = locations.mapping[loc];
    if (m >= 0 && mm[m]) {
      locMatch[loc] = 1;
      matched = true;
      continue;
    }
    const start = locations.lineStart[loc];
    const end = locations.lineStart[loc + 1];
    for (let r = end - 1; r >= start; r--) {
      const f = lines.func[r];
      if (f >= 0 && fm[f]) {
        locMatch[loc] = 1;
        matched = true;
        for (let k = r + 1; k < end; k++) {
          keepLine[k] = 0;
          linesChanged = true;
        }
        break;
      }
    }
  }
  const edited = linesChanged ? keepLines(p, keepLine) : p;
  const st = p.stacks;
  const below = new Uint8Array(st.length); // a match at or above this stack entry
  const stackOf = new Int32Array(st.length);
  const b = new StackBuilder(st.length);
  for (let s = 0; s < st.length; s++) {
    const pre = st.prefix[s];
    const f = st.frame[s];
    if (pre >= 0 && below[pre]) {
      below[s] = 1;
      stackOf[s] = b.intern(stackOf[pre], f);
    } else if (locMatch[f]) {
      below[s] = 1;
      stackOf[s] = b.intern(-1, f);
    } else {
      stackOf[s] = -1;
    }
  }
  const samples = p.samples;
  const keep = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples.stack[i];
    if (s >= 0 && below[s]) keep[i] = 1;
  }
  return { profile: selectSamples(edited, keep, stackOf, b.finish()), matched };
}

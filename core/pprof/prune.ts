// pprof's frame pruning: the profile's own drop_frames/keep_frames (profile.Prune via
// RemoveUninteresting) and the prune_from option (profile.PruneFrom).
//
// Both match a "simplified" function name: a leading '.' removed and everything from the
// first '(' cut, so "main.(*T).M" is seen as "main." (pprof's own rule, kept for identical
// results). drop_frames/keep_frames are anchored (^(...)$); prune_from is not.
import type { Profile } from './model';
import { keepLines, selectSamples, StackBuilder } from './profile-edit';
import { compileGoRegex } from './regex';
import { ReportError } from './report-error';

const RESERVED = ['(anonymous namespace)', 'operator()'];

/** profile.simplifyFunc */
export function simplifyFunc(name: string): string {
  const f = name.startsWith('.') ? name.slice(1) : name;
  for (let i = 0; i < f.length; i++) {
    const reserved = RESERVED.find((r) => f.startsWith(r, i));
    if (reserved) {
      i += reserved.length - 1;
      continue;
    }
    if (f[i] === '(') return f.slice(0, i);
  }
  return f;
}

function nameTester(p: Profile, test: (simplified: string) => boolean): (func: number) => boolean {
  const cache = new Map<number, boolean>();
  return (func) => {
    const s = p.functions.name[func];
    let r = cache.get(s);
    if (r === undefined) {
      const name = p.strings[s] ?? '';
      r = name !== '' && test(simplifyFunc(name));
      cache.set(s, r);
    }
    return r;
  };
}

/**
 * Applies the profile's drop_frames (and keep_frames) like pprof does when it loads a
 * profile: a matching frame and its callees are removed, but only below the first frame
 * (from the root) that does not match, so a stack is never emptied.
 */
export function applyDropFrames(p: Profile): Profile {
  if (p.dropFrames === '') return p;
  let drop: RegExp;
  let keep: RegExp | null = null;
  try {
    drop = compileGoRegex(`^(${p.dropFrames})$`);
    if (p.keepFrames !== '') keep = compileGoRegex(`^(${p.keepFrames})$`);
  } catch (err) {
    throw new ReportError(
      'bad-profile',
      `the profile's drop_frames/keep_frames cannot be used: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const pruneHere = nameTester(p, (n) => drop.test(n) && !(keep && keep.test(n)));
  const { locations, lines } = p;
  const prune = new Uint8Array(locations.length);
  const pruneBeneath = new Uint8Array(locations.length);
  const keepLine = new Uint8Array(lines.length).fill(1);
  let linesChanged = false;
  for (let loc = 0; loc < locations.length; loc++) {
    const start = locations.lineStart[loc];
    const end = locations.lineStart[loc + 1];
    let hit = -1;
    for (let r = end - 1; r >= start; r--) {
      const f = lines.func[r];
      if (f >= 0 && pruneHere(f)) {
        hit = r;
        break;
      }
    }
    if (hit < 0) continue;
    pruneBeneath[loc] = 1;
    if (hit === end - 1) prune[loc] = 1;
    else {
      for (let r = start; r <= hit; r++) keepLine[r] = 0;
      linesChanged = true;
    }
  }
  const edited = linesChanged ? keepLines(p, keepLine) : p;
  // Walk each path from the root; cut at the first prunable frame after a "user" frame.
  const st = p.stacks;
  const stackOf = new Int32Array(st.length);
  const foundUser = new Uint8Array(st.length);
  const cut = new Uint8Array(st.length);
  const b = new StackBuilder(st.length);
  for (let s = 0; s < st.length; s++) {
    const pre = st.prefix[s];
    const parent = pre >= 0 ? stackOf[pre] : -1;
    if (pre >= 0 && cut[pre]) {
      cut[s] = 1;
      stackOf[s] = parent;
      continue;
    }
    const f = st.frame[s];
    const user = pre >= 0 ? foundUser[pre] : 0;
    if (!prune[f] && !pruneBeneath[f]) {
      foundUser[s] = 1;
      stackOf[s] = b.intern(parent, f);
    } else if (!user) {
      stackOf[s] = b.intern(parent, f);
    } else if (prune[f]) {
      cut[s] = 1;
      foundUser[s] = 1;
      stackOf[s] = parent;
    } else {
      cut[s] = 1;
      foundUser[s] = 1;
      stackOf[s] = b.intern(parent, f);
    }
  }
  return selectSamples(edited, null, stackOf, b.finish());
}

/**
 * prune_from: below the leaf-most frame whose function matches, everything is cut, so the
 * match absorbs the cost of its callees (its inlined callees' Lines go too).
 */
export function pruneFrom(p: Profile, re: RegExp | null): Profile {
  if (!re) return p;
  const matches = nameTester(p, (n) => re.test(n));
  const { locations, lines } = p;
  const beneath = new Uint8Array(locations.length);
  const keepLine = new Uint8Array(lines.length).fill(1);
  let linesChanged = false;
  for (let loc = 0; loc < locations.length; loc++) {
    const start = locations.lineStart[loc];
    const end = locations.lineStart[loc + 1];
    for (let r = start; r < end; r++) {
      const f = lines.func[r];
      if (f >= 0 && matches(f)) {
        beneath[loc] = 1;
        for (let k = start; k < r; k++) {
          keepLine[k] = 0;
          linesChanged = true;
        }
        break;
      }
    }
  }
  const edited = linesChanged ? keepLines(p, keepLine) : p;
  const st = p.stacks;
  const nearest = new Int32Array(st.length);
  for (let s = 0; s < st.length; s++) {
    const pre = st.prefix[s];
    nearest[s] = beneath[st.frame[s]] ? s : pre >= 0 ? nearest[pre] : -1;
  }
  const stackOf = new Int32Array(st.length);
  for (let s = 0; s < st.length; s++) stackOf[s] = nearest[s] >= 0 ? nearest[s] : s;
  return selectSamples(edited, null, stackOf, st);
}

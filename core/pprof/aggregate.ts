// flat and cum per report node, exactly as pprof's graph.newGraph computes them:
// - samples are walked root to leaf, each location's Lines outermost first;
// - a node's cum grows at most once per sample (recursion is not double-counted);
// - flat goes to the last node of the sample: the innermost Line of the leaf location;
// - samples whose value (and mean divisor) is 0 are skipped.
// aggregateNodes streams over the samples (no per-stack-entry arrays); stackSums and
// stackWalk give the per-stack-entry sums and a depth-first layout to the views that walk
// the stack tree (sandwich, call tree).
import type { FrameKeys } from './granularity';
import type { Profile } from './model';
import type { SampleChoice } from './sample-index';
import { pathsOf, samplePaths } from './sample-paths';

export interface NodeValues {
  keys: FrameKeys;
  /** Raw sums over samples (before any mean division), per node key. */
  flat: Float64Array;
  cum: Float64Array;
  /** Sums of value[0] for the mean (all zero unless choice.mean). */
  flatDiv: Float64Array;
  cumDiv: Float64Array;
}

/** FlatValue / CumValue: the sum, or with a divisor the integer-truncated mean. */
export function meanValue(sum: number, div: number): number {
  return div === 0 ? sum : Math.trunc(sum / div);
}

/** The label index of a string pair, e.g. pprof::base=true, or null when absent. */
function stringIndex(p: Profile, s: string): number {
  return p.strings.indexOf(s);
}

/** Whether sample i carries the string label key=value. */
export function sampleHasLabel(p: Profile, i: number, keyIdx: number, valIdx: number): boolean {
  if (keyIdx < 0 || valIdx < 0) return false;
  const s = p.samples;
  for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
    if (s.labelKey[l] === keyIdx && s.labelStr[l] === valIdx) return true;
  }
  return false;
}

/**
 * pprof's report total (report.computeTotal): the sum of |value| over all samples; when some
 * samples carry pprof::base=true (a -diff_base profile), only those count. With mean, the
 * sum divided by the sum of value[0].
 */
export function computeTotal(p: Profile, choice: SampleChoice): number {
  const nt = p.sampleTypes.length;
  const v = p.samples.values;
  const baseKey = stringIndex(p, 'pprof::base');
  const baseVal = baseKey >= 0 ? stringIndex(p, 'true') : -1;
  let total = 0;
  let div = 0;
  let diffTotal = 0;
  let diffDiv = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const w = Math.abs(v[i * nt + choice.index]);
    const d = choice.mean ? v[i * nt] : 0;
    total += w;
    div += d;
    if (baseKey >= 0 && sampleHasLabel(p, i, baseKey, baseVal)) {
      diffTotal += w;
      diffDiv += d;
    }
  }
  if (diffTotal > 0) {
    total = diffTotal;
    div = diffDiv;
  }
  return div !== 0 ? Math.trunc(total / div) : total;
}

export interface StackSums {
  /** Sum of the chosen value over samples whose path goes through each stack entry. */
  value: Float64Array;
  /** The same for the mean divisor (value[0]); null without mean. */
  div: Float64Array | null;
  /** 1 for stack entries on the path of at least one counted sample. */
  used: Uint8Array;
  /** Chosen value of samples ending exactly at each stack entry. */
  self: Float64Array;
  selfDiv: Float64Array | null;
}

/** Per stack entry: values of the samples through it (the samples pprof counts). */
export function stackSums(p: Profile, choice: SampleChoice): StackSums {
  const n = p.stacks.length;
  const nt = p.sampleTypes.length;
  const index = choice.index;
  const mean = choice.mean;
  const self = new Float64Array(n);
  const selfDiv = mean ? new Float64Array(n) : null;
  const used = new Uint8Array(n);
  const vals = p.samples.values;
  const stack = p.samples.stack;
  const count = p.samples.length;
  for (let i = 0; i < count; i++) {
    const s = stack[i];
    if (s < 0) continue;
    const w = vals[i * nt + index];
    if (selfDiv) {
      const d = vals[i * nt];
      if (w === 0 && d === 0) continue;
      selfDiv[s] += d;
    } else if (w === 0) continue;
    self[s] += w;
    used[s] = 1;
  }
  const value = self.slice();
  const div = selfDiv ? selfDiv.slice() : null;
  const prefix = p.stacks.prefix;
  for (let s = n - 1; s >= 0; s--) {
    if (used[s] === 0) continue;
    const pre = prefix[s];
    if (pre < 0) continue;
    value[pre] += value[s];
    if (div) div[pre] += div[s];
    used[pre] = 1;
  }
  return { value, div, used, self, selfDiv };
}

/**
 * The used stack entries laid out in depth-first preorder, so a walk of the stack tree reads
 * memory in sequence: position i holds an entry's location, the value of its subtree and
 * `end[i]`, the position just past its subtree. Built without recursion or child lists from
 * subtree sizes (one backward pass) and positions (one forward pass), since prefix < s.
 */
export interface StackWalk {
  /** Chosen value of the samples ending at each stack entry (indexed by stack entry). */
  self: Float64Array;
  selfDiv: Float64Array | null;
  used: Uint8Array;
  /** In preorder: location, end of subtree, subtree value (and mean divisor). */
  loc: Int32Array;
  end: Int32Array;
  value: Float64Array;
  div: Float64Array | null;
}

export function stackWalk(p: Profile, choice: SampleChoice): StackWalk {
  const { self, selfDiv, used, value: byEntry, div: divByEntry } = stackSums(p, choice);
  const n = p.stacks.length;
  const prefix = p.stacks.prefix;
  const frame = p.stacks.frame;
  const size = new Int32Array(n);
  let m = 0;
  for (let s = n - 1; s >= 0; s--) {
    if (used[s] === 0) continue;
    m++;
    const z = size[s] + 1;
    size[s] = z;
    const pre = prefix[s];
    if (pre >= 0) size[pre] += z;
  }
  const loc = new Int32Array(m);
  const end = new Int32Array(m);
  const value = new Float64Array(m);
  const div = divByEntry ? new Float64Array(m) : null;
  // Once an entry is placed, `size` holds the next free position under it.
  let rootNext = 0;
  for (let s = 0; s < n; s++) {
    if (used[s] === 0) continue;
    const pre = prefix[s];
    const z = size[s];
    let at: number;
    if (pre < 0) {
      at = rootNext;
      rootNext += z;
    } else {
      at = size[pre];
      size[pre] = at + z;
    }
    size[s] = at + 1;
    loc[at] = frame[s];
    end[at] = at + z;
    value[at] = byEntry[s];
    if (div) div[at] = divByEntry![s];
  }
  return { self, selfDiv, used, loc, end, value, div };
}

/** Grows an Int32Array used as a stack. */
export function growInt32(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * flat and cum per node in one streaming pass over each sample's locations (sample-paths.ts),
 * with no per-stack-entry arrays (a profile whose stacks are mostly unique has tens of
 * millions of entries): each node keeps the number of the last sample that counted it in its
 * cum, so recursion counts once per sample, as pprof does. Memory: a few arrays of
 * `keys.count`. A decoded profile whose stack table was never asked for is never given one.
 * When the stack table exists and is small (shared prefixes), or `walk` is given, the same
 * numbers come from one walk of the stack tree instead.
 */
export function aggregateNodes(
  p: Profile,
  keys: FrameKeys,
  choice: SampleChoice,
  walk?: StackWalk,
): NodeValues {
  if (walk) return aggregateByWalk(p, keys, walk);
  // Stacks that share most of their prefixes are fewer entries than frames: one walk of the
  // stack tree visits each shared prefix once, which is faster than a pass over the samples.
  if (samplePaths(p) === null && p.stacks.length < SHARED_STACKS * p.samples.length) {
    return aggregateByWalk(p, keys, stackWalk(p, choice));
  }
  return aggregateBySamples(p, keys, choice);
}

/** aggregateNodes as one streaming pass over the samples (see above). */
export function aggregateBySamples(p: Profile, keys: FrameKeys, choice: SampleChoice): NodeValues {
  const k = keys.count;
  const flat = new Float64Array(k);
  const cum = new Float64Array(k);
  const flatDiv = new Float64Array(k);
  const cumDiv = new Float64Array(k);
  const { frames, frameStart } = keys;
  const { start, loc } = pathsOf(p);
  const vals = p.samples.values;
  const nt = p.sampleTypes.length;
  const index = choice.index;
  const mean = choice.mean;
  // Sample number + 1 that last added to each node's cum (0: none yet).
  const stamp = new Int32Array(k);
  const n = p.samples.length;
  for (let i = 0; i < n; i++) {
    const a = start[i];
    const b = start[i + 1];
    if (a === b) continue;
    const w = vals[i * nt + index];
    const d = mean ? vals[i * nt] : 0;
    if (w === 0 && d === 0) continue;
    // flat: the innermost frame of the leaf location.
    const leaf = frames[frameStart[loc[a] + 1] - 1];
    flat[leaf] += w;
    flatDiv[leaf] += d;
    const mark = i + 1;
    for (let j = a; j < b; j++) {
      const l = loc[j];
      const fe = frameStart[l + 1];
      for (let f = frameStart[l]; f < fe; f++) {
        const key = frames[f];
        if (stamp[key] !== mark) {
          stamp[key] = mark;
          cum[key] += w;
          cumDiv[key] += d;
        }
      }
    }
  }
  return { keys, flat, cum, flatDiv, cumDiv };
}

/** Below this many stack entries per sample, the stack tree walk is used (see above). */
export const SHARED_STACKS = 4;

function aggregateByWalk(p: Profile, keys: FrameKeys, walk: StackWalk): NodeValues {
  const k = keys.count;
  const flat = new Float64Array(k);
  const cum = new Float64Array(k);
  const flatDiv = new Float64Array(k);
  const cumDiv = new Float64Array(k);
  const { frames, frameStart } = keys;
  const frame = p.stacks.frame;
  const { self, selfDiv, used, loc, end, value, div } = walk;
  const n = p.stacks.length;

  // flat: the innermost frame of the leaf location.
  for (let s = 0; s < n; s++) {
    if (used[s] === 0) continue;
    const w = self[s];
    const d = selfDiv ? selfDiv[s] : 0;
    if (w === 0 && d === 0) continue;
    const leaf = frames[frameStart[frame[s] + 1] - 1];
    flat[leaf] += w;
    flatDiv[leaf] += d;
  }

  // cum: at the first appearance of each node on each path. Walking the stack tree depth
  // first, onPath counts each node on the current path.
  const onPath = new Int32Array(k);
  let open = new Int32Array(1024); // preorder positions of the entries on the path
  let top = 0;
  const m = loc.length;
  for (let i = 0; i < m; i++) {
    while (top > 0 && end[open[top - 1]] <= i) {
      const l = loc[open[--top]];
      const fe = frameStart[l + 1];
      for (let f = frameStart[l]; f < fe; f++) onPath[frames[f]]--;
    }
    const l = loc[i];
    const w = value[i];
    const d = div ? div[i] : 0;
    const fe = frameStart[l + 1];
    for (let f = frameStart[l]; f < fe; f++) {
      const key = frames[f];
      if (onPath[key] === 0) {
        cum[key] += w;
        cumDiv[key] += d;
      }
      onPath[key]++;
    }
    if (top === open.length) open = growInt32(open);
    open[top++] = i;
  }
  return { keys, flat, cum, flatDiv, cumDiv };
}

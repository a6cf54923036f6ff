// Callers and callees of one function (the "sandwich" view, pprof's pivot): for every sample
// whose path contains the function, only its OUTERMOST occurrence counts, so recursion is
// counted once.
//   callees: a CallTree whose root's child is the function; below it, the rest of each path
//            from that occurrence down to the leaf (recursive calls included), merged by path.
//   callers: an inverted CallTree: the function, then its caller, that caller's caller, ...
//            up to the root of each stack. A node's `self` is the value of paths that start
//            there (the outermost frame); its `total` the value of paths through it.
import { stackSums } from './aggregate';
import { TreeBuilder } from './calltree';
import { computeFrameKeys, type Granularity } from './granularity';
import { prepareProfile, type ReportOptions } from './report';
import type { CallTree } from './tree';

export interface SandwichOptions extends ReportOptions {
  granularity?: Granularity;
  noInlines?: boolean;
}

export interface Sandwich {
  /** The node name looked for, at the granularity (several nodes may share it). */
  name: string;
  /** Whether any frame has that name. */
  found: boolean;
  /** Value of samples whose innermost frame is the function. */
  flat: number;
  /** Value of samples with the function anywhere on their path (once per sample). */
  cum: number;
  callers: CallTree;
  callees: CallTree;
}

export function buildSandwich(
  profile: Parameters<typeof prepareProfile>[0],
  name: string,
  opts: SandwichOptions = {},
): Sandwich {
  const prep = prepareProfile(profile, opts);
  const p = prep.profile;
  const keys = computeFrameKeys(p, {
    granularity: opts.granularity ?? 'functions',
    noInlines: opts.noInlines ?? false,
  });
  const target = new Uint8Array(keys.count);
  let found = false;
  for (let k = 0; k < keys.count; k++) {
    if (keys.names[k] === name) {
      target[k] = 1;
      found = true;
    }
  }
  const sums = stackSums(p, { ...prep.choice, mean: false });
  const { frames, frameStart, frameInlined } = keys;
  const st = p.stacks;
  const calleeNode = new Int32Array(st.length).fill(-1);
  const callees = new TreeBuilder(1024);
  const callers = new TreeBuilder(1024);
  let flat = 0;
  let cum = 0;
  for (let s = 0; s < st.length && found; s++) {
    if (!sums.used[s]) continue;
    const pre = st.prefix[s];
    const loc = st.frame[s];
    const from = frameStart[loc];
    const to = frameStart[loc + 1];
    if (target[frames[to - 1]]) flat += sums.self[s];
    let parent: number;
    let f = from;
    if (pre >= 0 && calleeNode[pre] >= 0) {
      parent = calleeNode[pre];
    } else {
      while (f < to && !target[frames[f]]) f++;
      if (f === to) continue;
      parent = 0;
      cum += sums.value[s];
      // The callers of this outermost occurrence: outer Lines of this location, then the
      // locations above, innermost frame first.
      let up = callers.child(0, frames[f], frameInlined[f]);
      for (let g = f - 1; g >= from; g--) up = callers.child(up, frames[g], frameInlined[g]);
      for (let a = pre; a >= 0; a = st.prefix[a]) {
        const l = st.frame[a];
        for (let g = frameStart[l + 1] - 1; g >= frameStart[l]; g--) {
          up = callers.child(up, frames[g], frameInlined[g]);
        }
      }
      callers.self[up] += sums.value[s];
    }
    for (; f < to; f++) parent = callees.child(parent, frames[f], frameInlined[f]);
    calleeNode[s] = parent;
    callees.self[parent] += sums.self[s];
  }
  return {
    name,
    found,
    flat,
    cum,
    callers: callers.finish(keys, prep.choice.sampleType),
    callees: callees.finish(keys, prep.choice.sampleType),
  };
}

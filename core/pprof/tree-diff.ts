// Aligning two call trees for compare views: the side-by-side panes, the diff flame graph
// and the "only on one side" lists all read the union tree built here.
//
// Nodes are matched by path: a child matches the other side's child of the matched parent
// with the same display name and inlined flag. The union keeps the before tree's child order
// and appends frames that exist only in the after tree, so the after pane can be laid out in
// the before pane's order and towers stay in place.
import type { CallTree } from './tree';

export interface DiffTree {
  length: number;
  parent: Int32Array;
  firstChild: Int32Array;
  childCount: Int32Array;
  depth: Uint16Array;
  name: Int32Array;
  file: Int32Array;
  line: Float64Array;
  inlined: Uint8Array;
  beforeSelf: Float64Array;
  beforeTotal: Float64Array;
  afterSelf: Float64Array;
  afterTotal: Float64Array;
  /** Node index of the matching before node, -1 when the frame exists only in the after tree. */
  beforeNode: Int32Array;
  /** Node index of the matching after node, -1 when the frame exists only in the before tree. */
  afterNode: Int32Array;
  names: string[];
  sampleType: { type: string; unit: string };
}

/** Normalization modes of the compare views; the legend always names the one in force. */
export type Normalization = 'absolute' | 'per-second' | 'share';

export interface NormalizationInput {
  mode: Normalization;
  beforeTotal: number;
  afterTotal: number;
  beforeDurationNanos: number;
  afterDurationNanos: number;
}

/** Scale factors applied to before and after values, and the legend text for the mode. */
export function normalizationScale(n: NormalizationInput): {
  before: number;
  after: number;
  label: string;
  unavailable?: string;
} {
  switch (n.mode) {
    case 'absolute':
      return { before: 1, after: 1, label: 'absolute values' };
    case 'per-second': {
      if (n.beforeDurationNanos <= 0 || n.afterDurationNanos <= 0) {
        return {
          before: 1,
          after: 1,
          label: 'absolute values',
          unavailable: 'per second needs the duration of both profiles; one of them has none',
        };
      }
      return {
        before: 1e9 / n.beforeDurationNanos,
        after: 1e9 / n.afterDurationNanos,
        label: 'per second of profile duration',
      };
    }
    case 'share': {
      if (n.beforeTotal === 0 || n.afterTotal === 0) {
        return {
          before: 1,
          after: 1,
          label: 'absolute values',
          unavailable: 'share of total needs both profiles to be non-empty',
        };
      }
      return { before: 1 / n.beforeTotal, after: 1 / n.afterTotal, label: 'share of each total' };
    }
  }
}

/**
 * Classifies a change as noise when it is within about two standard deviations of a Poisson
 * count: for sampled CPU profiles, |a - b| ≤ 2·√(a + b) samples. Values are in the profile's
 * unit; `period` converts them to sample counts (1 for count types).
 */
export function isWithinNoise(baseValue: number, newValue: number, period: number): boolean {
  if (!(period > 0)) return false;
  const a = Math.abs(baseValue) / period;
  const b = Math.abs(newValue) / period;
  return Math.abs(b - a) <= 2 * Math.sqrt(a + b);
}

export interface DiffTreeOptions {
  /**
   * A looser identity for frames whose exact names differ between the two builds (e.g.
   * goMatchKey in diff-flame.ts: closure numbers and generic instantiations folded). Exact
   * name matches are made first; the key only pairs the children left over.
   */
  matchKey?: (name: string) => string;
}

export function diffCallTrees(
  base: CallTree,
  next: CallTree,
  opts: DiffTreeOptions = {},
): DiffTree {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = nameIndex.get(s);
    if (i === undefined) {
      i = names.length;
      names.push(s);
      nameIndex.set(s, i);
    }
    return i;
  };

  const cap = base.length + next.length;
  const parent = new Int32Array(cap);
  const depth = new Uint16Array(cap);
  const name = new Int32Array(cap);
  const file = new Int32Array(cap);
  const line = new Float64Array(cap);
  const inlined = new Uint8Array(cap);
  const baseSelf = new Float64Array(cap);
  const baseTotal = new Float64Array(cap);
  const newSelf = new Float64Array(cap);
  const newTotal = new Float64Array(cap);
  const baseNode = new Int32Array(cap).fill(-1);
  const newNode = new Int32Array(cap).fill(-1);
  const firstChild = new Int32Array(cap).fill(-1);
  const childCount = new Int32Array(cap);

  let length = 0;
  const add = (p: number, from: CallTree, node: number): number => {
    const i = length++;
    parent[i] = p;
    depth[i] = p < 0 ? 0 : depth[p] + 1;
    name[i] = intern(from.names[from.name[node]] ?? '');
    file[i] = intern(from.names[from.file[node]] ?? '');
    line[i] = from.line[node];
    inlined[i] = from.inlined[node];
    return i;
  };
  const key = (t: CallTree, node: number): string =>
    `${t.inlined[node]}\u0000${t.names[t.name[node]] ?? ''}`;
  const looseKey = (t: CallTree, node: number): string =>
    `${t.inlined[node]}\u0000${opts.matchKey!(t.names[t.name[node]] ?? '')}`;

  // Breadth-first so that siblings stay contiguous in the output, like a CallTree.
  const root = add(-1, base.length > 0 ? base : next, 0);
  const queue: Array<[number, number, number]> = [
    [root, base.length > 0 ? 0 : -1, next.length > 0 ? 0 : -1],
  ];
  for (let qi = 0; qi < queue.length; qi++) {
    const [u, b, n] = queue[qi];
    baseNode[u] = b;
    newNode[u] = n;
    if (b >= 0) {
      baseSelf[u] = base.self[b];
      baseTotal[u] = base.total[b];
    }
    if (n >= 0) {
      newSelf[u] = next.self[n];
      newTotal[u] = next.total[n];
    }
    const newChildren = new Map<string, number>();
    if (n >= 0) {
      for (let c = next.firstChild[n], e = c + next.childCount[n]; c < e; c++) {
        newChildren.set(key(next, c), c);
      }
    }
    const start = length;
    if (b >= 0) {
      const first = base.firstChild[b];
      const count = base.childCount[b];
      const matched = new Int32Array(count).fill(-1);
      for (let j = 0; j < count; j++) {
        const k = key(base, first + j);
        const match = newChildren.get(k);
        if (match !== undefined) {
          newChildren.delete(k);
          matched[j] = match;
        }
      }
      if (opts.matchKey && newChildren.size > 0) {
        // Leftovers with the same loose key pair up in sibling order (func1 with func1...).
        const loose = new Map<string, number[]>();
        for (const c of newChildren.values()) {
          const lk = looseKey(next, c);
          const list = loose.get(lk);
          if (list) list.push(c);
          else loose.set(lk, [c]);
        }
        for (let j = 0; j < count; j++) {
          if (matched[j] >= 0) continue;
          const match = loose.get(looseKey(base, first + j))?.shift();
          if (match !== undefined) {
            newChildren.delete(key(next, match));
            matched[j] = match;
          }
        }
      }
      for (let j = 0; j < count; j++) queue.push([add(u, base, first + j), first + j, matched[j]]);
    }
    for (const c of newChildren.values()) queue.push([add(u, next, c), -1, c]);
    if (length > start) {
      firstChild[u] = start;
      childCount[u] = length - start;
    }
  }

  return {
    length,
    parent: parent.slice(0, length),
    firstChild: firstChild.slice(0, length),
    childCount: childCount.slice(0, length),
    depth: depth.slice(0, length),
    name: name.slice(0, length),
    file: file.slice(0, length),
    line: line.slice(0, length),
    inlined: inlined.slice(0, length),
    beforeSelf: baseSelf.slice(0, length),
    beforeTotal: baseTotal.slice(0, length),
    afterSelf: newSelf.slice(0, length),
    afterTotal: newTotal.slice(0, length),
    beforeNode: baseNode.slice(0, length),
    afterNode: newNode.slice(0, length),
    names,
    sampleType: base.length > 0 ? base.sampleType : next.sampleType,
  };
}

export interface OneSidedFrame {
  /** Full path from the root, outermost first. */
  path: string[];
  total: number;
}

/**
 * Frames present on one side only, listed separately rather than drawn as zero-width boxes:
 * the topmost node of each one-sided subtree, largest first.
 */
export function oneSidedFrames(d: DiffTree): {
  onlyBefore: OneSidedFrame[];
  onlyAfter: OneSidedFrame[];
} {
  const onlyBefore: OneSidedFrame[] = [];
  const onlyAfter: OneSidedFrame[] = [];
  const pathOf = (i: number): string[] => {
    const out: string[] = [];
    for (let u = i; u > 0; u = d.parent[u]) out.push(d.names[d.name[u]]);
    return out.reverse();
  };
  for (let i = 1; i < d.length; i++) {
    const p = d.parent[i];
    if (d.afterNode[i] === -1 && d.beforeNode[i] >= 0 && d.afterNode[p] >= 0) {
      onlyBefore.push({ path: pathOf(i), total: d.beforeTotal[i] });
    } else if (d.beforeNode[i] === -1 && d.afterNode[i] >= 0 && d.beforeNode[p] >= 0) {
      onlyAfter.push({ path: pathOf(i), total: d.afterTotal[i] });
    }
  }
  const byTotal = (a: OneSidedFrame, b: OneSidedFrame) => b.total - a.total;
  return { onlyBefore: onlyBefore.sort(byTotal), onlyAfter: onlyAfter.sort(byTotal) };
}

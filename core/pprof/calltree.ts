// The call tree merged by path (tree.ts's CallTree), for any sample index, granularity and
// filters: what flame graphs read.
//
// A node is (parent node, frame at the granularity, inlined flag): an inlined function is its
// own node, flagged, under the function it was inlined into (every Line of a location is a
// frame, the last Line outermost), like pprof's flame graph. A sample adds its value to the
// self of the node of its innermost frame and to the total of every node on its path; each
// node is on a path once, so recursion is counted once per node path.
// Stack entries map to tree nodes through an open-addressing hash on (parent, frame), one
// lookup per frame of each distinct stack entry, not per sample.
import { stackSums } from './aggregate';
import { computeFrameKeys, type FrameKeys, type Granularity } from './granularity';
import type { Profile } from './model';
import { PairMap } from './pair-map';
import { prepareProfile, type PreparedProfile, type ReportOptions } from './report';
import type { CallTree } from './tree';

export interface CallTreeOptions extends ReportOptions {
  granularity?: Granularity;
  noInlines?: boolean;
}

/** A growable node list while building. */
export class TreeBuilder {
  private map: PairMap | null;
  parent: Int32Array;
  key: Int32Array;
  inlined: Uint8Array;
  self: Float64Array;
  size = 1;

  constructor(expected = 1024) {
    const cap = Math.max(16, expected);
    this.map = new PairMap(cap);
    this.parent = new Int32Array(cap);
    this.key = new Int32Array(cap);
    this.inlined = new Uint8Array(cap);
    this.self = new Float64Array(cap);
    this.parent[0] = -1;
    this.key[0] = -1;
  }

  /** The child of `parent` for frame `key` (inlined or not), created when absent. */
  child(parent: number, key: number, inlined: number): number {
    const id = this.map!.intern(parent, key * 2 + inlined) + 1;
    if (id === this.size) {
      if (id >= this.parent.length) this.grow();
      this.parent[id] = parent;
      this.key[id] = key;
      this.inlined[id] = inlined;
      this.size++;
    }
    return id;
  }

  private grow(): void {
    const cap = this.parent.length * 2;
    const p = new Int32Array(cap);
    p.set(this.parent);
    this.parent = p;
    const k = new Int32Array(cap);
    k.set(this.key);
    this.key = k;
    const i = new Uint8Array(cap);
    i.set(this.inlined);
    this.inlined = i;
    const s = new Float64Array(cap);
    s.set(this.self);
    this.self = s;
  }

  /**
   * The finished CallTree: totals summed up the tree, siblings made contiguous (breadth
   * first), ordered by total (largest first), then name.
   */
  finish(keys: FrameKeys, sampleType: { type: string; unit: string }): CallTree {
    this.map = null; // no more nodes: let the hash go before the output is allocated
    const n = this.size;
    const { parent, key, inlined } = this;
    const total = this.self.slice(0, n);
    // Children are created after their parent, so one backward pass sums totals.
    for (let i = n - 1; i > 0; i--) total[parent[i]!] += total[i]!;
    // Children lists (CSR) in creation order.
    const start = new Uint32Array(n + 1);
    for (let i = 1; i < n; i++) start[parent[i]! + 1]!++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i]!;
    const kids = new Int32Array(Math.max(0, n - 1));
    {
      const fill = start.slice(0, n);
      for (let i = 1; i < n; i++) kids[fill[parent[i]!]!++] = i;
    }
    // Sibling order: |total| descending, then name, then not-inlined first. Names compare
    // through a rank computed once per frame key.
    const rank = new Int32Array(keys.count);
    {
      const byName = Array.from({ length: keys.count }, (_, k) => k);
      byName.sort((a, b) =>
        keys.names[a]! < keys.names[b]! ? -1 : keys.names[a]! > keys.names[b]! ? 1 : 0,
      );
      byName.forEach((k, r) => (rank[k] = r));
    }
    const cmp = (a: number, b: number): number => {
      const d = Math.abs(total[b]!) - Math.abs(total[a]!);
      if (d !== 0) return d;
      const r = rank[key[a]!]! - rank[key[b]!]!;
      return r !== 0 ? r : inlined[a]! - inlined[b]!;
    };
    // Breadth first, so each parent's children are contiguous and follow it.
    const order = new Int32Array(n); // position -> builder node
    const pos = new Int32Array(n); // builder node -> position
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const from = start[order[head]!]!;
      const to = start[order[head]! + 1]!;
      if (to - from > 16) kids.subarray(from, to).sort(cmp);
      else {
        // Insertion sort: most nodes have a handful of children.
        for (let j = from + 1; j < to; j++) {
          const c = kids[j]!;
          let h = j - 1;
          while (h >= from && cmp(kids[h]!, c) > 0) {
            kids[h + 1] = kids[h]!;
            h--;
          }
          kids[h + 1] = c;
        }
      }
      for (let j = from; j < to; j++) order[tail++] = kids[j]!;
    }
    for (let i = 0; i < n; i++) pos[order[i]!] = i;

    // Output string table: '' first, then the names and files used, once per frame key.
    const outNames: string[] = [''];
    const index = new Map<string, number>([['', 0]]);
    const str = (s: string): number => {
      let i = index.get(s);
      if (i === undefined) {
        i = outNames.length;
        outNames.push(s);
        index.set(s, i);
      }
      return i;
    };
    const nameOf = new Int32Array(keys.count).fill(-1);
    const fileOf = new Int32Array(keys.count);
    const tParent = new Int32Array(n);
    const tFirst = new Int32Array(n);
    const tCount = new Int32Array(n);
    const tDepth = new Uint16Array(n);
    const tName = new Int32Array(n);
    const tFile = new Int32Array(n);
    const tLine = new Float64Array(n);
    const tInlined = new Uint8Array(n);
    const tSelf = new Float64Array(n);
    const tTotal = new Float64Array(n);
    const self = this.self;
    const keyLines = keys.lines;
    tParent[0] = -1;
    for (let i = 0; i < n; i++) {
      const b = order[i]!;
      const from = start[b]!;
      const count = start[b + 1]! - from;
      tCount[i] = count;
      tFirst[i] = count > 0 ? pos[kids[from]!]! : -1;
      tSelf[i] = self[b]!;
      tTotal[i] = total[b]!;
      if (b === 0) continue;
      const par = pos[parent[b]!]!;
      tParent[i] = par;
      const d = tDepth[par]! + 1;
      tDepth[i] = d > 0xffff ? 0xffff : d;
      tInlined[i] = inlined[b]!;
      const k = key[b]!;
      if (nameOf[k] === -1) {
        nameOf[k] = str(keys.names[k]!);
        fileOf[k] = str(keys.files[k]!);
      }
      tName[i] = nameOf[k]!;
      tFile[i] = fileOf[k]!;
      tLine[i] = keyLines[k]!;
    }
    const tree: CallTree = {
      length: n,
      parent: tParent,
      firstChild: tFirst,
      childCount: tCount,
      depth: tDepth,
      name: tName,
      file: tFile,
      line: tLine,
      inlined: tInlined,
      self: tSelf,
      total: tTotal,
      names: outNames,
      sampleType: { type: sampleType.type, unit: sampleType.unit },
    };
    return tree;
  }
}

/** Builds the call tree of an already prepared profile. */
export function callTreeOf(prep: PreparedProfile, keys: FrameKeys): CallTree {
  const p: Profile = prep.profile;
  const sums = stackSums(p, { ...prep.choice, mean: false });
  const b = new TreeBuilder(Math.min(p.stacks.length * 2 + 1, 1 << 22));
  const node = new Int32Array(p.stacks.length);
  const { frames, frameStart, frameInlined } = keys;
  for (let s = 0; s < p.stacks.length; s++) {
    if (!sums.used[s]) continue;
    const pre = p.stacks.prefix[s]!;
    let parent = pre >= 0 ? node[pre]! : 0;
    const loc = p.stacks.frame[s]!;
    for (let f = frameStart[loc]!; f < frameStart[loc + 1]!; f++) {
      parent = b.child(parent, frames[f]!, frameInlined[f]!);
    }
    node[s] = parent;
    b.self[parent] += sums.self[s]!;
  }
  return b.finish(keys, prep.choice.sampleType);
}

/** The call tree of a profile: filters, sample index and granularity as in pprof. */
export function buildCallTree(profile: Profile, opts: CallTreeOptions = {}): CallTree {
  const prep = prepareProfile(profile, opts);
  const keys = computeFrameKeys(prep.profile, {
    granularity: opts.granularity ?? 'functions',
    noInlines: opts.noInlines ?? false,
  });
  return callTreeOf(prep, keys);
}

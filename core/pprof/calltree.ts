// The call tree merged by path (tree.ts's CallTree), for any sample index, granularity and
// filters: what flame graphs read.
//
// A node is (parent node, frame at the granularity, inlined flag): an inlined function is its
// own node, flagged, under the function it was inlined into (every Line of a location is a
// frame, the last Line outermost), like pprof's flame graph. A sample adds its value to the
// self of the node of its innermost frame and to the total of every node on its path; each
// node is on a path once, so recursion is counted once per node path.
// Stack entries map to tree nodes through an open-addressing hash on (parent, frame), one
// lookup per frame of each distinct stack entry, not per sample. Finishing is one walk that
// sorts each sibling group and writes every output column; nodes come out in the order
// flamegraph.ts lays out in one pass (see layoutFlame).
import { computeFrameKeys, type FrameKeys, type Granularity } from './granularity';
import type { Profile } from './model';
import { prepareProfile, type PreparedProfile, type ReportOptions } from './report';
import type { CallTree } from './tree';

export interface CallTreeOptions extends ReportOptions {
  granularity?: Granularity;
  noInlines?: boolean;
}

/** Progress of a long build: a phase name and how much of it is done (of `total`). */
export type TreeProgress = (phase: string, done: number, total: number) => void;

/** Stack entries between two progress reports, minus 1 (a mask). */
const PROGRESS_EVERY = (1 << 20) - 1;

/** A growable node list while building. */
export class TreeBuilder {
  // Open-addressing hash of (parent, key * 2 + inlined) -> node id. Slots hold the id (0 is
  // free: node 0 is the root, never a child), the keys are read from the node columns, so
  // the table is one small Int32Array (4 bytes a slot) and a lookup allocates nothing.
  private slots: Int32Array;
  private mask: number;
  parent: Int32Array;
  key: Int32Array;
  inlined: Uint8Array;
  self: Float64Array;
  // Children as linked lists (newest first, 0 ends a list), kept as nodes are made, so
  // finishing needs no pass to group them.
  private firstKid: Int32Array;
  private nextSib: Int32Array;
  size = 1;

  /** `expected`: the number of nodes to make room for (more still fit, by growing). */
  constructor(expected = 1024) {
    const cap = Math.max(16, expected);
    this.parent = new Int32Array(cap);
    this.key = new Int32Array(cap);
    this.inlined = new Uint8Array(cap);
    this.self = new Float64Array(cap);
    this.firstKid = new Int32Array(cap);
    this.nextSib = new Int32Array(cap);
    this.parent[0] = -1;
    this.key[0] = -1;
    let slots = 32;
    while (slots < cap * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** The child of `parent` for frame `key` (inlined or not), created when absent. */
  child(parent: number, key: number, inlined: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let h = slotOf(parent, key * 2 + inlined) & mask;
    for (;;) {
      const id = slots[h];
      if (id === 0) break;
      if (this.parent[id] === parent && this.key[id] === key && this.inlined[id] === inlined)
        return id;
      h = (h + 1) & mask;
    }
    const id = this.size;
    if (id >= this.parent.length) this.grow();
    this.parent[id] = parent;
    this.key[id] = key;
    this.inlined[id] = inlined;
    this.nextSib[id] = this.firstKid[parent];
    this.firstKid[parent] = id;
    this.size = id + 1;
    slots[h] = id;
    if (this.size * 2 > mask) this.rehash();
    return id;
  }

  /**
   * Adds the path of every used stack entry (a stack entry's node is its prefix's node's
   * child), with `self` per stack entry added to its node. The loop does the hash lookup
   * itself: it runs once per frame of a profile, the hot loop of tree building.
   */
  addStacks(
    p: Profile,
    keys: FrameKeys,
    used: Uint8Array,
    selfByStack: Float64Array,
    onProgress?: TreeProgress,
  ): void {
    const { frames, frameStart, frameInlined } = keys;
    const { prefix, frame } = p.stacks;
    const n = p.stacks.length;
    const node = new Int32Array(n);
    let { parent: par, key: ky, inlined: inl, firstKid, nextSib, slots, mask, self } = this;
    let size = this.size;
    for (let s = 0; s < n; s++) {
      if ((s & PROGRESS_EVERY) === 0 && onProgress && s > 0) onProgress('call tree', s, n);
      if (!used[s]) continue;
      const pre = prefix[s];
      let cur = pre >= 0 ? node[pre] : 0;
      const loc = frame[s];
      const fe = frameStart[loc + 1];
      for (let f = frameStart[loc]; f < fe; f++) {
        const k = frames[f];
        const il = frameInlined[f];
        // slotOf, inlined by hand: this loop runs before the JIT has made it fast.
        let h = Math.imul(cur, 0x9e3779b1) ^ Math.imul(k * 2 + il, 0x85ebca77);
        h ^= h >>> 15;
        h = Math.imul(h, 0x2c1b3c6d);
        h = (h ^ (h >>> 13)) & mask;
        let id = slots[h];
        while (id !== 0 && !(par[id] === cur && ky[id] === k && inl[id] === il)) {
          h = (h + 1) & mask;
          id = slots[h];
        }
        if (id === 0) {
          if (size >= par.length || (size + 1) * 2 > mask) {
            // Out of room (the estimate was low): the general path grows.
            this.size = size;
            id = this.child(cur, k, il);
            ({ parent: par, key: ky, inlined: inl, firstKid, nextSib, slots, mask, self } = this);
            size = this.size;
          } else {
            id = size++;
            par[id] = cur;
            ky[id] = k;
            inl[id] = il;
            nextSib[id] = firstKid[cur];
            firstKid[cur] = id;
            slots[h] = id;
          }
        }
        cur = id;
      }
      node[s] = cur;
      self[cur] += selfByStack[s];
    }
    this.size = size;
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
    const f = new Int32Array(cap);
    f.set(this.firstKid);
    this.firstKid = f;
    const nx = new Int32Array(cap);
    nx.set(this.nextSib);
    this.nextSib = nx;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 1; id < this.size; id++) {
      let h = slotOf(this.parent[id], this.key[id] * 2 + this.inlined[id]) & mask;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /**
   * The finished CallTree: totals summed up the tree, siblings contiguous and ordered by
   * |total| (largest first), then name, then not-inlined first.
   */
  finish(keys: FrameKeys, sampleType: { type: string; unit: string }): CallTree {
    this.slots = new Int32Array(0); // no more nodes: let the hash go before the output
    const n = this.size;
    const { parent, key, inlined, self, firstKid, nextSib } = this;
    const total = self.slice(0, n);
    // Children are created after their parent, so one backward pass sums totals.
    for (let i = n - 1; i > 0; i--) total[parent[i]] += total[i];
    const names = keys.names;
    // Sibling order: |total| descending, then name, then frame key (equal printable names),
    // then not-inlined first. Names are compared only on equal totals.
    const before = (a: number, b: number): boolean => {
      const ta = Math.abs(total[a]);
      const tb = Math.abs(total[b]);
      if (ta !== tb) return ta > tb;
      const ka = key[a];
      const kb = key[b];
      if (ka !== kb) {
        const na = names[ka];
        const nb = names[kb];
        if (na !== nb) return na < nb;
        return ka < kb;
      }
      return inlined[a] < inlined[b];
    };
    const cmp = (a: number, b: number): number => (before(a, b) ? -1 : before(b, a) ? 1 : 0);

    // Output string table: '' first, then the names and files used, once per frame key, in
    // the order the walk meets them.
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
    const keyLines = keys.lines;
    const order = new Int32Array(n); // position -> builder node
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
    tParent[0] = -1;
    // Depth first, giving each node's children one contiguous block as the node is reached:
    // children follow their parent and siblings are contiguous, and a chain of single
    // children (most of a deep profile) is written and read in sequence.
    const stack = new Int32Array(n);
    let sp = 0;
    if (n > 0) stack[sp++] = 0;
    let tail = n > 0 ? 1 : 0;
    while (sp > 0) {
      const i = stack[--sp];
      const b = order[i];
      const from = tail;
      for (let c = firstKid[b]; c !== 0; c = nextSib[c]) order[tail++] = c;
      const count = tail - from;
      if (count > 16) order.subarray(from, tail).sort(cmp);
      else {
        // Insertion sort: most nodes have a handful of children.
        for (let j = from + 1; j < tail; j++) {
          const c = order[j];
          let h = j - 1;
          while (h >= from && before(c, order[h])) {
            order[h + 1] = order[h];
            h--;
          }
          order[h + 1] = c;
        }
      }
      tCount[i] = count;
      tFirst[i] = count > 0 ? from : -1;
      if (count > 0) {
        const d = tDepth[i] + 1;
        const cd = d > 0xffff ? 0xffff : d;
        for (let j = tail - 1; j >= from; j--) {
          tParent[j] = i;
          tDepth[j] = cd;
          stack[sp++] = j;
        }
      }
      tSelf[i] = self[b];
      tTotal[i] = total[b];
      if (b === 0) continue;
      tInlined[i] = inlined[b];
      const k = key[b];
      if (nameOf[k] === -1) {
        nameOf[k] = str(names[k]);
        fileOf[k] = str(keys.files[k]);
      }
      tName[i] = nameOf[k];
      tFile[i] = fileOf[k];
      tLine[i] = keyLines[k];
    }
    return {
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
  }
}

function slotOf(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

/**
 * The stack entries a tree is built from, as stackSums without the mean (see aggregate.ts):
 * `used` when a sample with a non-zero value passes through, `self` the value of samples
 * ending there; and `bound`, at most one node per frame of each used entry plus the root.
 */
function stackUse(p: Profile, keys: FrameKeys, index: number) {
  const n = p.stacks.length;
  const nt = p.sampleTypes.length;
  const self = new Float64Array(n);
  const used = new Uint8Array(n);
  const { stack, values } = p.samples;
  for (let i = 0; i < p.samples.length; i++) {
    const s = stack[i];
    if (s < 0) continue;
    const w = values[i * nt + index];
    if (w === 0) continue;
    self[s] += w;
    used[s] = 1;
  }
  const { prefix, frame } = p.stacks;
  const { frameStart } = keys;
  let bound = 1;
  for (let s = n - 1; s >= 0; s--) {
    if (used[s] === 0) continue;
    bound += frameStart[frame[s] + 1] - frameStart[frame[s]];
    const pre = prefix[s];
    if (pre >= 0) used[pre] = 1;
  }
  return { self, used, bound };
}

/** Builds the call tree of an already prepared profile. */
export function callTreeOf(
  prep: PreparedProfile,
  keys: FrameKeys,
  onProgress?: TreeProgress,
): CallTree {
  const p: Profile = prep.profile;
  const use = stackUse(p, keys, prep.choice.index);
  const b = new TreeBuilder(use.bound);
  b.addStacks(p, keys, use.used, use.self, onProgress);
  onProgress?.('sorting', 0, 1);
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

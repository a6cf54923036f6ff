// Icicle layout of a CallTree and its level of detail (LOD) for a visible window.
//
// Layout: every node gets an x offset and a width in value units (width = |total|), children
// packed left to right inside their parent, largest first unless a rank says otherwise.
// Rows: per depth, the nodes in x order (zero-width nodes left out), so a window query is a
// bisect per row. A tree whose ids already follow that order (buildCallTree's) is laid out
// in one forward pass; any other, depth first.
// LOD: for a window [x0, x1] drawn W pixels wide, a row emits every node at least `minPx`
// wide and folds runs of narrower nodes into one "merged" item at least `minPx` wide. Drawn
// extents never overlap and each covers >= minPx, so a row yields at most W / minPx + 1 items
// whatever the profile size. With a search, a merged run that holds matches is split into
// marked stretches of matching nodes (each >= minPx) and unmarked grey gaps tiling the same
// extent, so only matches are marked (at most twice as many items).

import type { CallTree } from './tree';

export interface FlameLayout {
  tree: CallTree;
  /** Offset of each node from the root's left edge, in value units. */
  x: Float64Array;
  /** Width of each node in value units (|total|). */
  width: Float64Array;
  /** Deepest depth present (the root is depth 0). */
  maxDepth: number;
  /** maxDepth + 2 offsets into rowNodes: row d is rowNodes[rowStart[d] .. rowStart[d+1]-1]. */
  rowStart: Uint32Array;
  /** Node ids per row, in increasing x. */
  rowNodes: Int32Array;
  /** Colour bucket of each node (hash of its package path), 0 .. paletteSize-1. */
  colorKey: Uint16Array;
}

export interface LayoutOptions {
  /**
   * Sort key per node: siblings are placed by increasing rank; NaN ranks go after ranked
   * ones, largest total first. Without it, siblings go largest total first (ties by name).
   */
  rank?: Float64Array;
  /** Number of colour buckets (default 24). */
  paletteSize?: number;
}

export const FLAG_INLINED = 1;
export const FLAG_MATCH = 2;
export const FLAG_MERGED = 4;

/** Colour key of merged runs (not a package colour). */
export const MERGED_COLOR = 0xffff;

/** LOD output: parallel arrays, grouped by depth, each row in increasing x. */
export interface FlameLod {
  length: number;
  /** Drawn left edge in value units. */
  x: Float64Array;
  /** Drawn width in value units (a merged run is widened to >= minPx). */
  width: Float64Array;
  depth: Uint16Array;
  /** Node id, or -1 for a merged run of narrow nodes. */
  node: Int32Array;
  /** Colour bucket, or MERGED_COLOR for a merged run. */
  color: Uint16Array;
  /** FLAG_INLINED | FLAG_MATCH | FLAG_MERGED. */
  flags: Uint8Array;
  /** Offsets per depth d0 .. d1: items of depth d0+i are rowStart[i] .. rowStart[i+1]-1. */
  rowStart: Uint32Array;
  d0: number;
  /** With `spans`: the item's nodes are layout.rowNodes[first .. first + count - 1]. */
  first?: Uint32Array;
  count?: Uint32Array;
}

export interface LodRequest {
  x0: number;
  x1: number;
  /** Pixel width of the window. */
  pixels: number;
  /** Minimum drawn width in pixels (default 1). */
  minPx?: number;
  /** Depth range [d0, d1] inclusive (default: every row). */
  d0?: number;
  d1?: number;
  /** Per node 1 when it matches a search. */
  match?: Uint8Array;
  /** Also say which row nodes each item stands for (FlameLod.first and .count). */
  spans?: boolean;
}

/** The package part of a Go symbol: "github.com/a/b.(*T).M" -> "github.com/a/b". */
export function packageOf(name: string): string {
  // Type parameters and receivers may contain '/' and '.', so look only before them.
  let end = name.length;
  for (const c of PACKAGE_STOPS) {
    const i = name.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  const head = name.slice(0, end);
  const slash = head.lastIndexOf('/');
  const dot = head.indexOf('.', slash + 1);
  return dot > 0 ? head.slice(0, dot) : head;
}
const PACKAGE_STOPS = ['[', '(', ' '];

/** FNV-1a of a string, as an unsigned 32-bit integer. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function layoutFlame(tree: CallTree, opts: LayoutOptions = {}): FlameLayout {
  const n = tree.length;
  const palette = Math.max(1, Math.min(0xfffe, opts.paletteSize ?? 24));
  const x = new Float64Array(n);
  const width = new Float64Array(n);
  const colorKey = new Uint16Array(n);
  const rank = opts.rank;
  const depth = tree.depth;

  // Widths, colours (once per distinct name, -1: not yet; hashed once per package) and the
  // number of drawn (non-zero-width) nodes per depth, in one pass.
  const { total, name, names } = tree;
  const keyByName = new Int32Array(names.length).fill(-1);
  const keyByPackage = new Map<string, number>();
  const colourOf = (nm: number): number => {
    if (!(nm >= 0 && nm < names.length)) return 0;
    const pkg = packageOf(names[nm] ?? '');
    const k = keyByPackage.get(pkg) ?? hashString(pkg) % palette;
    keyByPackage.set(pkg, k);
    keyByName[nm] = k;
    return k;
  };
  const perDepth = new Uint32Array(0x10000); // depths are Uint16
  let deepest = 0; // zero-width nodes included
  for (let i = 0; i < n; i++) {
    const w = Math.abs(total[i]);
    width[i] = w;
    const k = keyByName[name[i]];
    colorKey[i] = k >= 0 ? k : colourOf(name[i]);
    const d = depth[i];
    if (d > deepest) deepest = d;
    if (w > 0) perDepth[d]++;
  }
  let maxDepth = deepest;
  while (maxDepth > 0 && perDepth[maxDepth] === 0) maxDepth--;
  const rowStart = new Uint32Array(maxDepth + 2);
  for (let d = 0; d <= maxDepth; d++) rowStart[d + 1] = rowStart[d] + perDepth[d];
  const rowNodes = new Int32Array(rowStart[maxDepth + 1]);

  if (n === 0) return { tree, x, width, maxDepth, rowStart, rowNodes, colorKey };

  const cmp = (a: number, b: number): number => {
    if (rank) {
      const ra = rank[a];
      const rb = rank[b];
      const na = Number.isNaN(ra);
      const nb = Number.isNaN(rb);
      if (!na && !nb && ra !== rb) return ra - rb;
      if (na !== nb) return na ? 1 : -1;
    }
    if (width[a] !== width[b]) return width[b] - width[a];
    const sa = tree.names[tree.name[a]] ?? '';
    const sb = tree.names[tree.name[b]] ?? '';
    return sa < sb ? -1 : sa > sb ? 1 : a - b;
  };
  // Widths decide almost always; the full comparison only breaks ties (or ranks).
  const inOrder = (a: number, b: number): boolean =>
    rank || width[a] === width[b] ? cmp(a, b) <= 0 : width[a] > width[b];

  if (!layoutInOrder(tree, width, x, rowStart, rowNodes, inOrder, deepest)) {
    x.fill(0);
    rowNodes.fill(0);
    layoutDepthFirst(tree, width, x, rowStart, rowNodes, cmp, inOrder);
  }
  return { tree, x, width, maxDepth, rowStart, rowNodes, colorKey };
}

/**
 * The layout of a tree whose node ids already follow layout order, as buildCallTree and
 * TreeBuilder make them: each node's children are one block of consecutive ids in sibling
 * order, and the blocks of one depth come in the order of their parents' ids. Then x follows
 * in one forward pass, and each row's nodes come in x order by id. Returns false, having
 * stopped early, for any other tree.
 */
function layoutInOrder(
  tree: CallTree,
  width: Float64Array,
  x: Float64Array,
  rowStart: Uint32Array,
  rowNodes: Int32Array,
  inOrder: (a: number, b: number) => boolean,
  deepest: number,
): boolean {
  const { parent, depth } = tree;
  const n = tree.length;
  const fill = rowStart.slice(0, rowStart.length - 1);
  // The parent of the last block started at each depth.
  const lastParent = new Int32Array(deepest + 1).fill(-1);
  if (width[0] > 0) rowNodes[fill[depth[0]]++] = 0;
  let prev = -1;
  let cx = 0;
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    const d = depth[i];
    if (p !== prev) {
      if (p < 0 || p >= i || p <= lastParent[d]) return false;
      lastParent[d] = p;
      prev = p;
      cx = x[p];
    } else if (!inOrder(i - 1, i)) return false;
    if (d !== depth[p] + 1) return false;
    x[i] = cx;
    const w = width[i];
    cx += w;
    if (w > 0) rowNodes[fill[d]++] = i;
  }
  return true;
}

/** The layout of any tree whose parents come before their children (parent[i] < i). */
function layoutDepthFirst(
  tree: CallTree,
  width: Float64Array,
  x: Float64Array,
  rowStart: Uint32Array,
  rowNodes: Int32Array,
  cmp: (a: number, b: number) => number,
  inOrder: (a: number, b: number) => boolean,
): void {
  const n = tree.length;
  const fill = rowStart.slice(0, rowStart.length - 1);
  // Children from the parent column alone, so the layout depends only on parent[i] < i.
  const { start: kidStart, list: kidList } = childLists(tree);

  // Depth-first in sibling order: visits each depth's nodes left to right, which fills the
  // rows already sorted by x. A sibling group is sorted only when it is not in order yet.
  const stack = new Int32Array(n);
  let sp = 0;
  stack[sp++] = 0;
  x[0] = 0;
  const kids: number[] = [];
  while (sp > 0) {
    const p = stack[--sp];
    if (width[p] > 0) rowNodes[fill[tree.depth[p]]++] = p;
    const first = kidStart[p];
    const end = kidStart[p + 1];
    if (first === end) continue;
    let ordered = true;
    for (let k = first + 1; k < end && ordered; k++) ordered = inOrder(kidList[k - 1], kidList[k]);
    if (!ordered) {
      kids.length = 0;
      for (let k = first; k < end; k++) kids.push(kidList[k]);
      kids.sort(cmp);
      for (let k = first; k < end; k++) kidList[k] = kids[k - first];
    }
    let cx = x[p];
    for (let k = first; k < end; k++) {
      const c = kidList[k];
      x[c] = cx;
      cx += width[c];
    }
    // Push in reverse so the leftmost child is visited first.
    for (let k = end - 1; k >= first; k--) stack[sp++] = kidList[k];
  }
}

/** Children of every node as offsets into one list (CSR), in node order. */
export function childLists(tree: CallTree): { start: Int32Array; list: Int32Array } {
  const n = tree.length;
  const start = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) start[tree.parent[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const list = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) list[fill[tree.parent[i]]++] = i;
  return { start, list };
}

/**
 * Ranks for laying out `tree` in the sibling order of a reference layout (e.g. the "after"
 * profile in the "before" profile's order): a node matching a reference node by path of
 * names gets that node's x; unmatched nodes get NaN (placed after, largest first).
 */
export function rankLike(tree: CallTree, ref: FlameLayout): Float64Array {
  const rank = new Float64Array(tree.length).fill(Number.NaN);
  if (tree.length === 0 || ref.tree.length === 0) return rank;
  const refTree = ref.tree;
  const match = new Int32Array(tree.length).fill(-1);
  match[0] = 0;
  rank[0] = 0;
  const childByName = new Map<string, number>();
  const mine = childLists(tree);
  const theirs = childLists(refTree);
  for (let p = 0; p < tree.length; p++) {
    const rp = match[p];
    if (rp < 0 || mine.start[p] === mine.start[p + 1]) continue;
    childByName.clear();
    for (let k = theirs.start[rp]; k < theirs.start[rp + 1]; k++) {
      const c = theirs.list[k];
      childByName.set(refKey(refTree, c), c);
    }
    for (let k = mine.start[p]; k < mine.start[p + 1]; k++) {
      const c = mine.list[k];
      const rc = childByName.get(refKey(tree, c));
      if (rc !== undefined) {
        match[c] = rc;
        rank[c] = ref.x[rc];
      }
    }
  }
  return rank;
}

function refKey(t: CallTree, i: number): string {
  return `${t.names[t.name[i]] ?? ''}\u0000${t.inlined[i]}`;
}

/**
 * First index in rows [lo, hi) of the row whose node ends after v, or at v too with `orAt`
 * (a row's nodes do not overlap, so their ends grow with their starts).
 */
function firstEnding(
  layout: FlameLayout,
  lo: number,
  hi: number,
  v: number,
  orAt: boolean,
): number {
  const { rowNodes, x, width } = layout;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const id = rowNodes[mid];
    const e = x[id] + width[id];
    if (e < v || (e === v && !orAt)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in rows [lo, hi) of the row whose node starts at or after v. */
function firstStartingAtOrAfter(layout: FlameLayout, lo: number, hi: number, v: number): number {
  const { rowNodes, x } = layout;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[rowNodes[mid]] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Running counts of search matches along layout.rowNodes (sums[k] = matches among the first
 * k), so a jumped-over run knows whether it holds a match. Kept per match array: a search
 * is asked for many frames.
 */
const matchSumsCache = new WeakMap<Uint8Array, { layout: FlameLayout; sums: Uint32Array }>();

function matchPrefix(layout: FlameLayout, match: Uint8Array): Uint32Array {
  const c = matchSumsCache.get(match);
  if (c && c.layout === layout) return c.sums;
  const { rowNodes } = layout;
  const sums = new Uint32Array(rowNodes.length + 1);
  for (let k = 0; k < rowNodes.length; k++) sums[k + 1] = sums[k] + (match[rowNodes[k]] ? 1 : 0);
  matchSumsCache.set(match, { layout, sums });
  return sums;
}

function newScratch(cap: number) {
  return {
    x: new Float64Array(cap),
    w: new Float64Array(cap),
    d: new Uint16Array(cap),
    n: new Int32Array(cap),
    c: new Uint16Array(cap),
    f: new Uint8Array(cap),
    s: new Uint32Array(cap),
    k: new Uint32Array(cap),
  };
}
let scratch = newScratch(0);

export function flameLod(layout: FlameLayout, req: LodRequest): FlameLod {
  const { x0, x1 } = req;
  const pixels = Math.max(1, req.pixels);
  const minPx = req.minPx ?? 1;
  const d0 = Math.max(0, req.d0 ?? 0);
  const d1 = Math.min(layout.maxDepth, req.d1 ?? layout.maxDepth);
  const rows = Math.max(0, d1 - d0 + 1);
  const rowStartOut = new Uint32Array(rows + 1);
  const span = x1 - x0;
  if (!(span > 0) || rows === 0 || layout.tree.length === 0) return emptyLod(rowStartOut, d0);

  const k = pixels / span; // pixels per value unit
  const minW = minPx / k; // minPx in value units
  // Each row holds at most pixels/minPx + 1 items: size the buffers for the worst case, but
  // never beyond the number of nodes in the visible rows.
  // (A search splits merged runs into more items: the buffers then grow as needed.)
  const perRow = Math.ceil(pixels / minPx) + 1;
  const visibleNodes = layout.rowStart[d1 + 1] - layout.rowStart[d0];
  const cap = Math.min(perRow * rows, visibleNodes);
  // Scratch buffers reused across queries (grown, never shrunk); the result is a copy.
  if (scratch.x.length < cap) scratch = newScratch(cap);
  let { x: ox, w: ow, d: od, n: on, c: oc, f: of, s: os, k: ok } = scratch;
  let m = 0;
  const grow = (): void => {
    const bigger = newScratch(Math.max(16, ox.length * 2));
    bigger.x.set(ox);
    bigger.w.set(ow);
    bigger.d.set(od);
    bigger.n.set(on);
    bigger.c.set(oc);
    bigger.f.set(of);
    bigger.s.set(os);
    bigger.k.set(ok);
    scratch = bigger;
    ({ x: ox, w: ow, d: od, n: on, c: oc, f: of, s: os, k: ok } = scratch);
  };

  const { rowNodes, x, width, colorKey, tree } = layout;
  const match = req.match;
  const matchSums = match ? matchPrefix(layout, match) : null;

  // Item m: node `id` (-1: a merged run) drawn over [ex, ex + ew), standing for the row
  // nodes from position `at`, `count` of them.
  const emit = (
    id: number,
    depth: number,
    ex: number,
    ew: number,
    flags: number,
    at: number,
    count: number,
  ): void => {
    if (m >= ox.length) grow();
    os[m] = at;
    ok[m] = count;
    ox[m] = ex;
    ow[m] = ew;
    od[m] = depth;
    on[m] = id;
    oc[m] = id < 0 ? MERGED_COLOR : colorKey[id];
    of[m] = flags;
    m++;
  };
  // Width of node id within the window.
  const visW = (id: number): number => Math.min(x[id] + width[id], x1) - Math.max(x[id], x0);
  // A stretch of row nodes [a, b) as one item: the node itself when alone, else merged.
  const emitStretch = (
    d: number,
    a: number,
    b: number,
    ex: number,
    ee: number,
    hit: boolean,
  ): void => {
    const id = rowNodes[a];
    if (b === a + 1) {
      const f = (tree.inlined[id] ? FLAG_INLINED : 0) | (hit ? FLAG_MATCH : 0);
      emit(id, d, ex, ee - ex, f, a, 1);
    } else emit(-1, d, ex, ee - ex, FLAG_MERGED | (hit ? FLAG_MATCH : 0), a, b - a);
  };
  /**
   * A merged run [i, j) drawn over [runS, drawnE) that holds search matches, split so only
   * matches are marked: each stretch of matching nodes is one marked item from its first
   * node's start, at least minW wide (a pixel cannot be half marked: nodes starting inside
   * that pixel join it), and the gaps between are unmarked grey items. The items tile
   * [runS, drawnE) exactly, so the geometry is the unsplit run's; each marked item is
   * >= minW wide (or reaches drawnE), so a run yields at most 2 × its pixels + 1 items.
   */
  const splitRun = (
    d: number,
    i: number,
    j: number,
    runS: number,
    drawnE: number,
    sums: Uint32Array,
  ): void => {
    // First p in [k, j) with a match (a non-match with `want` 0), or j.
    const next = (k: number, want: number): number => {
      const base = want ? sums[k] : k - sums[k];
      let lo = k;
      let hi = j;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = want ? sums[mid + 1] : mid + 1 - sums[mid + 1];
        if (c > base) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const endOf = (k: number): number => {
      const id = rowNodes[k];
      return Math.min(x[id] + width[id], x1);
    };
    let pos = runS;
    let k = i;
    while (k < j && pos < drawnE) {
      const p = next(k, 1);
      if (p >= j) {
        emitStretch(d, k, j, pos, drawnE, false);
        return;
      }
      const ms = Math.min(Math.max(x[rowNodes[p]], pos), drawnE);
      if (ms > pos) emitStretch(d, k, p, pos, ms, false);
      let q = next(p, 0);
      let me = Math.max(endOf(q - 1), ms + minW);
      // Nodes starting inside the marked width join it; a match among them extends it.
      for (;;) {
        const r = firstStartingAtOrAfter(layout, q, j, me);
        if (r === q) break;
        if (sums[r] === sums[q]) {
          q = r;
          break;
        }
        q = next(next(q, 1), 0);
        me = Math.max(me, endOf(q - 1));
      }
      me = Math.min(me, drawnE);
      if (q >= j) me = drawnE;
      emitStretch(d, p, q, ms, me, true);
      pos = me;
      k = q;
    }
  };

  for (let d = d0; d <= d1; d++) {
    rowStartOut[d - d0] = m;
    const end = layout.rowStart[d + 1];
    let i = firstEnding(layout, layout.rowStart[d], end, x0, false);
    // Nodes from rowEnd on start at or after x1.
    const rowEnd = firstStartingAtOrAfter(layout, i, end, x1);
    while (i < rowEnd) {
      const id = rowNodes[i];
      if (visW(id) >= minW) {
        let f = tree.inlined[id] ? FLAG_INLINED : 0;
        if (match && match[id]) f |= FLAG_MATCH;
        emit(id, d, x[id], width[id], f, i, 1);
        i++;
        continue;
      }
      // A run of narrow nodes: absorb followers that are narrow and closer than minPx.
      const runS = Math.max(x[id], x0);
      let runE = Math.min(x[id] + width[id], x1);
      let hit = match ? match[id] : 0;
      let j = i + 1;
      while (j < rowEnd) {
        // Every node ending before runE + minW lies inside one minPx of runE: narrow, and
        // closer than minPx to its neighbour, so the walk would absorb each of them. Jump
        // over them with a bisect; the run end then grows by >= minPx per step, and a row
        // costs O(pixels x log n) whatever the number of nodes under its narrow runs.
        const reach = runE + minW;
        let jd = rowNodes[j];
        if (x[jd] + width[jd] < reach) {
          const k = firstEnding(layout, j + 1, rowEnd, reach, true);
          if (matchSums && !hit) hit = matchSums[k] > matchSums[j] ? 1 : 0;
          jd = rowNodes[k - 1];
          runE = Math.min(x[jd] + width[jd], x1);
          j = k;
          if (j >= rowEnd) break;
          jd = rowNodes[j];
        }
        // Node j ends past the reach: absorbed only when it is narrow and close.
        const xj = x[jd];
        if (xj - runE >= minW) break;
        const ej = Math.min(xj + width[jd], x1);
        if (ej - Math.max(xj, x0) >= minW) break;
        runE = ej;
        if (match && match[jd]) hit = 1;
        j++;
      }
      const next = j < end ? rowNodes[j] : -1;
      const nextStart = next >= 0 ? x[next] : Infinity;
      if (runE - runS < minW && nextStart < runS + minW) {
        // Sub-pixel run right before a wide node: it cannot be seen, drop it.
        i = j;
        continue;
      }
      // Widen to minPx; the next node starts at least minPx after runE (or it is wide and
      // starts beyond runS + minW), so the widened run overlaps nothing.
      const drawnE = Math.max(runE, runS + minW);
      if (j === i + 1) {
        let f = tree.inlined[id] ? FLAG_INLINED : 0;
        if (hit) f |= FLAG_MATCH;
        emit(id, d, runS, drawnE - runS, f, i, 1);
      } else if (hit && matchSums) {
        splitRun(d, i, j, runS, drawnE, matchSums);
      } else {
        emit(-1, d, runS, drawnE - runS, FLAG_MERGED, i, j - i);
      }
      i = j;
    }
  }
  rowStartOut[rows] = m;
  const out: FlameLod = {
    length: m,
    x: ox.slice(0, m),
    width: ow.slice(0, m),
    depth: od.slice(0, m),
    node: on.slice(0, m),
    color: oc.slice(0, m),
    flags: of.slice(0, m),
    rowStart: rowStartOut,
    d0,
  };
  if (req.spans) {
    out.first = os.slice(0, m);
    out.count = ok.slice(0, m);
  }
  return out;
}

function emptyLod(rowStart: Uint32Array, d0: number): FlameLod {
  return {
    length: 0,
    x: new Float64Array(0),
    width: new Float64Array(0),
    depth: new Uint16Array(0),
    node: new Int32Array(0),
    color: new Uint16Array(0),
    flags: new Uint8Array(0),
    rowStart,
    d0,
  };
}

/** The LOD item at value offset v in depth row `depth`, or -1 (bisect, no per-item events). */
export function hitTest(lod: FlameLod, depth: number, v: number): number {
  const r = depth - lod.d0;
  if (r < 0 || r + 1 >= lod.rowStart.length) return -1;
  let lo = lod.rowStart[r];
  let hi = lod.rowStart[r + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lod.x[mid] + lod.width[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  if (lo < lod.rowStart[r + 1] && lod.x[lo] <= v) return lo;
  return -1;
}

/** The item columns zoomTargets reads (a FlameLod plus each item's node extent). */
export interface ZoomItems {
  length: number;
  node: Int32Array;
  flags: Uint8Array;
  /** Layout extent of the item's node, in value units. */
  nodeX: Float64Array;
  nodeW: Float64Array;
}

/**
 * The items a click would most likely zoom into, from a frame drawn for [x0, x1]: real
 * frames (not the root, not merged runs) narrower than the window, widest on screen first,
 * at most `max` of them. A viewer computes their frames ahead so a click draws at once.
 */
export function zoomTargets(items: ZoomItems, x0: number, x1: number, max: number): number[] {
  const span = x1 - x0;
  const picks: Array<{ i: number; w: number }> = [];
  if (!(span > 0) || max <= 0) return [];
  for (let i = 0; i < items.length; i++) {
    if (items.node[i] <= 0 || items.flags[i] & FLAG_MERGED) continue;
    const x = items.nodeX[i];
    const w = items.nodeW[i];
    if (!(w > 0) || w >= span) continue;
    const seen = Math.min(x + w, x1) - Math.max(x, x0);
    if (picks.length === max && seen <= picks[max - 1].w) continue;
    if (picks.length === max) picks.pop();
    let at = picks.length;
    while (at > 0 && picks[at - 1].w < seen) at--;
    picks.splice(at, 0, { i, w: seen });
  }
  return picks.map((p) => p.i);
}

/** Per node 1 when its display name matches `re`. */
export function matchNames(tree: CallTree, re: RegExp): Uint8Array {
  const byName = new Int8Array(tree.names.length).fill(-1);
  const out = new Uint8Array(tree.length);
  const flags = re.flags.replace(/[gy]/g, '');
  const test = new RegExp(re.source, flags); // no lastIndex state between names
  for (let i = 0; i < tree.length; i++) {
    const nm = tree.name[i];
    if (byName[nm] < 0) byName[nm] = test.test(tree.names[nm] ?? '') ? 1 : 0;
    out[i] = byName[nm];
  }
  return out;
}

/**
 * Value of the samples passing through at least one matching node, each sample counted
 * once: the sum of `total` over matching nodes that have no matching ancestor.
 */
export function matchedTotal(tree: CallTree, match: Uint8Array): number {
  // covered[i]: some ancestor-or-self matches. parent[i] < i, so one forward pass suffices.
  const covered = new Uint8Array(tree.length);
  let sum = 0;
  for (let i = 0; i < tree.length; i++) {
    const p = tree.parent[i];
    const above = p >= 0 ? covered[p] : 0;
    if (match[i] && !above) sum += tree.total[i];
    covered[i] = above | match[i];
  }
  return sum;
}

/** Node ids from the root (exclusive) down to `id` (inclusive): the zoom breadcrumb. */
export function pathTo(tree: CallTree, id: number): number[] {
  const out: number[] = [];
  for (let i = id; i > 0; i = tree.parent[i]) out.push(i);
  return out.reverse();
}

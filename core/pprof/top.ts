// The top table: one row per report node with flat and cum, like `go tool pprof -top`.
//
// Trimming follows pprof's newTrimmedGraph for text reports: nodes whose |cum| is below
// nodeFraction x (sum of flat) are dropped, then the first nodeCount nodes in pprof's order
// are kept. Trimming never changes the numbers of the nodes that stay. Defaults here show
// every node (nodeFraction 0, nodeCount 0); pprof's own -top uses nodeFraction 0.005.
import {
  SHARED_STACKS,
  aggregateNodes,
  growInt32,
  meanValue,
  stackWalk,
  type NodeValues,
  type StackWalk,
} from './aggregate';
import { computeFrameKeys, type FrameKeys, type Granularity } from './granularity';
import type { Profile, ValueType } from './model';
import { PairMap } from './pair-map';
import type { PreparedProfile } from './report';
import type { SampleChoice } from './sample-index';
import { ReportError } from './report-error';
import { pathsOf, samplePaths } from './sample-paths';

export interface TopRow {
  name: string;
  flat: number;
  cum: number;
}

export type TopOrder =
  /** |flat| desc, name, |cum| desc: the order of `go tool pprof -top`. */
  | 'pprof'
  /** flat desc, cum desc, name: the order of the JSON output. */
  | 'flat';

export interface TopOptions {
  granularity?: Granularity;
  noInlines?: boolean;
  /** Keep at most this many rows (0: all). */
  nodeCount?: number;
  /** Drop rows with |cum| below this fraction of the summed flat (pprof -top: 0.005). */
  nodeFraction?: number;
  order?: TopOrder;
  /** Compute pprof's "(inline)" / "(partial-inline)" row labels (text reports). */
  inlineLabels?: boolean;
  /** Edges lighter than this fraction of the summed flat do not count for the labels. */
  edgeFraction?: number;
}

export interface TopTable {
  sampleType: ValueType;
  /** The type as pprof's header names it ("delay", or "mean_delay" under mean). */
  typeLabel: string;
  /** pprof's total (the percentages' denominator). */
  total: number;
  rows: TopRow[];
  /** "(inline)", "(partial-inline)" or '' per row, when asked for. */
  inline: string[];
  /** Sum of flat over the rows shown ("Showing nodes accounting for ..."). */
  shownFlat: number;
  /** Nodes left after the nodeFraction cut, before nodeCount. */
  origCount: number;
  /** Nodes removed by the nodeFraction cut. */
  droppedNodes: number;
  nodeCutoff: number;
  nodeFraction: number;
  nodeCount: number;
}

/** Go's string order (bytes of UTF-8 = code points), not UTF-16 units. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1; // a surrogate pair is above any BMP character
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function printableCompare(keys: FrameKeys, a: number, b: number): number {
  if (a === b) return 0;
  const aa = keys.addresses[a];
  const ab = keys.addresses[b];
  if (aa !== 0 && ab !== 0 && aa !== ab) return aa < ab ? -1 : 1;
  return compareGoStrings(keys.names[a], keys.names[b]);
}

export function sortNodes(nodes: number[], v: NodeValues, order: TopOrder): void {
  const { flat, cum, keys } = v;
  const info = (a: number, b: number): number =>
    compareGoStrings(keys.infoText[a], keys.infoText[b]);
  if (order === 'pprof') {
    nodes.sort((a, b) => {
      const fa = Math.abs(flat[a]);
      const fb = Math.abs(flat[b]);
      if (fa !== fb) return fb - fa;
      const n = printableCompare(keys, a, b);
      if (n !== 0) return n;
      const ca = Math.abs(cum[a]);
      const cb = Math.abs(cum[b]);
      if (ca !== cb) return cb - ca;
      return info(a, b);
    });
    return;
  }
  nodes.sort((a, b) => {
    const fa = meanValue(flat[a], v.flatDiv[a]);
    const fb = meanValue(flat[b], v.flatDiv[b]);
    if (fa !== fb) return fb - fa;
    const ca = meanValue(cum[a], v.cumDiv[a]);
    const cb = meanValue(cum[b], v.cumDiv[b]);
    if (ca !== cb) return cb - ca;
    const n = compareGoStrings(keys.names[a], keys.names[b]);
    return n !== 0 ? n : info(a, b);
  });
}

/**
 * pprof's inline labels: a node is "(inline)" when its incoming edges are inline calls
 * (between Lines of one location), "(partial-inline)" when it has both kinds. Edges skip
 * trimmed nodes, count once per sample (first appearance on the path, like graph.newGraph),
 * and edges lighter than edgeCutoff are dropped before the labels are read. Only edges into
 * nodes that ever appear as an inlined Line can make a label, so only those are tracked.
 * One streaming pass over the samples, each walked root to leaf; an edge keeps the number of
 * the last sample that counted it. With a `walk` (shared stacks), one walk of the stack tree.
 */
export function inlineLabels(
  p: Profile,
  keys: FrameKeys,
  walk: StackWalk | null,
  kept: Uint8Array,
  edgeCutoff = 0,
  choice?: SampleChoice,
): { inline: Uint8Array; noInline: Uint8Array } {
  if (walk) return inlineLabelsByWalk(p, keys, walk, kept, edgeCutoff);
  const inline = new Uint8Array(keys.count);
  const noInline = new Uint8Array(keys.count);
  const { frames, frameStart, frameInlined } = keys;
  const candidate = new Uint8Array(keys.count);
  let any = false;
  for (let f = 0; f < frames.length; f++) {
    if (frameInlined[f] && kept[frames[f]]) {
      candidate[frames[f]] = 1;
      any = true;
    }
  }
  if (!any) return { inline, noInline };

  const nt = p.sampleTypes.length;
  const index = choice?.index ?? 0;
  const mean = choice?.mean ?? false;
  const vals = p.samples.values;
  const { start, loc: locs } = pathsOf(p);
  const edges = new PairMap(1024);
  let edgeInline = new Uint8Array(1024);
  let edgeStamp = new Int32Array(1024);
  let edgeChild = new Int32Array(1024);
  let edgeWeight = new Float64Array(1024);
  const n = p.samples.length;
  for (let i = 0; i < n; i++) {
    const a = start[i];
    const b = start[i + 1];
    if (a === b) continue;
    const w = vals[i * nt + index];
    if (w === 0 && (!mean || vals[i * nt] === 0)) continue;
    const mark = i + 1;
    let parent = -1;
    for (let j = b - 1; j >= a; j--) {
      const loc = locs[j];
      const fe = frameStart[loc + 1];
      for (let f = frameStart[loc]; f < fe; f++) {
        const node = frames[f];
        if (kept[node] === 0) continue;
        if (candidate[node] === 1 && parent >= 0 && node !== parent) {
          const before = edges.size;
          const e = edges.intern(parent, node);
          if (e >= edgeInline.length) {
            const u = new Uint8Array(edgeInline.length * 2);
            u.set(edgeInline);
            edgeInline = u;
            edgeStamp = growInt32(edgeStamp);
            edgeChild = growInt32(edgeChild);
            const wt = new Float64Array(edgeWeight.length * 2);
            wt.set(edgeWeight);
            edgeWeight = wt;
          }
          const isInline = frameInlined[f];
          if (e === before) {
            edgeInline[e] = isInline;
            edgeChild[e] = node;
            edgeWeight[e] = w;
            edgeStamp[e] = mark;
          } else if (edgeStamp[e] !== mark) {
            if (!isInline) edgeInline[e] = 0;
            edgeWeight[e] += w;
            edgeStamp[e] = mark;
          }
        }
        parent = node;
      }
    }
  }
  for (let e = 0; e < edges.size; e++) {
    if (Math.abs(edgeWeight[e]) < edgeCutoff) continue;
    if (edgeInline[e]) inline[edgeChild[e]] = 1;
    else noInline[edgeChild[e]] = 1;
  }
  return { inline, noInline };
}

function inlineLabelsByWalk(
  p: Profile,
  keys: FrameKeys,
  walk: StackWalk,
  kept: Uint8Array,
  edgeCutoff = 0,
): { inline: Uint8Array; noInline: Uint8Array } {
  const inline = new Uint8Array(keys.count);
  const noInline = new Uint8Array(keys.count);
  const { frames, frameStart, frameInlined } = keys;
  const candidate = new Uint8Array(keys.count);
  let any = false;
  for (let f = 0; f < frames.length; f++) {
    if (frameInlined[f] && kept[frames[f]]) {
      candidate[frames[f]] = 1;
      any = true;
    }
  }
  if (!any) return { inline, noInline };

  const { value, loc: locs, end } = walk;
  const edges = new PairMap(1024);
  let edgeInline = new Uint8Array(1024);
  let edgeOnPath = new Int32Array(1024);
  let edgeChild = new Int32Array(1024);
  let edgeWeight = new Float64Array(1024);
  // Per open stack entry: the entry, the last kept node after it, where its edges start.
  let open = new Int32Array(1024);
  let openLast = new Int32Array(1024);
  let openBase = new Int32Array(1024);
  let top = 0;
  let opened = new Int32Array(1024);
  let nOpened = 0;
  const m = locs.length;
  for (let i = 0; i < m; i++) {
    while (top > 0 && end[open[top - 1]] <= i) {
      top--;
      const base = openBase[top];
      for (let j = base; j < nOpened; j++) edgeOnPath[opened[j]]--;
      nOpened = base;
    }
    let parent = top > 0 ? openLast[top - 1] : -1;
    const base = nOpened;
    const loc = locs[i];
    const fe = frameStart[loc + 1];
    for (let f = frameStart[loc]; f < fe; f++) {
      const n = frames[f];
      if (kept[n] === 0) continue;
      if (candidate[n] === 1 && parent >= 0 && n !== parent) {
        const before = edges.size;
        const e = edges.intern(parent, n);
        if (e >= edgeInline.length) {
          const u = new Uint8Array(edgeInline.length * 2);
          u.set(edgeInline);
          edgeInline = u;
          edgeOnPath = growInt32(edgeOnPath);
          edgeChild = growInt32(edgeChild);
          const w = new Float64Array(edgeWeight.length * 2);
          w.set(edgeWeight);
          edgeWeight = w;
        }
        const isInline = frameInlined[f];
        if (e === before) {
          edgeInline[e] = isInline;
          edgeChild[e] = n;
          edgeWeight[e] = value[i];
        } else if (edgeOnPath[e] === 0) {
          if (!isInline) edgeInline[e] = 0;
          edgeWeight[e] += value[i];
        }
        edgeOnPath[e]++;
        if (nOpened === opened.length) opened = growInt32(opened);
        opened[nOpened++] = e;
      }
      parent = n;
    }
    if (top === open.length) {
      open = growInt32(open);
      openLast = growInt32(openLast);
      openBase = growInt32(openBase);
    }
    open[top] = i;
    openLast[top] = parent;
    openBase[top] = base;
    top++;
  }
  for (let e = 0; e < edges.size; e++) {
    if (Math.abs(edgeWeight[e]) < edgeCutoff) continue;
    if (edgeInline[e]) inline[edgeChild[e]] = 1;
    else noInline[edgeChild[e]] = 1;
  }
  return { inline, noInline };
}

/** Builds the top table of a prepared (filtered) profile. */
export function topTable(prep: PreparedProfile, opts: TopOptions = {}): TopTable {
  const nodeCount = opts.nodeCount ?? 0;
  const nodeFraction = opts.nodeFraction ?? 0;
  if (!Number.isInteger(nodeCount) || nodeCount < 0) {
    throw new ReportError('bad-option', `nodecount must be a whole number >= 0, got ${nodeCount}`);
  }
  if (!(nodeFraction >= 0)) {
    throw new ReportError('bad-option', `nodefraction must be >= 0, got ${nodeFraction}`);
  }
  const p = prep.profile;
  const keys = computeFrameKeys(p, {
    granularity: opts.granularity ?? 'functions',
    noInlines: opts.noInlines ?? false,
  });
  // Shared stacks: one walk of the stack tree serves both passes; else streaming passes (and
  // a decoded profile's stack table is never built).
  const walk =
    samplePaths(p) === null && p.stacks.length < SHARED_STACKS * p.samples.length
      ? stackWalk(p, prep.choice)
      : null;
  const v = aggregateNodes(p, keys, prep.choice, walk ?? undefined);
  let nodes: number[] = [];
  let flatSum = 0;
  for (let k = 0; k < keys.count; k++) {
    if (v.flat[k] === 0 && v.cum[k] === 0) continue;
    nodes.push(k);
    flatSum += v.flat[k];
  }
  const nodeCutoff = Math.abs(Math.trunc(flatSum * nodeFraction));
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const keptNodes = nodes.filter((k) => Math.abs(v.cum[k]) >= nodeCutoff);
    droppedNodes = nodes.length - keptNodes.length;
    nodes = keptNodes;
  }
  const origCount = nodes.length;
  sortNodes(nodes, v, 'pprof');
  if (nodeCount > 0 && nodes.length > nodeCount) nodes = nodes.slice(0, nodeCount);
  const order = opts.order ?? 'pprof';
  if (order !== 'pprof') sortNodes(nodes, v, order);

  let inline: string[] = [];
  if (opts.inlineLabels) {
    const kept = new Uint8Array(keys.count);
    for (const k of nodes) kept[k] = 1;
    const edgeCutoff = Math.abs(Math.trunc(flatSum * (opts.edgeFraction ?? 0.001)));
    const labels = inlineLabels(p, keys, walk, kept, edgeCutoff, prep.choice);
    inline = nodes.map((k) =>
      labels.inline[k] ? (labels.noInline[k] ? '(partial-inline)' : '(inline)') : '',
    );
  }
  let shownFlat = 0;
  const rows = nodes.map((k) => {
    const flat = meanValue(v.flat[k], v.flatDiv[k]);
    shownFlat += flat;
    return { name: keys.names[k], flat, cum: meanValue(v.cum[k], v.cumDiv[k]) };
  });
  return {
    sampleType: prep.choice.sampleType,
    typeLabel: prep.choice.label,
    total: prep.total,
    rows,
    inline,
    shownFlat,
    origCount,
    droppedNodes,
    nodeCutoff,
    nodeFraction,
    nodeCount,
  };
}

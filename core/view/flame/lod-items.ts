// The level of detail of one flame graph window with what a tooltip and a zoom need for each
// item: one function for every flame graph (a profile's trees, the three compare panes), so a
// merged run means the same everywhere: the sum of the nodes it folds, and how many they are.
import { flameLod, type FlameLayout, type FlameLod, type LodRequest } from '../../pprof/flamegraph';

/** Per node of the layout's tree: what an item of that node shows. */
export interface NodeColumns {
  /** Index into the tree's names; file likewise. */
  name: ArrayLike<number>;
  file: ArrayLike<number>;
  line: ArrayLike<number>;
  self: ArrayLike<number>;
  total: ArrayLike<number>;
}

export interface LodItems extends Omit<FlameLod, 'first' | 'count'> {
  /** Layout extent of the item's node (for zoom); the merged run's extent for merged items. */
  nodeX: Float64Array;
  nodeW: Float64Array;
  /** The node's columns; name and file -1, line and self 0 for merged runs. */
  name: Int32Array;
  file: Int32Array;
  line: Float64Array;
  self: Float64Array;
  /** The node's total; for a merged run the sum of its nodes' |width| in the layout. */
  total: Float64Array;
  /** Number of nodes the item stands for: 1 for a node, the run's length for a merged run. */
  count: Uint32Array;
}

/** The items of `req`'s window over `layout`, with `cols`' values per item. */
export function lodItems(
  layout: FlameLayout,
  req: Omit<LodRequest, 'spans'>,
  cols: NodeColumns,
): LodItems {
  const { first, count: span, ...lod } = flameLod(layout, { ...req, spans: true });
  const n = lod.length;
  const rowSums = rowSumsOf(layout);
  const nodeX = new Float64Array(n);
  const nodeW = new Float64Array(n);
  const name = new Int32Array(n);
  const file = new Int32Array(n);
  const line = new Float64Array(n);
  const self = new Float64Array(n);
  const total = new Float64Array(n);
  const count = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const id = lod.node[i];
    if (id >= 0) {
      nodeX[i] = layout.x[id];
      nodeW[i] = layout.width[id];
      name[i] = cols.name[id];
      file[i] = cols.file[id];
      line[i] = cols.line[id];
      self[i] = cols.self[id];
      total[i] = cols.total[id];
      count[i] = 1;
    } else {
      nodeX[i] = lod.x[i];
      nodeW[i] = lod.width[i];
      name[i] = -1;
      file[i] = -1;
      // The run's nodes are consecutive in its row: its value is a difference of sums.
      const lo = first![i];
      count[i] = span![i];
      total[i] = rowSums[lo + span![i]] - rowSums[lo];
    }
  }
  return { ...lod, nodeX, nodeW, name, file, line, self, total, count };
}

/** Running sum of |total| (the width) along layout.rowNodes, once per layout. */
const rowSumsCache = new WeakMap<FlameLayout, Float64Array>();
function rowSumsOf(layout: FlameLayout): Float64Array {
  let rowSums = rowSumsCache.get(layout);
  if (!rowSums) {
    rowSums = new Float64Array(layout.rowNodes.length + 1);
    for (let j = 0; j < layout.rowNodes.length; j++)
      rowSums[j + 1] = rowSums[j] + layout.width[layout.rowNodes[j]];
    rowSumsCache.set(layout, rowSums);
  }
  return rowSums;
}

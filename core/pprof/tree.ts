// The call tree merged by path: the shape every flame graph, sandwich and diff view reads.
//
// Node 0 is the synthetic root (no frame). Children follow their parent (parent[i] < i), and
// siblings are contiguous: the children of node p are firstChild[p] .. firstChild[p] +
// childCount[p] - 1. A node is one frame at the chosen granularity; with inlining, an
// inlined function is its own node whose `inlined` flag is 1 (it was inlined into its parent).

export interface CallTree {
  length: number;
  parent: Int32Array;
  firstChild: Int32Array;
  childCount: Int32Array;
  depth: Uint16Array;
  /** Index into `names`: the frame's display name at the tree's granularity. */
  name: Int32Array;
  /** Index into `names`: the function's file name ('' when unknown). */
  file: Int32Array;
  /** Source line of the frame (0 when the granularity has no lines). */
  line: Float64Array;
  inlined: Uint8Array;
  /** Value of samples whose leaf is this node, for the chosen sample index. */
  self: Float64Array;
  /** Value of samples passing through this node (counted once per sample). */
  total: Float64Array;
  names: string[];
  /** The sample type the values are in, e.g. { type: 'cpu', unit: 'nanoseconds' }. */
  sampleType: { type: string; unit: string };
}

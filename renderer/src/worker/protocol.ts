// Requests of a profile Worker (one Worker per opened profile; a comparison's two profiles
// decode in one Worker, one after the other). The messages are rpc.ts's: every request
// carries an id and is answered once; bulk results are typed arrays, transferred, never cloned.

import type { Granularity } from '../../../core/pprof/granularity';
import type { LodItems } from '../../../core/view/flame/lod-items';
import type { AnalysisOps } from './analysis-protocol';
import type { CompareOps } from './compare-protocol';
import type { SourceOps } from './source-protocol';
import type { LodRaster, RasterRequest } from '../../../core/view/flame/raster';

export type { Granularity };

/** pprof's focus/ignore/hide/show options (Go regular expressions; '' = none). */
export interface Filters {
  focus: string;
  ignore: string;
  hide: string;
  show: string;
}
export type FilterKind = keyof Filters;
export const FILTER_KINDS: FilterKind[] = ['focus', 'ignore', 'hide', 'show'];
export const NO_FILTERS: Filters = { focus: '', ignore: '', hide: '', show: '' };

export interface ViewParams {
  /** Index into the sample types; -1 asks for pprof's default. */
  sampleIndex: number;
  granularity: Granularity;
  filters: Filters;
}

/** The tree slots a profile keeps: the main flame graph and the sandwich's two halves. */
export type TreeSlot = 'main' | 'callers' | 'callees';

export interface ValueType {
  type: string;
  unit: string;
}

export interface ProfileSummary {
  sampleTypes: ValueType[];
  defaultSampleIndex: number;
  periodType: ValueType | null;
  period: number;
  durationNanos: number;
  timeNanos: number;
  comments: string[];
  sampleCount: number;
  functionCount: number;
  locationCount: number;
}

export interface TreeRequest {
  slot: TreeSlot;
  params: ViewParams;
  /** Also compute the first LOD (full width, rows from the top), saving a round trip. */
  lod?: { pixels: number; d1: number };
}

export interface TreeSummary {
  slot: TreeSlot;
  /** The sample index the tree is for (resolved when -1 was asked). */
  sampleIndex: number;
  /** Increases with every tree built for the profile: LOD answers name the tree they read. */
  version: number;
  sampleType: ValueType;
  /** Value of the root (the whole profile after filters). */
  total: number;
  /** pprof's total (before focus/ignore/hide/show): the base of every percentage. */
  grandTotal: number;
  nodeCount: number;
  maxDepth: number;
  /** Frame and file names; LOD items index into it. */
  names: string[];
  /** Milliseconds the Worker spent building the tree (engine) and laying it out. */
  buildMs: number;
  layoutMs: number;
  /** The LOD asked for with the tree, for the full window. */
  firstLod?: LodPayload;
}

/**
 * Level-of-detail items of one window, plus what the tooltip needs for each item
 * (core/view/flame/lod-items; names and files index into TreeSummary.names).
 */
export interface LodPayload extends LodItems {
  version: number;
  /** The request's window and pixel width. */
  x0: number;
  x1: number;
  pixels: number;
  /** Milliseconds the Worker spent on this answer (LOD and pixels). */
  workerMs: number;
  /** The items as pixels, when the request asked for them (see RasterRequest). */
  raster?: LodRaster;
}

export interface LodRequest {
  slot: TreeSlot;
  x0: number;
  x1: number;
  pixels: number;
  d0: number;
  d1: number;
  /** Also rasterize the items for this view (core/view/flame/raster), off the UI thread. */
  raster?: RasterRequest;
}

export type { LodRaster, RasterRequest };

export interface SearchResult {
  pattern: string;
  /** Nodes of the main tree whose name matches. */
  matchedNodes: number;
  /** Distinct names that match. */
  matchedNames: number;
  /** Value of the samples with at least one matching frame, each counted once. */
  total: number;
  /** Same, as a share of pprof's total (TreeSummary.grandTotal). */
  fraction: number;
}

export interface PathEntry {
  id: number;
  name: string;
  x: number;
  width: number;
}

export interface NodeInfo {
  id: number;
  name: string;
  file: string;
  line: number;
  self: number;
  total: number;
  inlined: boolean;
  x: number;
  width: number;
  /** From the first frame under the root down to this node. */
  path: PathEntry[];
}

export type TopColumn = 'flat' | 'cum' | 'name';
export type SortDir = 'asc' | 'desc';

export interface TopRequest {
  params: ViewParams;
  sort: TopColumn;
  dir: SortDir;
  /** Go regular expression on the name ('' = every row). */
  filter: string;
  offset: number;
  limit: number;
}

export interface TopWindow {
  /** Rows after the table filter. */
  rowCount: number;
  /** Rows before it. */
  allRows: number;
  /** Base of flat% and cum% (the profile total, as `go tool pprof -top`). */
  total: number;
  sampleType: ValueType;
  offset: number;
  names: string[];
  flat: Float64Array;
  cum: Float64Array;
  /** Running sum of flat% in the displayed order. */
  sumPct: Float64Array;
}

export interface SandwichSummary {
  name: string;
  callers: TreeSummary;
  callees: TreeSummary;
  /** Flat and cum of the function itself. */
  flat: number;
  cum: number;
}

/** Request name -> [argument, result]. */
export interface Ops extends AnalysisOps, CompareOps, SourceOps {
  open: [{ bytes: ArrayBuffer }, ProfileSummary];
  tree: [TreeRequest, TreeSummary];
  lod: [LodRequest, LodPayload];
  search: [{ pattern: string }, SearchResult | null];
  node: [{ slot: TreeSlot; id: number }, NodeInfo];
  top: [TopRequest, TopWindow];
  sandwich: [{ params: ViewParams; name: string }, SandwichSummary];
  close: [Record<string, never>, null];
}

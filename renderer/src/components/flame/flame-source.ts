// What a flame pane (FlamePane.vue) asks of the tree it shows, and the two trees it shows:
// a profile Worker's tree slot (the Flame tab, the sandwich, Contention, the trace's blocking
// profiles) and a pane of the compare Worker's union tree (before, after, diff). The pane
// itself knows nothing of either: it asks for the level of detail of a window at a size
// (with its pixels), hit-tests the answer (core/pprof/flamegraph), and asks where a click
// would zoom so it can compute those frames ahead.
import { zoomTargets as pickTargets } from '../../../../core/pprof/flamegraph';
import { fullWindow, type ValueWindow } from '../../../../core/view/flame/window';
import { FLAME_THEMES, type FlameTheme, type ThemeName } from '../../charts/palette';
import { axisUnit, fmtValue } from '../../format';
import type { ProfileWorker } from '../../worker/client';
import type { ComparePane, CompareTrees } from '../../worker/compare-protocol';
import type {
  LodPayload,
  LodRequest,
  PathEntry,
  TreeSlot,
  TreeSummary,
} from '../../worker/protocol';
import type { ZoomAnswer } from '../../composables/useFlameZoom';

/** A level-of-detail question: a window, a pixel width, rows d0..d1, and maybe its pixels. */
export type FlameAsk = Omit<LodRequest, 'slot'>;

/** The tooltip's numbers of a tree whose LOD items carry them. */
export interface FlameTipInfo {
  unit: string;
  typeName: string;
  /** Base of the percentages (pprof's total). */
  base: number;
}

export interface FlameSource {
  /** Names the pane in the items it emits ('main', 'callers', 'before', 'diff'...). */
  id: string;
  /** The tree the items index; an answer for another version is stale. */
  version: number;
  names: string[];
  maxDepth: number;
  /** The whole graph: the window of Esc, and the bounds of every other. */
  full: ValueWindow;
  /** Text on the root frame, and the root's name in tooltips. */
  rootLabel: string;
  rootName: string;
  /** The axis in a readable unit for a window of `span`. */
  axisUnit(span: number): { factor: number; label: string };
  /** Colours for the app's theme (from the ui store). */
  palette(theme: ThemeName): FlameTheme;
  /** Built-in tooltip data; without it the pane only emits `hover`. */
  tip?: FlameTipInfo;
  /** The items of a window at a size, with their pixels when `raster` is asked. */
  lod(ask: FlameAsk): Promise<LodPayload>;
  /** Windows clicks on these items would most likely zoom to, widest on screen first. */
  zoomTargets(lod: LodPayload, win: ValueWindow, max: number): Promise<ValueWindow[]>;
  /** A LOD computed with the tree for its first frame. */
  first?: LodPayload;
  /** Told the size of every frame asked for (the next tree's first LOD is made for it). */
  sized?(pixels: number, d1: number): void;
  /** More for the browser tests' view of the pane. */
  describe?(): Record<string, unknown>;
}

/** Themes of package colours, as the ui store names them. */
export function packagePalette(theme: ThemeName): FlameTheme {
  return FLAME_THEMES[theme];
}

/** Windows of the widest real frames in `lod`'s view: their layout extents. */
function extentsOf(lod: LodPayload, win: ValueWindow, max: number): ValueWindow[] {
  return pickTargets(lod, win.x0, win.x1, max).map((i) => ({
    x0: lod.nodeX[i],
    x1: lod.nodeX[i] + lod.nodeW[i],
  }));
}

/**
 * What useFlameZoom asks when a frame of a profile Worker's tree slot is clicked: the node's
 * extent and breadcrumb path (null when it has no width or there is no Worker).
 */
export function nodeZoomAnswer(
  worker: () => ProfileWorker | null,
  slot: TreeSlot,
): (id: number) => Promise<ZoomAnswer<PathEntry> | null> {
  return async (id) => {
    const w = worker();
    if (!w) return null;
    const info = await w.call('node', { slot, id });
    return info.width > 0
      ? { window: { x0: info.x, x1: info.x + info.width }, path: info.path }
      : null;
  };
}

/** A tree slot of a profile Worker. */
export function profileSource(
  worker: ProfileWorker,
  slot: TreeSlot,
  tree: TreeSummary,
  opts: { rootLabel?: string; sized?: (pixels: number, d1: number) => void } = {},
): FlameSource {
  const unit = tree.sampleType.unit;
  const rootName = slot === 'main' ? 'root' : (tree.names[0] ?? '');
  return {
    id: slot,
    version: tree.version,
    names: tree.names,
    maxDepth: tree.maxDepth,
    full: fullWindow(tree.total),
    rootLabel:
      opts.rootLabel ?? (slot === 'main' ? `root · ${fmtValue(tree.total, unit)}` : rootName),
    rootName,
    axisUnit: (span) => axisUnit(span, unit),
    palette: packagePalette,
    tip: { unit, typeName: tree.sampleType.type, base: tree.grandTotal || tree.total },
    lod: (ask) => worker.call('lod', { slot, ...ask }),
    zoomTargets: (lod, win, max) => Promise.resolve(extentsOf(lod, win, max)),
    first: tree.firstLod,
    sized: opts.sized,
    describe: () => ({
      slot,
      sampleType: tree.sampleType,
      total: tree.total,
      grandTotal: tree.grandTotal,
      nodeCount: tree.nodeCount,
      buildMs: tree.buildMs,
      layoutMs: tree.layoutMs,
    }),
  };
}

/** One pane of the compare Worker's union tree. */
export function compareSource(
  worker: ProfileWorker,
  pane: ComparePane,
  trees: CompareTrees,
  opts: {
    rootLabel: string;
    axisUnit: (span: number) => { factor: number; label: string };
    palette: (theme: ThemeName) => FlameTheme;
  },
): FlameSource {
  return {
    id: pane,
    version: trees.version,
    names: trees.names,
    maxDepth: trees.maxDepth,
    full: { ...trees.windows[pane] },
    rootLabel: opts.rootLabel,
    rootName: trees.names[0] ?? '',
    axisUnit: opts.axisUnit,
    palette: opts.palette,
    lod: (ask) => worker.call('compareLod', { pane, ...ask }),
    // A click zooms every pane to the node (compareWindows), whose extent in this pane is
    // the wider of its two sides: asked of the Worker, the same numbers a click gets.
    async zoomTargets(lod, win, max) {
      const out: ValueWindow[] = [];
      for (const i of pickTargets(lod, win.x0, win.x1, max)) {
        const r = await worker.call('compareWindows', { node: lod.node[i] });
        if (r.anchor === lod.node[i]) out.push(r.windows[pane]);
      }
      return out;
    },
  };
}

// Where each compare pane looks: the full windows (before and after at one normalized scale,
// so the smaller profile is narrower) and the windows of a zoom, kept in step across panes.
import type { DiffColoring } from '../../../core/pprof/diff-flame';
import type { FlameLayout } from '../../../core/pprof/flamegraph';
import type { DiffTree } from '../../../core/pprof/tree-diff';
import type { ValueWindow } from '../../../core/view/flame/window';
import type { ComparePane, CompareWindows, WindowRequest } from './compare-protocol';

/** The built comparison the windows are computed over. */
export interface PaneGeometry {
  d: DiffTree;
  coloring: DiffColoring;
  layouts: Record<ComparePane, FlameLayout>;
}

/** Before and after at one normalized scale (the smaller profile is narrower), diff full. */
export function fullWindows(g: PaneGeometry): Record<ComparePane, ValueWindow> {
  const { coloring: c, d } = g;
  const r = d.length ? Math.max(c.before[0], c.after[0]) : 0;
  const span = (s: number): ValueWindow => ({ x0: 0, x1: r > 0 && s > 0 ? r / s : 1 });
  const w = d.length ? c.width[0] : 0;
  return {
    before: span(c.scaleBefore),
    after: span(c.scaleAfter),
    diff: { x0: 0, x1: w > 0 ? w : 1 },
  };
}

/** How wide a node's zoom window is in each pane: before/after at one normalized scale. */
function extent(g: PaneGeometry, pane: ComparePane, u: number): number {
  const { coloring: c, layouts } = g;
  if (pane === 'diff') return layouts.diff.width[u];
  const s = Math.max(c.before[u], c.after[u]);
  const scale = pane === 'before' ? c.scaleBefore : c.scaleAfter;
  return scale > 0 ? s / scale : 0;
}

/**
 * Windows of every pane for a zoom: to a node, back to the whole graph, or following a
 * window set in one pane. A pane's window is mapped through the deepest node holding it
 * (the anchor), at the same offset within that node, so the same frames stay in view.
 */
export function paneWindows(
  g: PaneGeometry,
  req: WindowRequest,
  pathOf: (u: number) => CompareWindows['path'],
): CompareWindows {
  const { d, layouts } = g;
  if ('reset' in req) return { anchor: 0, windows: fullWindows(g), path: [] };
  if ('node' in req) {
    const u = req.node;
    if (!(u >= 0 && u < d.length) || u === 0) return paneWindows(g, { reset: true }, pathOf);
    const out = {} as Record<ComparePane, ValueWindow>;
    for (const p of ['before', 'after', 'diff'] as const) {
      const x = layouts[p].x[u];
      out[p] = { x0: x, x1: x + Math.max(extent(g, p, u), Number.MIN_VALUE) };
    }
    return { anchor: u, windows: out, path: pathOf(u) };
  }
  const from = layouts[req.pane];
  const span = req.x1 - req.x0;
  const eps = Math.abs(span) * 1e-9;
  let u = 0;
  for (;;) {
    let next = -1;
    for (let c = d.firstChild[u], e = c + d.childCount[u]; c < e && c >= 0; c++) {
      const w = from.width[c];
      if (w > 0 && from.x[c] <= req.x0 + eps && from.x[c] + w >= req.x1 - eps) {
        next = c;
        break;
      }
    }
    if (next < 0) break;
    u = next;
  }
  const ext = extent(g, req.pane, u);
  const root = u === 0;
  const f0 = ext > 0 ? (req.x0 - from.x[u]) / ext : 0;
  const f1 = ext > 0 ? (req.x1 - from.x[u]) / ext : 1;
  const out = {} as Record<ComparePane, ValueWindow>;
  for (const p of ['before', 'after', 'diff'] as const) {
    if (p === req.pane) {
      out[p] = { x0: req.x0, x1: req.x1 };
      continue;
    }
    const e = root ? fullWindows(g)[p].x1 : extent(g, p, u);
    const x = root ? 0 : layouts[p].x[u];
    const x0 = x + f0 * e;
    const x1 = x + f1 * e;
    out[p] = { x0, x1: x1 > x0 ? x1 : x0 + Math.max(e, Number.MIN_VALUE) };
  }
  return { anchor: u, windows: out, path: root ? [] : pathOf(u) };
}

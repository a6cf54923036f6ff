// What a compare Worker keeps for one before/after pair: both decoded profiles, the union call
// tree of the pair with the three layouts (before, after, diff) and the diff colouring, the
// search, and the diff top table. Its parts: compare-windows (zoom windows), compare-heap,
// compare-one-sided; the stateless heap trend and goroutine diff live beside it. No DOM:
// compare-handlers.ts only moves messages.
import { computeTotal } from '../../../core/pprof/aggregate';
import { buildCallTree } from '../../../core/pprof/calltree';
import {
  checkComparability,
  comparableSide,
  type ComparableSide,
} from '../../../core/pprof/comparability';
import { diffTable, type DiffTable } from '../../../core/pprof/diff';
import {
  colorDiffTree,
  combinedTree,
  diffLegend,
  goMatchKey,
  noiseBand,
  noisePeriodOf,
  sideTree,
  unionRank,
  type DiffColoring,
} from '../../../core/pprof/diff-flame';
import {
  layoutFlame,
  matchNames,
  matchedTotal,
  type FlameLayout,
} from '../../../core/pprof/flamegraph';
import { HEAP_MEASURES } from '../../../core/pprof/heap-diff';
import type { Profile } from '../../../core/pprof/model';
import { applyDropFrames } from '../../../core/pprof/prune';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import { buildSandwich } from '../../../core/pprof/sandwich';
import type { CallTree } from '../../../core/pprof/tree';
import { diffCallTrees, type DiffTree } from '../../../core/pprof/tree-diff';
import { lodItems } from '../../../core/view/flame/lod-items';
import { OrderCache, pageOf, sortDiffRows } from '../../../core/view/rows';
import { PALETTE_SIZE, rasterLod } from '../../../core/view/flame/raster';
import { decodeSide, regex, reportOptions } from './compare-inputs';
import { heapDiffView } from './compare-heap';
import { oneSided } from './compare-one-sided';
import type {
  CompareLod,
  CompareLodRequest,
  CompareNodeInfo,
  ComparePane,
  CompareParams,
  CompareSearchResult,
  CompareSideMeta,
  CompareSideSummary,
  CompareSummary,
  CompareTrees,
  CompareWindows,
  DiffTopRequest,
  DiffTopWindow,
  HeapDiffRequest,
  HeapDiffView,
  WindowRequest,
} from './compare-protocol';
import { fullWindows, paneWindows } from './compare-windows';
import { WorkerError } from './rpc';

const ONE_SIDED_SHOWN = 200;

interface Built {
  params: CompareParams;
  version: number;
  d: DiffTree;
  coloring: DiffColoring;
  layouts: Record<ComparePane, FlameLayout>;
  match: Uint8Array | null;
  summary: CompareTrees;
}

export class CompareSession {
  readonly before: Profile;
  readonly after: Profile;
  private built: Built | null = null;
  private version = 0;
  private search: { pattern: string; re: RegExp } | null = null;
  private top: { key: string; table: DiffTable; orders: OrderCache } | null = null;

  constructor(
    beforeBytes: ArrayBuffer,
    afterBytes: ArrayBuffer,
    private readonly beforeMeta: CompareSideMeta,
    private readonly afterMeta: CompareSideMeta,
  ) {
    this.before = decodeSide(beforeBytes, 'before', beforeMeta.name);
    this.after = decodeSide(afterBytes, 'after', afterMeta.name);
  }

  summary(): CompareSummary {
    const side = (p: Profile, name: string): CompareSideSummary => ({
      name,
      sampleTypes: p.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
      periodType: p.periodType ? { ...p.periodType } : null,
      period: p.period,
      durationNanos: p.durationNanos,
      sampleCount: p.samples.length,
    });
    const afterTypes = new Set(this.after.sampleTypes.map((t) => t.type));
    const shared = this.before.sampleTypes
      .filter((t) => afterTypes.has(t.type))
      .map((t) => ({ type: t.type, unit: t.unit }));
    let defaultType = shared[shared.length - 1]?.type ?? '';
    try {
      const d = resolveSampleIndex(this.after).sampleType.type;
      if (shared.some((t) => t.type === d)) defaultType = d;
    } catch {
      // No sample types: the empty shared list says it.
    }
    const findings = checkComparability(
      this.sideOf(this.before, this.beforeMeta),
      this.sideOf(this.after, this.afterMeta),
    );
    const isHeap = (p: Profile) =>
      HEAP_MEASURES.every((m) => p.sampleTypes.some((t) => t.type === m));
    return {
      before: side(this.before, this.beforeMeta.name),
      after: side(this.after, this.afterMeta.name),
      sharedTypes: shared,
      defaultType,
      findings,
      heap: isHeap(this.before) && isHeap(this.after),
    };
  }

  private sideOf(p: Profile, m: CompareSideMeta): ComparableSide {
    // The library's kind is finer than the sample types ('mutex' vs 'block').
    const kind = m.kind && m.kind !== 'unknown' ? m.kind : undefined;
    return comparableSide(p, { kind, isDelta: m.isDelta, goVersion: m.goVersion });
  }

  private indexOf(p: Profile, type: string, side: string): number {
    const i = p.sampleTypes.findIndex((t) => t.type === type);
    if (i < 0) {
      throw new WorkerError(
        'bad-sample-index',
        `the ${side} profile has no ${type} values (it has ${p.sampleTypes.map((t) => t.type).join(', ') || 'none'})`,
      );
    }
    return i;
  }

  private treeOf(
    p: Profile,
    index: number,
    params: CompareParams,
  ): { tree: CallTree; found: boolean } {
    const opts = reportOptions(index, params);
    if (!params.pivot) return { tree: buildCallTree(p, opts), found: true };
    const s = buildSandwich(p, params.pivot, { ...opts, granularity: params.granularity });
    return { tree: s.callees, found: s.found };
  }

  build(params: CompareParams): CompareTrees {
    const bi = this.indexOf(this.before, params.sampleType, 'before');
    const ni = this.indexOf(this.after, params.sampleType, 'after');
    const bt = this.treeOf(this.before, bi, params);
    const nt = this.treeOf(this.after, ni, params);
    const d = diffCallTrees(
      bt.tree,
      nt.tree,
      params.matching === 'go' ? { matchKey: goMatchKey } : {},
    );
    const st = this.before.sampleTypes[bi];
    const samePeriod = this.before.period === this.after.period;
    const coloring = colorDiffTree(d, {
      mode: params.normalization,
      beforeDurationNanos: this.before.durationNanos,
      afterDurationNanos: this.after.durationNanos,
      noisePeriod: samePeriod ? noisePeriodOf(st, this.before.periodType, this.before.period) : 0,
    });
    const rank = unionRank(d);
    const opts = { rank, paletteSize: PALETTE_SIZE };
    const before = layoutFlame(sideTree(d, 'before'), opts);
    const after = layoutFlame(sideTree(d, 'after'), opts);
    const diff = layoutFlame(combinedTree(d, coloring), opts);
    diff.colorKey.set(coloring.bucket);
    const version = ++this.version;
    const built: Built = {
      params,
      version,
      d,
      coloring,
      layouts: { before, after, diff },
      match: null,
      summary: null as unknown as CompareTrees,
    };
    const one = oneSided(d, ONE_SIDED_SHOWN);
    const legend = diffLegend(coloring);
    built.summary = {
      version,
      sampleType: { type: st.type, unit: st.unit },
      names: d.names,
      nodeCount: d.length,
      maxDepth: Math.max(before.maxDepth, after.maxDepth, diff.maxDepth),
      beforeTotal: d.length ? d.beforeTotal[0] : 0,
      afterTotal: d.length ? d.afterTotal[0] : 0,
      beforeGrandTotal: computeTotal(
        applyDropFrames(this.before),
        resolveSampleIndex(this.before, bi),
      ),
      afterGrandTotal: computeTotal(
        applyDropFrames(this.after),
        resolveSampleIndex(this.after, ni),
      ),
      beforeNorm: d.length ? coloring.before[0] : 0,
      afterNorm: d.length ? coloring.after[0] : 0,
      normalization: coloring.mode,
      normalizationLabel: coloring.label,
      normalizationUnavailable: coloring.unavailable ?? null,
      scaleBefore: coloring.scaleBefore,
      scaleAfter: coloring.scaleAfter,
      noiseRule: coloring.noiseRule,
      legend,
      onlyBefore: one.onlyBefore,
      onlyAfter: one.onlyAfter,
      onlyBeforeCount: one.beforeCount,
      onlyAfterCount: one.afterCount,
      pivot: params.pivot,
      pivotFound: { before: bt.found, after: nt.found },
      windows: { before: { x0: 0, x1: 1 }, after: { x0: 0, x1: 1 }, diff: { x0: 0, x1: 1 } },
    };
    this.built = built;
    built.summary.windows = fullWindows(built);
    if (this.search) built.match = matchNames(sideTree(d, 'before'), this.search.re);
    return built.summary;
  }

  private need(): Built {
    if (!this.built) throw new WorkerError('state', 'the comparison has not been built yet');
    return this.built;
  }

  lod(req: CompareLodRequest): CompareLod {
    const t0 = performance.now();
    const b = this.need();
    const layout = b.layouts[req.pane];
    const { d, coloring: c } = b;
    const [self, total] =
      req.pane === 'before'
        ? [d.beforeSelf, d.beforeTotal]
        : req.pane === 'after'
          ? [d.afterSelf, d.afterTotal]
          : [c.widthSelf, c.width];
    const { x0, x1, pixels, d0, d1 } = req;
    const items = lodItems(
      layout,
      { x0, x1, pixels, d0, d1, match: b.match ?? undefined },
      { name: d.name, file: d.file, line: d.line, self, total },
    );
    const out: CompareLod = {
      pane: req.pane,
      version: b.version,
      x0: req.x0,
      x1: req.x1,
      pixels: req.pixels,
      ...items,
      workerMs: 0,
    };
    const raster = rasterLod(out, req.x0, req.x1, b.match !== null, req.raster);
    if (raster) out.raster = raster;
    out.workerMs = performance.now() - t0;
    return out;
  }

  node(id: number): CompareNodeInfo {
    const b = this.need();
    const { d, coloring: c, layouts } = b;
    if (!(id >= 0 && id < d.length)) throw new WorkerError('state', `no node ${id}`);
    const path: { id: number; name: string }[] = [];
    for (let u = id; u > 0; u = d.parent[u]) path.push({ id: u, name: d.names[d.name[u]] ?? '' });
    path.reverse();
    const place = (p: ComparePane) => ({ x: layouts[p].x[id], width: layouts[p].width[id] });
    const st = this.need().summary;
    const period = st.noiseRule
      ? noisePeriodOf(st.sampleType, this.before.periodType, this.before.period)
      : 0;
    return {
      id,
      name: id === 0 ? 'root' : (d.names[d.name[id]] ?? ''),
      file: d.names[d.file[id]] ?? '',
      line: d.line[id],
      inlined: d.inlined[id] === 1,
      beforeSelf: d.beforeSelf[id],
      beforeTotal: d.beforeTotal[id],
      afterSelf: d.afterSelf[id],
      afterTotal: d.afterTotal[id],
      beforeNorm: c.before[id],
      afterNorm: c.after[id],
      change: c.before[id] === 0 ? null : c.change[id],
      noise: c.noise[id] === 1,
      noiseBand:
        period > 0
          ? noiseBand(d.beforeTotal[id], d.afterTotal[id], period, c.scaleBefore, c.scaleAfter)
          : 0,
      onlyIn: d.beforeNode[id] === -1 ? 'after' : d.afterNode[id] === -1 ? 'before' : null,
      places: { before: place('before'), after: place('after'), diff: place('diff') },
      path,
    };
  }

  setSearch(pattern: string): CompareSearchResult | null {
    if (pattern === '') {
      this.search = null;
      if (this.built) this.built.match = null;
      return null;
    }
    const re = regex(pattern);
    this.search = { pattern, re };
    const b = this.built;
    if (!b)
      return {
        pattern,
        matchedNames: 0,
        beforeTotal: 0,
        afterTotal: 0,
        beforeFraction: 0,
        afterFraction: 0,
      };
    const baseTree = sideTree(b.d, 'before');
    b.match = matchNames(baseTree, re);
    const names = new Set<number>();
    for (let i = 1; i < b.match.length; i++) if (b.match[i]) names.add(b.d.name[i]);
    const bt = matchedTotal(baseTree, b.match);
    const nt = matchedTotal(sideTree(b.d, 'after'), b.match);
    const s = b.summary;
    return {
      pattern,
      matchedNames: names.size,
      beforeTotal: bt,
      afterTotal: nt,
      beforeFraction: s.beforeGrandTotal ? bt / s.beforeGrandTotal : 0,
      afterFraction: s.afterGrandTotal ? nt / s.afterGrandTotal : 0,
    };
  }

  /**
   * Windows of every pane for a zoom: to a node, back to the whole graph, or following a
   * window set in one pane (compare-windows.ts).
   */
  windows(req: WindowRequest): CompareWindows {
    return paneWindows(this.need(), req, (u) => this.node(u).path);
  }

  topWindow(req: DiffTopRequest): DiffTopWindow {
    const p = req.params;
    const normalize = p.normalization === 'share';
    const key = JSON.stringify([p.sampleType, p.granularity, p.filters, normalize]);
    if (!this.top || this.top.key !== key) {
      const table = diffTable(this.before, this.after, {
        ...reportOptions(this.indexOf(this.before, p.sampleType, 'before'), p),
        sampleIndex: p.sampleType,
        mode: 'diff_base',
        normalize,
      });
      this.top = { key, table, orders: new OrderCache() };
    }
    const { table, orders } = this.top;
    const order = orders.get(`${req.sort}/${req.dir}/${req.filter}`, () =>
      sortDiffRows(table, req.sort, req.dir, req.filter ? regex(req.filter) : null),
    );
    const { from, to } = pageOf(order.length, req.offset, req.limit);
    const n = to - from;
    const out: DiffTopWindow = {
      sampleType: { ...table.sampleType },
      pprofTotal: table.pprofTotal,
      beforeTotal: table.baseTotal,
      afterTotal: table.newTotal,
      normalized: normalize,
      rowCount: order.length,
      allRows: table.rows.length,
      offset: from,
      names: new Array<string>(n),
      beforeFlat: new Float64Array(n),
      afterFlat: new Float64Array(n),
      beforeCum: new Float64Array(n),
      afterCum: new Float64Array(n),
      warnings: table.warnings,
    };
    for (let i = 0; i < n; i++) {
      const r = table.rows[order[from + i]];
      out.names[i] = r.name;
      out.beforeFlat[i] = r.baseFlat;
      out.afterFlat[i] = r.newFlat;
      out.beforeCum[i] = r.baseCum;
      out.afterCum[i] = r.newCum;
    }
    return out;
  }

  heap(req: HeapDiffRequest): HeapDiffView {
    return heapDiffView(this.before, this.after, req);
  }
}

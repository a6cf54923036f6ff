// What the profile Worker keeps and computes for one opened profile: the decoded Profile,
// the trees of the main flame graph and the sandwich with their layouts, the search, and the
// top table with its sort orders. No DOM: the Worker entry only moves messages.
import type { Profile } from '../../../core/pprof/model';
import type { TreeProgress } from '../../../core/pprof/calltree';
import type { CallTree } from '../../../core/pprof/tree';
import {
  layoutFlame,
  matchNames,
  matchedTotal,
  pathTo,
  type FlameLayout,
} from '../../../core/pprof/flamegraph';
import { PALETTE_SIZE, rasterLod } from '../../../core/view/flame/raster';
import { lodItems } from '../../../core/view/flame/lod-items';
import { OrderCache, pageOf, sortTopRows, type TopRows } from '../../../core/view/rows';
import type {
  LodPayload,
  LodRequest,
  NodeInfo,
  ProfileSummary,
  SandwichSummary,
  SearchResult,
  TreeSlot,
  TopRequest,
  TopWindow,
  TreeSummary,
  ViewParams,
} from './protocol';
import { WorkerError } from './rpc';

export type { TopRows };

/** The profile engine the session runs on (core/pprof, wired up in engine.ts). */
export interface Engine {
  decode(bytes: Uint8Array): Profile;
  defaultSampleIndex(p: Profile): number;
  /** pprof's total for a sample type: the base of its percentages (before filters). */
  total(p: Profile, sampleIndex: number): number;
  callTree(p: Profile, params: ViewParams, onProgress?: TreeProgress): CallTree;
  topRows(p: Profile, params: ViewParams): TopRows;
  /**
   * Callers (under the root: the function, then its caller, outward) and callees (under the
   * root: the function, then what it calls) of a function, with its flat and cum.
   */
  sandwich(
    p: Profile,
    params: ViewParams,
    name: string,
  ): { callers: CallTree; callees: CallTree; flat: number; cum: number };
  /** Go RE2 syntax, as pprof; throws with a readable message. */
  regex(pattern: string): RegExp;
}

interface SlotState {
  tree: CallTree;
  layout: FlameLayout;
  version: number;
  match: Uint8Array | null;
  summary: TreeSummary;
}

/** A built tree with its layout, kept for when the same view is asked for again. */
interface BuiltTree {
  tree: CallTree;
  layout: FlameLayout;
  buildMs: number;
  layoutMs: number;
  bytes: number;
}

/**
 * Trees of the main flame graph kept per (sample type, granularity, filters), newest last,
 * within this many bytes of typed arrays (the newest is kept whatever its size): coming back
 * to a view costs a lookup, not a build.
 */
export const TREE_CACHE_BYTES = 768 << 20;

/** Bytes held by the typed arrays of a tree and its layout (what the cache budget counts). */
export function builtTreeBytes(tree: CallTree, layout: FlameLayout): number {
  let n = 0;
  for (const v of [...Object.values(tree), ...Object.values(layout)]) {
    if (ArrayBuffer.isView(v)) n += v.byteLength;
  }
  return n;
}

interface TopState {
  key: string;
  rows: TopRows;
  orders: OrderCache;
}

export class ProfileSession {
  readonly profile: Profile;
  private readonly slots = new Map<TreeSlot, SlotState>();
  private version = 0;
  private search: { pattern: string; re: RegExp } | null = null;
  private top: TopState | null = null;
  private readonly totals = new Map<number, number>();
  private readonly built = new Map<string, BuiltTree>();

  constructor(
    private readonly engine: Engine,
    bytes: Uint8Array,
    private readonly treeCacheBytes = TREE_CACHE_BYTES,
  ) {
    this.profile = engine.decode(bytes);
  }

  summary(): ProfileSummary {
    const p = this.profile;
    return {
      sampleTypes: p.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
      defaultSampleIndex: this.engine.defaultSampleIndex(p),
      periodType: p.periodType ? { ...p.periodType } : null,
      period: p.period,
      durationNanos: p.durationNanos,
      timeNanos: p.timeNanos,
      comments: [...p.comments],
      sampleCount: p.samples.length,
      functionCount: p.functions.length,
      locationCount: p.locations.length,
    };
  }

  tree(
    slot: TreeSlot,
    asked: ViewParams,
    firstLod?: { pixels: number; d1: number },
    onProgress?: TreeProgress,
  ): TreeSummary {
    const params = this.resolve(asked);
    const summary =
      slot === 'main'
        ? this.installBuilt(slot, this.builtTree(params, onProgress), params.sampleIndex)
        : this.installTree(slot, params);
    if (firstLod) {
      const full = Math.max(Math.abs(summary.total), Number.MIN_VALUE);
      summary.firstLod = this.lod({
        slot,
        x0: 0,
        x1: full,
        pixels: firstLod.pixels,
        d0: 0,
        d1: firstLod.d1,
      });
    }
    return summary;
  }

  private installTree(slot: TreeSlot, params: ViewParams): TreeSummary {
    const t0 = performance.now();
    const tree = this.engine.callTree(this.profile, params);
    return this.install(
      slot,
      tree,
      this.total(params.sampleIndex),
      params.sampleIndex,
      performance.now() - t0,
    );
  }

  /** The main tree for `params`: from the cache, or built, laid out and cached. */
  private builtTree(params: ViewParams, onProgress?: TreeProgress): BuiltTree {
    const key = JSON.stringify([params.sampleIndex, params.granularity, params.filters]);
    const hit = this.built.get(key);
    if (hit) {
      this.built.delete(key);
      this.built.set(key, hit); // most recently used last
      return { ...hit, buildMs: 0, layoutMs: 0 };
    }
    const t0 = performance.now();
    const tree = this.engine.callTree(this.profile, params, onProgress);
    const t1 = performance.now();
    onProgress?.('layout', 0, 1);
    const layout = layoutFlame(tree, { paletteSize: PALETTE_SIZE });
    const entry: BuiltTree = {
      tree,
      layout,
      buildMs: t1 - t0,
      layoutMs: performance.now() - t1,
      bytes: builtTreeBytes(tree, layout),
    };
    // The newest tree is always kept, whatever its size: the main slot holds it anyway, so
    // keeping it costs nothing, and the way back to it is free. Older ones go beyond the budget.
    let held = entry.bytes;
    for (const e of this.built.values()) held += e.bytes;
    for (const [k, e] of this.built) {
      if (held <= this.treeCacheBytes) break;
      this.built.delete(k);
      held -= e.bytes;
    }
    this.built.set(key, entry);
    return entry;
  }

  /** Resolves sample index -1 to pprof's default. */
  private resolve(p: ViewParams): ViewParams {
    return p.sampleIndex >= 0
      ? p
      : { ...p, sampleIndex: this.engine.defaultSampleIndex(this.profile) };
  }

  sandwich(params: ViewParams, name: string): SandwichSummary {
    params = this.resolve(params);
    const t0 = performance.now();
    const s = this.engine.sandwich(this.profile, params, name);
    const total = this.total(params.sampleIndex);
    const ms = performance.now() - t0;
    return {
      name,
      callers: this.install('callers', s.callers, total, params.sampleIndex, ms),
      callees: this.install('callees', s.callees, total, params.sampleIndex, ms),
      flat: s.flat,
      cum: s.cum,
    };
  }

  private total(sampleIndex: number): number {
    let t = this.totals.get(sampleIndex);
    if (t === undefined) {
      t = this.engine.total(this.profile, sampleIndex);
      this.totals.set(sampleIndex, t);
    }
    return t;
  }

  private install(
    slot: TreeSlot,
    tree: CallTree,
    grandTotal: number,
    sampleIndex: number,
    buildMs: number,
  ): TreeSummary {
    const t0 = performance.now();
    const layout = layoutFlame(tree, { paletteSize: PALETTE_SIZE });
    return this.installLaidOut(slot, tree, layout, grandTotal, sampleIndex, buildMs, t0);
  }

  private installBuilt(slot: TreeSlot, b: BuiltTree, sampleIndex: number): TreeSummary {
    return this.installLaidOut(
      slot,
      b.tree,
      b.layout,
      this.total(sampleIndex),
      sampleIndex,
      b.buildMs,
      performance.now() - b.layoutMs,
    );
  }

  private installLaidOut(
    slot: TreeSlot,
    tree: CallTree,
    layout: FlameLayout,
    grandTotal: number,
    sampleIndex: number,
    buildMs: number,
    layoutStart: number,
  ): TreeSummary {
    const layoutMs = performance.now() - layoutStart;
    const version = ++this.version;
    const summary: TreeSummary = {
      slot,
      sampleIndex,
      version,
      sampleType: { ...tree.sampleType },
      total: tree.length ? tree.total[0] : 0,
      grandTotal,
      nodeCount: tree.length,
      maxDepth: layout.maxDepth,
      names: tree.names,
      buildMs,
      layoutMs,
    };
    const match = this.search ? matchNames(tree, this.search.re) : null;
    this.slots.set(slot, { tree, layout, version, match, summary });
    return summary;
  }

  private slot(slot: TreeSlot): SlotState {
    const s = this.slots.get(slot);
    if (!s) throw new WorkerError('state', `no ${slot} tree has been built yet`);
    return s;
  }

  lod(req: LodRequest): LodPayload {
    const t0 = performance.now();
    const s = this.slot(req.slot);
    const items = lodItems(
      s.layout,
      {
        x0: req.x0,
        x1: req.x1,
        pixels: req.pixels,
        d0: req.d0,
        d1: req.d1,
        match: s.match ?? undefined,
      },
      s.tree,
    );
    const out: LodPayload = {
      version: s.version,
      x0: req.x0,
      x1: req.x1,
      pixels: req.pixels,
      ...items,
      workerMs: 0,
    };
    const raster = rasterLod(out, req.x0, req.x1, s.match !== null, req.raster);
    if (raster) out.raster = raster;
    out.workerMs = performance.now() - t0;
    return out;
  }

  /** Sets (or clears, with '') the search; every tree slot gets its match flags. */
  setSearch(pattern: string): SearchResult | null {
    if (pattern === '') {
      this.search = null;
      for (const s of this.slots.values()) s.match = null;
      return null;
    }
    let re: RegExp;
    try {
      re = this.engine.regex(pattern);
    } catch (e) {
      throw new WorkerError('bad-regex', e instanceof Error ? e.message : String(e));
    }
    this.search = { pattern, re };
    for (const s of this.slots.values()) s.match = matchNames(s.tree, re);
    const main = this.slots.get('main');
    if (!main) return { pattern, matchedNodes: 0, matchedNames: 0, total: 0, fraction: 0 };
    const match = main.match!;
    let nodes = 0;
    const names = new Set<number>();
    for (let i = 1; i < match.length; i++) {
      if (match[i]) {
        nodes++;
        names.add(main.tree.name[i]);
      }
    }
    const total = matchedTotal(main.tree, match);
    const base = main.summary.grandTotal;
    return {
      pattern,
      matchedNodes: nodes,
      matchedNames: names.size,
      total,
      fraction: base ? total / base : 0,
    };
  }

  node(slot: TreeSlot, id: number): NodeInfo {
    const { tree, layout } = this.slot(slot);
    if (!(id >= 0 && id < tree.length)) throw new WorkerError('state', `no node ${id}`);
    return {
      id,
      name: tree.names[tree.name[id]] ?? '',
      file: tree.names[tree.file[id]] ?? '',
      line: tree.line[id],
      self: tree.self[id],
      total: tree.total[id],
      inlined: tree.inlined[id] === 1,
      x: layout.x[id],
      width: layout.width[id],
      path: pathTo(tree, id).map((p) => ({
        id: p,
        name: tree.names[tree.name[p]] ?? '',
        x: layout.x[p],
        width: layout.width[p],
      })),
    };
  }

  topWindow(asked: TopRequest): TopWindow {
    const req = { ...asked, params: this.resolve(asked.params) };
    const key = JSON.stringify(req.params);
    if (!this.top || this.top.key !== key) {
      this.top = {
        key,
        rows: this.engine.topRows(this.profile, req.params),
        orders: new OrderCache(),
      };
    }
    const { rows, orders } = this.top;
    let filterRe: RegExp | null = null;
    if (req.filter) {
      try {
        filterRe = this.engine.regex(req.filter);
      } catch (e) {
        throw new WorkerError('bad-regex', e instanceof Error ? e.message : String(e));
      }
    }
    const order = orders.get(`${req.sort}/${req.dir}/${req.filter}`, () =>
      sortTopRows(rows, req.sort, req.dir, filterRe),
    );
    const { from, to } = pageOf(order.length, req.offset, req.limit);
    const n = to - from;
    const names: string[] = new Array(n);
    const flat = new Float64Array(n);
    const cum = new Float64Array(n);
    const sumPct = new Float64Array(n);
    // sum% is the running total of flat% in the displayed order (as `go tool pprof -top`).
    let running = 0;
    for (let i = 0; i < from; i++) running += rows.flat[order[i]];
    for (let i = 0; i < n; i++) {
      const r = order[from + i];
      names[i] = rows.names[r];
      flat[i] = rows.flat[r];
      cum[i] = rows.cum[r];
      running += rows.flat[r];
      sumPct[i] = rows.total ? (running / rows.total) * 100 : 0;
    }
    return {
      rowCount: order.length,
      allRows: rows.names.length,
      total: rows.total,
      sampleType: this.profile.sampleTypes[req.params.sampleIndex] ?? { type: '', unit: '' },
      offset: from,
      names,
      flat,
      cum,
      sumPct,
    };
  }
}

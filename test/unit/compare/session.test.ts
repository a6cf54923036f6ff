// The compare Worker's session on real Go profiles (test/fixtures/{before,after}, the
// goroutine and heap test data): the union tree and its three layouts, lock-step windows,
// search, the diff table's order and filter, heap and goroutine diffs, heap trends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeTotal } from '../../../core/pprof/aggregate';
import { decodeProfile } from '../../../core/pprof/decode';
import { BUCKET_NOISE } from '../../../core/pprof/diff-flame';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import type {
  CompareParams,
  CompareTrees,
  ComparePane,
} from '../../../renderer/src/worker/compare-protocol';
import { goroutineDiffOf } from '../../../renderer/src/worker/compare-goroutines';
import { heapTrendOf } from '../../../renderer/src/worker/compare-heap-trend';
import { CompareSession } from '../../../renderer/src/worker/compare-session';
import { NO_FILTERS } from '../../../renderer/src/worker/protocol';

const FIX = join(__dirname, '..', '..', 'fixtures');
const DATA = join(__dirname, '..', 'goroutines', 'testdata');
const buf = (path: string): ArrayBuffer => {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const fixture = (side: string, file: string) => buf(join(FIX, side, file));

function session(kind: string): CompareSession {
  return new CompareSession(
    fixture('before', `${kind}.pb.gz`),
    fixture('after', `${kind}.pb.gz`),
    { name: `before ${kind}`, kind },
    { name: `after ${kind}`, kind },
  );
}

const params = (over: Partial<CompareParams> = {}): CompareParams => ({
  sampleType: 'cpu',
  granularity: 'functions',
  filters: { ...NO_FILTERS },
  normalization: 'absolute',
  matching: 'exact',
  pivot: '',
  ...over,
});

/** The union node reached by a path of names from the root, via the session's node info. */
function findPath(s: CompareSession, t: CompareTrees, names: string[]): number {
  const byPath = new Map<string, number>();
  for (let id = 1; id < t.nodeCount; id++) {
    const info = s.node(id);
    byPath.set(info.path.map((p) => p.name).join('\u0000'), id);
  }
  const id = byPath.get(names.join('\u0000'));
  if (id === undefined) throw new Error(`no node ${names.join(' > ')}`);
  return id;
}

describe('CompareSession on the CPU fixtures', () => {
  let s: CompareSession;
  let t: CompareTrees;
  beforeAll(() => {
    s = session('cpu');
    t = s.build(params());
  });

  it('summarizes both sides and the shared sample types', () => {
    const sum = s.summary();
    expect(sum.sharedTypes.map((x) => x.type)).toEqual(['samples', 'cpu']);
    expect(sum.defaultType).toBe('cpu');
    expect(sum.heap).toBe(false);
    expect(sum.before.durationNanos).toBeGreaterThan(0);
  });

  it('has each side’s pprof total at the root and the noise rule for CPU', () => {
    const total = (side: string) => {
      const p = decodeProfile(new Uint8Array(fixture(side, 'cpu.pb.gz')));
      return computeTotal(p, resolveSampleIndex(p, 'cpu'));
    };
    expect(t.beforeTotal).toBe(total('before'));
    expect(t.afterTotal).toBe(total('after'));
    expect(t.beforeGrandTotal).toBe(t.beforeTotal);
    expect(t.noiseRule).toBe(true);
    expect(t.legend.normalization).toContain('absolute');
    // The fix removed the schema parsing: it is listed as before-only, not drawn at zero width.
    expect(t.onlyBefore.some((f) => f.path.includes('main.parseSchema'))).toBe(true);
  });

  it('draws before and after at one scale: the smaller profile is narrower', () => {
    const w = t.windows;
    expect(w.before).toEqual({ x0: 0, x1: t.beforeTotal });
    // The after pane spans as many of its own units as the before total.
    expect(w.after.x1).toBeCloseTo(t.beforeTotal, 6);
    expect(w.diff.x1).toBe(t.beforeTotal + t.afterTotal);
  });

  it('keeps the before order in the after pane', () => {
    const lod = (pane: ComparePane) =>
      s.lod({ pane, ...t.windows[pane], pixels: 2000, d0: 0, d1: 60 });
    const before = lod('before');
    const after = lod('after');
    // For every parent, the children drawn in both panes come in the same left-to-right order.
    const order = (l: ReturnType<typeof lod>) => {
      const byParent = new Map<number, number[]>();
      const items = Array.from({ length: l.length }, (_, i) => i)
        .filter((i) => l.node[i] > 0)
        .sort((a, b) => l.nodeX[a] - l.nodeX[b]);
      for (const i of items) {
        const p = s.node(l.node[i]).path;
        const parent = p.length > 1 ? p[p.length - 2].id : 0;
        byParent.set(parent, [...(byParent.get(parent) ?? []), l.node[i]]);
      }
      return byParent;
    };
    const ob = order(before);
    const oa = order(after);
    let compared = 0;
    for (const [parent, kids] of ob) {
      const other = oa.get(parent);
      if (!other) continue;
      const common = kids.filter((k) => other.includes(k));
      expect(other.filter((k) => common.includes(k))).toEqual(common);
      if (common.length > 1) compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('gives merged runs the sum of their nodes and how many they fold, as the main flame graph', () => {
    for (const pane of ['before', 'after'] as const) {
      // Every node of the pane with its depth, place and value.
      const nodes: { depth: number; x: number; w: number; v: number }[] = [];
      for (let id = 1; id < t.nodeCount; id++) {
        const info = s.node(id);
        const v = Math.abs(pane === 'before' ? info.beforeTotal : info.afterTotal);
        const { x, width: w } = info.places[pane];
        if (v !== 0) nodes.push({ depth: info.path.length, x, w, v });
      }
      const l = s.lod({ pane, ...t.windows[pane], pixels: 60, d0: 0, d1: t.maxDepth });
      let merged = 0;
      for (let i = 0; i < l.length; i++) {
        if (l.node[i] >= 0) {
          expect(l.count[i]).toBe(1);
          continue;
        }
        merged++;
        // The nodes of its row inside its drawn extent are the ones it folds.
        const x0 = l.x[i];
        const x1 = x0 + l.width[i];
        const eps = (t.windows[pane].x1 - t.windows[pane].x0) * 1e-9;
        const inside = nodes.filter(
          (n) => n.depth === l.depth[i] && n.x >= x0 - eps && n.x + n.w <= x1 + eps,
        );
        expect(inside.length).toBeGreaterThan(1);
        expect(l.count[i]).toBe(inside.length);
        expect(l.total[i]).toBeCloseTo(
          inside.reduce((a, n) => a + n.v, 0),
          3,
        );
      }
      expect(merged).toBeGreaterThan(0);
    }
  });

  it('zooms every pane to the same frame, and maps a pane’s window through its anchor', () => {
    const u = findPath(s, t, ['main.(*service).worker', 'main.(*service).handle']);
    const z = s.windows({ node: u });
    const info = s.node(u);
    expect(z.anchor).toBe(u);
    expect(z.path.map((p) => p.name)).toEqual(['main.(*service).worker', 'main.(*service).handle']);
    for (const pane of ['before', 'after', 'diff'] as const)
      expect(z.windows[pane].x0).toBe(info.places[pane].x);
    expect(z.windows.diff.x1 - z.windows.diff.x0).toBe(info.places.diff.width);
    // Both sides at one scale: the zoom span is the larger side.
    const span = Math.max(info.beforeTotal, info.afterTotal);
    expect(z.windows.before.x1 - z.windows.before.x0).toBeCloseTo(span, 3);
    expect(z.windows.after.x1 - z.windows.after.x0).toBeCloseTo(span, 3);
    // A window inside that node in the before pane moves the after pane to the same offset.
    const bx = info.places.before.x;
    const m = s.windows({ pane: 'before', x0: bx + 0.1 * span, x1: bx + 0.4 * span });
    expect(m.anchor).not.toBe(0);
    const anchor = s.node(m.anchor);
    expect(m.windows.after.x0 - anchor.places.after.x).toBeCloseTo(
      m.windows.before.x0 - anchor.places.before.x,
      3,
    );
    expect(m.windows.before).toEqual({ x0: bx + 0.1 * span, x1: bx + 0.4 * span });
    // Back to the whole graph.
    expect(s.windows({ reset: true }).windows).toEqual(t.windows);
  });

  it('searches both sides at once', () => {
    const r = s.setSearch('main\\.parseSchema')!;
    expect(r.matchedNames).toBe(1);
    expect(r.beforeTotal).toBeGreaterThan(0);
    expect(r.afterTotal).toBe(0);
    const l = s.lod({ pane: 'before', ...t.windows.before, pixels: 4000, d0: 0, d1: 80 });
    const matched = Array.from({ length: l.length }, (_, i) => i).filter(
      (i) => (l.flags[i] & 2) !== 0,
    );
    expect(matched.length).toBeGreaterThan(0);
    expect(() => s.setSearch('(')).toThrow(/missing|paren|\(/i);
    s.setSearch('');
  });

  it('pivots both sides on a function (its callees)', () => {
    const p = s.build(params({ pivot: 'main.(*service).processOrder' }));
    expect(p.pivotFound).toEqual({ before: true, after: true });
    expect(s.node(1).name).toBe('main.(*service).processOrder');
    expect(p.beforeTotal).toBeLessThan(t.beforeTotal);
    s.build(params());
  });

  it('colours per second and share of total, naming the mode in the legend', () => {
    const ps = s.build(params({ normalization: 'per-second' }));
    expect(ps.normalization).toBe('per-second');
    expect(ps.legend.normalization).toMatch(/per second/);
    const sum = s.summary();
    expect(ps.beforeNorm).toBeCloseTo((ps.beforeTotal * 1e9) / sum.before.durationNanos, 6);
    const sh = s.build(params({ normalization: 'share' }));
    expect(sh.beforeNorm).toBeCloseTo(1, 12);
    expect(sh.afterNorm).toBeCloseTo(1, 12);
    // Something in the diff pane is drawn as noise (CPU profiles of a few hundred samples).
    const l = s.lod({ pane: 'diff', ...sh.windows.diff, pixels: 4000, d0: 0, d1: 80 });
    expect(Array.from(l.color).includes(BUCKET_NOISE)).toBe(true);
    s.build(params());
  });

  it('gives the diff table sorted by |Δ cum|, filterable, and sortable by change', () => {
    const top = s.topWindow({
      params: params(),
      filter: '',
      sort: 'deltaCum',
      dir: 'desc',
      offset: 0,
      limit: 1000,
    });
    const d = Array.from({ length: top.names.length }, (_, i) =>
      Math.abs(top.afterCum[i] - top.beforeCum[i]),
    );
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeLessThanOrEqual(d[i - 1]);
    expect(top.pprofTotal).toBe(t.beforeTotal);
    const f = s.topWindow({
      params: params(),
      filter: '^main\\.',
      sort: 'deltaCum',
      dir: 'desc',
      offset: 0,
      limit: 1000,
    });
    expect(f.rowCount).toBeGreaterThan(0);
    expect(f.rowCount).toBeLessThan(top.rowCount);
    expect(f.names.every((n) => n.startsWith('main.'))).toBe(true);
    const up = s.topWindow({
      params: params(),
      filter: '',
      sort: 'change',
      dir: 'desc',
      offset: 0,
      limit: 5,
    });
    // New functions (no before value) come first when sorting by change, increases first.
    expect(up.beforeCum[0]).toBe(0);
    expect(up.afterCum[0]).toBeGreaterThan(0);
  });
});

describe('heap diff through the session', () => {
  it('tells retention from churn on the heap fixtures and lists call paths', () => {
    const s = session('heap');
    expect(s.summary().heap).toBe(true);
    const h = s.heap({
      granularity: 'functions',
      filters: { ...NO_FILTERS },
      measure: 'inuse_space',
      limit: 300,
      filter: '',
    });
    const receipt = h.rows.find((r) => r.name === 'main.renderReceipt')!;
    // The fix keeps 4 receipts instead of every one: in-use memory released.
    expect(receipt.change).toBe('retention');
    expect(receipt.direction).toBe('down');
    expect(h.counts.retentionDown).toBeGreaterThan(0);
    expect(h.paths.length).toBeGreaterThan(0);
    const top = h.paths[0];
    expect(top.path[0]).toBeTruthy();
    expect(Math.abs(top.afterSelf - top.beforeSelf)).toBeGreaterThan(0);
  });

  it('finds the leak suspects over three heap snapshots', () => {
    const snaps = [1, 2, 3].map((i) => ({
      name: `heap-${i}`,
      bytes: buf(join(DATA, `heap-${i}.pb.gz`)),
    }));
    const tr = heapTrendOf(snaps);
    expect(tr.names).toEqual(['heap-1', 'heap-2', 'heap-3']);
    const suspects = tr.rows.filter((r) => r.leakSuspect).map((r) => r.name);
    expect(suspects).toContain('main.retain');
    expect(suspects).not.toContain('main.churn');
    expect(() => heapTrendOf(snaps.slice(0, 2))).toThrow(/three or more/);
  });
});

describe('goroutine diff through the session', () => {
  it('shows the fixed leak vanishing between the before and after profiles', () => {
    const g = goroutineDiffOf({
      snapshots: [
        { name: 'before', bytes: fixture('before', 'goroutine.pb.gz') },
        { name: 'after', bytes: fixture('after', 'goroutine.pb.gz') },
      ],
      longWaitMinutes: 10,
      match: 'functions',
    });
    expect(g.formats).toEqual(['proto', 'proto']);
    expect(g.totals[0] - g.totals[1]).toBe(37);
    const leak = g.rows.find((r) => r.frames.includes('main.(*notifier).awaitAck'))!;
    expect(leak.counts).toEqual([37, 0]);
    expect(leak.change).toBe('vanished');
  });

  it('flags a growing, long-waiting group from debug=2 text', () => {
    const g = goroutineDiffOf({
      snapshots: [
        { name: 'early', bytes: buf(join(DATA, 'goroutine-early-debug2.txt')) },
        { name: 'late', bytes: buf(join(DATA, 'goroutine-late-debug2.txt')) },
      ],
      longWaitMinutes: 2,
      match: 'functions',
    });
    expect(g.formats).toEqual(['debug2', 'debug2']);
    const leak = g.rows.find((r) => r.frames.includes('main.(*notifier).awaitAck'))!;
    expect(leak.counts).toEqual([37, 48]);
    expect(leak.change).toBe('grew');
    expect(leak.leakSuspect).toBe(true);
    expect(leak.longWaiting[1]).toBe(37);
    expect(leak.states[1].map((s) => s.state)).toContain('chan receive');
    expect(g.suspects).toBeGreaterThan(0);
  });

  it('says which snapshot is broken', () => {
    expect(() =>
      goroutineDiffOf({
        snapshots: [
          { name: 'good', bytes: fixture('before', 'goroutine.pb.gz') },
          { name: 'junk.txt', bytes: new TextEncoder().encode('hello').buffer as ArrayBuffer },
        ],
        longWaitMinutes: 10,
        match: 'functions',
      }),
    ).toThrow(/snapshot 2 \(junk\.txt\)/);
  });
});

describe('errors are values that name the side', () => {
  it('names the broken side and the missing sample type', () => {
    expect(
      () =>
        new CompareSession(
          fixture('before', 'cpu.pb.gz'),
          new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]).buffer as ArrayBuffer,
          { name: 'b' },
          { name: 'cut.pb.gz' },
        ),
    ).toThrow(/after \(cut\.pb\.gz\)/);
    const s = new CompareSession(
      fixture('before', 'cpu.pb.gz'),
      fixture('after', 'heap.pb.gz'),
      { name: 'a' },
      { name: 'b' },
    );
    expect(s.summary().findings.some((f) => f.kind === 'sample-types')).toBe(true);
    expect(s.summary().sharedTypes).toEqual([]);
    expect(() => s.build(params())).toThrow(/after profile has no cpu/);
  });
});

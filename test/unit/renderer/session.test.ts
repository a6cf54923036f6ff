// The Worker's session on real profiles from the Go target, with the real engine: what the
// flame graph, search, top table and sandwich receive.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../../core/pprof/calltree';
import { decodeProfile } from '../../../core/pprof/decode';
import { FLAG_MERGED, layoutFlame, matchNames, matchedTotal } from '../../../core/pprof/flamegraph';
import { engine } from '../../../renderer/src/worker/engine';
import { ProfileSession, builtTreeBytes } from '../../../renderer/src/worker/session';
import { NO_FILTERS, type ViewParams } from '../../../renderer/src/worker/protocol';
import { WorkerError } from '../../../renderer/src/worker/rpc';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, f)));
const params = (sampleIndex: number, extra: Partial<ViewParams> = {}): ViewParams => ({
  sampleIndex,
  granularity: 'functions',
  filters: { ...NO_FILTERS },
  ...extra,
});

describe('ProfileSession', () => {
  const heap = new ProfileSession(engine, bytes('before/heap.pb.gz'));
  const cpu = new ProfileSession(engine, bytes('before/cpu.pb.gz'));

  it('summarizes the profile and picks pprof’s default sample type', () => {
    const s = heap.summary();
    expect(s.sampleTypes.map((t) => t.type)).toEqual([
      'alloc_objects',
      'alloc_space',
      'inuse_objects',
      'inuse_space',
    ]);
    expect(s.defaultSampleIndex).toBe(3);
    expect(s.sampleCount).toBeGreaterThan(0);
    expect(cpu.summary().defaultSampleIndex).toBe(1);
  });

  it('builds the tree the engine builds, with pprof’s total as the percentage base', () => {
    const t = heap.tree('main', params(1));
    const direct = buildCallTree(decodeProfile(bytes('before/heap.pb.gz')), { sampleIndex: 1 });
    expect(t.total).toBe(direct.total[0]);
    expect(t.nodeCount).toBe(direct.length);
    expect(t.sampleType).toEqual({ type: 'alloc_space', unit: 'bytes' });
    // No filter: pprof's total is the root.
    expect(t.grandTotal).toBe(t.total);
    // A focus filter shrinks the root but not the base of the percentages.
    const f = heap.tree('main', params(1, { filters: { ...NO_FILTERS, focus: 'json' } }));
    expect(f.total).toBeLessThan(t.total);
    expect(f.total).toBeGreaterThan(0);
    expect(f.grandTotal).toBe(t.total);
    expect(f.version).toBeGreaterThan(t.version);
  });

  it('answers LOD requests with what the tooltip and zoom need', () => {
    const t = cpu.tree('main', params(1));
    // 40 px: a 10 ms sample of this profile is under a pixel, so narrow runs get merged.
    const lod = cpu.lod({ slot: 'main', x0: 0, x1: t.total, pixels: 40, d0: 0, d1: t.maxDepth });
    expect(lod.version).toBe(t.version);
    expect(lod.node[0]).toBe(0);
    expect(lod.total[0]).toBe(t.total);
    let merged = 0;
    for (let i = 0; i < lod.length; i++) {
      if (lod.flags[i] & FLAG_MERGED) {
        merged++;
        expect(lod.node[i]).toBe(-1);
        expect(lod.count[i]).toBeGreaterThan(1);
        expect(lod.total[i]).toBeGreaterThan(0);
      } else {
        const info = cpu.node('main', lod.node[i]);
        expect(lod.total[i]).toBe(info.total);
        expect(lod.nodeX[i]).toBe(info.x);
        expect(lod.nodeW[i]).toBe(info.width);
        if (lod.node[i] > 0) expect(t.names[lod.name[i]]).toBe(info.name);
      }
    }
    expect(merged).toBeGreaterThan(0);
    // Zoom path of a deep node: from the first frame down to it.
    const wide = cpu.lod({ slot: 'main', x0: 0, x1: t.total, pixels: 2000, d0: 0, d1: t.maxDepth });
    const deep = Array.from(wide.node).findIndex((id, i) => id > 0 && wide.depth[i] === 4);
    const info = cpu.node('main', wide.node[deep]);
    expect(info.path).toHaveLength(4);
    expect(info.path[3].id).toBe(info.id);
    expect(() => cpu.node('main', 1e9)).toThrow(WorkerError);
  });

  it('searches with Go regexps: total counted once per sample, errors as values', () => {
    cpu.tree('main', params(1));
    const r = cpu.setSearch('encoding/json\\.')!;
    const tree = buildCallTree(decodeProfile(bytes('before/cpu.pb.gz')), { sampleIndex: 1 });
    expect(r.total).toBe(matchedTotal(tree, matchNames(tree, /encoding\/json\./)));
    expect(r.total).toBeGreaterThan(0);
    expect(r.fraction).toBeCloseTo(r.total / tree.total[0], 12);
    const lod = cpu.lod({ slot: 'main', x0: 0, x1: tree.total[0], pixels: 2000, d0: 0, d1: 100 });
    expect(lod.flags.some((f) => (f & 2) !== 0)).toBe(true);
    expect(() => cpu.setSearch('json(')).toThrow(/json\(/);
    expect(cpu.setSearch('')).toBeNull();
  });

  it('serves top rows like go tool pprof -top, windowed, sorted and filtered', () => {
    const all = heap.topWindow({
      params: params(1),
      sort: 'flat',
      dir: 'desc',
      filter: '',
      offset: 0,
      limit: 100_000,
    });
    expect(all.rowCount).toBe(all.allRows);
    expect(all.total).toBe(heap.tree('main', params(1)).grandTotal);
    let run = 0;
    for (let i = 0; i < all.rowCount; i++) {
      run += all.flat[i];
      expect(all.sumPct[i]).toBeCloseTo((run / all.total) * 100, 9);
      if (i > 0) expect(Math.abs(all.flat[i])).toBeLessThanOrEqual(Math.abs(all.flat[i - 1]));
    }
    // A later window continues the running sum.
    const w = heap.topWindow({
      params: params(1),
      sort: 'flat',
      dir: 'desc',
      filter: '',
      offset: 5,
      limit: 3,
    });
    expect(w.offset).toBe(5);
    expect(w.names).toEqual(all.names.slice(5, 8));
    expect(Array.from(w.sumPct)).toEqual(Array.from(all.sumPct.slice(5, 8)));
    // Sorted by cum, ascending, and filtered.
    const c = heap.topWindow({
      params: params(1),
      sort: 'cum',
      dir: 'asc',
      filter: '^runtime\\.',
      offset: 0,
      limit: 1000,
    });
    expect(c.rowCount).toBeGreaterThan(0);
    expect(c.rowCount).toBeLessThan(all.rowCount);
    expect(c.names.every((n) => n.startsWith('runtime.'))).toBe(true);
    for (let i = 1; i < c.rowCount; i++) expect(c.cum[i]).toBeGreaterThanOrEqual(c.cum[i - 1]);
    expect(() =>
      heap.topWindow({
        params: params(1),
        sort: 'cum',
        dir: 'asc',
        filter: '[',
        offset: 0,
        limit: 1,
      }),
    ).toThrow(WorkerError);
  });

  it('gives the sandwich of a function with the flat and cum of its top row', () => {
    const top = heap.topWindow({
      params: params(1),
      sort: 'cum',
      dir: 'desc',
      filter: '',
      offset: 0,
      limit: 50,
    });
    const k = top.names.findIndex((n) => n.startsWith('encoding/json.'));
    const s = heap.sandwich(params(1), top.names[k]);
    expect(s.flat).toBe(top.flat[k]);
    expect(s.cum).toBe(top.cum[k]);
    expect(s.callees.total).toBe(top.cum[k]);
    expect(s.callers.total).toBe(top.cum[k]);
    expect(s.callees.names).toContain(top.names[k]);
    expect(s.callees.grandTotal).toBe(top.total);
  });
});

describe('ProfileSession tree cache', () => {
  /** The real engine, counting the call trees it builds. */
  const counting = (): { engine: typeof engine; builds: () => number } => {
    let n = 0;
    return {
      engine: {
        ...engine,
        callTree: (p, ps) => {
          n++;
          return engine.callTree(p, ps);
        },
      },
      builds: () => n,
    };
  };

  it('builds the main tree once per sample type, granularity and filters', () => {
    const c = counting();
    const s = new ProfileSession(c.engine, bytes('before/cpu.pb.gz'));
    const first = s.tree('main', params(1));
    expect(c.builds()).toBe(1);
    expect(first.buildMs).toBeGreaterThan(0);
    // Coming back to the same view (e.g. after the Top tab): no build, the same tree.
    const again = s.tree('main', params(1));
    expect(c.builds()).toBe(1);
    expect(again.buildMs).toBe(0);
    expect(again.nodeCount).toBe(first.nodeCount);
    expect(again.total).toBe(first.total);
    expect(again.version).toBeGreaterThan(first.version);
    // The LOD reads the installed tree.
    const lod = s.lod({ slot: 'main', x0: 0, x1: again.total, pixels: 800, d0: 0, d1: 20 });
    expect(lod.version).toBe(again.version);
    // Other parameters are other trees; each is kept.
    s.tree('main', params(1, { filters: { ...NO_FILTERS, focus: 'json' } }));
    s.tree('main', params(0));
    s.tree('main', params(1, { granularity: 'lines' }));
    expect(c.builds()).toBe(4);
    s.tree('main', params(1));
    s.tree('main', params(0));
    expect(c.builds()).toBe(4);
    // The sandwich and its slots are not cached (their trees depend on the function).
    s.tree('callers', params(1));
    s.tree('callers', params(1));
    expect(c.builds()).toBe(6);
  });

  it('reports the phases of a build, and none for a cached tree', () => {
    const s = new ProfileSession(engine, bytes('before/cpu.pb.gz'));
    const phases: string[] = [];
    s.tree('main', params(1), undefined, (phase, done, total) => {
      expect(done).toBeLessThanOrEqual(total);
      phases.push(phase);
    });
    expect(phases).toEqual(['filters', 'sorting', 'layout']);
    phases.length = 0;
    s.tree('main', params(1), undefined, (phase) => phases.push(phase));
    expect(phases).toEqual([]);
  });

  it('drops the least recently used trees beyond its byte budget', () => {
    const profile = decodeProfile(bytes('before/cpu.pb.gz'));
    const tree = engine.callTree(profile, params(1));
    const one = builtTreeBytes(tree, layoutFlame(tree, { paletteSize: 24 }));
    expect(one).toBeGreaterThan(0);
    // Room for about one and a half trees of this profile.
    const c = counting();
    const s = new ProfileSession(c.engine, bytes('before/cpu.pb.gz'), Math.floor(one * 1.5));
    s.tree('main', params(1));
    s.tree('main', params(0));
    expect(c.builds()).toBe(2);
    s.tree('main', params(0)); // kept: the newest
    expect(c.builds()).toBe(2);
    s.tree('main', params(1)); // dropped when params(0) came in
    expect(c.builds()).toBe(3);
  });

  it('keeps the newest tree even when it alone is over the budget', () => {
    const c = counting();
    const s = new ProfileSession(c.engine, bytes('before/cpu.pb.gz'), 1);
    s.tree('main', params(1));
    s.tree('main', params(1));
    expect(c.builds()).toBe(1);
    s.tree('main', params(0));
    s.tree('main', params(1)); // the older one went when params(0) came in
    expect(c.builds()).toBe(3);
  });
});

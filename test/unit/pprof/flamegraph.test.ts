import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../../core/pprof/calltree';
import { decodeProfile } from '../../../core/pprof/decode';
import type { CallTree } from '../../../core/pprof/tree';
import {
  FLAG_INLINED,
  FLAG_MATCH,
  FLAG_MERGED,
  MERGED_COLOR,
  flameLod,
  hitTest,
  layoutFlame,
  matchNames,
  matchedTotal,
  packageOf,
  pathTo,
  rankLike,
  zoomTargets,
  type FlameLayout,
} from '../../../core/pprof/flamegraph';

// Builds a CallTree (BFS order: parent < child, siblings contiguous) from weighted stacks,
// root first. A frame written "name!" is marked inlined.
function treeOf(stacks: Array<[string[], number]>): CallTree {
  interface N {
    name: string;
    inl: boolean;
    self: number;
    total: number;
    kids: Map<string, N>;
  }
  const root: N = { name: '', inl: false, self: 0, total: 0, kids: new Map() };
  for (const [frames, v] of stacks) {
    let n = root;
    n.total += v;
    for (const f of frames) {
      let c = n.kids.get(f);
      if (!c) {
        c = { name: f.replace(/!$/, ''), inl: f.endsWith('!'), self: 0, total: 0, kids: new Map() };
        n.kids.set(f, c);
      }
      c.total += v;
      n = c;
    }
    n.self += v;
  }
  const order: Array<{ n: N; parent: number; depth: number }> = [{ n: root, parent: -1, depth: 0 }];
  const firstChild: number[] = [];
  const childCount: number[] = [];
  for (let i = 0; i < order.length; i++) {
    const { n, depth } = order[i];
    firstChild[i] = n.kids.size ? order.length : -1;
    childCount[i] = n.kids.size;
    for (const c of n.kids.values()) order.push({ n: c, parent: i, depth: depth + 1 });
  }
  const names: string[] = [''];
  const idx = new Map<string, number>([['', 0]]);
  const nameId = (s: string): number => {
    let k = idx.get(s);
    if (k === undefined) {
      k = names.length;
      names.push(s);
      idx.set(s, k);
    }
    return k;
  };
  const len = order.length;
  return {
    length: len,
    parent: Int32Array.from(order, (o) => o.parent),
    firstChild: Int32Array.from(firstChild),
    childCount: Int32Array.from(childCount),
    depth: Uint16Array.from(order, (o) => o.depth),
    name: Int32Array.from(order, (o) => nameId(o.n.name)),
    file: new Int32Array(len),
    line: new Float64Array(len),
    inlined: Uint8Array.from(order, (o) => (o.n.inl ? 1 : 0)),
    self: Float64Array.from(order, (o) => o.n.self),
    total: Float64Array.from(order, (o) => o.n.total),
    names,
    sampleType: { type: 'samples', unit: 'count' },
  };
}

function find(tree: CallTree, path: string[]): number {
  let id = 0;
  for (const name of path) {
    let next = -1;
    for (let c = tree.firstChild[id]; c < tree.firstChild[id] + tree.childCount[id]; c++) {
      if (tree.names[tree.name[c]] === name) next = c;
    }
    if (next < 0) throw new Error(`no ${path.join(' > ')}`);
    id = next;
  }
  return id;
}

// Pseudo-random but reproducible.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomTree(samples: number, fanout: number, maxDepth: number, seed: number): CallTree {
  const rnd = lcg(seed);
  const stacks: Array<[string[], number]> = [];
  for (let i = 0; i < samples; i++) {
    const depth = 1 + Math.floor(rnd() * maxDepth);
    const frames: string[] = [];
    for (let d = 0; d < depth; d++) {
      // Skewed choice: a few hot children and a long tail of tiny ones.
      const r = rnd();
      const k = r < 0.7 ? Math.floor(r * 4) : Math.floor(rnd() * fanout);
      frames.push(`pkg${k % 7}/sub.F${d}_${k}`);
    }
    stacks.push([frames, 1 + Math.floor(rnd() * 10)]);
  }
  return treeOf(stacks);
}

function checkRows(layout: FlameLayout): void {
  const { rowStart, rowNodes, x, width, tree } = layout;
  for (let d = 0; d <= layout.maxDepth; d++) {
    for (let i = rowStart[d]; i < rowStart[d + 1]; i++) {
      const id = rowNodes[i];
      expect(tree.depth[id]).toBe(d);
      if (i > rowStart[d]) {
        const prev = rowNodes[i - 1];
        expect(x[id]).toBeGreaterThanOrEqual(x[prev] + width[prev] - 1e-9);
      }
    }
  }
}

describe('packageOf', () => {
  it('cuts Go symbols at the package', () => {
    expect(packageOf('github.com/a/b.(*T).M')).toBe('github.com/a/b');
    expect(packageOf('runtime.mallocgc')).toBe('runtime');
    expect(packageOf('encoding/json.Marshal')).toBe('encoding/json');
    expect(packageOf('main.main.func1')).toBe('main');
    expect(packageOf('example.com/x.G[go.shape.*example.com/y.T]')).toBe('example.com/x');
    expect(packageOf('__libc_start_main')).toBe('__libc_start_main');
  });
});

describe('layoutFlame', () => {
  const tree = treeOf([
    [['main.main', 'main.small'], 10],
    [['main.main', 'main.big'], 50],
    [['main.main', 'main.mid'], 30],
    [['main.main'], 5],
    [['runtime.gc'], 20],
  ]);

  it('packs children largest first inside their parent', () => {
    const l = layoutFlame(tree);
    const main = find(tree, ['main.main']);
    const gc = find(tree, ['runtime.gc']);
    expect(l.x[0]).toBe(0);
    expect(l.width[0]).toBe(115);
    expect(l.x[main]).toBe(0);
    expect(l.width[main]).toBe(95);
    expect(l.x[gc]).toBe(95);
    expect(l.x[find(tree, ['main.main', 'main.big'])]).toBe(0);
    expect(l.x[find(tree, ['main.main', 'main.mid'])]).toBe(50);
    expect(l.x[find(tree, ['main.main', 'main.small'])]).toBe(80);
    expect(l.maxDepth).toBe(2);
    checkRows(l);
    // Row 2 holds the three leaves of main.main in x order.
    const row2 = Array.from(
      l.rowNodes.subarray(l.rowStart[2], l.rowStart[3]),
      (id) => tree.names[tree.name[id]],
    );
    expect(row2).toEqual(['main.big', 'main.mid', 'main.small']);
  });

  it('follows a given rank, and rankLike keeps a reference order', () => {
    const before = layoutFlame(tree);
    // In "after", small grew past big: its own order would put small first.
    const after = treeOf([
      [['main.main', 'main.small'], 80],
      [['main.main', 'main.big'], 5],
      [['main.main', 'main.mid'], 30],
      [['main.main', 'main.new'], 40],
      [['runtime.gc'], 200],
    ]);
    const own = layoutFlame(after);
    expect(own.x[find(after, ['runtime.gc'])]).toBe(0);
    const kept = layoutFlame(after, { rank: rankLike(after, before) });
    const xs = (p: string[]): number => kept.x[find(after, p)];
    expect(xs(['main.main'])).toBe(0);
    expect(xs(['runtime.gc'])).toBe(155);
    expect(xs(['main.main', 'main.big'])).toBe(0);
    expect(xs(['main.main', 'main.mid'])).toBe(5);
    expect(xs(['main.main', 'main.small'])).toBe(35);
    // Unmatched nodes go after the matched ones.
    expect(xs(['main.main', 'main.new'])).toBe(115);
    checkRows(kept);
  });

  it('colours by package and leaves zero-width nodes out of the rows', () => {
    const t = treeOf([
      [['a/b.F', 'a/b.G'], 3],
      [['a/b.H'], 2],
      [['c.X'], 0],
    ]);
    const l = layoutFlame(t, { paletteSize: 1000 });
    expect(l.colorKey[find(t, ['a/b.F'])]).toBe(l.colorKey[find(t, ['a/b.H'])]);
    expect(l.colorKey[find(t, ['a/b.F'])]).toBeLessThan(1000);
    const zero = find(t, ['c.X']);
    expect(Array.from(l.rowNodes)).not.toContain(zero);
  });

  it('handles an empty tree', () => {
    const t = treeOf([]);
    const l = layoutFlame(t);
    expect(l.width[0]).toBe(0);
    expect(l.rowNodes.length).toBe(0);
    const lod = flameLod(l, { x0: 0, x1: 1, pixels: 100 });
    expect(lod.length).toBe(0);
  });
});

describe('flameLod', () => {
  it('keeps wide nodes exactly and merges runs of narrow ones', () => {
    // main.big is 1000 units; 50 tiny siblings of 1 unit each sit to its right.
    const stacks: Array<[string[], number]> = [[['m.main', 'm.big'], 1000]];
    for (let i = 0; i < 50; i++)
      stacks.push([['m.main', `m.tiny${String(i).padStart(2, '0')}`], 1]);
    const t = treeOf(stacks);
    const l = layoutFlame(t);
    // 1050 units over 105 px: 10 units per px; the tiny ones are 0.1 px each.
    const lod = flameLod(l, { x0: 0, x1: 1050, pixels: 105 });
    const row = (d: number): number[] =>
      Array.from({ length: lod.rowStart[d + 1] - lod.rowStart[d] }, (_, k) => lod.rowStart[d] + k);
    expect(row(0).map((i) => lod.node[i])).toEqual([0]);
    expect(row(1).map((i) => lod.node[i])).toEqual([find(t, ['m.main'])]);
    const r2 = row(2);
    expect(r2.length).toBe(2);
    expect(lod.node[r2[0]]).toBe(find(t, ['m.main', 'm.big']));
    expect(lod.x[r2[0]]).toBe(0);
    expect(lod.width[r2[0]]).toBe(1000);
    expect(lod.node[r2[1]]).toBe(-1);
    expect(lod.flags[r2[1]] & FLAG_MERGED).toBeTruthy();
    expect(lod.color[r2[1]]).toBe(MERGED_COLOR);
    expect(lod.x[r2[1]]).toBe(1000);
    expect(lod.width[r2[1]]).toBe(50);
    // Zoomed on the tiny ones, they come out one by one.
    const z = flameLod(l, { x0: 1000, x1: 1050, pixels: 500 });
    const zr = Array.from(
      { length: z.rowStart[3] - z.rowStart[2] },
      (_, k) => z.node[z.rowStart[2] + k],
    );
    expect(zr.length).toBe(50);
    expect(zr.every((id) => id > 0)).toBe(true);
  });

  it('widens a lone sub-pixel node to one pixel and keeps its identity', () => {
    const t = treeOf([
      [['a.A'], 1000],
      [['a.B'], 1],
    ]);
    const l = layoutFlame(t);
    const lod = flameLod(l, { x0: 0, x1: 1001, pixels: 100 });
    const b = find(t, ['a.B']);
    const i = Array.from(lod.node).indexOf(b);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(lod.width[i]).toBeCloseTo(10.01, 6);
    expect(lod.flags[i] & FLAG_MERGED).toBe(0);
  });

  it('marks inlined frames and search matches, including inside merged runs', () => {
    const stacks: Array<[string[], number]> = [[['m.main', 'm.inl!'], 500]];
    for (let i = 0; i < 20; i++) stacks.push([['m.main', `m.t${i}`], 1]);
    stacks.push([['m.main', 'm.needle'], 1]);
    const t = treeOf(stacks);
    const l = layoutFlame(t);
    const match = matchNames(t, /needle/);
    const lod = flameLod(l, { x0: 0, x1: 521, pixels: 52, match });
    const inl = Array.from(lod.node).indexOf(find(t, ['m.main', 'm.inl']));
    expect(lod.flags[inl] & FLAG_INLINED).toBeTruthy();
    const merged = Array.from(lod.node).indexOf(-1);
    expect(merged).toBeGreaterThanOrEqual(0);
    expect(lod.flags[merged] & FLAG_MATCH).toBeTruthy();
  });

  it('clips to the window and the depth range', () => {
    const t = treeOf([
      [['a.A', 'a.AA'], 100],
      [['b.B', 'b.BB'], 100],
      [['c.C'], 100],
    ]);
    const l = layoutFlame(t);
    // Window covers only the second third.
    const lod = flameLod(l, { x0: 110, x1: 190, pixels: 80, d0: 1, d1: 2 });
    expect(lod.d0).toBe(1);
    expect(lod.rowStart.length).toBe(3);
    const names = Array.from(lod.node, (id) => t.names[t.name[id]]);
    expect(names).toEqual(['b.B', 'b.BB']);
    expect(Array.from(lod.depth)).toEqual([1, 2]);
  });

  it('bounds drawn items by pixels x rows on a large tree, covering every node', () => {
    const t = randomTree(12_000, 400, 24, 7);
    expect(t.length).toBeGreaterThan(20_000);
    const l = layoutFlame(t);
    checkRows(l);
    for (const [x0, x1, W] of [
      [0, l.width[0], 800],
      [l.width[0] * 0.3, l.width[0] * 0.31, 1200],
      [0, l.width[0], 37],
    ]) {
      const lod = flameLod(l, { x0, x1, pixels: W });
      const rows = l.maxDepth + 1;
      expect(lod.length).toBeLessThanOrEqual((W + 1) * rows);
      const unitsPerPx = (x1 - x0) / W;
      // Plain loops with counters: one expect per property keeps this test fast.
      let tooMany = 0;
      let tooNarrow = 0;
      let overlaps = 0;
      for (let r = 0; r < rows; r++) {
        const a = lod.rowStart[r];
        const b = lod.rowStart[r + 1];
        if (b - a > W + 1) tooMany++;
        for (let i = a; i < b; i++) {
          const vis = Math.min(lod.x[i] + lod.width[i], x1) - Math.max(lod.x[i], x0);
          if (vis < unitsPerPx * (1 - 1e-9)) tooNarrow++;
          if (i > a && lod.x[i] < lod.x[i - 1] + lod.width[i - 1] - 1e-6) overlaps++;
        }
      }
      expect({ tooMany, tooNarrow, overlaps }).toEqual({ tooMany: 0, tooNarrow: 0, overlaps: 0 });
      // Every node at least a pixel wide in the window is drawn as itself.
      const drawn = new Set(lod.node);
      let missing = 0;
      let wide = 0;
      for (let i = 0; i < l.rowNodes.length; i++) {
        const id = l.rowNodes[i];
        const vis = Math.min(l.x[id] + l.width[id], x1) - Math.max(l.x[id], x0);
        if (vis >= unitsPerPx) {
          wide++;
          if (!drawn.has(id)) missing++;
        }
      }
      expect(wide).toBeGreaterThan(0);
      expect(missing).toBe(0);
    }
  });
});

/**
 * The LOD rule walked node by node, the plainest reading of it: emit nodes >= minPx wide in
 * the window; fold a run of narrow nodes, each closer than minPx to the previous one, into
 * one item widened to minPx; drop a sub-pixel run right before a wide node. flameLod jumps
 * over runs with bisects and must give exactly these items.
 */
function walkedLod(
  l: FlameLayout,
  x0: number,
  x1: number,
  pixels: number,
  match?: Uint8Array,
  spans?: Array<[number, number]>,
): Array<[number, number, number, number, number]> {
  const minW = (x1 - x0) / pixels;
  const { rowNodes, x, width } = l;
  const out: Array<[number, number, number, number, number]> = [];
  const visW = (id: number): number => Math.min(x[id] + width[id], x1) - Math.max(x[id], x0);
  const m = (id: number): number => (match && match[id] ? FLAG_MATCH : 0);
  for (let d = 0; d <= l.maxDepth; d++) {
    const end = l.rowStart[d + 1];
    let i = l.rowStart[d];
    while (i < end && x[rowNodes[i]] + width[rowNodes[i]] <= x0) i++;
    while (i < end && x[rowNodes[i]] < x1) {
      const id = rowNodes[i];
      if (visW(id) >= minW) {
        out.push([d, id, x[id], width[id], (l.tree.inlined[id] ? FLAG_INLINED : 0) | m(id)]);
        spans?.push([i, i + 1]);
        i++;
        continue;
      }
      const runS = Math.max(x[id], x0);
      let runE = Math.min(x[id] + width[id], x1);
      let hit = m(id);
      let j = i + 1;
      for (; j < end; j++) {
        const jd = rowNodes[j];
        if (x[jd] >= x1 || x[jd] - runE >= minW || visW(jd) >= minW) break;
        runE = Math.min(x[jd] + width[jd], x1);
        hit |= m(jd);
      }
      const nextStart = j < end ? x[rowNodes[j]] : Infinity;
      if (!(runE - runS < minW && nextStart < runS + minW)) {
        const w = Math.max(runE, runS + minW) - runS;
        if (j === i + 1) out.push([d, id, runS, w, (l.tree.inlined[id] ? FLAG_INLINED : 0) | hit]);
        else out.push([d, -1, runS, w, FLAG_MERGED | hit]);
        spans?.push([i, j]);
      }
      i = j;
    }
  }
  return out;
}

describe('flameLod jumps over narrow runs', () => {
  it('gives exactly the items of a node-by-node walk, matches included', () => {
    const rnd = lcg(99);
    let compared = 0;
    let merged = 0;
    let split = 0;
    for (const [samples, fanout, depth, seed] of [
      [3000, 200, 12, 1],
      [8000, 900, 20, 2],
      [400, 30, 6, 3],
    ]) {
      const t = randomTree(samples, fanout, depth, seed);
      const l = layoutFlame(t);
      // Dense matches (whole depths) and rare ones (tail functions), which a jumped-over run
      // may hold alone.
      const matches = [matchNames(t, /F[13]_/), matchNames(t, /_1[0-9]7$/)];
      const full = l.width[0];
      for (let q = 0; q < 40; q++) {
        const span = full / 2 ** Math.floor(rnd() * 12);
        const x0 = rnd() * (full - span);
        const pixels = [1, 7, 300, 1200, 2500][q % 5];
        const withMatch = q % 3 === 2 ? undefined : matches[q % 3];
        const lod = flameLod(l, { x0, x1: x0 + span, pixels, match: withMatch });
        const got = Array.from({ length: lod.length }, (_, i) => [
          lod.depth[i],
          lod.node[i],
          lod.x[i],
          lod.width[i],
          lod.flags[i],
        ]);
        const want = walkedLod(l, x0, x0 + span, pixels, withMatch);
        if (!withMatch) expect(got).toEqual(want);
        else {
          // With a search, a merged run holding matches is split; joined back, the items are
          // exactly the walk's (same extents, a match flag where the run holds one).
          const lodS = flameLod(l, { x0, x1: x0 + span, pixels, match: withMatch, spans: true });
          expect(Array.from(lodS.flags)).toEqual(Array.from(lod.flags));
          const runs: Array<[number, number]> = [];
          walkedLod(l, x0, x0 + span, pixels, withMatch, runs);
          const joined: Array<[number, number, number, number, number]> = [];
          let it = 0;
          for (const [a, b] of runs) {
            const from = it;
            while (it < lodS.length && lodS.first![it] >= a && lodS.first![it] < b) it++;
            expect(it).toBeGreaterThan(from);
            let flags = 0;
            for (let q = from; q < it; q++) {
              // Tiled: each piece starts where the previous one ended.
              if (q > from) expect(lodS.x[q]).toBeCloseTo(lodS.x[q - 1] + lodS.width[q - 1], 6);
              flags |= lodS.flags[q] & FLAG_MATCH;
              // Only matches are marked: a marked item starts at a matching node, an
              // unmarked one holds none.
              const members = Array.from(
                { length: lodS.count![q] },
                (_, c) => withMatch[l.rowNodes[lodS.first![q] + c]],
              );
              if (lodS.flags[q] & FLAG_MATCH) expect(members[0]).toBe(1);
              else expect(members).not.toContain(1);
              if (it - from > 1) split++;
            }
            const last = it - 1;
            const single = it - from === 1 ? lodS.node[from] : -1;
            joined.push([
              lodS.depth[from],
              single,
              lodS.x[from],
              lodS.x[last] + lodS.width[last] - lodS.x[from],
              single >= 0 ? lodS.flags[from] : FLAG_MERGED | flags,
            ]);
          }
          expect(it).toBe(lodS.length);
          expect(joined.length).toBe(want.length);
          for (let q = 0; q < want.length; q++) {
            const [dw, nw, xw, ww, fw] = want[q];
            const [dj, nj, xj, wj, fj] = joined[q];
            expect([dj, nj, fj]).toEqual([dw, nw, fw]);
            expect(xj).toBeCloseTo(xw, 6);
            expect(wj).toBeCloseTo(ww, 6);
          }
        }
        compared += want.length;
        merged += want.filter((w) => w[1] < 0).length;
      }
    }
    // The comparison covered both kinds of item in quantity, and runs split by a search.
    expect(compared).toBeGreaterThan(20_000);
    expect(merged).toBeGreaterThan(2_000);
    expect(split).toBeGreaterThan(100);
  });
});

describe('zoomTargets', () => {
  it('picks the widest real frames narrower than the window, widest on screen first', () => {
    const t = randomTree(3000, 60, 10, 5);
    const l = layoutFlame(t);
    const full = l.width[0];
    for (const [x0, x1] of [
      [0, full],
      [full * 0.2, full * 0.45],
    ]) {
      const lod = flameLod(l, { x0, x1, pixels: 800 });
      const items = {
        length: lod.length,
        node: lod.node,
        flags: lod.flags,
        nodeX: Float64Array.from(lod.node, (id, i) => (id >= 0 ? l.x[id] : lod.x[i])),
        nodeW: Float64Array.from(lod.node, (id, i) => (id >= 0 ? l.width[id] : lod.width[i])),
      };
      const seen = (i: number): number =>
        Math.min(items.nodeX[i] + items.nodeW[i], x1) - Math.max(items.nodeX[i], x0);
      const got = zoomTargets(items, x0, x1, 5);
      expect(got).toHaveLength(5);
      // Every candidate: a real frame that a click would zoom into.
      const ok = (i: number): boolean =>
        lod.node[i] > 0 && !(lod.flags[i] & FLAG_MERGED) && items.nodeW[i] < x1 - x0;
      expect(got.every(ok)).toBe(true);
      // In order, and none left out is wider on screen than the narrowest picked.
      const widths = got.map(seen);
      expect([...widths].sort((a, b) => b - a)).toEqual(widths);
      const rest = Array.from({ length: lod.length }, (_, i) => i).filter(
        (i) => ok(i) && !got.includes(i),
      );
      expect(Math.max(...rest.map(seen))).toBeLessThanOrEqual(widths[4]);
    }
    expect(
      zoomTargets(
        {
          length: 0,
          node: new Int32Array(0),
          flags: new Uint8Array(0),
          nodeX: new Float64Array(0),
          nodeW: new Float64Array(0),
        },
        0,
        1,
        3,
      ),
    ).toEqual([]);
  });
});

describe('hitTest', () => {
  it('finds the item under a point by row and bisect', () => {
    const t = treeOf([
      [['a.A'], 60],
      [['b.B'], 40],
    ]);
    const l = layoutFlame(t);
    const lod = flameLod(l, { x0: 0, x1: 100, pixels: 100 });
    expect(lod.node[hitTest(lod, 1, 10)]).toBe(find(t, ['a.A']));
    expect(lod.node[hitTest(lod, 1, 60)]).toBe(find(t, ['b.B']));
    expect(lod.node[hitTest(lod, 0, 99)]).toBe(0);
    expect(hitTest(lod, 2, 10)).toBe(-1);
    expect(hitTest(lod, 1, 100)).toBe(-1);
  });
});

describe('search totals', () => {
  it('counts each sample once even when matches nest (recursion)', () => {
    const t = treeOf([
      [['m.main', 'm.walk', 'm.walk', 'm.walk'], 7],
      [['m.main', 'm.walk'], 3],
      [['m.main', 'm.other', 'm.walk'], 2],
      [['m.main', 'm.other'], 11],
    ]);
    const match = matchNames(t, /walk/);
    expect(matchedTotal(t, match)).toBe(12);
    expect(matchedTotal(t, matchNames(t, /^m\.main$/))).toBe(23);
    expect(matchedTotal(t, matchNames(t, /nothing/))).toBe(0);
  });

  it('ignores the global flag of the given regexp', () => {
    const t = treeOf([
      [['a.X'], 1],
      [['b.X'], 1],
    ]);
    expect(Array.from(matchNames(t, /X/g)).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('gives the breadcrumb path', () => {
    const t = treeOf([[['a.A', 'a.B', 'a.C'], 1]]);
    const c = find(t, ['a.A', 'a.B', 'a.C']);
    expect(pathTo(t, c).map((id) => t.names[t.name[id]])).toEqual(['a.A', 'a.B', 'a.C']);
    expect(pathTo(t, 0)).toEqual([]);
  });
});

describe('on real profiles', () => {
  const fixtures = join(__dirname, '..', '..', 'fixtures');
  for (const file of ['before/cpu.pb.gz', 'after/heap.pb.gz', 'before/allocs.pb.gz']) {
    it(`lays out every node of ${file} once, inside its parent`, () => {
      const profile = decodeProfile(readFileSync(join(fixtures, file)));
      for (let si = 0; si < profile.sampleTypes.length; si++) {
        const tree = buildCallTree(profile, { sampleIndex: si });
        const l = layoutFlame(tree);
        checkRows(l);
        const seen = new Uint8Array(tree.length);
        let dup = 0;
        for (const id of l.rowNodes) {
          if (seen[id]) dup++;
          seen[id] = 1;
        }
        let missing = 0;
        let outside = 0;
        for (let i = 1; i < tree.length; i++) {
          if (l.width[i] > 0 && !seen[i]) missing++;
          const p = tree.parent[i];
          if (l.x[i] < l.x[p] - 1e-6 || l.x[i] + l.width[i] > l.x[p] + l.width[p] + 1e-6) outside++;
        }
        expect({ dup, missing, outside }).toEqual({ dup: 0, missing: 0, outside: 0 });
        expect(l.width[0]).toBe(Math.abs(tree.total[0]));
        // The full view draws the root as itself, and each row's drawn items cover no more
        // than the root.
        const lod = flameLod(l, { x0: 0, x1: l.width[0] || 1, pixels: 1200 });
        if (tree.total[0] !== 0) expect(lod.node[0]).toBe(0);
        for (let r = 0; r + 1 < lod.rowStart.length; r++) {
          let covered = 0;
          for (let i = lod.rowStart[r]; i < lod.rowStart[r + 1]; i++) covered += lod.width[i];
          expect(covered).toBeLessThanOrEqual(l.width[0] * (1 + 1e-9) + (l.width[0] / 1200) * 2);
        }
      }
    });
  }
});

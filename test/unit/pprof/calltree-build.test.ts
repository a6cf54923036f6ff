// The call tree builder against a plain reference (maps of maps, sorted at the end), on
// profiles big and bushy enough to take every path of the builder: nodes with many children
// (hashed lookups), a builder that outgrows its first size, inlined frames merging with
// plain ones, zero and negative values. And the flame layout of its output (the one-pass
// path) against the same tree renumbered (the general, depth-first path).
import { describe, expect, it } from 'vitest';
import { buildCallTree, TreeBuilder } from '../../../core/pprof/calltree';
import { layoutFlame, flameLod } from '../../../core/pprof/flamegraph';
import type { FrameKeys } from '../../../core/pprof/granularity';
import type { CallTree } from '../../../core/pprof/tree';
import { buildProfile, type FrameSpec, type SampleSpec } from './build-profile';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Random samples over `funcs` functions; some locations have an inlined function. */
function randomSamples(seed: number, count: number, funcs: number): SampleSpec[] {
  const rnd = rng(seed);
  const out: SampleSpec[] = [];
  for (let i = 0; i < count; i++) {
    const depth = 1 + Math.floor(rnd() * 9);
    const stack: FrameSpec[] = [];
    for (let d = 0; d < depth; d++) {
      // Few functions near the root (shared prefixes), many below (bushy nodes).
      const f = `pkg${d % 3}.F${Math.floor(rnd() ** 2 * (d === 0 ? 3 : funcs))}`;
      stack.push(rnd() < 0.15 ? [`inl.G${Math.floor(rnd() * 4)}`, f] : f);
    }
    const r = rnd();
    const v = r < 0.05 ? 0 : r < 0.1 ? -Math.ceil(rnd() * 50) : Math.ceil(rnd() * 100);
    out.push({ stack, values: [1, v] });
  }
  return out;
}

interface RefNode {
  name: string;
  inlined: number;
  self: number;
  total: number;
  kids: Map<string, RefNode>;
}

/** Paths "a>b>c: self/total[ i]" of a reference tree built from the samples directly. */
function referenceDump(samples: SampleSpec[]): string[] {
  const root: RefNode = { name: '', inlined: 0, self: 0, total: 0, kids: new Map() };
  for (const s of samples) {
    const v = s.values[1];
    if (v === 0) continue;
    let n = root;
    n.total += v;
    for (const f of s.stack) {
      // A location's Lines: the last is the real caller (outermost), the others inlined.
      const lines = typeof f === 'string' ? [f] : f;
      for (let l = lines.length - 1; l >= 0; l--) {
        const inlined = l === lines.length - 1 ? 0 : 1;
        const key = `${lines[l]}\u0000${inlined}`;
        let c = n.kids.get(key);
        if (!c) {
          c = { name: lines[l], inlined, self: 0, total: 0, kids: new Map() };
          n.kids.set(key, c);
        }
        c.total += v;
        n = c;
      }
    }
    n.self += v;
  }
  const out: string[] = [];
  const visit = (n: RefNode, path: string): void => {
    const kids = [...n.kids.values()].sort(
      (a, b) =>
        Math.abs(b.total) - Math.abs(a.total) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : a.inlined - b.inlined),
    );
    for (const c of kids) {
      const p = path ? `${path}>${c.name}` : c.name;
      out.push(`${p}: ${c.self}/${c.total}${c.inlined ? ' i' : ''}`);
      visit(c, p);
    }
  };
  visit(root, '');
  return out;
}

function dump(t: CallTree): string[] {
  const out: string[] = [];
  const visit = (n: number, path: string): void => {
    for (let c = t.firstChild[n]; c < t.firstChild[n] + t.childCount[n]; c++) {
      const p = path ? `${path}>${t.names[t.name[c]]}` : t.names[t.name[c]];
      out.push(`${p}: ${t.self[c]}/${t.total[c]}${t.inlined[c] ? ' i' : ''}`);
      visit(c, p);
    }
  };
  visit(0, '');
  return out;
}

function checkShape(t: CallTree): void {
  for (let i = 1; i < t.length; i++) {
    expect(t.parent[i]).toBeLessThan(i);
    expect(t.depth[i]).toBe(t.depth[t.parent[i]] + 1);
  }
  let seen = 1;
  for (let p = 0; p < t.length; p++) {
    for (let c = t.firstChild[p]; c < t.firstChild[p] + t.childCount[p]; c++) {
      expect(t.parent[c]).toBe(p);
      seen++;
    }
  }
  expect(seen).toBe(t.length);
}

/** The same tree with nodes numbered depth first: valid, but not in layout order. */
function renumbered(t: CallTree): { tree: CallTree; pos: Int32Array } {
  const order: number[] = [];
  const stack = [0];
  while (stack.length) {
    const p = stack.pop()!;
    order.push(p);
    for (let c = t.firstChild[p] + t.childCount[p] - 1; c >= t.firstChild[p]; c--) {
      if (t.childCount[p] > 0) stack.push(c);
    }
  }
  const pos = new Int32Array(t.length);
  order.forEach((b, i) => (pos[b] = i));
  const perm = <A extends { length: number; [i: number]: number }>(
    a: A,
    make: (n: number) => A,
  ): A => {
    const o = make(t.length);
    for (let i = 0; i < t.length; i++) o[i] = a[order[i]];
    return o;
  };
  const parent = perm(t.parent, (n) => new Int32Array(n)).map((p) => (p < 0 ? -1 : pos[p]));
  const firstChild = new Int32Array(t.length).fill(-1);
  const childCount = new Int32Array(t.length);
  for (let i = 1; i < t.length; i++) {
    if (firstChild[parent[i]] === -1) firstChild[parent[i]] = i;
    childCount[parent[i]]++;
  }
  return {
    pos,
    tree: {
      ...t,
      parent,
      firstChild,
      childCount,
      depth: perm(t.depth, (n) => new Uint16Array(n)),
      name: perm(t.name, (n) => new Int32Array(n)),
      file: perm(t.file, (n) => new Int32Array(n)),
      line: perm(t.line, (n) => new Float64Array(n)),
      inlined: perm(t.inlined, (n) => new Uint8Array(n)),
      self: perm(t.self, (n) => new Float64Array(n)),
      total: perm(t.total, (n) => new Float64Array(n)),
    },
  };
}

describe('buildCallTree on bushy profiles', () => {
  for (const [seed, count, funcs] of [
    [1, 400, 6],
    [2, 3000, 60],
    [3, 6000, 400],
  ] as const) {
    it(`matches a reference tree (seed ${seed}, ${count} samples, ${funcs} functions)`, () => {
      const samples = randomSamples(seed, count, funcs);
      // pkg1.T as a sibling of itself, inlined and not, with equal totals: the tie-break.
      samples.push(
        { stack: ['pkg0.R', ['pkg1.T', 'pkg1.P']], values: [1, 7] },
        { stack: ['pkg0.R', 'pkg1.P', 'pkg1.T'], values: [1, 7] },
      );
      const t = buildCallTree(
        buildProfile({
          sampleTypes: [
            ['samples', 'count'],
            ['cpu', 'nanoseconds'],
          ],
          samples,
        }),
      );
      checkShape(t);
      expect(dump(t)).toEqual(referenceDump(samples));
    });
  }

  it('grows a builder past its first size, hashing the children of bushy nodes', () => {
    // 3000 nodes under one parent and chains below them, from a builder sized for 16.
    const names = Array.from({ length: 3000 }, (_, i) => `f${i}`);
    const keys = {
      count: names.length,
      names,
      files: names.map(() => ''),
      lines: new Float64Array(names.length),
    } as unknown as FrameKeys;
    const b = new TreeBuilder(16);
    const made = new Map<string, number>();
    const rnd = rng(7);
    for (let i = 0; i < 20000; i++) {
      const k = Math.floor(rnd() * names.length);
      const top = b.child(0, k, 0);
      const below = b.child(top, (k * 7) % names.length, i % 2);
      b.self[below] += 1;
      expect(made.get(`${k}/${i % 2}`) ?? below).toBe(below);
      made.set(`${k}/${i % 2}`, below);
    }
    const t = b.finish(keys, { type: 'samples', unit: 'count' });
    checkShape(t);
    expect(t.total[0]).toBe(20000);
    expect(t.length).toBe(
      1 + new Set([...made.keys()].map((s) => s.split('/')[0])).size + made.size,
    );
    // Siblings by total, largest first.
    for (let c = t.firstChild[0] + 1; c < t.firstChild[0] + t.childCount[0]; c++) {
      expect(t.total[c - 1]).toBeGreaterThanOrEqual(t.total[c]);
    }
  });
});

describe('layoutFlame of a tree in layout order', () => {
  it('equals the general layout of the same tree numbered otherwise', () => {
    const samples = randomSamples(11, 5000, 80);
    const t = buildCallTree(
      buildProfile({
        sampleTypes: [
          ['samples', 'count'],
          ['cpu', 'nanoseconds'],
        ],
        samples,
      }),
    );
    const fast = layoutFlame(t, { paletteSize: 24 });
    const { tree: other, pos } = renumbered(t);
    const slow = layoutFlame(other, { paletteSize: 24 });
    expect(slow.maxDepth).toBe(fast.maxDepth);
    expect(Array.from(slow.rowStart)).toEqual(Array.from(fast.rowStart));
    expect(Array.from(slow.rowNodes)).toEqual(Array.from(fast.rowNodes, (id) => pos[id]));
    for (let i = 0; i < t.length; i++) {
      expect(slow.x[pos[i]]).toBe(fast.x[i]);
      expect(slow.width[pos[i]]).toBe(fast.width[i]);
      expect(slow.colorKey[pos[i]]).toBe(fast.colorKey[i]);
    }
    // Zero-width nodes (a net total of 0) stay out of the rows.
    expect(Array.from(fast.rowNodes).every((id) => fast.width[id] > 0)).toBe(true);
    const full = fast.width[0];
    const a = flameLod(fast, { x0: 0, x1: full, pixels: 300 });
    const b = flameLod(slow, { x0: 0, x1: full, pixels: 300 });
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.node)).toEqual(Array.from(a.node, (id) => (id < 0 ? id : pos[id])));
  });
});

describe('flameLod spans', () => {
  it('names the row nodes each item stands for, and only when asked', () => {
    const samples = randomSamples(5, 4000, 120);
    const t = buildCallTree(
      buildProfile({
        sampleTypes: [
          ['samples', 'count'],
          ['cpu', 'nanoseconds'],
        ],
        samples,
      }),
    );
    const l = layoutFlame(t);
    const full = l.width[0];
    const req = { x0: full * 0.1, x1: full * 0.7, pixels: 200 };
    expect(flameLod(l, req).first).toBeUndefined();
    const lod = flameLod(l, { ...req, spans: true });
    let merged = 0;
    for (let i = 0; i < lod.length; i++) {
      const d = lod.depth[i];
      const from = lod.first![i];
      const n = lod.count![i];
      // Inside the item's row.
      expect(from).toBeGreaterThanOrEqual(l.rowStart[d]);
      expect(from + n).toBeLessThanOrEqual(l.rowStart[d + 1]);
      if (lod.node[i] >= 0) {
        expect(n).toBe(1);
        expect(l.rowNodes[from]).toBe(lod.node[i]);
        continue;
      }
      merged++;
      expect(n).toBeGreaterThan(1);
      // Every node of the run overlaps the drawn extent, and under a pixel shows in the window.
      for (let j = from; j < from + n; j++) {
        const id = l.rowNodes[j];
        expect(l.x[id]).toBeLessThan(Math.min(lod.x[i] + lod.width[i], req.x1));
        expect(l.x[id] + l.width[id]).toBeGreaterThan(lod.x[i]);
        const visible = Math.min(l.x[id] + l.width[id], req.x1) - Math.max(l.x[id], req.x0);
        expect(visible).toBeLessThan((req.x1 - req.x0) / req.pixels);
      }
    }
    expect(merged).toBeGreaterThan(0);
  });
});

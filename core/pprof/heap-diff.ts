// Heap diff: in-use and allocated space and objects of two heap profiles, by function (flat
// and cum, exactly as pprof aggregates them) and by call path, with each change classified:
// retention (in-use memory changed) or churn (allocations changed while in-use stayed flat).
// Over three or more snapshots of one target, functions whose in-use memory grows every time
// are leak suspects.

import { aggregateNodes } from './aggregate';
import { buildCallTree } from './calltree';
import { formatValue } from './format';
import { computeFrameKeys, type Granularity } from './granularity';
import type { Profile } from './model';
import { prepareProfile, type FilterOptions } from './report';
import { ReportError } from './report-error';
import { diffCallTrees, type DiffTree } from './tree-diff';

export const HEAP_MEASURES = [
  'inuse_space',
  'inuse_objects',
  'alloc_space',
  'alloc_objects',
] as const;
export type HeapMeasure = (typeof HEAP_MEASURES)[number];
export type HeapValues = Record<HeapMeasure, number>;

export interface HeapDiffOptions extends FilterOptions {
  /** Default 'functions'. */
  granularity?: Granularity;
  /**
   * Changes of at most this many bytes are noise. Default: the larger sampling period of the
   * two profiles (Go's MemProfileRate, one sample's worth of bytes), at least 1.
   */
  minBytes?: number;
  /**
   * In-use space counts as flat when it moved by at most this share of the change in
   * allocated space (default 0.1), or by at most minBytes.
   */
  flatTolerance?: number;
  /**
   * Also retention: the share of its allocations a function still holds (in-use ÷ allocated
   * space) moved by at least this much (default 0.5). Two processes rarely run the same
   * amount of work, so a fixed cache can hold as many bytes as the leaky one did in a shorter
   * run while holding a far smaller share of what it allocated.
   */
  minShareChange?: number;
}

/**
 * retention: in-use space changed (memory kept, or released when direction is 'down').
 * churn: allocated space changed while in-use space stayed flat (memory allocated and freed).
 */
export type HeapChange = 'retention' | 'churn' | 'unchanged';
export type Direction = 'up' | 'down' | 'none';

export interface HeapSides {
  base: HeapValues;
  next: HeapValues;
  delta: HeapValues;
}

/** in-use ÷ allocated space of one side, null when it allocated no more than minBytes. */
export interface RetainedShare {
  base: number | null;
  next: number | null;
}

export interface HeapDiffRow {
  /** pprof's node name at the granularity (function name for 'functions'). */
  name: string;
  func: string;
  file: string;
  /** 0 unless the granularity has lines. */
  line: number;
  flat: HeapSides;
  cum: HeapSides;
  /** Classified on flat values: where the memory is allocated. */
  change: HeapChange;
  direction: Direction;
  /** Classified on cum values: memory allocated below this function. */
  cumChange: HeapChange;
  cumDirection: Direction;
  /** Share of its allocated space still in use, flat, on each side. */
  retainedShare: RetainedShare;
  /** e.g. "in-use +2MB (0 → 2MB): retention". */
  reason: string;
}

export interface HeapDiff {
  totals: HeapSides;
  /** The noise floor in force, bytes. */
  minBytes: number;
  /** Largest |Δ inuse_space| + |Δ alloc_space| (flat, then cum) first. */
  rows: HeapDiffRow[];
}

const zero = (): HeapValues => ({
  inuse_space: 0,
  inuse_objects: 0,
  alloc_space: 0,
  alloc_objects: 0,
});

function checkHeap(p: Profile, side: string): void {
  for (const m of HEAP_MEASURES) {
    if (!p.sampleTypes.some((t) => t.type === m)) {
      const types = p.sampleTypes.map((t) => t.type).join(', ') || 'none';
      throw new ReportError(
        'bad-sample-index',
        `the ${side} profile is not a heap profile (it has ${types}; a heap or allocs profile has ${HEAP_MEASURES.join(', ')})`,
      );
    }
  }
}

interface NodeTable {
  names: string[];
  funcs: string[];
  files: string[];
  lines: Float64Array;
  flat: HeapValues[];
  cum: HeapValues[];
  totals: HeapValues;
}

/** flat and cum of every node for the four heap measures, keyed by pprof's node name. */
function heapNodes(p: Profile, opts: HeapDiffOptions): NodeTable {
  let keysNames: string[] = [];
  let table: NodeTable | null = null;
  const totals = zero();
  for (const measure of HEAP_MEASURES) {
    const prep = prepareProfile(p, { ...opts, sampleIndex: measure });
    const keys = computeFrameKeys(prep.profile, { granularity: opts.granularity ?? 'functions' });
    const v = aggregateNodes(prep.profile, keys, prep.choice);
    if (!table) {
      keysNames = keys.names;
      table = {
        names: keys.names,
        funcs: keys.funcNames,
        files: keys.files,
        lines: keys.lines,
        flat: keys.names.map(zero),
        cum: keys.names.map(zero),
        totals,
      };
    }
    // Filters give each measure its own profile; match nodes by name.
    const index = keys.names === keysNames ? null : new Map(table.names.map((n, i) => [n, i]));
    for (let k = 0; k < keys.count; k++) {
      let row = index ? (index.get(keys.names[k]) ?? -1) : k;
      if (row < 0) {
        row = table.names.length;
        table.names.push(keys.names[k]);
        table.funcs.push(keys.funcNames[k]);
        table.files.push(keys.files[k]);
        table.flat.push(zero());
        table.cum.push(zero());
        table.lines = Float64Array.from([...table.lines, keys.lines[k]]);
        index?.set(keys.names[k], row);
      }
      table.flat[row][measure] = v.flat[k];
      table.cum[row][measure] = v.cum[k];
    }
    // The report's total after filtering: the sum of flat values.
    totals[measure] = v.flat.reduce((a, b) => a + b, 0);
  }
  return table as NodeTable;
}

function deltaOf(a: HeapValues, b: HeapValues): HeapValues {
  const d = zero();
  for (const m of HEAP_MEASURES) d[m] = b[m] - a[m];
  return d;
}

interface Thresholds {
  minBytes: number;
  tolerance: number;
  minShareChange: number;
}

function shareOf(v: HeapValues, minBytes: number): number | null {
  return v.alloc_space > minBytes ? v.inuse_space / v.alloc_space : null;
}

interface Classified {
  change: HeapChange;
  direction: Direction;
  /** Decided by the retained share rather than by in-use bytes. */
  byShare: boolean;
}

function classify(s: HeapSides, t: Thresholds): Classified {
  const d = s.delta;
  const flatBand = Math.max(t.minBytes, t.tolerance * Math.abs(d.alloc_space));
  if (Math.abs(d.inuse_space) > flatBand) {
    return { change: 'retention', direction: d.inuse_space > 0 ? 'up' : 'down', byShare: false };
  }
  const a = shareOf(s.base, t.minBytes);
  const b = shareOf(s.next, t.minBytes);
  const held = Math.max(s.base.inuse_space, s.next.inuse_space) > t.minBytes;
  if (a !== null && b !== null && held && Math.abs(b - a) >= t.minShareChange) {
    return { change: 'retention', direction: b > a ? 'up' : 'down', byShare: true };
  }
  if (Math.abs(d.alloc_space) > t.minBytes) {
    return { change: 'churn', direction: d.alloc_space > 0 ? 'up' : 'down', byShare: false };
  }
  return { change: 'unchanged', direction: 'none', byShare: false };
}

const bytes = (v: number): string => formatValue(v, 'bytes');
const signed = (v: number): string => (v > 0 ? `+${bytes(v)}` : v < 0 ? `-${bytes(-v)}` : '0');

const percent = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)}%`);

function reasonOf(c: Classified, s: HeapSides, minBytes: number): string {
  const change = c.change;
  const a = shareOf(s.base, minBytes);
  const b = shareOf(s.next, minBytes);
  // A changed share still held says why it is retention, whichever rule classified it.
  const kept =
    change === 'retention' && a !== null && b !== null && percent(a) !== percent(b)
      ? `; still holds ${percent(a)} → ${percent(b)} of what it allocated`
      : '';
  const inuse = `in-use ${signed(s.delta.inuse_space)} (${bytes(s.base.inuse_space)} → ${bytes(s.next.inuse_space)})`;
  const alloc = `allocated ${signed(s.delta.alloc_space)} (${bytes(s.base.alloc_space)} → ${bytes(s.next.alloc_space)})`;
  if (change === 'retention') return `${inuse}, ${alloc}${kept}: retention`;
  if (change === 'churn') return `${alloc} while ${inuse.replace(/ \(.*\)$/, '')}: churn`;
  return `${inuse}, ${alloc}: no significant change`;
}

function periodFloor(profiles: Profile[]): number {
  return Math.max(
    1,
    ...profiles.map((p) => (p.periodType?.unit === 'bytes' || p.period > 0 ? p.period : 0)),
  );
}

/** Heap diff by function (or the granularity asked for) from base to next. */
export function heapDiffByFunction(
  base: Profile,
  next: Profile,
  opts: HeapDiffOptions = {},
): HeapDiff {
  checkHeap(base, 'base');
  checkHeap(next, 'new');
  const minBytes = opts.minBytes ?? periodFloor([base, next]);
  const thresholds: Thresholds = {
    minBytes,
    tolerance: opts.flatTolerance ?? 0.1,
    minShareChange: opts.minShareChange ?? 0.5,
  };
  const a = heapNodes(base, opts);
  const b = heapNodes(next, opts);
  const bIndex = new Map(b.names.map((n, i) => [n, i]));
  const rows: HeapDiffRow[] = [];
  const seen = new Set<string>();
  const add = (name: string, ai: number, bi: number): void => {
    const src = ai >= 0 ? a : b;
    const si = ai >= 0 ? ai : bi;
    const flat: HeapSides = {
      base: ai >= 0 ? a.flat[ai] : zero(),
      next: bi >= 0 ? b.flat[bi] : zero(),
      delta: zero(),
    };
    flat.delta = deltaOf(flat.base, flat.next);
    const cum: HeapSides = {
      base: ai >= 0 ? a.cum[ai] : zero(),
      next: bi >= 0 ? b.cum[bi] : zero(),
      delta: zero(),
    };
    cum.delta = deltaOf(cum.base, cum.next);
    const f = classify(flat, thresholds);
    const c = classify(cum, thresholds);
    rows.push({
      name,
      func: src.funcs[si],
      file: src.files[si],
      line: src.lines[si],
      flat,
      cum,
      change: f.change,
      direction: f.direction,
      cumChange: c.change,
      cumDirection: c.direction,
      retainedShare: { base: shareOf(flat.base, minBytes), next: shareOf(flat.next, minBytes) },
      reason: f.change !== 'unchanged' ? reasonOf(f, flat, minBytes) : reasonOf(c, cum, minBytes),
    });
  };
  a.names.forEach((name, ai) => {
    seen.add(name);
    add(name, ai, bIndex.get(name) ?? -1);
  });
  b.names.forEach((name, bi) => {
    if (!seen.has(name)) add(name, -1, bi);
  });
  const weight = (s: HeapSides): number =>
    Math.abs(s.delta.inuse_space) + Math.abs(s.delta.alloc_space);
  rows.sort(
    (x, y) =>
      weight(y.flat) - weight(x.flat) ||
      weight(y.cum) - weight(x.cum) ||
      (x.name < y.name ? -1 : 1),
  );
  return {
    totals: { base: a.totals, next: b.totals, delta: deltaOf(a.totals, b.totals) },
    minBytes,
    rows,
  };
}

/** Heap diff by call path for one measure: the union call tree of both profiles. */
export function heapDiffByPath(
  base: Profile,
  next: Profile,
  measure: HeapMeasure,
  opts: HeapDiffOptions = {},
): DiffTree {
  checkHeap(base, 'base');
  checkHeap(next, 'new');
  const treeOpts = { ...opts, sampleIndex: measure, granularity: opts.granularity ?? 'functions' };
  return diffCallTrees(buildCallTree(base, treeOpts), buildCallTree(next, treeOpts));
}

export interface HeapTrendRow {
  name: string;
  func: string;
  /** Per snapshot, flat in-use and allocated space (bytes). */
  inuse: number[];
  alloc: number[];
  /** Per snapshot, cum in-use space. */
  cumInuse: number[];
  /** Flat in-use space rose by more than minBytes from every snapshot to the next. */
  growsEveryTime: boolean;
  leakSuspect: boolean;
  reason: string;
}

export interface HeapTrend {
  snapshots: number;
  minBytes: number;
  /** Leak suspects first (largest growth), then by last in-use space. */
  rows: HeapTrendRow[];
  suspects: HeapTrendRow[];
}

/**
 * Functions over three or more heap snapshots of one target (oldest first): those whose
 * in-use space grows every time are leak suspects.
 */
export function heapTrend(snapshots: readonly Profile[], opts: HeapDiffOptions = {}): HeapTrend {
  if (snapshots.length < 3) {
    throw new ReportError(
      'bad-option',
      `a heap trend needs three or more snapshots, got ${snapshots.length}`,
    );
  }
  snapshots.forEach((p, i) => checkHeap(p, `snapshot ${i + 1}`));
  const minBytes = opts.minBytes ?? periodFloor([...snapshots]);
  const tables = snapshots.map((p) => heapNodes(p, opts));
  const n = snapshots.length;
  const rows = new Map<string, HeapTrendRow>();
  tables.forEach((t, si) => {
    t.names.forEach((name, k) => {
      let row = rows.get(name);
      if (!row) {
        row = {
          name,
          func: t.funcs[k],
          inuse: new Array<number>(n).fill(0),
          alloc: new Array<number>(n).fill(0),
          cumInuse: new Array<number>(n).fill(0),
          growsEveryTime: false,
          leakSuspect: false,
          reason: '',
        };
        rows.set(name, row);
      }
      row.inuse[si] = t.flat[k].inuse_space;
      row.alloc[si] = t.flat[k].alloc_space;
      row.cumInuse[si] = t.cum[k].inuse_space;
    });
  });
  const out = [...rows.values()];
  for (const r of out) {
    r.growsEveryTime = r.inuse.every((v, i) => i === 0 || v - r.inuse[i - 1] > minBytes);
    r.leakSuspect = r.growsEveryTime;
    if (r.leakSuspect) {
      r.reason = `${r.name}: in-use ${r.inuse.map(bytes).join(' → ')}, growing in each of ${n} snapshots`;
    }
  }
  const growth = (r: HeapTrendRow): number => r.inuse[n - 1] - r.inuse[0];
  out.sort(
    (x, y) =>
      Number(y.leakSuspect) - Number(x.leakSuspect) ||
      growth(y) - growth(x) ||
      y.inuse[n - 1] - x.inuse[n - 1] ||
      (x.name < y.name ? -1 : 1),
  );
  return { snapshots: n, minBytes, rows: out, suspects: out.filter((r) => r.leakSuspect) };
}

// Each sample's locations as one flat column, and the stack table built from it only when a
// view needs one.
//
// The decoder keeps what the file says: sample i's location rows, leaf first, are
// loc[start[i]] .. loc[start[i+1]-1]. Flat and cum (aggregate.ts, top.ts) stream over that
// column directly. The prefix-sharing stack table (model.ts StackTable) is what the call
// tree, sandwich, filters and encoder walk; on a profile of mostly unique stacks it has tens
// of millions of entries, so a decoded profile builds it on first use of `profile.stacks` or
// `samples.stack`, and lets the flat column go then (it can be walked out of the table).

import type { Profile, SampleTable, StackTable } from './model';

/** Sample i's location rows, leaf first: loc[start[i]] .. loc[start[i+1]-1]. */
export interface SamplePaths {
  /** samples.length + 1 offsets into `loc`. */
  start: Uint32Array;
  /** Location table rows. */
  loc: Int32Array;
}

const PATHS = new WeakMap<SampleTable, SamplePaths>();
/** The deferred build of a decoded profile's stack table, by its sample table. */
const BUILDS = new WeakMap<SampleTable, (onProgress?: StackProgress) => void>();

/** Progress of a stack table build: samples interned of `total`. */
export type StackProgress = (done: number, total: number) => void;

/**
 * Builds a decoded profile's stack table now, if it is not built yet, reporting progress (a
 * build over tens of millions of frames takes seconds): what a view that walks the stack
 * table calls first, so its progress bar does not stand still.
 */
export function buildStacks(p: Profile, onProgress?: StackProgress): void {
  BUILDS.get(p.samples)?.(onProgress);
}

/**
 * The flat location column of a decoded profile whose stack table has not been built, else
 * null (walk `samples.stack` and `stacks.prefix` instead). Keyed by the sample table, so a
 * profile edited into new samples never sees stale paths.
 */
export function samplePaths(p: Profile): SamplePaths | null {
  return PATHS.get(p.samples) ?? null;
}

/**
 * Makes `profile.stacks` and `profile.samples.stack` build themselves from `paths` the first
 * time a column of either is read; until then `samplePaths(profile)` returns the paths.
 * `profile.stacks` is an object whose columns are getters, so a copy of the profile
 * (`{ ...profile, dropFrames }`) shares it without building it.
 */
export function deferStacks(profile: Profile, paths: SamplePaths, nLocations: number): void {
  const samples = profile.samples;
  PATHS.set(samples, paths);
  const stacks = {} as StackTable;
  const build = (onProgress?: StackProgress): void => {
    const built = internPaths(paths, samples.length, nLocations, onProgress);
    PATHS.delete(samples);
    BUILDS.delete(samples);
    for (const k of ['length', 'frame', 'prefix'] as const) {
      Object.defineProperty(stacks, k, {
        value: built.stacks[k],
        writable: true,
        enumerable: true,
      });
    }
    Object.defineProperty(samples, 'stack', {
      value: built.sampleStack,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  };
  for (const k of ['length', 'frame', 'prefix'] as const) {
    Object.defineProperty(stacks, k, {
      get(): unknown {
        build();
        return stacks[k];
      },
      enumerable: true,
      configurable: true,
    });
  }
  Object.defineProperty(samples, 'stack', {
    get(): Int32Array {
      build();
      return samples.stack;
    },
    enumerable: true,
    configurable: true,
  });
  profile.stacks = stacks;
  BUILDS.set(samples, build);
}

/** The stack table of `paths` and each sample's leaf entry (-1 for an empty path). */
export function internPaths(
  paths: SamplePaths,
  nSamples: number,
  nLocations: number,
  onProgress?: StackProgress,
): { stacks: StackTable; sampleStack: Int32Array } {
  const { start, loc } = paths;
  // Entries are at most the frames, and at least the distinct locations in use: start from
  // the smaller of the frames and a few per sample; the interner grows by half beyond it.
  const frames = start[nSamples];
  const interner = new StackInterner(Math.min(frames, Math.max(nLocations, 4 * nSamples) + 64));
  const sampleStack = new Int32Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    if ((i & 0xffff) === 0 && onProgress && i > 0) onProgress(i, nSamples);
    sampleStack[i] = interner.internPath(loc, start[i], start[i + 1]);
  }
  return { stacks: interner.table(), sampleStack };
}

/**
 * Builds the stack table by interning (prefix, frame) pairs, so samples that share a call path
 * share its entries. Open addressing; a slot holds index + 1 and the keys are the entries
 * themselves ([frame, prefix] pairs, which become the table). The slot of an entry derives
 * from the hash of its whole path, root to frame, which spreads keys far better than mixing a
 * prefix index with a frame (measured: 3x fewer probe costs on a 1.1M-sample profile).
 */
export class StackInterner {
  /** The entries: frame and prefix of entry i. */
  private frame: Int32Array;
  private prefix: Int32Array;
  private n = 0;
  private slots: Int32Array;
  private mask: number;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.frame = new Int32Array(expected);
    this.prefix = new Int32Array(expected);
  }

  /** Entries so far. */
  get size(): number {
    return this.n;
  }

  /**
   * Writes the path of samples 0 .. count-1 (leaf stack entries in `sampleStack`), leaf first,
   * into `out` from start[i] on.
   */
  walkInto(sampleStack: Int32Array, count: number, start: Uint32Array, out: Int32Array): void {
    const frame = this.frame;
    const prefix = this.prefix;
    for (let i = 0; i < count; i++) {
      let j = start[i];
      for (let x = sampleStack[i]; x >= 0; x = prefix[x]) out[j++] = frame[x];
    }
  }

  /** Interns the path path[end-1] (root) .. path[start] (leaf); returns the leaf's stack. */
  internPath(path: Int32Array, start: number, end: number): number {
    const slots = this.slots;
    const frames = this.frame;
    const prefixes = this.prefix;
    const mask = this.mask;
    let stack = -1;
    let h = PATH_SEED;
    for (let k = end - 1; k >= start; k--) {
      const frame = path[k];
      h = pathHash(h, frame);
      let i = h & mask;
      for (;;) {
        const e = slots[i];
        if (e === 0) {
          // Not found: this entry and everything below it in the path are new.
          return this.addRest(path, start, k, stack, h);
        }
        if (frames[e - 1] === frame && prefixes[e - 1] === stack) {
          stack = e - 1;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    return stack;
  }

  /** Adds path[k] (under `prefix`, with path hash h) and the rest down to path[start]: all new. */
  private addRest(path: Int32Array, start: number, k: number, prefix: number, h: number): number {
    // Room for the whole rest of the path at once: growth is rare and never mid-path.
    const rest = k - start + 1;
    if (this.n + rest > this.frame.length) {
      // Grow by half: on a profile of mostly unique stacks the table is the largest thing in
      // memory, and doubling would leave up to half of it empty.
      const need = Math.max(this.n + rest, Math.ceil(this.frame.length * 1.5));
      const frame = new Int32Array(need);
      frame.set(this.frame);
      this.frame = frame;
      const prefix = new Int32Array(need);
      prefix.set(this.prefix);
      this.prefix = prefix;
    }
    for (;;) {
      const frame = path[k];
      if (this.n * 2 >= this.mask) this.rehash();
      const mask = this.mask;
      const slots = this.slots;
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      const idx = this.n++;
      this.frame[idx] = frame;
      this.prefix[idx] = prefix;
      slots[i] = idx + 1;
      prefix = idx;
      if (--k < start) return idx;
      h = pathHash(h, path[k]);
    }
  }

  private rehash(): void {
    const n = this.n;
    const frames = this.frame;
    const prefixes = this.prefix;
    const cap = (this.mask + 1) * 2;
    const mask = cap - 1;
    this.slots = new Int32Array(0); // let the old hash go before the new one is made
    const slots = new Int32Array(cap);
    // Path hashes, recomputed root-first: a prefix always comes before its entries.
    const hash = new Int32Array(n);
    for (let idx = 0; idx < n; idx++) {
      const prefix = prefixes[idx];
      const h = pathHash(prefix < 0 ? PATH_SEED : hash[prefix], frames[idx]);
      hash[idx] = h;
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = idx + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  table(): StackTable {
    const n = this.n;
    this.slots = new Int32Array(0); // let the hash go before the copies are made
    // One column at a time, so at most one spare copy is alive.
    const frame = this.frame.length === n ? this.frame : this.frame.slice(0, n);
    this.frame = frame;
    const prefix = this.prefix.length === n ? this.prefix : this.prefix.slice(0, n);
    this.prefix = prefix;
    return { length: n, frame, prefix };
  }
}

const PATH_SEED = 0x2545f491;

function pathHash(h: number, frame: number): number {
  h = Math.imul(h ^ frame, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Each sample's locations: the decoder's column when it is still there, else walked out of
 * the stack table (a new column, not kept).
 */
export function pathsOf(p: Profile): SamplePaths {
  const kept = samplePaths(p);
  if (kept) return kept;
  const { stack } = p.samples;
  const { prefix, frame } = p.stacks;
  const n = p.samples.length;
  const start = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    start[i] = total;
    for (let x = stack[i]; x >= 0; x = prefix[x]) total++;
  }
  start[n] = total;
  const loc = new Int32Array(total);
  for (let i = 0; i < n; i++) {
    let j = start[i];
    for (let x = stack[i]; x >= 0; x = prefix[x]) loc[j++] = frame[x];
  }
  return { start, loc };
}

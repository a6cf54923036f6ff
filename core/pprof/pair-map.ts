// An open-addressing hash map from a pair of int32 (a, b) to a dense id 0, 1, 2, ...
// It is the hot structure of tree building and re-stacking (key: parent, frame), so it
// keeps keys in typed arrays and never allocates per lookup.

const EMPTY = -1;

export class PairMap {
  /** Slot i is table[3i] = a, table[3i + 1] = b, table[3i + 2] = id (EMPTY when free). */
  private table: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.table = PairMap.emptyTable(cap);
    this.mask = cap - 1;
  }

  private static emptyTable(cap: number): Int32Array {
    const t = new Int32Array(cap * 3);
    for (let i = 2; i < t.length; i += 3) t[i] = EMPTY;
    return t;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h;
  }

  /** The id of (a, b), or -1. */
  get(a: number, b: number): number {
    const t = this.table;
    let i = PairMap.hash(a, b) & this.mask;
    for (;;) {
      const j = i * 3;
      const v = t[j + 2];
      if (v === EMPTY) return -1;
      if (t[j] === a && t[j + 1] === b) return v;
      i = (i + 1) & this.mask;
    }
  }

  /** The id of (a, b), adding it with id `size` when absent. */
  intern(a: number, b: number): number {
    const t = this.table;
    let i = PairMap.hash(a, b) & this.mask;
    let j: number;
    for (;;) {
      j = i * 3;
      const v = t[j + 2];
      if (v === EMPTY) break;
      if (t[j] === a && t[j + 1] === b) return v;
      i = (i + 1) & this.mask;
    }
    const id = this.size++;
    t[j] = a;
    t[j + 1] = b;
    t[j + 2] = id;
    if (this.size * 2 > this.mask + 1) this.grow();
    return id;
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const t = PairMap.emptyTable(cap);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 3) {
      if (old[j + 2] === EMPTY) continue;
      let i = PairMap.hash(old[j], old[j + 1]) & mask;
      while (t[i * 3 + 2] !== EMPTY) i = (i + 1) & mask;
      t[i * 3] = old[j];
      t[i * 3 + 1] = old[j + 1];
      t[i * 3 + 2] = old[j + 2];
    }
    this.table = t;
    this.mask = mask;
  }
}

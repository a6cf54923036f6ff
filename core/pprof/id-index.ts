// Maps a profile's own 64-bit ids (mapping, function, location) to table rows. Ids are
// usually 1..N (Go writes them so), which a flat array serves; sparse or huge ids fall back
// to a hash map. Ids beyond 2^53 cannot be told apart as numbers, so they are keyed by their
// exact decimal text instead.

export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

export type IdProblem =
  { kind: 'zero'; row: number } | { kind: 'duplicate'; row: number; first: number };

export class IdIndex {
  /** row + 1 by id, for dense ids; 0 means undefined. Null when the map is used. */
  readonly dense: Int32Array | null;
  /** True when row i has id i + 1, as Go writes tables: then the row is id - 1. */
  readonly identity: boolean;
  private readonly sparse: Map<number | string, number> | null;

  /**
   * @param ids the id of each row (rounded beyond 2^53)
   * @param exact the exact text of the ids beyond 2^53, by row
   * @param onProblem called for id 0 or a duplicate id; must throw
   */
  constructor(
    ids: ArrayLike<number>,
    exact: Map<number, string> | null,
    onProblem: (p: IdProblem) => never,
  ) {
    const n = ids.length;
    let max = 0;
    let identity = true;
    for (let i = 0; i < n; i++) {
      if (ids[i] > max) max = ids[i];
      if (ids[i] !== i + 1) identity = false;
    }
    this.identity = identity;
    if (max <= 4 * n + 1024 && exact === null) {
      const dense = new Int32Array(max + 1);
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        if (id === 0) onProblem({ kind: 'zero', row: i });
        if (dense[id] !== 0) onProblem({ kind: 'duplicate', row: i, first: dense[id] - 1 });
        dense[id] = i + 1;
      }
      this.dense = dense;
      this.sparse = null;
    } else {
      const sparse = new Map<number | string, number>();
      for (let i = 0; i < n; i++) {
        const key = exact?.get(i) ?? ids[i];
        if (key === 0) onProblem({ kind: 'zero', row: i });
        const first = sparse.get(key);
        if (first !== undefined) onProblem({ kind: 'duplicate', row: i, first });
        sparse.set(key, i);
      }
      this.dense = null;
      this.sparse = sparse;
    }
  }

  /** Row of `id` (an exact number, or the exact text of an id beyond 2^53), -1 if none. */
  get(id: number | string): number {
    if (this.dense !== null) {
      return typeof id === 'number' && id < this.dense.length ? this.dense[id] - 1 : -1;
    }
    return this.sparse!.get(id) ?? -1;
  }
}

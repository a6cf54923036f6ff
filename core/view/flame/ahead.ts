// Zoom ahead: once a flame pane has been still for a moment, it asks for the frames a click
// would zoom to (the widest frames on screen, and the whole graph for Esc) and keeps them
// here, pixels included, so a click draws in the next animation frame with no round trip.
// Kept: a few answers, bounded in count and in bytes (an answer holds its pixels), oldest
// out first. A generation number stops a round that a newer frame made pointless.

/** Bytes an answer holds: its typed-array fields, and theirs one level down (its pixels). */
export function answerBytes(a: object): number {
  let n = 0;
  for (const v of Object.values(a)) {
    if (ArrayBuffer.isView(v)) n += v.byteLength;
    else if (v && typeof v === 'object') {
      for (const u of Object.values(v)) if (ArrayBuffer.isView(u)) n += u.byteLength;
    }
  }
  return n;
}

export class AheadCache<T extends object> {
  private readonly kept = new Map<string, T>();
  private bytesKept = 0;
  private gen = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.kept.size;
  }

  get bytes(): number {
    return this.bytesKept;
  }

  /** The current round; a round whose number is no longer current keeps nothing. */
  get generation(): number {
    return this.gen;
  }

  /** Starts a new round (the view changed): answers of older rounds are not kept. */
  nextRound(): number {
    return ++this.gen;
  }

  has(key: string): boolean {
    return this.kept.has(key);
  }

  /** The answer for `key`, removed from the cache (it is drawn once). */
  take(key: string): T | undefined {
    const a = this.kept.get(key);
    if (a === undefined) return undefined;
    this.kept.delete(key);
    this.bytesKept -= answerBytes(a);
    return a;
  }

  /** Keeps `a` if round `gen` is still current; drops the oldest beyond the bounds. */
  put(gen: number, key: string, a: T): boolean {
    if (gen !== this.gen) return false;
    this.take(key);
    this.kept.set(key, a);
    this.bytesKept += answerBytes(a);
    for (const [k] of this.kept) {
      if (this.kept.size <= this.maxEntries && this.bytesKept <= this.maxBytes) break;
      this.take(k);
    }
    return true;
  }

  /** Forgets every answer (new tree, search or theme) and ends the running round. */
  clear(): void {
    this.gen++;
    this.kept.clear();
    this.bytesKept = 0;
  }
}

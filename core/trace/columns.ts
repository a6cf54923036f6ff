// Growable typed-array columns used while a trace is read.
//
// Small tables double their arrays as they grow. The goroutine-transition table, which holds
// most of a trace's events, fills fixed-size blocks instead and is joined once at the end, so
// it is never copied while growing (doubling would briefly need 3x its size).
import {
  TIME_CHUNK,
  TIME_CHUNK_SHIFT,
  type GoTransitionTable,
  type IndexArray,
  type TimeColumn,
} from './model';

type Typed = Float64Array | Int32Array | Uint8Array;

class Col<T extends Typed> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(16);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }

  /** The values, trimmed to length (a copy). */
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export class F64Col extends Col<Float64Array> {
  constructor() {
    super((n) => new Float64Array(n));
  }
}

export class I32Col extends Col<Int32Array> {
  constructor() {
    super((n) => new Int32Array(n));
  }
}

export class U8Col extends Col<Uint8Array> {
  constructor() {
    super((n) => new Uint8Array(n));
  }
}

/** A set of columns that grow and truncate together. */
export class ColumnGroup {
  length = 0;
  constructor(private readonly cols: Col<Typed>[]) {}

  /** Call once per row after pushing every column. */
  row(): void {
    this.length++;
  }

  truncate(n: number): void {
    this.length = n;
    for (const c of this.cols) c.length = n;
  }
}

const BLOCK = 1 << 16;
const TWO_32 = 4294967296;
const INT16_MAX = 32767;
const INT16_MIN = -32768;

/**
 * The goroutine-transition table under construction. Rows go into blocks; when the caller
 * knows an upper bound on the row count (parseTrace counts it in a quick pass), the first block
 * has that size and the finished table is a view of it, with no copy at all. Otherwise blocks
 * of 65536 rows are joined once at the end.
 */
export class TransitionStore {
  length = 0;
  private timeBase: number[] = [];
  private wide: (Float64Array | undefined)[] = [];
  private starts: number[] = [];
  private offsets: Uint32Array[] = [];
  private goroutines: IndexArray[] = [];
  private states: Uint8Array[] = [];
  private aux: IndexArray[] = [];
  private stacks: IndexArray[] = [];
  // Index columns start as Int16Array and switch to Int32Array the first time a value needs it.
  private gWide = false;
  private auxWide = false;
  private stackWide = false;
  private curOffset: Uint32Array = new Uint32Array(0);
  private curG: IndexArray = new Int16Array(0);
  private curStates: Uint8Array = new Uint8Array(0);
  private curAux: IndexArray = new Int16Array(0);
  private curStack: IndexArray = new Int16Array(0);
  private curStart = 0;
  private curEnd = 0;
  private curBase = 0;
  private curWide: Float64Array | undefined = undefined;
  private firstBlock = BLOCK;

  /** Sets the expected maximum number of rows; call before the first add(). */
  reserve(capacity: number): void {
    if (this.starts.length === 0) this.firstBlock = Math.max(BLOCK, Math.ceil(capacity));
  }

  add(time: number, g: number, states: number, aux: number, stack: number): void {
    const i = this.length;
    if (i === this.curEnd) this.newBlock(i);
    const j = i - this.curStart;
    if ((i & (TIME_CHUNK - 1)) === 0) {
      this.curBase = time;
      this.timeBase.push(time);
      this.curWide = undefined;
      this.wide.push(undefined);
    }
    if (this.curWide !== undefined) {
      this.curWide[i & (TIME_CHUNK - 1)] = time;
    } else {
      const off = time - this.curBase;
      if (off < TWO_32) this.curOffset[j] = off;
      else this.widen(i, time);
    }
    if (g > INT16_MAX && !this.gWide) this.widenColumn(0);
    if ((aux > INT16_MAX || aux < INT16_MIN) && !this.auxWide) this.widenColumn(1);
    if (stack > INT16_MAX && !this.stackWide) this.widenColumn(2);
    this.curG[j] = g;
    this.curStates[j] = states;
    this.curAux[j] = aux;
    this.curStack[j] = stack;
    this.length = i + 1;
  }

  /** Moves one index column (0 goroutine, 1 aux, 2 stack) to 32-bit values. */
  private widenColumn(col: number): void {
    const list = col === 0 ? this.goroutines : col === 1 ? this.aux : this.stacks;
    for (let b = 0; b < list.length; b++) {
      const w = new Int32Array(list[b].length);
      // Copy only the filled rows: the rest of a reserved block stays untouched (not resident).
      w.set(
        list[b].subarray(0, Math.max(0, Math.min(list[b].length, this.length - this.starts[b]))),
      );
      list[b] = w;
    }
    if (col === 0) this.gWide = true;
    else if (col === 1) this.auxWide = true;
    else this.stackWide = true;
    if (this.starts.length > 0) {
      let cur = this.starts.length - 1;
      while (this.starts[cur] > this.curStart) cur--;
      this.select(cur);
    }
  }

  private select(b: number): void {
    this.curStart = this.starts[b];
    this.curEnd = this.curStart + this.offsets[b].length;
    this.curOffset = this.offsets[b];
    this.curG = this.goroutines[b];
    this.curStates = this.states[b];
    this.curAux = this.aux[b];
    this.curStack = this.stacks[b];
  }

  private newBlock(i: number): void {
    const n = this.starts.length === 0 ? this.firstBlock : BLOCK;
    this.starts.push(i);
    this.offsets.push(new Uint32Array(n));
    this.goroutines.push(this.gWide ? new Int32Array(n) : new Int16Array(n));
    this.states.push(new Uint8Array(n));
    this.aux.push(this.auxWide ? new Int32Array(n) : new Int16Array(n));
    this.stacks.push(this.stackWide ? new Int32Array(n) : new Int16Array(n));
    this.select(this.starts.length - 1);
  }

  private offsetAt(r: number): number {
    let b = this.starts.length - 1;
    while (this.starts[b] > r) b--;
    return this.offsets[b][r - this.starts[b]];
  }

  /** This 4096-row chunk spans more than 2^32 ns: keep its times as doubles. */
  private widen(i: number, time: number): void {
    const chunkStart = i & ~(TIME_CHUNK - 1);
    const w = new Float64Array(TIME_CHUNK);
    for (let r = chunkStart; r < i; r++) w[r - chunkStart] = this.curBase + this.offsetAt(r);
    w[i - chunkStart] = time;
    this.curWide = w;
    this.wide[this.wide.length - 1] = w;
  }

  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = n;
    const chunks = (n + TIME_CHUNK - 1) >>> TIME_CHUNK_SHIFT;
    this.timeBase.length = chunks;
    this.wide.length = chunks;
    let keep = 0;
    while (keep < this.starts.length && this.starts[keep] < n) keep++;
    for (const list of [
      this.starts,
      this.offsets,
      this.goroutines,
      this.states,
      this.aux,
      this.stacks,
    ] as unknown[][]) {
      list.length = keep;
    }
    if (keep > 0) {
      this.select(keep - 1);
      this.curBase = this.timeBase[chunks - 1];
      this.curWide = this.wide[chunks - 1];
    } else {
      this.curStart = this.curEnd = 0;
    }
  }

  /**
   * The finished table. With a single block its arrays are views of it (no copy); otherwise
   * the blocks are joined one column at a time.
   */
  finish(): GoTransitionTable {
    const n = this.length;
    const starts = this.starts;
    function join<T extends Uint32Array | Int32Array | Int16Array | Uint8Array>(
      blocks: T[],
      make: (k: number) => T,
    ): T {
      if (blocks.length === 1) return blocks[0].subarray(0, n) as T;
      const out = make(n);
      for (let b = 0; b < blocks.length; b++) {
        const from = starts[b];
        const count = Math.min(blocks[b].length, n - from);
        if (count <= 0) break;
        out.set(blocks[b].subarray(0, count), from);
      }
      blocks.length = 0;
      return out;
    }
    const index = (blocks: IndexArray[], wide: boolean): IndexArray =>
      wide
        ? join(blocks as Int32Array[], (k) => new Int32Array(k))
        : join(blocks as Int16Array[], (k) => new Int16Array(k));
    const time: TimeColumn = {
      length: n,
      base: Float64Array.from(this.timeBase),
      offset: join(this.offsets, (k) => new Uint32Array(k)),
      wide: this.wide.slice(),
    };
    return {
      length: n,
      time,
      goroutine: index(this.goroutines, this.gWide),
      states: join(this.states, (k) => new Uint8Array(k)),
      aux: index(this.aux, this.auxWide),
      stack: index(this.stacks, this.stackWide),
    };
  }
}

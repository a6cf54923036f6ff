// One generation of a trace: its batches grouped by thread, and its decoded string table,
// stack table, CPU samples and clock data. IDs in these tables mean something only inside
// their generation.
import { TraceError } from './errors';
import { sortLikeGo } from './pdqsort';
import {
  EvCPUSample,
  EvCPUSamples,
  EvClockSnapshot,
  EvFrequency,
  EvStack,
  EvStacks,
  EvString,
  EvStrings,
  EvSync,
  MAX_FRAMES_PER_STACK,
  MAX_STRING_SIZE,
} from './spec';
import { toInt64, uvarint, varintEnd } from './varint';

/** One batch of timed events written by thread `m`; its data is buf[start, end). */
export interface EventBatch {
  time: number;
  start: number;
  end: number;
}

export interface Frame {
  pc: number;
  funcId: number;
  fileId: number;
  line: number;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A table of values keyed by generation-local ids. Id 0 always exists and means "none" (the
 * empty string, the empty stack), as in Go's reader; inserting id 0 or an id twice is an error.
 */
export class IdTable<T> {
  private dense: (T | undefined)[] | null = null;
  /** present[id] = 1 for ids in the dense array (id 0 included): the fast membership test. */
  private present: Uint8Array = new Uint8Array(0);
  private sparse: Map<number, T> = new Map();

  insert(id: number, value: T, what: string, offset: number): void {
    if (id === 0 || this.sparse.has(id)) {
      throw new TraceError(
        'malformed',
        `two ${what}s with the same id ${id} in one generation`,
        offset,
      );
    }
    this.sparse.set(id, value);
  }

  /** Moves ids into an array when they are dense enough (lookups by index are much faster). */
  compact(): void {
    let max = 0;
    for (const id of this.sparse.keys()) if (id > max) max = id;
    if (max <= 2 * this.sparse.size + 64) {
      const dense = new Array<T | undefined>(max + 1);
      const present = new Uint8Array(max + 1);
      present[0] = 1;
      for (const [id, v] of this.sparse) {
        dense[id] = v;
        present[id] = 1;
      }
      this.dense = dense;
      this.present = present;
      this.sparse = new Map();
    }
  }

  has(id: number): boolean {
    if (id < this.present.length) return this.present[id] === 1;
    if (id === 0) return true;
    return this.dense === null && this.sparse.has(id);
  }

  /** The value for id, undefined for id 0 and for unknown ids. */
  get(id: number): T | undefined {
    if (this.dense !== null) return this.dense[id];
    return this.sparse.get(id);
  }

  /** Length of the id-indexed array when ids are dense, 0 otherwise (sizes lookup caches). */
  denseLength(): number {
    return this.dense?.length ?? 0;
  }

  forEach(fn: (value: T, id: number) => void): void {
    if (this.dense !== null) {
      for (let i = 0; i < this.dense.length; i++) {
        const v = this.dense[i];
        if (v !== undefined) fn(v, i);
      }
    } else {
      for (const [id, v] of this.sparse) fn(v, id);
    }
  }
}

export class Generation {
  gen = 0;
  buf: Uint8Array;
  /** File offset of buf[0] (batch positions are indexes into buf). */
  fileBase: number;
  /** Byte range of the generation in the file (for progress and error offsets). */
  fileStart: number;
  fileEnd = 0;
  /** Threads in the order their first event batch appeared. */
  threads: number[] = [];
  batches = new Map<number, EventBatch[]>();
  /** True once an event batch (not only tables) was seen: Go's "incomplete generation" test. */
  hasEventBatches = false;
  minTs = 0;
  /** Nanoseconds per tick. */
  freq = 0;
  hasClockSnapshot = false;
  snapTime = 0;
  snapMono = 0;
  snapSec = 0;
  snapNsec = 0;
  /** The clock snapshot's trace time in ns since the trace's first event (set by the reader). */
  snapshotRel = NaN;
  experimentalBatches = 0;
  strings = new IdTable<string>();
  stacks = new IdTable<number[]>();
  /** Frames keyed by PC; the first frame seen for a PC wins. */
  frames = new Map<number, Frame>();
  /** CPU samples, sorted by time once the generation is complete. */
  sampleTime: number[] = [];
  sampleM: number[] = [];
  sampleP: number[] = [];
  sampleG: number[] = [];
  sampleStack: number[] = [];
  /** Sample indexes in time order (after finish()). */
  sampleOrder: number[] = [];

  constructor(buf: Uint8Array, fileBase: number, fileStart: number) {
    this.buf = buf;
    this.fileBase = fileBase;
    this.fileStart = fileStart;
  }

  /** Adds one batch (everything after its header is buf[start, end)). */
  addBatch(
    m: number,
    time: number,
    start: number,
    end: number,
    experiment: number,
    minor: number,
  ): void {
    const buf = this.buf;
    if (experiment !== 0) {
      this.experimentalBatches++;
      return;
    }
    const first = start < end ? buf[start] : -1;
    if (first === EvStrings) this.readStrings(start, end);
    else if (first === EvStacks) this.readStacks(start, end);
    else if (first === EvCPUSamples) this.readSamples(start, end);
    else if ((first === EvFrequency && minor < 25) || (first === EvSync && minor >= 25)) {
      this.readSync(time, start, end, minor);
    } else {
      let list = this.batches.get(m);
      if (list === undefined) {
        list = [];
        this.batches.set(m, list);
        this.threads.push(m);
      }
      list.push({ time, start, end });
      this.hasEventBatches = true;
    }
  }

  private fail(what: string, at: number): never {
    throw new TraceError(
      'malformed',
      `${what} (at byte ${this.fileBase + at})`,
      this.fileBase + at,
    );
  }

  private num(pos: number, end: number, what: string): number {
    const v = uvarint(this.buf, pos, end);
    if (varintEnd < 0) this.fail(`${what}: bad or cut-off number in the batch`, pos);
    return v;
  }

  private readStrings(start: number, end: number): void {
    const buf = this.buf;
    let p = start + 1;
    while (p < end) {
      const at = p;
      if (buf[p] !== EvString)
        this.fail(`expected a string in the string table, found event type ${buf[p]}`, p);
      const id = this.num(p + 1, end, 'string id');
      p = varintEnd;
      const len = this.num(p, end, 'string length');
      p = varintEnd;
      if (len > MAX_STRING_SIZE)
        this.fail(`string of ${len} bytes is longer than the maximum ${MAX_STRING_SIZE}`, at);
      if (p + len > end) this.fail(`string runs past the end of its batch`, at);
      this.strings.insert(id, utf8.decode(buf.subarray(p, p + len)), 'string', at);
      p += len;
    }
  }

  private readStacks(start: number, end: number): void {
    const buf = this.buf;
    let p = start + 1;
    while (p < end) {
      const at = p;
      if (buf[p] !== EvStack)
        this.fail(`expected a stack in the stack table, found event type ${buf[p]}`, p);
      const id = this.num(p + 1, end, 'stack id');
      p = varintEnd;
      const n = this.num(p, end, 'stack size');
      p = varintEnd;
      if (n > MAX_FRAMES_PER_STACK)
        this.fail(`stack of ${n} frames is deeper than the maximum ${MAX_FRAMES_PER_STACK}`, at);
      const pcs: number[] = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        const pc = this.num(p, end, 'frame PC');
        const funcId = this.num(varintEnd, end, 'frame function');
        const fileId = this.num(varintEnd, end, 'frame file');
        const line = this.num(varintEnd, end, 'frame line');
        p = varintEnd;
        pcs[i] = pc;
        if (!this.frames.has(pc)) this.frames.set(pc, { pc, funcId, fileId, line });
      }
      this.stacks.insert(id, pcs, 'stack', at);
    }
  }

  private readSamples(start: number, end: number): void {
    const buf = this.buf;
    let p = start + 1;
    while (p < end) {
      if (buf[p] !== EvCPUSample) this.fail(`expected a CPU sample, found event type ${buf[p]}`, p);
      const ts = this.num(p + 1, end, 'sample time');
      const m = this.num(varintEnd, end, 'sample thread');
      const pr = this.num(varintEnd, end, 'sample P');
      const g = this.num(varintEnd, end, 'sample goroutine');
      const stk = this.num(varintEnd, end, 'sample stack');
      p = varintEnd;
      this.sampleTime.push(ts);
      this.sampleM.push(toInt64(m));
      this.sampleP.push(toInt64(pr));
      this.sampleG.push(g === 0 ? -1 : toInt64(g));
      this.sampleStack.push(stk);
    }
  }

  private readSync(time: number, start: number, end: number, minor: number): void {
    const buf = this.buf;
    let p = start;
    if (minor >= 25) p++; // the EvSync byte
    let lastTs = time;
    while (p < end) {
      const ev = buf[p];
      const at = p;
      if (ev === EvFrequency) {
        if (this.freq !== 0) this.fail('two frequency events in one generation', at);
        const f = this.num(p + 1, end, 'frequency');
        p = varintEnd;
        if (f === 0) this.fail('the trace clock frequency is 0 ticks per second', at);
        this.freq = 1.0 / (f / 1e9);
      } else if (ev === EvClockSnapshot && minor >= 25) {
        if (this.hasClockSnapshot) this.fail('two clock snapshots in one generation', at);
        this.hasClockSnapshot = true;
        lastTs += this.num(p + 1, end, 'clock snapshot time');
        this.snapTime = lastTs;
        this.snapMono = this.num(varintEnd, end, 'clock snapshot mono');
        this.snapSec = this.num(varintEnd, end, 'clock snapshot seconds');
        this.snapNsec = this.num(varintEnd, end, 'clock snapshot nanoseconds');
        p = varintEnd;
      } else {
        this.fail(`expected a frequency or clock snapshot event, found event type ${ev}`, at);
      }
    }
  }

  /** Checks the generation's invariants and prepares its tables (Go's readGeneration tail). */
  finish(minor: number): void {
    if (this.freq === 0)
      throw new TraceError(
        'malformed',
        `generation ${this.gen} has no frequency event`,
        this.fileStart,
      );
    if (minor >= 25 && !this.hasClockSnapshot) {
      throw new TraceError(
        'malformed',
        `generation ${this.gen} has no clock snapshot`,
        this.fileStart,
      );
    }
    this.stacks.compact();
    this.strings.compact();
    this.stacks.forEach((pcs, id) => {
      for (const pc of pcs) {
        const f = this.frames.get(pc)!;
        if (!this.strings.has(f.funcId)) {
          throw new TraceError(
            'malformed',
            `stack ${id} names function string ${f.funcId}, which is not in the string table`,
            this.fileStart,
          );
        }
        if (!this.strings.has(f.fileId)) {
          throw new TraceError(
            'malformed',
            `stack ${id} names file string ${f.fileId}, which is not in the string table`,
            this.fileStart,
          );
        }
      }
    });
    const freq = this.freq;
    const times = this.sampleTime;
    for (let i = 0; i < times.length; i++) times[i] = Math.trunc(times[i] * freq);
    const order = times.map((_, i) => i);
    sortLikeGo(order, (a, b) => times[a] - times[b]);
    this.sampleOrder = order;
  }
}

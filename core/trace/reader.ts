// The trace reader: splits the byte stream into generations, merges the per-thread event
// streams in Go's order and hands every event to a sink. It re-implements the algorithm of
// Go's src/internal/trace/reader.go (frontier heap, CPU sample injection, strictly increasing
// timestamps, Sync events), so the sequence of events and their times equal Go's.
//
// Input arrives in chunks (push) so a Worker can feed a file piece by piece; only the bytes of
// the generation being read are kept.
import { TraceError } from './errors';
import { RawEvent, type EventSink } from './event';
import { Generation, type EventBatch } from './generation';
import { HEADER_SIZE, parseHeader } from './header';
import { MState, Ordering } from './order';
import { sortLikeGo } from './pdqsort';
import {
  ARG_COUNT,
  EvCPUSample,
  EvEndOfGeneration,
  EvEventBatch,
  EvExperimentalBatch,
  EvSyncEvent,
  MAX_BATCH_SIZE,
  NONE,
  NUM_SPECS,
  STACK_ARG_BITS,
  STRING_ARG_BITS,
  eventName,
} from './spec';
import { toInt64, uvarint, varintEnd } from './varint';

export interface ReaderOptions {
  /** Called now and then with the bytes read so far and the total (0 when unknown). */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** The file size, for progress reports. */
  totalBytes?: number;
}

class Cursor {
  readonly ev = new RawEvent();
  idx = 0;
  pos = 0;
  end = 0;
  lastTs = 0;
  ms: MState | null | undefined = undefined;
  constructor(
    readonly m: number,
    readonly batches: EventBatch[],
  ) {}
}

const MAX_TIME = Number.MAX_VALUE;
const PROGRESS_EVERY = 1 << 20;

export class TraceReader {
  private readonly sink: EventSink;
  private readonly onProgress: ((done: number, total: number) => void) | undefined;
  private readonly total: number;

  // Pending input: buf[start, len) holds file bytes starting at file offset `offset`.
  private buf: Uint8Array = new Uint8Array(0);
  private len = 0;
  private owned = false;
  private offset = 0;
  private start = 0;
  private ended = false;

  private minor = 0;
  private headerRead = false;
  private readonly order: Ordering;
  private curGen: Generation | null = null;
  private base = NaN;
  private lastTs = 0;
  private syncs = 0;
  private done = false;
  /** A read error found after the generation that is being processed (Go's spillErr). */
  private pendingError: TraceError | null = null;
  private gensRead = 0;
  private events = 0;
  private progressMark = 0;

  // The generation being merged.
  private gen: Generation | null = null;
  private frontier: Cursor[] = [];
  private sampleNext = 0;
  private readonly sampleEv = new RawEvent();
  private readonly syncEv = new RawEvent();

  constructor(sink: EventSink, options: ReaderOptions = {}) {
    this.sink = sink;
    this.order = new Ordering(this);
    this.onProgress = options.onProgress;
    this.total = options.totalBytes ?? 0;
  }

  get goVersion(): string {
    return this.minor > 0 ? `1.${this.minor}` : '';
  }

  get generations(): number {
    return this.gensRead;
  }

  get eventCount(): number {
    return this.events;
  }

  /** Adds bytes and reads every generation they complete. Throws TraceError on bad input. */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('TraceReader.push after end');
    if (this.done) return;
    this.append(chunk);
    this.pump();
  }

  /** Marks the end of input and reads what is left. Throws TraceError on bad input. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.done) this.pump();
    this.report(this.offset + this.len - this.start);
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const pending = this.len - this.start;
    if (pending === 0) {
      // Borrow the caller's bytes; whatever is left unread is copied before push returns.
      this.buf = chunk;
      this.start = 0;
      this.len = chunk.length;
      this.owned = false;
      return;
    }
    if (!this.owned || this.buf.length - this.len < chunk.length) {
      const grown = new Uint8Array(Math.max(pending + chunk.length, 2 * pending));
      grown.set(this.buf.subarray(this.start, this.len));
      this.buf = grown;
      this.start = 0;
      this.len = pending;
      this.owned = true;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** Marks the next n pending bytes as read. */
  private consume(n: number): void {
    this.offset += n;
    this.start += n;
  }

  /** Keeps a private copy of unread bytes that still belong to the caller. */
  private keepRest(): void {
    if (this.owned || this.start === this.len) return;
    // An explicit copy: Node's Buffer.slice would return a view of the caller's bytes.
    const copy = new Uint8Array(this.len - this.start);
    copy.set(this.buf.subarray(this.start, this.len));
    this.buf = copy;
    this.len -= this.start;
    this.start = 0;
    this.owned = true;
  }

  private pump(): void {
    try {
      this.pumpInner();
    } catch (err) {
      this.done = true;
      throw err;
    }
  }

  private pumpInner(): void {
    if (!this.headerRead) {
      if (this.len - this.start < HEADER_SIZE && !this.ended) return;
      const h = parseHeader(this.buf.subarray(this.start, this.len));
      this.minor = h.minor;
      this.headerRead = true;
      this.consume(HEADER_SIZE);
    }
    while (!this.done) {
      if (!this.nextGeneration()) break;
    }
    if (!this.done) this.keepRest();
  }

  /** Reads and merges one generation; false when more input is needed. */
  private nextGeneration(): boolean {
    if (this.pendingError !== null) {
      // Go emits a Sync for what was read, then reports the error.
      this.emitSync();
      this.done = true;
      throw this.pendingError;
    }
    const scan = this.scan();
    if (scan === null) return false;
    if (scan.error !== null && scan.gen === null) {
      this.emitSync();
      this.done = true;
      throw scan.error;
    }
    const gen = scan.gen;
    if (gen === null) {
      // No more generations: the final Sync.
      this.emitSync();
      this.done = true;
      return false;
    }
    this.pendingError = scan.error;
    this.merge(gen);
    this.consume(scan.next - this.start);
    this.gensRead++;
    this.report(this.offset);
    return true;
  }

  /**
   * Finds the next generation in the pending bytes. Returns null when more input is needed,
   * {gen: null, error: null} at a clean end, {gen: null, error} when nothing can be read, and
   * {gen, error} when a generation was read but the bytes after it are broken (pre-1.26 rule).
   *
   * Batch headers are scanned first (cheap, and repeated when input arrives in pieces); the
   * batches are decoded only once the generation is known to be complete.
   */
  private scan(): { gen: Generation | null; error: TraceError | null; next: number } | null {
    const buf = this.buf;
    const len = this.len;
    const eof = this.ended;
    const v126 = this.minor >= 26;
    const fileBase = this.offset - this.start;
    const at = (pos: number): number => fileBase + pos;
    // Batches of this generation: [m, time, dataStart, dataEnd, experiment] per batch.
    const found: number[] = [];
    let p = this.start;
    let genNum = 0;
    // How the generation ends: 'complete', or a read error (pre-1.26: kept after the
    // generation), or a structural error (nothing of the generation is kept).
    let readErr: TraceError | null = null;
    let fatal: TraceError | null = null;
    let endsAtEof = false;
    for (;;) {
      if (p >= len) {
        if (!eof) return null;
        endsAtEof = true;
        break;
      }
      const kind = buf[p];
      if (kind === EvEndOfGeneration) {
        if (!v126) {
          fatal = new TraceError(
            'malformed',
            `invalid generation number 0 at byte ${at(p)}`,
            at(p),
          );
          break;
        }
        p += 1;
        break;
      }
      if (kind !== EvEventBatch && kind !== EvExperimentalBatch) {
        readErr = new TraceError(
          'malformed',
          `expected a batch, found event type ${kind} at byte ${at(p)}`,
          at(p),
        );
        break;
      }
      let q = p + 1;
      let exp = 0;
      if (kind === EvExperimentalBatch) {
        if (q >= len) {
          if (!eof) return null;
          // Go's reader takes this as a clean end of file.
          p = q;
          endsAtEof = true;
          break;
        }
        exp = buf[q];
        q++;
      }
      let bgen = 0;
      let bm = 0;
      let btime = 0;
      let size = 0;
      let bad = 0;
      for (let i = 0; i < 4 && bad === 0; i++) {
        const v = uvarint(buf, q, len);
        if (varintEnd < 0) {
          bad = varintEnd;
          break;
        }
        q = varintEnd;
        if (i === 0) bgen = v;
        else if (i === 1) bm = v;
        else if (i === 2) btime = v;
        else size = v;
      }
      if (bad === -1) {
        if (!eof) return null;
        readErr = new TraceError(
          'truncated',
          `the trace ends inside a batch header at byte ${at(p)}: it was cut short`,
          at(p),
        );
        break;
      }
      if (bad === -2) {
        readErr = new TraceError(
          'malformed',
          `bad number in the batch header at byte ${at(p)}`,
          at(p),
        );
        break;
      }
      if (size > MAX_BATCH_SIZE) {
        readErr = new TraceError(
          'malformed',
          `invalid batch size ${size} at byte ${at(p)}, the maximum is ${MAX_BATCH_SIZE}`,
          at(p),
        );
        break;
      }
      if (q + size > len) {
        if (!eof) return null;
        readErr = new TraceError(
          'truncated',
          `the trace ends inside a batch at byte ${at(len)} (${q + size - len} bytes missing): it was cut short`,
          at(p),
        );
        break;
      }
      if (bgen === 0) {
        fatal = new TraceError('malformed', `invalid generation number 0 at byte ${at(p)}`, at(p));
        break;
      }
      if (genNum === 0) {
        genNum = bgen;
      } else if (bgen !== genNum) {
        if (!v126 && bgen === genNum + 1) break; // the next generation's first batch
        fatal = new TraceError(
          'malformed',
          v126
            ? `broken trace at byte ${at(p)}: missing end-of-generation event, or generations are interleaved`
            : `generations out of order at byte ${at(p)}`,
          at(p),
        );
        break;
      }
      found.push(toInt64(bm), btime, q, q + size, exp);
      p = q + size;
    }

    const g = new Generation(buf, fileBase, this.offset);
    g.gen = genNum;
    try {
      for (let i = 0; i < found.length; i += 5) {
        const time = found[i + 1];
        if (g.minTs === 0 || time < g.minTs) g.minTs = time;
        g.addBatch(found[i], time, found[i + 2], found[i + 3], found[i + 4], this.minor);
      }
    } catch (err) {
      if (err instanceof TraceError) return { gen: null, error: err, next: p };
      throw err;
    }
    if (fatal !== null) return { gen: null, error: fatal, next: p };
    if (readErr !== null) {
      // Before Go 1.26 a broken batch after the first one ends the generation, which is still
      // read: it may be the next generation's first batch that is broken.
      if (!v126 && genNum !== 0) return { gen: this.finishGen(g, p), error: readErr, next: p };
      return { gen: null, error: readErr, next: p };
    }
    if (endsAtEof) {
      if (v126) {
        if (g.hasEventBatches) {
          return {
            gen: null,
            error: new TraceError(
              'truncated',
              `the trace ends in the middle of generation ${genNum}: it was likely cut short`,
              at(p),
            ),
            next: p,
          };
        }
        return { gen: null, error: null, next: p };
      }
      if (found.length === 0 && this.gensRead > 0) return { gen: null, error: null, next: p };
    }
    return { gen: this.finishGen(g, p), error: null, next: p };
  }

  private finishGen(g: Generation, end: number): Generation {
    g.fileEnd = g.fileBase + end;
    try {
      g.finish(this.minor);
    } catch (err) {
      if (err instanceof TraceError) throw this.failAt(err);
      throw err;
    }
    return g;
  }

  /** A structural error while finishing a generation: Go emits a Sync first. */
  private failAt(err: TraceError): TraceError {
    this.emitSync();
    this.done = true;
    return err;
  }

  private ensureBase(abs: number): void {
    if (Number.isNaN(this.base)) {
      this.base = abs <= 0 ? 1 : abs;
      this.lastTs = -this.base;
    }
  }

  private emitSync(): void {
    this.ensureBase(0);
    const ev = this.syncEv;
    ev.type = EvSyncEvent;
    ev.time = this.lastTs;
    ev.g = NONE;
    ev.p = NONE;
    ev.m = NONE;
    ev.a0 = ++this.syncs;
    ev.a1 = ev.a2 = ev.a3 = ev.x0 = 0;
    ev.xs = '';
    this.gen = null;
    this.emit(ev, null);
  }

  /** Called by the ordering engine for each event it lets through. */
  ordered(ev: RawEvent): void {
    this.emit(ev, this.curGen);
  }

  private emit(ev: RawEvent, gen: Generation | null): void {
    if (gen !== null && ev.type !== EvSyncEvent) {
      const sb = STACK_ARG_BITS[ev.type];
      const tb = STRING_ARG_BITS[ev.type];
      if (sb !== 0 || tb !== 0) this.validateIds(ev, gen, sb, tb);
    }
    if (ev.time <= this.lastTs) ev.time = this.lastTs + 1;
    this.lastTs = ev.time;
    this.events++;
    this.sink.event(ev);
  }

  private validateIds(ev: RawEvent, gen: Generation, sb: number, tb: number): void {
    for (let i = 0; i < 4; i++) {
      const bit = 1 << i;
      if ((sb & bit) === 0 && (tb & bit) === 0) continue;
      const id = i === 0 ? ev.a0 : i === 1 ? ev.a1 : i === 2 ? ev.a2 : ev.a3;
      if ((sb & bit) !== 0 && !gen.stacks.has(id)) {
        throw new TraceError(
          'malformed',
          `found invalid stack ID ${id} for event ${eventName(ev.type)}`,
        );
      }
      if ((tb & bit) !== 0 && !gen.strings.has(id)) {
        throw new TraceError(
          'malformed',
          `found invalid string ID ${id} for event ${eventName(ev.type)}`,
        );
      }
    }
  }

  private report(done: number): void {
    if (this.onProgress) this.onProgress(done, this.total);
  }

  /** Installs a generation and emits all of its events in order. */
  private merge(gen: Generation): void {
    const freq = gen.freq;
    this.ensureBase(Math.trunc(gen.minTs * freq));
    const base = this.base;
    if (gen.hasClockSnapshot) gen.snapshotRel = Math.trunc(gen.snapTime * freq) - base;
    this.gen = gen;
    this.sampleNext = 0;
    const frontier: Cursor[] = [];
    this.frontier = frontier;
    for (const m of gen.threads) {
      const c = new Cursor(m, gen.batches.get(m)!);
      if (!this.first(c, gen, base)) continue;
      heapInsert(frontier, c);
    }
    this.sink.generation(gen);
    const sync = this.syncEv;
    sync.type = EvSyncEvent;
    sync.time = Math.trunc(gen.minTs * freq) - base;
    sync.g = sync.p = sync.m = NONE;
    sync.a0 = ++this.syncs;
    sync.a1 = sync.a2 = sync.a3 = sync.x0 = 0;
    sync.xs = '';
    this.emit(sync, gen);

    const samples = gen.sampleOrder;
    const sampleTime = gen.sampleTime;
    const genNum = gen.gen;
    const eventBytes = Math.max(1, gen.fileEnd - gen.fileStart);
    this.curGen = gen;
    for (;;) {
      const nf = frontier.length;
      if (nf === 0 && this.sampleNext >= samples.length) break;
      if (this.sampleNext < samples.length) {
        const si = samples[this.sampleNext];
        const st = sampleTime[si] - base;
        if (nf === 0 || st < frontier[0].ev.time) {
          this.sampleNext++;
          const ev = this.sampleEv;
          ev.type = EvCPUSample;
          ev.time = st;
          ev.g = gen.sampleG[si];
          ev.p = gen.sampleP[si];
          ev.m = gen.sampleM[si];
          ev.a0 = gen.sampleStack[si];
          ev.a1 = ev.a2 = ev.a3 = ev.x0 = 0;
          ev.xs = '';
          this.emit(ev, gen);
          continue;
        }
      }
      if (!this.tryAdvance(0, gen, genNum, base)) {
        sortLikeGo(frontier, compareCursors);
        let ok = false;
        for (let i = 1; i < frontier.length; i++) {
          if (this.tryAdvance(i, gen, genNum, base)) {
            ok = true;
            break;
          }
        }
        if (!ok) {
          throw new TraceError(
            'inconsistent',
            `broken trace: no thread's next event can happen next in generation ${genNum} (${frontier.length} threads waiting; ${this.order.describe()})`,
            gen.fileStart,
          );
        }
      }
      if (this.events >= this.progressMark) {
        this.progressMark = this.events + PROGRESS_EVERY;
        let left = 0;
        for (const c of frontier) {
          left += c.end - c.pos;
          for (let i = c.idx + 1; i < c.batches.length; i++)
            left += c.batches[i].end - c.batches[i].start;
        }
        this.report(gen.fileStart + Math.max(0, eventBytes - left));
      }
    }
    this.gen = null;
  }

  private tryAdvance(i: number, gen: Generation, genNum: number, base: number): boolean {
    const frontier = this.frontier;
    const c = frontier[i];
    let ms = c.ms;
    if (ms === undefined) {
      ms = c.m === NONE ? null : this.order.mState(c.m);
      c.ms = ms;
    }
    if (!this.order.advance(c.ev, c.m, ms, genNum, gen)) return false;
    if (this.next(c, gen, base)) heapUpdate(frontier, i);
    else heapRemove(frontier, i);
    return true;
  }

  /** Positions a new cursor on its first event. */
  private first(c: Cursor, gen: Generation, base: number): boolean {
    c.idx = -1;
    c.pos = 0;
    c.end = 0;
    return this.next(c, gen, base);
  }

  /** Reads the cursor's next event (Go's batchCursor.nextEvent). */
  private next(c: Cursor, gen: Generation, base: number): boolean {
    const freq = gen.freq;
    while (c.pos === c.end) {
      c.idx++;
      if (c.idx >= c.batches.length) return false;
      const b = c.batches[c.idx];
      c.pos = b.start;
      c.end = b.end;
      c.lastTs = Math.trunc(b.time * freq) - base;
    }
    const buf = gen.buf;
    const end = c.end;
    let p = c.pos;
    const ev = c.ev;
    const typ = buf[p];
    if (typ >= NUM_SPECS) throw this.badEvent(`found invalid event type ${typ}`, gen, p);
    const nargs = ARG_COUNT[typ];
    if (nargs < 0)
      throw this.badEvent(`found event without a timestamp: type ${eventName(typ)}`, gen, p);
    ev.type = typ;
    p++;
    // One-byte numbers are decoded inline: most deltas and arguments are small.
    let dt = p < end ? buf[p] : 0x80;
    if (dt < 0x80) p++;
    else {
      dt = uvarint(buf, p, end);
      p = varintEnd;
      if (p < 0) throw this.badEvent('found invalid number for a timestamp', gen, c.pos);
    }
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let k = 0; k < nargs; k++) {
      let v = p < end ? buf[p] : 0x80;
      if (v < 0x80) p++;
      else {
        v = uvarint(buf, p, end);
        p = varintEnd;
        if (p < 0) throw this.badEvent('found invalid number in an event', gen, c.pos);
      }
      if (k === 0) a0 = v;
      else if (k === 1) a1 = v;
      else if (k === 2) a2 = v;
      else a3 = v;
    }
    ev.a0 = a0;
    ev.a1 = a1;
    ev.a2 = a2;
    ev.a3 = a3;
    ev.x0 = 0;
    ev.xs = '';
    const t = Math.trunc(dt * freq) + c.lastTs;
    ev.time = t;
    c.lastTs = t;
    c.pos = p;
    return true;
  }

  private badEvent(msg: string, gen: Generation, pos: number): TraceError {
    const off = gen.fileBase + pos;
    return new TraceError('malformed', `${msg} at byte ${off}`, off);
  }
}

function compareCursors(a: Cursor, b: Cursor): number {
  const x = a.ev.time;
  const y = b.ev.time;
  return x < y ? -1 : x > y ? 1 : 0;
}

// The frontier min-heap, keyed by each cursor's next event time (Go's exact sift rules, so
// ties resolve the same way).
function heapInsert(h: Cursor[], c: Cursor): void {
  h.push(c);
  siftUp(h, h.length - 1);
}

function heapUpdate(h: Cursor[], i: number): void {
  if (siftUp(h, i) !== i) return;
  siftDown(h, i);
}

function heapRemove(h: Cursor[], i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const t = h[parent];
    h[parent] = h[i];
    h[i] = t;
    i = parent;
  }
  const last = h.length - 1;
  const t = h[0];
  h[0] = h[last];
  h[last] = t;
  h.pop();
  siftDown(h, 0);
}

function siftUp(h: Cursor[], i: number): number {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!(h[parent].ev.time > h[i].ev.time)) break;
    const t = h[parent];
    h[parent] = h[i];
    h[i] = t;
    i = parent;
  }
  return i;
}

function siftDown(h: Cursor[], i: number): void {
  for (;;) {
    const m = min3(h, i, 2 * i + 1, 2 * i + 2);
    if (m === i) return;
    const t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

function min3(h: Cursor[], i0: number, i1: number, i2: number): number {
  let minIdx = i0;
  let minT = MAX_TIME;
  if (i0 < h.length) minT = h[i0].ev.time;
  if (i1 < h.length) {
    const t = h[i1].ev.time;
    if (t < minT) {
      minT = t;
      minIdx = i1;
    }
  }
  if (i2 < h.length) {
    const t = h[i2].ev.time;
    if (t < minT) minIdx = i2;
  }
  return minIdx;
}

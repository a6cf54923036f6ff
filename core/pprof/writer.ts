// Protobuf wire format writing, with protobufjs/minimal's `Writer` (no eval: the app's CSP
// forbids it): varints, strings, and sub-messages as fork()/ldelim(). Numbers are JavaScript
// doubles holding 64-bit integers: exact up to 2^53, truncated toward zero like Go's int64().
// Values protobufjs would wrap silently (NaN, out of range, 2^64) are checked here first.
//
// The encoder's hot loop (packed location ids) writes into `buf` directly after `ensure`, as
// the decoder reads them: a call per varint costs there.

import { Writer, util, type Long } from 'protobufjs/minimal';
import { ProfileError } from './errors';

const TWO_32 = 4294967296;
const TWO_64 = 18446744073709551616;
const utf8 = new TextEncoder();

export class WireWriter {
  readonly writer: Writer;

  constructor(capacity = 1 << 16) {
    this.writer = Writer.create();
    this.writer.buf = this.alloc(capacity);
  }

  /** The buffer being written (replaced as it grows); valid up to `pos`. */
  get buf(): Uint8Array {
    return this.writer.buf;
  }

  get pos(): number {
    return this.writer.pos;
  }

  set pos(at: number) {
    this.writer.pos = at;
  }

  /** A buffer of the writer's own kind (a Node Buffer under Node, whose string writes need it). */
  private alloc(size: number): Uint8Array {
    return (this.writer.constructor as typeof Writer).alloc(size);
  }

  /** Room for `n` more bytes at `pos`. */
  ensure(n: number): void {
    const w = this.writer;
    if (w.pos + n <= w.buf.length) return;
    const grown = this.alloc(Math.max(w.pos + n, w.buf.length * 2));
    grown.set(w.buf.subarray(0, w.pos));
    w.buf = grown;
    w.view = null;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Uint8Array {
    return this.writer.finish(true);
  }

  tag(field: number, wireType: number): void {
    this.uint64(field * 8 + wireType);
  }

  /** Unsigned varint of a non-negative integer below 2^64. */
  uint64(v: number): void {
    if (v >= 0 && v < TWO_32) {
      // `>>> 0` in uint32 also drops a fraction.
      this.writer.uint32(v);
      return;
    }
    if (v === TWO_64) {
      // Only values within 1024 of 2^64 round to it: Go's all-ones sentinel is the one seen.
      this.long(0xffffffff, 0xffffffff);
      return;
    }
    if (!(v >= 0 && v < TWO_64)) {
      throw new ProfileError('invalid-value', `cannot encode ${v} as an unsigned 64-bit integer`);
    }
    // Exact: an integer double below 2^64 splits into 32-bit halves without rounding.
    this.writer.uint64(Math.trunc(v));
  }

  /** Signed varint (two's complement, 10 bytes when negative), truncating any fraction. */
  int64(v: number): void {
    if (v >= 0) {
      if (v >= 9223372036854775808) {
        throw new ProfileError('invalid-value', `cannot encode ${v} as a signed 64-bit integer`);
      }
      this.uint64(v);
      return;
    }
    if (!(v >= -9223372036854775808)) {
      throw new ProfileError('invalid-value', `cannot encode ${v} as a signed 64-bit integer`);
    }
    // Math.trunc(-0.5) is -0, which protobufjs writes as 0.
    this.writer.int64(Math.trunc(v));
  }

  /** An exact 64-bit value (wrapped to 64 bits, so negative values become two's complement). */
  big(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.long(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  /** Varint of the 64-bit value hi * 2^32 + lo (both unsigned 32-bit). */
  private long(lo: number, hi: number): void {
    const bits: Long = new util.LongBits(lo, hi).toLong(true);
    this.writer.uint64(bits);
  }

  /** `field` as a varint, omitted when zero (proto3 default). */
  optUint64(field: number, v: number): void {
    if (v !== 0) {
      this.tag(field, 0);
      this.uint64(v);
    }
  }

  optInt64(field: number, v: number): void {
    if (v !== 0 && Math.trunc(v) !== 0) {
      this.tag(field, 0);
      this.int64(v);
    }
  }

  /**
   * Starts a length-delimited field (protobufjs's fork: one byte reserved for the length);
   * returns where the length goes, for `endLength`.
   */
  beginLength(field: number): number {
    this.tag(field, 2);
    const at = this.writer.pos;
    this.writer.fork();
    return at;
  }

  /** Ends the field `beginLength` started (ldelim: the length is filled in, moving the payload). */
  endLength(at: number): void {
    const states = this.writer.states;
    if (states === null || states[states.length - 1] !== at) {
      throw new Error(`endLength(${at}) does not match the innermost beginLength`);
    }
    this.writer.ldelim();
  }

  string(field: number, s: string): void {
    this.tag(field, 2);
    const n = s.length;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        // TextEncoder writes a lone surrogate as U+FFFD, the same under Node and in a browser.
        this.writer.bytes(utf8.encode(s));
        return;
      }
    }
    this.writer.string(s);
  }
}

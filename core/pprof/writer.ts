// Protobuf wire format, written by hand into one growing buffer. Numbers are JavaScript
// doubles holding 64-bit integers: exact up to 2^53, truncated toward zero like Go's int64().

import { ProfileError } from './errors';

const TWO_32 = 4294967296;
const TWO_64 = 18446744073709551616;
const utf8 = new TextEncoder();

export class WireWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const need = this.pos + n;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  tag(field: number, wireType: number): void {
    this.uint64(field * 8 + wireType);
  }

  /** Unsigned varint of a non-negative integer below 2^64. */
  uint64(v: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    if (v >= 0 && v < 0x80000000) {
      // Integer fast path; `v | 0` also drops a fraction.
      let x = v | 0;
      while (x >= 0x80) {
        buf[pos++] = (x & 0x7f) | 0x80;
        x >>>= 7;
      }
      buf[pos++] = x;
      this.pos = pos;
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
    const t = Math.trunc(v);
    const hi = Math.floor(t / TWO_32);
    this.long(t - hi * TWO_32, hi);
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
    const m = -Math.trunc(v);
    if (m === 0) {
      this.uint64(0);
      return;
    }
    const mhi = Math.floor(m / TWO_32);
    const mlo = m - mhi * TWO_32;
    // Two's complement of (mhi, mlo) over 64 bits.
    const lo = (~mlo + 1) >>> 0;
    const hi = (~mhi + (mlo === 0 ? 1 : 0)) >>> 0;
    this.ensure(10);
    this.long(lo, hi);
  }

  /** An exact 64-bit value (wrapped to 64 bits, so negative values become two's complement). */
  big(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.long(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  /** Varint of the 64-bit value hi * 2^32 + lo (both unsigned 32-bit). */
  private long(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
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
   * Starts a length-delimited field: reserves one byte for the length, which `endLength`
   * fills in, moving the payload when the length needs more bytes.
   */
  beginLength(field: number): number {
    this.tag(field, 2);
    this.ensure(1);
    return this.pos++;
  }

  endLength(at: number): void {
    const len = this.pos - at - 1;
    if (len < 0x80) {
      this.buf[at] = len;
      return;
    }
    let extra = 0;
    for (let x = len >>> 7; x !== 0; x >>>= 7) extra++;
    this.ensure(extra);
    const buf = this.buf;
    buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    let x = len;
    let p = at;
    while (x >= 0x80) {
      buf[p++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    buf[p] = x;
    this.pos += extra;
  }

  string(field: number, s: string): void {
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    this.tag(field, 2);
    if (ascii) {
      this.uint64(n);
      this.ensure(n);
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
      return;
    }
    const bytes = utf8.encode(s);
    this.uint64(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}

// Protobuf wire format, read by hand: direct byte access instead of a generic reader, because
// a big profile is tens of millions of varints and every allocation per field shows.
// Every read is bounded by the end of its enclosing message; running past it is an error with
// the byte offset, never an out-of-range read (typed arrays would silently yield undefined).

import { ProfileError } from './errors';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const TWO_32 = 4294967296;

/** Names the part of the profile being read, so an error can say where it happened. */
export interface ReadContext {
  /** e.g. "sample #12" */
  describe(): string;
}

export class WireReader {
  readonly buf: Uint8Array;
  pos = 0;
  /** Where errors say the problem is; set by the decoder as it walks the profile. */
  context: ReadContext | null = null;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  fail(kind: 'malformed' | 'truncated', what: string, offset: number): never {
    const where = this.context ? `${this.context.describe()}: ` : '';
    throw new ProfileError(kind, `${where}${what} at byte ${offset}`, offset);
  }

  /** Unsigned varint as a number: exact up to 2^53, the nearest double beyond. */
  varint(end: number): number {
    const buf = this.buf;
    const pos = this.pos;
    if (end - pos >= 10) {
      let b = buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
      let v = b & 0x7f;
      b = buf[pos + 1];
      v |= (b & 0x7f) << 7;
      if (b < 0x80) {
        this.pos = pos + 2;
        return v;
      }
      b = buf[pos + 2];
      v |= (b & 0x7f) << 14;
      if (b < 0x80) {
        this.pos = pos + 3;
        return v;
      }
      b = buf[pos + 3];
      v |= (b & 0x7f) << 21;
      if (b < 0x80) {
        this.pos = pos + 4;
        return v;
      }
    }
    return this.varintLong(end, false);
  }

  /** Signed int64 varint (two's complement, 10 bytes when negative) as a number. */
  int64(end: number): number {
    const buf = this.buf;
    const pos = this.pos;
    if (end - pos >= 10) {
      let b = buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
      let v = b & 0x7f;
      b = buf[pos + 1];
      v |= (b & 0x7f) << 7;
      if (b < 0x80) {
        this.pos = pos + 2;
        return v;
      }
      b = buf[pos + 2];
      v |= (b & 0x7f) << 14;
      if (b < 0x80) {
        this.pos = pos + 3;
        return v;
      }
      b = buf[pos + 3];
      v |= (b & 0x7f) << 21;
      if (b < 0x80) {
        this.pos = pos + 4;
        return v;
      }
    }
    return this.varintLong(end, true);
  }

  /**
   * Any varint, checked byte by byte: splits it into 32-bit halves so the low bits stay
   * exact, then combines them (a single rounding beyond 2^53).
   */
  private varintLong(end: number, signed: boolean): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (pos >= end) this.endOfData(start, end, 'varint');
      if (i === 10) this.fail('malformed', 'varint longer than 10 bytes', start);
      const b = buf[pos++];
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi = bits >>> 4;
      } else if (i < 9) hi |= bits << (7 * i - 32);
      else if (bits > 1) this.fail('malformed', 'varint overflows 64 bits', start);
      else hi |= bits << 31;
      if (b < 0x80) break;
    }
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (signed && hi >= 0x80000000) {
      // Negative: magnitude is the two's complement of (hi, lo).
      const mlo = (~lo >>> 0) + 1;
      return -((~hi >>> 0) * TWO_32 + mlo);
    }
    return hi * TWO_32 + lo;
  }

  /**
   * The exact value of the well-formed varint at `at`, for the rare values beyond 2^53 where
   * the number from `varint` or `int64` is rounded.
   */
  exactVarint(at: number, signed: boolean): bigint {
    let v = 0n;
    let shift = 0n;
    for (let pos = at; ; pos++) {
      const b = this.buf[pos];
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) break;
    }
    return signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
  }

  /** A field tag, as field number * 8 + wire type. Field numbers above 2^28 are rejected. */
  tag(end: number): number {
    const start = this.pos;
    const t = this.varint(end);
    if (t >= 0x80000000 || t < 8) {
      this.fail('malformed', t < 8 ? 'field number 0' : 'field number too large', start);
    }
    return t;
  }

  /** Reads a length prefix and returns the end offset of the payload after it. */
  lengthEnd(end: number): number {
    const start = this.pos;
    const n = this.varint(end);
    const payloadEnd = this.pos + n;
    if (payloadEnd > end) {
      const what = `length-delimited field of ${n} bytes`;
      if (payloadEnd > this.buf.length && end === this.buf.length) {
        this.fail(
          'truncated',
          `${what} runs past the end of the data (${end - this.pos} bytes left)`,
          start,
        );
      }
      this.fail('malformed', `${what} runs past the end of its enclosing message`, start);
    }
    return payloadEnd;
  }

  /** Skips one field's payload of wire type `wt`. */
  skip(wt: number, end: number, tagStart: number): void {
    switch (wt) {
      case WIRE_VARINT:
        this.varint(end);
        return;
      case WIRE_I64:
        this.skipBytes(8, end);
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WIRE_I32:
        this.skipBytes(4, end);
        return;
      default:
        this.fail('malformed', `unsupported wire type ${wt}`, tagStart);
    }
  }

  private skipBytes(n: number, end: number): void {
    if (this.pos + n > end) this.endOfData(this.pos, end, `${n}-byte fixed field`);
    this.pos += n;
  }

  /** The data (or the enclosing message) ends inside a field that started at `start`. */
  endOfData(start: number, end: number, what: string): never {
    if (end >= this.buf.length) this.fail('truncated', `the data ends inside a ${what}`, start);
    this.fail('malformed', `${what} runs past the end of its enclosing message`, start);
  }

  /** A UTF-8 string; short ASCII runs skip TextDecoder, whose call overhead dominates them. */
  string(start: number, end: number): string {
    const buf = this.buf;
    const n = end - start;
    if (n === 0) return '';
    if (n <= 48) {
      let s = '';
      for (let i = start; i < end; i++) {
        const c = buf[i];
        if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8.decode(buf.subarray(start, end));
  }
}

// Invalid UTF-8 becomes U+FFFD, as Go's tools print it; a profile's bytes are not rejected
// for it.
const utf8 = new TextDecoder('utf-8');

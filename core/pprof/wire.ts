// Protobuf wire format reading. The structure of a profile (tags, length prefixes, sub-message
// bounds, skipping unknown fields) is walked with protobufjs/minimal's `Reader` (no eval: the
// app's CSP forbids it); `Reader.len` is set to the end of the message being read, so a field
// that runs past its message fails like one that runs past the data.
//
// Hand-written byte access remains for two things protobufjs cannot do here:
// - 64-bit field values (`varint`, `int64`, `exactVarint`): its int64/uint64 return a long.js
//   `Long` where `long` can be required and a rounded number where it cannot (the renderer),
//   and never reject a 10th byte above 1. Values must be exact up to 2^53 with the exact
//   bits kept beyond, the same everywhere.
// - the decoder's hot inner loops (packed location ids, packed values), where a call per
//   varint on tens of millions of varints costs more than the rest of the decode.
//
// protobufjs throws plain RangeErrors ("index out of range") and Errors ("invalid ... encoding");
// each is turned into a ProfileError that names what was read and its byte offset: running
// past the data is 'truncated', anything else 'malformed'.

import { Reader } from 'protobufjs/minimal';
import { ProfileError } from './errors';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
export const WIRE_I32 = 5;

const TWO_32 = 4294967296;

/** Names the part of the profile being read, so an error can say where it happened. */
export interface ReadContext {
  /** e.g. "sample #12" */
  describe(): string;
}

export class WireReader {
  /** protobufjs's reader: `pos` is the read position, `len` the end of the message being read. */
  readonly reader: Reader;
  readonly buf: Uint8Array;
  /** Where errors say the problem is; set by the decoder as it walks the profile. */
  context: ReadContext | null = null;

  constructor(buf: Uint8Array) {
    this.reader = new Reader(buf);
    this.buf = buf;
  }

  get pos(): number {
    return this.reader.pos;
  }

  set pos(at: number) {
    this.reader.pos = at;
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
    const rd = this.reader;
    const start = rd.pos;
    rd.len = end;
    let t: number;
    try {
      t = rd.tag();
    } catch (err) {
      t = this.reread(err, start, end);
    }
    if (t >= 0x80000000 || t < 8) {
      this.fail('malformed', t < 8 ? 'field number 0' : 'field number too large', start);
    }
    return t;
  }

  /** Reads a length prefix and returns the end offset of the payload after it. */
  lengthEnd(end: number): number {
    const rd = this.reader;
    const start = rd.pos;
    rd.len = end;
    let n: number;
    try {
      n = rd.size();
    } catch (err) {
      n = this.reread(err, start, end);
    }
    const payloadEnd = rd.pos + n;
    if (payloadEnd > end) {
      const what = `length-delimited field of ${n} bytes`;
      if (payloadEnd > this.buf.length && end === this.buf.length) {
        this.fail(
          'truncated',
          `${what} runs past the end of the data (${end - rd.pos} bytes left)`,
          start,
        );
      }
      this.fail('malformed', `${what} runs past the end of its enclosing message`, start);
    }
    return payloadEnd;
  }

  /** Skips one field's payload of wire type `wt`. */
  skip(wt: number, end: number, tagStart: number): void {
    // Groups (3, 4) are deprecated and neither Go's reader nor pprof accepts them.
    if (wt === WIRE_START_GROUP || wt === WIRE_END_GROUP || wt > WIRE_I32) {
      this.fail('malformed', `unsupported wire type ${wt}`, tagStart);
    }
    const rd = this.reader;
    const start = rd.pos;
    rd.len = end;
    try {
      rd.skipType(wt);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      rd.pos = start;
      if (wt === WIRE_VARINT) this.varintLong(end, false);
      else if (wt === WIRE_LEN) rd.pos = this.lengthEnd(end);
      else this.endOfData(start, end, `${wt === WIRE_I64 ? 8 : 4}-byte fixed field`);
      return;
    }
    // protobufjs skips a varint of any length: hold it to 10 bytes and 64 bits, as every read.
    if (wt === WIRE_VARINT && rd.pos - start > 9) {
      rd.pos = start;
      this.varintLong(end, false);
    }
  }

  /**
   * After protobufjs refused the varint at `start` (a RangeError when it runs past `end`, an
   * Error when it is longer than the 32 bits asked for): the varint read checked, so the
   * error is the exact one (truncated, longer than 10 bytes, over 64 bits), or its value when
   * it is well formed after all (a tag or length beyond 32 bits, which the caller rejects).
   */
  private reread(err: unknown, start: number, end: number): number {
    if (!(err instanceof Error)) throw err;
    if (err instanceof RangeError) this.endOfData(start, end, 'varint');
    this.reader.pos = start;
    return this.varintLong(end, false);
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

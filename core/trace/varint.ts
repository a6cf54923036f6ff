// Unsigned LEB128 decoding with Go's binary.Uvarint rules (at most 10 bytes, no overflow).
//
// Values above 2^53 lose precision as doubles; the one such value with a meaning on the wire,
// 2^64-1 ("none"), decodes to exactly 2^64 (U64_NONE). The position after the decoded number
// is left in `varintEnd` (-1 when the bytes run out, -2 on overflow) so the hot loops allocate
// nothing.

export const U64_NONE = 18446744073709551616; // 2^64, what 2^64-1 rounds to
const TWO_63 = 9223372036854775808;

export let varintEnd = 0;

export function uvarint(buf: Uint8Array, pos: number, end: number): number {
  if (pos < end) {
    const b = buf[pos];
    if (b < 0x80) {
      varintEnd = pos + 1;
      return b;
    }
    if (pos + 1 < end) {
      const b1 = buf[pos + 1];
      if (b1 < 0x80) {
        varintEnd = pos + 2;
        return (b & 0x7f) | (b1 << 7);
      }
      if (pos + 2 < end) {
        const b2 = buf[pos + 2];
        if (b2 < 0x80) {
          varintEnd = pos + 3;
          return (b & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
        }
      }
    }
  }
  return uvarintSlow(buf, pos, end);
}

function uvarintSlow(buf: Uint8Array, pos: number, end: number): number {
  let x = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) {
      varintEnd = -1;
      return 0;
    }
    const b = buf[pos + i];
    if (b < 0x80) {
      if (i === 9 && b > 1) {
        varintEnd = -2;
        return 0;
      }
      varintEnd = pos + i + 1;
      return x + b * mul;
    }
    x += (b & 0x7f) * mul;
    mul *= 128;
  }
  varintEnd = -2;
  return 0;
}

/** Go's int64(x) for an id read as uint64: 2^64-1 is -1 (NoGoroutine/NoProc/NoThread). */
export function toInt64(v: number): number {
  if (v < TWO_63) return v;
  return v === U64_NONE ? -1 : v - U64_NONE;
}

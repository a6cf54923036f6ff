// Gunzip with a size limit enforced while inflating: a gzip bomb is stopped at the limit,
// never after its whole output has been allocated.

import { Inflate } from 'pako';
import { formatBytes } from '../view/format';
import { ProfileError } from './errors';

/** Default limit on the inflated size of a profile: 2 GiB. */
export const DEFAULT_MAX_INFLATED_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Largest inflated/compressed ratio accepted for a profile by default. Real pprof output
 * compresses 1–3× (Go writes it with gzip.BestSpeed: the demo and fixture profiles measure
 * 1.0–2.3×) and even repetitive text 10–20×, so 100× is generous; a gzip bomb is ~1000×.
 */
export const MAX_INFLATE_RATIO = 100;
/** Below this inflated size the ratio is not applied: a tiny file may have any ratio. */
export const INFLATE_RATIO_FLOOR = 16 * 1024 * 1024;

/** The inflated-size limit for `compressedBytes` of gzip: the ratio cap, within [floor, max]. */
export function inflateLimitFor(
  compressedBytes: number,
  maxBytes: number = DEFAULT_MAX_INFLATED_BYTES,
): number {
  return Math.min(maxBytes, Math.max(INFLATE_RATIO_FLOOR, compressedBytes * MAX_INFLATE_RATIO));
}

/** The error for data that inflates beyond the ratio cap (what a gzip bomb does). */
export function ratioExceeded(compressedBytes: number, limit: number): ProfileError {
  return new ProfileError(
    'too-large',
    `the gzip data (${formatBytes(compressedBytes)}) inflates beyond ${formatBytes(limit)}, more than ${MAX_INFLATE_RATIO}× its size: real profiles compress 1–10×, so this is refused as a decompression bomb or not a profile`,
  );
}

/** Deflate cannot expand more than about 1032:1, which bounds any size hint. */
const MAX_DEFLATE_RATIO = 1032;
const CHUNK_SIZE = 1 << 20;

/** True when `bytes` starts with the gzip magic number (as pprof decides, too). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function checkLimit(maxBytes: number): void {
  if (!(maxBytes > 0) || !Number.isFinite(maxBytes)) {
    throw new ProfileError(
      'invalid-value',
      `size limit must be a positive number, not ${maxBytes}`,
    );
  }
}

export function tooLarge(maxBytes: number, what: string): ProfileError {
  return new ProfileError(
    'too-large',
    `${what} exceeds the limit of ${maxBytes} bytes (${formatBytes(maxBytes)}); raise the limit if the file is trusted`,
  );
}

/** Inflates a gzip file (one or more members) into one buffer of at most `maxBytes`. */
export function inflateGzip(bytes: Uint8Array, maxBytes: number): Uint8Array {
  checkLimit(maxBytes);
  // The trailer's ISIZE (inflated size mod 2^32) sizes the buffer in one go when honest;
  // clamped, so a lying trailer cannot make us reserve more than the data could produce.
  let capacity = 64 * 1024;
  if (bytes.length >= 18) {
    const n = bytes.length;
    const isize =
      (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
    capacity = Math.max(capacity, isize);
  }
  capacity = Math.min(capacity, maxBytes, bytes.length * MAX_DEFLATE_RATIO + CHUNK_SIZE);
  let out = new Uint8Array(capacity);
  let size = 0;

  const inflator = new Inflate({ windowBits: 16 + 15, chunkSize: CHUNK_SIZE });
  inflator.onData = (data) => {
    const chunk = data as Uint8Array;
    const need = size + chunk.length;
    if (need > maxBytes) throw tooLarge(maxBytes, 'the inflated profile');
    if (need > out.length) {
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(need, out.length * 2)));
      grown.set(out.subarray(0, size));
      out = grown;
    }
    out.set(chunk, size);
    size = need;
  };
  inflator.push(bytes, true);
  if (inflator.err !== 0) {
    // pako keeps its stream state public but untyped; its input position locates the damage.
    const at = (inflator as unknown as { strm?: { next_in?: number } }).strm?.next_in ?? 0;
    // Z_BUF_ERROR: the input ran out before the end of the compressed stream.
    if (inflator.err === -5) {
      throw new ProfileError(
        'truncated',
        `truncated gzip stream: the data ends at byte ${bytes.length} before the end of the compressed profile (the file was cut short; ${size} bytes inflated)`,
        bytes.length,
      );
    }
    const why = inflator.msg || `zlib error ${inflator.err}`;
    throw new ProfileError('gzip', `corrupt gzip data near byte ${at}: ${why}`, at);
  }
  // An honest size hint leaves nothing to trim; a bad one should not pin memory.
  return out.length - size > size / 8 + CHUNK_SIZE ? out.slice(0, size) : out.subarray(0, size);
}

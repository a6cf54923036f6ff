// Gzip bombs for the decompression tests (#20 item 3), made cheaply as multi-member gzip:
// one member of 64 MiB of zeros (~65 KB compressed) repeated. Node's zlib, pako and Go's
// gzip reader all read every member.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const MEMBER_BYTES = 64 * 1024 * 1024;
let member: Buffer | null = null;

function zeroMember(): Buffer {
  member ??= gzipSync(Buffer.alloc(MEMBER_BYTES), { level: 9 });
  return member;
}

/** About `inflatedGiB` GiB of zeros in gzip (1 GiB ≈ 1 MB of gzip). */
export function zeroBomb(inflatedGiB: number): Buffer {
  const n = Math.ceil((inflatedGiB * 1024 ** 3) / MEMBER_BYTES);
  return Buffer.concat(Array.from({ length: n }, zeroMember));
}

/**
 * A real heap profile's protobuf, repeated past the 64 KiB detection prefix (concatenated
 * protobuf messages are one valid message), followed by `inflatedGiB` GiB of zeros: its first
 * bytes are a valid profile, so only the ratio cap stops it.
 */
export function profileThenZeros(inflatedGiB: number): Buffer {
  const real = gunzipSync(
    readFileSync(join(resolve(__dirname, '../fixtures'), 'before', 'heap.pb.gz')),
  );
  const head = Buffer.concat(
    Array.from({ length: Math.ceil((128 * 1024) / real.length) }, () => real),
  );
  return Buffer.concat([gzipSync(head), zeroBomb(inflatedGiB)]);
}

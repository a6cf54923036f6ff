// Gunzip for the back end, bounded by the input: Node's zlib inflates on its thread pool
// (not the event loop) straight into one buffer, and stops the moment the output passes the
// limit, so a gzip bomb costs at most the limit, never its whole output. Detection reads
// only a bounded prefix (gunzipPrefix): the first bytes tell whether it is a profile at all.
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip, type Gunzip } from 'node:zlib';

export type GunzipProblem = 'too-large' | 'truncated' | 'corrupt';

export class GunzipError extends Error {
  override readonly name = 'GunzipError';
  constructor(
    readonly problem: GunzipProblem,
    message: string,
  ) {
    super(message);
  }
}

function isizeHint(bytes: Uint8Array, fileSize = bytes.length): number {
  // ISIZE: the inflated size (mod 2^32) of the last member, exact for what Go writes.
  if (fileSize < 18 || bytes.length < 4) return 0;
  const n = bytes.length;
  return (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
}

function zlibProblem(err: unknown): GunzipError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(detail))
    return new GunzipError('truncated', 'the gzip stream ends early: the data was cut short');
  return new GunzipError('corrupt', `corrupt gzip data (${detail})`);
}

/**
 * Inflates into one buffer of at most `limit` bytes (so the inflated data is in memory once).
 * Throws a GunzipError: 'too-large' as soon as the output passes `limit`, 'truncated' or
 * 'corrupt' for damaged data.
 */
export async function gunzipBounded(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const gz = createGunzip({ chunkSize: 1 << 20 });
  gz.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return inflateInto(gz, isizeHint(bytes), limit);
}

/**
 * gunzipBounded of a file, read as a stream: the compressed bytes are never all in memory,
 * so a big profile costs its inflated size once, not that plus its file.
 */
export async function gunzipFileBounded(path: string, limit: number): Promise<Uint8Array> {
  const fh = await fs.open(path, 'r');
  let hint: number;
  try {
    const { size } = await fh.stat();
    const tail = new Uint8Array(4);
    if (size >= 18) await fh.read(tail, 0, 4, size - 4);
    hint = isizeHint(tail, size);
  } finally {
    await fh.close();
  }
  const gz = createGunzip({ chunkSize: 1 << 20 });
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  file.on('error', (err) => gz.destroy(err));
  file.pipe(gz);
  try {
    return await inflateInto(gz, hint, limit);
  } finally {
    file.destroy();
  }
}

async function inflateInto(gz: Gunzip, hint: number, limit: number): Promise<Uint8Array> {
  let out = new Uint8Array(Math.min(Math.max(hint, 1 << 16), limit));
  let n = 0;
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) {
      if (n + chunk.length > out.length) {
        if (n + chunk.length > limit) {
          gz.destroy();
          throw new GunzipError('too-large', `the data inflates beyond ${limit} bytes`);
        }
        const bigger = new Uint8Array(Math.min(limit, Math.max(out.length * 2, n + chunk.length)));
        bigger.set(out.subarray(0, n));
        out = bigger;
      }
      out.set(chunk, n);
      n += chunk.length;
    }
  } catch (err) {
    if (err instanceof GunzipError) throw err;
    throw zlibProblem(err);
  }
  return n === out.length ? out : out.subarray(0, n);
}

/**
 * The first `max` inflated bytes (fewer if the data is shorter), read as a stream: inflation
 * stops there whatever the rest would produce. Damage inside the prefix throws a GunzipError.
 */
export async function gunzipPrefix(bytes: Uint8Array, max: number): Promise<Uint8Array> {
  const out = new Uint8Array(max);
  let n = 0;
  const gz = createGunzip({ chunkSize: Math.min(1 << 16, max) });
  gz.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) {
      const take = Math.min(chunk.length, max - n);
      out.set(chunk.subarray(0, take), n);
      n += take;
      if (n >= max) break;
    }
  } catch (err) {
    // A prefix of a longer stream may be all we need: damage after it is found later.
    if (n === 0) throw zlibProblem(err);
  } finally {
    gz.destroy();
  }
  return out.subarray(0, n);
}

// Crash-safe file writes: a temp file in the same folder, fsync, rename over the target,
// fsync the folder. A reader sees the old file or the new one, never a torn one.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Temp files start with this prefix; the library scan recognises (and never deletes) them. */
export const TEMP_PREFIX = '.tmp-';

export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open a directory for fsync; rename is durable enough there.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

export async function writeFileAtomic(
  dir: string,
  name: string,
  data: Uint8Array | string,
  mode = 0o644,
): Promise<void> {
  const tmp = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${name}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dir);
}

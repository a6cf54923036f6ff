// Crash-safe file writes, the one way every service and the CLI replace a file: a temp file
// in the same folder, fsync, rename over the target, fsync the folder. A reader sees the old
// file or the new one, never a torn one.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files start with this prefix; the library scan recognises (and never deletes) them,
 * and the folder watcher ignores them (hidden names). */
export const TEMP_PREFIX = '.tmp-';

/** Settings files (targets, recipes, watch folders, approvals, settings, secrets): owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/** Makes a rename in `dir` durable; not possible on every platform, so best effort. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open a directory for fsync; the rename is still atomic there.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Replaces `path` with `data` atomically (the file is created with `mode` if it is new). */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  mode = 0o644,
): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${basename(path)}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dir);
}

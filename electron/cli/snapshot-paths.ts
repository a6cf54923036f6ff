// Files and folders given on the command line as one snapshot set: a folder stands for its
// regular files (not recursive, hidden files left out, sorted by name).
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { SnapshotInput } from '../../core/insights/model';
import { MAX_SNAPSHOT_BYTES } from '../../core/contract/snapshots';
import { InputError } from './args';
import { folderMembers } from './bundle-folder';

async function statOrThrow(path: string) {
  try {
    return await fs.stat(path);
  } catch (err) {
    throw new InputError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

async function readInput(path: string, name: string, size: number): Promise<SnapshotInput> {
  if (size > MAX_SNAPSHOT_BYTES)
    throw new InputError(`${path}: ${size} bytes is larger than the 1 GiB limit`);
  try {
    const buf = await fs.readFile(path);
    return { id: path, name, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
  } catch (err) {
    throw new InputError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** The snapshot inputs of the given paths, in order; an empty folder is bad input. */
export async function readSnapshotPaths(paths: readonly string[]): Promise<SnapshotInput[]> {
  const out: SnapshotInput[] = [];
  for (const p of paths) {
    const st = await statOrThrow(p);
    if (st.isDirectory()) {
      const names = await folderMembers(p);
      let found = 0;
      for (const n of names) {
        const full = join(p, n);
        const s = await statOrThrow(full);
        if (!s.isFile()) continue;
        out.push(await readInput(full, n, s.size));
        found++;
      }
      if (found === 0) throw new InputError(`${p}: the folder holds no files`);
    } else if (st.isFile()) {
      out.push(await readInput(p, basename(p), st.size));
    } else {
      throw new InputError(`${p}: not a file or folder`);
    }
  }
  return out;
}

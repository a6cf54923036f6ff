// Writing a profile for the merge and filter subcommands: gzipped profile.proto that
// `go tool pprof` reads, written atomically (temp file + rename) so a failure leaves no file.
import { promises as fs } from 'node:fs';
import { encodeProfile } from '../../core/pprof/encode';
import { isProfileError } from '../../core/pprof/errors';
import type { Profile } from '../../core/pprof/model';
import { writeFileAtomic } from '../services/atomic-file';
import { InputError, UsageError, optionValue, type ParsedArgs } from './args';
import { oneLine } from './profile-input';

/** The -o/--output path, checked before any work is done. */
export async function outputPath(args: ParsedArgs): Promise<string> {
  const out = optionValue(args, 'output');
  if (out === undefined || out === '') throw new UsageError('give the output file with -o FILE');
  try {
    const st = await fs.stat(out);
    if (st.isDirectory()) throw new InputError(`${out}: is a folder; give a file name with -o`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    // Not there yet: fine.
  }
  return out;
}

export async function writeProfile(out: string, p: Profile): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = encodeProfile(p);
  } catch (err) {
    if (isProfileError(err)) throw new InputError(`${out}: ${oneLine(err.message)}`);
    throw err;
  }
  try {
    await writeFileAtomic(out, bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : oneLine((err as Error).message);
    throw new InputError(`${out}: cannot write (${why})`);
  }
  return bytes.length;
}

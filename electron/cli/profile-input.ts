// What the profile subcommands (top, diff, merge, filter) share: reading a profile from a
// file or an http(s) URL, the filter options, and turning engine errors into one line that
// names the input and the problem.
import { promises as fs } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeProfile, decodeProfileBody, inflateLimitFor, isGzip } from '../../core/pprof/decode';
import { isProfileError } from '../../core/pprof/errors';
import { parseGranularity, type Granularity } from '../../core/pprof/granularity';
import type { Profile } from '../../core/pprof/model';
import type { ReportOptions } from '../../core/pprof/report';
import { isReportError } from '../../core/pprof/report-error';
import { GunzipError, gunzipBounded, gunzipFileBounded } from '../services/library/gunzip';
import { InputError, UsageError, optionValue, type OptionSpec, type ParsedArgs } from './args';
import { profileInBundle } from './bundle-folder';

/** The options every profile report takes. */
export const FILTER_OPTIONS: Record<string, OptionSpec> = {
  'sample-index': { value: true },
  granularity: { value: true },
  noinlines: {},
  mean: {},
  focus: { value: true },
  ignore: { value: true },
  hide: { value: true },
  show: { value: true },
  'show-from': { value: true },
  tagfocus: { value: true },
  tagignore: { value: true },
  'prune-from': { value: true },
  timeout: { value: true },
};

export const FILTER_USAGE = `  --sample-index NAME|N    sample type by name or index (default: the profile's
                           default_sample_type, else its last type); "inuse_" is optional,
                           mean_NAME means --mean over NAME (e.g. mean_delay)
  --mean                   divide every value by the sample count (value 0)
  --granularity G          functions (default), filefunctions, files, lines, addresses
  --noinlines              attribute inlined frames to their real caller
  --focus RE               keep samples with a frame matching RE (Go RE2 syntax; matches
                           function name, file name or binary)
  --ignore RE              drop samples with a frame matching RE
  --hide RE                remove matching frames from stacks
  --show RE                keep only matching frames in stacks
  --show-from RE           drop the frames above the outermost match
  --tagfocus EXPR          keep samples whose labels match: KEY=RE[,RE...], RE, or a numeric
                           range with units such as 128kb:512kb, 1ms:, :64kb
  --tagignore EXPR         drop samples whose labels match (wins over --tagfocus)
  --prune-from RE          drop the callees of the leaf-most matching frame
  --timeout S              for URLs: seconds to wait (default 1.5 x seconds= + 5, or 65)
`;

export function reportOptions(args: ParsedArgs): ReportOptions & { granularity: Granularity } {
  let granularity: Granularity;
  try {
    granularity = parseGranularity(optionValue(args, 'granularity'));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    sampleIndex: optionValue(args, 'sample-index'),
    mean: args.flags.has('mean'),
    granularity,
    noInlines: args.flags.has('noinlines'),
    focus: optionValue(args, 'focus'),
    ignore: optionValue(args, 'ignore'),
    hide: optionValue(args, 'hide'),
    show: optionValue(args, 'show'),
    showFrom: optionValue(args, 'show-from'),
    tagFocus: optionValue(args, 'tagfocus'),
    tagIgnore: optionValue(args, 'tagignore'),
    pruneFrom: optionValue(args, 'prune-from'),
  };
}

/** Collapses a message to one line (errors from a target may hold newlines). */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Default timeout like pprof: 1.5 x the seconds= of the URL + 5, else 65 s. */
function timeoutFor(source: string, explicit: string | undefined): number {
  if (explicit !== undefined) {
    const t = Number(explicit);
    if (!(t > 0) || !Number.isFinite(t)) {
      throw new UsageError(`--timeout needs a positive number of seconds, got '${explicit}'`);
    }
    return t;
  }
  const seconds = Number(new URL(source).searchParams.get('seconds') ?? NaN);
  return seconds > 0 ? 1.5 * seconds + 5 : 65;
}

async function fetchBytes(url: string, timeoutSec: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutSec * 1000), redirect: 'follow' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw new InputError(
        `${url}: no complete answer within ${timeoutSec} s (use --timeout to wait longer)`,
      );
    }
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new InputError(`${url}: cannot fetch (${cause})`);
  }
  const body = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) {
    const text = oneLine(new TextDecoder().decode(body.subarray(0, 300)));
    throw new InputError(
      `${url}: the server answered ${res.status} ${res.statusText}${text ? `: ${text}` : ''}`,
    );
  }
  return body;
}

/**
 * Inflates gzip with Node's zlib (faster than pako) straight into one buffer, bounded by the
 * same ratio cap as the decoder. Null when zlib cannot inflate the data or it passes the cap:
 * the decoder's own inflater then says precisely what is wrong.
 */
async function gunzipOnce(bytes: Uint8Array): Promise<Uint8Array | null> {
  try {
    return await gunzipBounded(bytes, inflateLimitFor(bytes.length));
  } catch (err) {
    if (err instanceof GunzipError) return null;
    throw err;
  }
}

/**
 * Decodes a profile file's contents, taken out of `holder` so the compressed buffer can be
 * freed while the profile is decoded.
 */
export async function decodeBytes(
  holder: { bytes: Uint8Array | null },
  name: string,
): Promise<Profile> {
  let raw: Uint8Array | null;
  let original: Uint8Array | null = holder.bytes;
  holder.bytes = null;
  if (original && isGzip(original)) {
    raw = await gunzipOnce(original);
    // Keep the compressed bytes only when zlib failed: the decoder then says precisely what
    // is wrong, and where.
    if (raw) original = null;
  } else {
    raw = original;
    original = null;
  }
  try {
    return raw ? decodeProfileBody(raw) : decodeProfile(original!);
  } catch (err) {
    if (isProfileError(err)) throw new InputError(`${name}: ${oneLine(err.message)}`);
    throw err;
  }
}

/** Reads a profile file or URL into memory. */
async function readSource(source: string, args?: ParsedArgs): Promise<Uint8Array> {
  if (isUrl(source)) {
    return fetchBytes(source, timeoutFor(source, args ? optionValue(args, 'timeout') : undefined));
  }
  try {
    return await fs.readFile(source);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a profile file'
          : code === 'EACCES'
            ? 'permission denied'
            : oneLine((err as Error).message);
    throw new InputError(`${source}: ${why}`);
  }
}

/** Reads and decodes a profile from a file, a bundle folder (its CPU profile) or an http(s) URL. */
export async function loadProfile(given: string, args?: ParsedArgs): Promise<Profile> {
  const source = isUrl(given) ? given : await profileInBundle(given);
  if (!isUrl(source)) {
    const holder = { raw: await gunzipFile(source) };
    if (holder.raw) {
      let profile: Profile;
      try {
        profile = decodeProfileBody(holder.raw);
      } catch (err) {
        if (isProfileError(err)) throw new InputError(`${source}: ${oneLine(err.message)}`);
        throw err;
      }
      dropBig(holder);
      return profile;
    }
  }
  const holder = { bytes: (await readSource(source, args)) as Uint8Array | null };
  return await decodeBytes(holder, source);
}

/** Inflated data at least this big is freed at once when decoded (see dropBig). */
const BIG_BYTES = 64 << 20;
let gc: (() => void) | null | undefined;

/**
 * Lets go of the inflated data of a decoded profile and, when it is big, collects it now:
 * V8 frees a buffer only at a full collection, which the report's small allocations would not
 * start, so the dead buffer would be counted in the command's peak memory. (Jest's leak
 * detector reaches `gc` the same way.)
 */
function dropBig(holder: { raw: Uint8Array | null }): void {
  const size = holder.raw?.length ?? 0;
  holder.raw = null;
  if (size < BIG_BYTES) return;
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/**
 * A gzip file inflated as it is read (its compressed bytes never all in memory), bounded like
 * gunzipOnce. Null when it is not gzip or zlib cannot inflate it: the whole file is then read
 * and the decoder says precisely what is wrong.
 */
async function gunzipFile(path: string): Promise<Uint8Array | null> {
  let size: number;
  const head = new Uint8Array(2);
  try {
    const fh = await fs.open(path, 'r');
    try {
      size = (await fh.stat()).size;
      await fh.read(head, 0, 2, 0);
    } finally {
      await fh.close();
    }
  } catch {
    return null; // readSource names the problem
  }
  if (!isGzip(head)) return null;
  try {
    return await gunzipFileBounded(path, inflateLimitFor(size));
  } catch (err) {
    if (err instanceof GunzipError) return null;
    throw err;
  }
}

/**
 * Runs engine work, turning its errors into exit codes: an option that is wrong whatever
 * the file (a bad regex, tag expression, granularity) is usage (2); anything that depends
 * on the profile (its sample types, compatibility) is bad input (1) attributed to `name`.
 */
export function withEngineErrors<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (isReportError(err)) {
      const optionProblem = ['bad-regex', 'unsupported-regex', 'bad-tag-filter', 'bad-option'];
      if (optionProblem.includes(err.kind)) throw new UsageError(oneLine(err.message));
      throw new InputError(`${name}: ${oneLine(err.message)}`);
    }
    if (isProfileError(err)) throw new InputError(`${name}: ${oneLine(err.message)}`);
    throw err;
  }
}

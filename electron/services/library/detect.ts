// Recognises what a snapshot is from its bytes: a pprof profile (gzip or raw protobuf) of a
// given kind, a Go execution trace, or a goroutine text dump. Unrecognised bytes are an
// 'unrecognized-format' error with a message saying what the file looked like. Bytes that
// start as a profile or trace but are cut short or corrupt are recognised as damaged (with the
// reason): the library stores them marked, so nothing the user had is lost.
import type { SnapshotFormat, SnapshotKind, ValueTypeInfo } from '../../../core/contract';
import { ServiceError } from '../../../core/contract';
import { ProfileError } from '../../../core/pprof/errors';
import { inflateLimitFor, MAX_INFLATE_RATIO } from '../../../core/pprof/inflate';
import { profilePrefixProblem, scanProfile, type ProfileScan } from '../../../core/pprof/scan';
import { GunzipError, gunzipBounded, gunzipPrefix } from './gunzip';
import { looksLikeGcLog } from '../../../core/gctrace/detect';
import { profileKindOf } from '../../../core/pprof/kind';
import { traceCutShort } from '../../../core/trace/precount';

/** Never inflate beyond this, whatever the ratio allows. */
export const MAX_INFLATED_BYTES = 2 * 1024 * 1024 * 1024 - 1;
/** How much of a gzip stream is inflated to tell what it holds before inflating it all. */
export const SNIFF_PREFIX_BYTES = 64 * 1024;

export interface Detected {
  kind: SnapshotKind;
  format: SnapshotFormat;
  sampleTypes: ValueTypeInfo[];
  defaultSampleType: string;
  periodType: ValueTypeInfo | null;
  period: number;
  /** From the profile's time_nanos; null when absent. */
  capturedAt: string | null;
  durationNanos: number | null;
  goVersion: string | null;
  /** pprof: the number of samples; null for traces and text dumps. */
  sampleCount: number | null;
  /** Why the bytes are cut short or corrupt; null when they read to the end. */
  damaged: string | null;
}

const TRACE_HEADER = /^go 1\.(\d+) trace\0*/;
const GOROUTINE_TEXT = /^(goroutine profile: total \d+|goroutine \d+ \[[^\]]*\]:)\r?\n/;

function unrecognized(fileName: string, what: string): ServiceError {
  return new ServiceError(
    'unrecognized-format',
    `${fileName}: ${what}; expected a pprof profile (.pb.gz), a Go execution trace, a goroutine dump or a GC log (GODEBUG=gctrace=1 output)`,
  );
}

function asciiPrefix(bytes: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < Math.min(n, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The kind hint a file name gives ("mutex.pb.gz", "orders-block-1700000000.pprof"). */
export function kindHintFromName(fileName: string): SnapshotKind | null {
  const base = fileName.toLowerCase();
  for (const k of ['mutex', 'block', 'allocs', 'heap', 'threadcreate', 'goroutine', 'cpu'] as const)
    if (new RegExp(`(^|[^a-z])${k}([^a-z]|$)`).test(base)) return k;
  return null;
}

const UNLOCK_LEAF = /(\bunlock|Unlock|RUnlock|_LostContendedRuntimeLock)$/;

/**
 * Mutex and block profiles have identical sample types (contentions/count, delay/nanoseconds):
 * Go records mutex contention at Unlock, block events where the goroutine waited (Lock,
 * chanrecv, select, Wait). So the leaf frames tell them apart.
 */
function contentionKind(scan: ProfileScan, hint: SnapshotKind | null): 'mutex' | 'block' {
  if (scan.leafFunctions.length > 0) {
    const unlocks = scan.leafFunctions.filter((f) => UNLOCK_LEAF.test(f)).length;
    return unlocks * 2 >= scan.leafFunctions.length ? 'mutex' : 'block';
  }
  return hint === 'mutex' ? 'mutex' : 'block';
}

export function classifyProfile(scan: ProfileScan, hint: SnapshotKind | null): SnapshotKind {
  return profileKindOf(scan, () => contentionKind(scan, hint));
}

function isoFromNanos(ns: number): string | null {
  if (!(ns > 0)) return null;
  const d = new Date(ns / 1e6);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function fromScan(scan: ProfileScan, format: SnapshotFormat, hint: SnapshotKind | null): Detected {
  return {
    kind: classifyProfile(scan, hint),
    format,
    sampleTypes: scan.sampleTypes,
    defaultSampleType: scan.defaultSampleType,
    periodType: scan.periodType,
    period: scan.period,
    capturedAt: isoFromNanos(scan.timeNanos),
    durationNanos: scan.durationNanos > 0 ? scan.durationNanos : null,
    goVersion: null,
    sampleCount: scan.sampleCount,
    damaged: null,
  };
}

function scan(buf: Uint8Array): ProfileScan {
  const header = scanProfile(buf, false);
  const types = new Set(header.sampleTypes.map((t) => t.type));
  // Leaves are only needed to tell mutex from block; skip the extra walk otherwise.
  return types.has('contentions') && types.has('delay') ? scanProfile(buf, true) : header;
}

function bare(
  kind: SnapshotKind,
  format: SnapshotFormat,
  goVersion: string | null,
  damaged: string | null = null,
): Detected {
  return {
    kind,
    format,
    sampleTypes: [],
    defaultSampleType: '',
    periodType: null,
    period: 0,
    capturedAt: null,
    durationNanos: null,
    goVersion,
    sampleCount: null,
    damaged,
  };
}

/**
 * A gzip file: a bounded prefix is inflated first (as a stream) to see whether it can be a
 * profile; only then is the whole inflated, under the ratio cap (MAX_INFLATE_RATIO times the
 * file's size), and scanned.
 */
async function detectGzip(
  bytes: Uint8Array,
  fileName: string,
  hint: SnapshotKind | null,
): Promise<Detected> {
  let prefix: Uint8Array;
  try {
    prefix = await gunzipPrefix(bytes, SNIFF_PREFIX_BYTES);
  } catch (e) {
    // Nothing inflates at all: nothing shows it is a profile.
    if (e instanceof GunzipError)
      throw new ServiceError(
        'unrecognized-format',
        `${fileName}: the gzip stream is truncated or corrupt before any data (${e.message})`,
      );
    throw e;
  }
  if (prefix.length === 0) throw unrecognized(fileName, 'the gzip data inflates to nothing');
  const problem = profilePrefixProblem(prefix);
  if (problem) throw unrecognized(fileName, `gzip data is not a pprof profile (${problem})`);
  const limit = inflateLimitFor(bytes.length, MAX_INFLATED_BYTES);
  let inflated: Uint8Array;
  try {
    inflated = await gunzipBounded(bytes, limit);
  } catch (e) {
    if (!(e instanceof GunzipError)) throw e;
    // It starts as a profile (the prefix above) and breaks later: stored, marked damaged.
    if (e.problem !== 'too-large')
      return bare(
        hint ?? 'unknown',
        'pprof-gzip',
        null,
        e.problem === 'truncated'
          ? `cut short: the gzip stream ends early at byte ${bytes.length} of the file`
          : `corrupt gzip data in a ${bytes.length}-byte file: ${e.message}`,
      );
    throw new ServiceError(
      'unrecognized-format',
      `${fileName}: the gzip data (${bytes.length} bytes) inflates beyond ${limit} bytes, more than ${MAX_INFLATE_RATIO}× its size; real profiles compress 1–10×, so it is refused as a decompression bomb`,
    );
  }
  try {
    return fromScan(scan(inflated), 'pprof-gzip', hint);
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    return bare(
      hint ?? 'unknown',
      'pprof-gzip',
      null,
      `the profile inside the gzip stream does not decode: ${e.message}`,
    );
  }
}

export async function detectSnapshot(bytes: Uint8Array, fileName: string): Promise<Detected> {
  if (bytes.length === 0) throw unrecognized(fileName, 'the file is empty');
  const hint = kindHintFromName(fileName);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return detectGzip(bytes, fileName, hint);
  const head = asciiPrefix(bytes, 64);
  const trace = TRACE_HEADER.exec(head);
  if (trace) return bare('trace', 'go-trace', `go 1.${trace[1]}`, traceCutShort(bytes));
  if (GOROUTINE_TEXT.test(asciiPrefix(bytes, 256)))
    return bare('goroutine-text', 'goroutine-text', null);
  if (looksLikeGcLog(bytes)) return bare('gc-log', 'gc-log', null);
  try {
    return fromScan(scan(bytes), 'pprof', hint);
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    // Text is never a cut profile, even when its first bytes happen to read as Profile fields
    // ("just some notes": 'j' is field 13, length-delimited, running past the end).
    const printable = /^[\t\n\r -~]{8}/.test(head);
    // Starts as a profile (binary, every field in the first bytes a Profile field) and runs
    // past the end: stored, marked damaged.
    if (
      !printable &&
      e.kind === 'truncated' &&
      profilePrefixProblem(bytes.subarray(0, SNIFF_PREFIX_BYTES)) === null
    )
      return bare(hint ?? 'unknown', 'pprof', null, `cut short: ${e.message}`);
    const looks = printable
      ? `it starts with text "${head.split(/\r?\n/)[0].slice(0, 40)}"`
      : `it is neither gzip nor a protobuf profile (${e.message})`;
    throw unrecognized(fileName, looks);
  }
}

/** File extension used for the stored bytes, by format. */
export function extensionFor(format: SnapshotFormat): string {
  switch (format) {
    case 'pprof-gzip':
      return '.pb.gz';
    case 'pprof':
      return '.pb';
    case 'go-trace':
      return '.trace';
    case 'goroutine-text':
      return '.txt';
    case 'gc-log':
      return '.log';
  }
}

// Recognises what a snapshot is from its bytes: a pprof profile (gzip or raw protobuf) of a
// given kind, a Go execution trace, or a goroutine text dump. Unrecognised bytes are an
// 'unrecognized-format' error with a message saying what the file looked like.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { SnapshotFormat, SnapshotKind, ValueTypeInfo } from '../../../core/contract';
import { ServiceError } from '../../../core/contract';
import { ProtoError, scanProfile, type ScanResult } from './proto-scan';

const gunzipAsync = promisify(gunzip);

/** Refuse to inflate beyond this: a gzip bomb must not take the back end down. */
export const MAX_INFLATED_BYTES = 2 * 1024 * 1024 * 1024 - 1;

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
}

const TRACE_HEADER = /^go 1\.(\d+) trace\0*/;
const GOROUTINE_TEXT = /^(goroutine profile: total \d+|goroutine \d+ \[[^\]]*\]:)\r?\n/;

function unrecognized(fileName: string, what: string): ServiceError {
  return new ServiceError(
    'unrecognized-format',
    `${fileName}: ${what}; expected a pprof profile (.pb.gz), a Go execution trace or a goroutine dump`,
  );
}

function asciiPrefix(bytes: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < Math.min(n, bytes.length); i++) s += String.fromCharCode(bytes[i]!);
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
function contentionKind(scan: ScanResult, hint: SnapshotKind | null): SnapshotKind {
  if (scan.leafFunctions.length > 0) {
    const unlocks = scan.leafFunctions.filter((f) => UNLOCK_LEAF.test(f)).length;
    return unlocks * 2 >= scan.leafFunctions.length ? 'mutex' : 'block';
  }
  return hint === 'mutex' ? 'mutex' : 'block';
}

export function classifyProfile(scan: ScanResult, hint: SnapshotKind | null): SnapshotKind {
  const types = new Set(scan.sampleTypes.map((t) => t.type));
  if (scan.periodType?.type === 'cpu' || types.has('cpu')) return 'cpu';
  if (types.has('inuse_space') || types.has('alloc_space')) {
    // Go writes the allocs profile with default_sample_type alloc_space, the heap one without.
    return scan.defaultSampleType === 'alloc_space' ? 'allocs' : 'heap';
  }
  if (types.size === 1 && types.has('goroutine')) return 'goroutine';
  if (types.size === 1 && types.has('threadcreate')) return 'threadcreate';
  if (types.has('contentions') && types.has('delay')) return contentionKind(scan, hint);
  return 'unknown';
}

function isoFromNanos(ns: number): string | null {
  if (!(ns > 0)) return null;
  const d = new Date(ns / 1e6);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function fromScan(scan: ScanResult, format: SnapshotFormat, hint: SnapshotKind | null): Detected {
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
  };
}

function scan(buf: Uint8Array): ScanResult {
  const header = scanProfile(buf, false);
  const types = new Set(header.sampleTypes.map((t) => t.type));
  // Leaves are only needed to tell mutex from block; skip the extra walk otherwise.
  return types.has('contentions') && types.has('delay') ? scanProfile(buf, true) : header;
}

function bare(kind: SnapshotKind, format: SnapshotFormat, goVersion: string | null): Detected {
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
  };
}

export async function detectSnapshot(bytes: Uint8Array, fileName: string): Promise<Detected> {
  if (bytes.length === 0) throw unrecognized(fileName, 'the file is empty');
  const hint = kindHintFromName(fileName);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inflated: Uint8Array;
    try {
      inflated = await gunzipAsync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ServiceError(
        'unrecognized-format',
        `${fileName}: the gzip stream is truncated or corrupt (${why}): the file was cut short or damaged`,
      );
    }
    try {
      return fromScan(scan(inflated), 'pprof-gzip', hint);
    } catch (e) {
      if (e instanceof ProtoError)
        throw unrecognized(fileName, `gzip data is not a pprof profile (${e.message})`);
      throw e;
    }
  }
  const head = asciiPrefix(bytes, 64);
  const trace = TRACE_HEADER.exec(head);
  if (trace) return bare('trace', 'go-trace', `go 1.${trace[1]}`);
  if (GOROUTINE_TEXT.test(asciiPrefix(bytes, 256)))
    return bare('goroutine-text', 'goroutine-text', null);
  try {
    return fromScan(scan(bytes), 'pprof', hint);
  } catch (e) {
    if (!(e instanceof ProtoError)) throw e;
    const printable = /^[\t\n\r -~]{8}/.test(head);
    const looks = printable
      ? `it starts with text "${head.split(/\r?\n/)[0]!.slice(0, 40)}"`
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
  }
}

// Checks that a captured body is what its kind promises before anything is stored: a pprof
// profile that inflates and decodes, a Go execution trace header, or a debug=2 goroutine
// dump. The inflating runs on Node's zlib thread pool, not on the event loop, and stops at
// the same ratio cap as the library's import.
import type { IncomingHttpHeaders } from 'node:http';
import { decodeProfileBody, isGzip } from '../../../core/pprof/decode';
import { isProfileError } from '../../../core/pprof/errors';
import { inflateLimitFor, MAX_INFLATE_RATIO } from '../../../core/pprof/inflate';
import { parseGoroutineDump } from '../../../core/goroutines/parse';
import { MAX_INFLATED_BYTES } from '../library/detect';
import { GunzipError, gunzipBounded } from '../library/gunzip';
import { LiveError } from '../targets/errors';
import type { CapturePlan } from './kinds';

const TRACE_HEADER = /^go 1\.(\d+) trace\0*$/;

export interface BodyInfo {
  /** pprof sample types, e.g. ['samples/count', 'cpu/nanoseconds']. */
  sampleTypes: string[];
  /** Trace header's Go version ("go 1.26"), null otherwise. */
  goVersion: string | null;
  /** Goroutines in a text dump. */
  goroutines: number | null;
}

function looksLikeHtml(body: Buffer): boolean {
  const head = body.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  return (
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    head.startsWith('<head') ||
    head.startsWith('<body') ||
    (head.startsWith('<') && head.includes('</'))
  );
}

function htmlError(where: string, headers: IncomingHttpHeaders): LiveError {
  const ct = headers['content-type'] ? ` (${String(headers['content-type'])})` : '';
  return new LiveError(
    'invalid-body',
    `${where} answered an HTML page${ct} instead of a profile: is the base URL the pprof port, and is a proxy or login page in the way?`,
  );
}

export async function validateCaptureBody(
  plan: CapturePlan,
  body: Buffer,
  headers: IncomingHttpHeaders,
  where: string,
): Promise<BodyInfo> {
  if (body.length === 0) {
    throw new LiveError(
      'invalid-body',
      `${where} answered with an empty body (0 bytes): nothing to store`,
    );
  }
  if (looksLikeHtml(body)) throw htmlError(where, headers);
  switch (plan.format) {
    case 'trace':
      return validateTrace(body, where);
    case 'goroutine-text':
      return validateGoroutineText(body, where);
    default:
      return validateProfile(body, where);
  }
}

async function validateProfile(body: Buffer, where: string): Promise<BodyInfo> {
  let raw: Buffer = body;
  if (isGzip(body)) {
    // The same cap as the library's import: MAX_INFLATE_RATIO times the body's size.
    const limit = inflateLimitFor(body.length, MAX_INFLATED_BYTES);
    try {
      const out = await gunzipBounded(body, limit);
      raw = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    } catch (err) {
      if (!(err instanceof GunzipError)) throw err;
      if (err.problem === 'truncated') {
        throw new LiveError(
          'invalid-body',
          `truncated gzip stream from ${where} (${body.length} bytes received): the answer was cut short, capture again`,
        );
      }
      if (err.problem === 'too-large') {
        throw new LiveError(
          'too-large',
          `the profile from ${where} (${body.length} bytes of gzip) inflates beyond ${limit} bytes, more than ${MAX_INFLATE_RATIO}× its size: refused as a decompression bomb`,
        );
      }
      throw new LiveError('invalid-body', `${where} answered ${err.message}`);
    }
  } else {
    const text = body.subarray(0, 64).toString('utf8');
    if (/^[\x20-\x7e\r\n\t]+$/.test(text)) {
      throw new LiveError(
        'invalid-body',
        `${where} answered text, not a profile: "${text.trim().slice(0, 60)}…"`,
      );
    }
  }
  try {
    const p = decodeProfileBody(new Uint8Array(raw.buffer, raw.byteOffset, raw.length));
    return {
      sampleTypes: p.sampleTypes.map((t) => `${t.type}/${t.unit}`),
      goVersion: null,
      goroutines: null,
    };
  } catch (err) {
    const msg = isProfileError(err) ? err.message : String(err);
    throw new LiveError('invalid-body', `the body from ${where} is not a valid profile: ${msg}`);
  }
}

function validateTrace(body: Buffer, where: string): BodyInfo {
  const header = body.subarray(0, 16).toString('latin1');
  const m = TRACE_HEADER.exec(header);
  if (!m) {
    const shown = header.replace(/[^\x20-\x7e]/g, '.');
    throw new LiveError(
      'invalid-body',
      `${where} did not answer a Go execution trace (it starts with "${shown}", expected "go 1.NN trace")`,
    );
  }
  if (body.length <= 16) {
    throw new LiveError(
      'invalid-body',
      `the trace from ${where} has a header but no events: the answer was cut short, capture again`,
    );
  }
  return { sampleTypes: [], goVersion: `go 1.${m[1]}`, goroutines: null };
}

function validateGoroutineText(body: Buffer, where: string): BodyInfo {
  let dump;
  try {
    dump = parseGoroutineDump(new Uint8Array(body.buffer, body.byteOffset, body.length));
  } catch (err) {
    throw new LiveError(
      'invalid-body',
      `${where} did not answer a goroutine dump: ${(err as Error).message}`,
    );
  }
  if (dump.format !== 'debug2') {
    throw new LiveError(
      'invalid-body',
      `${where} answered a ${dump.format} goroutine dump where debug=2 was asked`,
    );
  }
  if (
    dump.truncation &&
    (dump.truncation.kind === 'mid-line' || dump.truncation.kind === 'mid-record')
  ) {
    throw new LiveError(
      'invalid-body',
      `the goroutine dump from ${where} is cut short: ${dump.truncation.message}`,
    );
  }
  return { sampleTypes: [], goVersion: null, goroutines: dump.declaredTotal };
}

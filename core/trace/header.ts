// The 16-byte header `go 1.N trace\0\0\0` that opens every Go execution trace.
import { TraceError } from './errors';
import { OLD_MINORS, SUPPORTED_MINORS } from './spec';

export const HEADER_SIZE = 16;

export interface TraceHeader {
  /** The N of `go 1.N trace`. */
  minor: number;
  /** "1.N", the trace format version (Go 1.24 writes 1.23; see docs). */
  goVersion: string;
}

const RECAPTURE =
  'Capture it again with a Go 1.22 or newer toolchain ' +
  '(runtime/trace.Start, `go test -trace`, or /debug/pprof/trace?seconds=N on a service built with Go ≥ 1.22).';

/**
 * Reads the header. Throws TraceError 'not-a-trace' for anything else, 'unsupported-version'
 * for the Go 1.11–1.21 format and unknown versions, 'truncated' when fewer than 16 bytes are
 * given but they start like a header.
 */
export function parseHeader(bytes: Uint8Array): TraceHeader {
  const prefix = 'go 1.';
  const n = Math.min(bytes.length, HEADER_SIZE);
  for (let i = 0; i < prefix.length; i++) {
    if (i >= n) {
      throw new TraceError(
        'truncated',
        `the file is only ${bytes.length} bytes long: not a Go execution trace`,
      );
    }
    if (bytes[i] !== prefix.charCodeAt(i)) {
      throw new TraceError(
        'not-a-trace',
        'not a Go execution trace: the file does not start with "go 1.N trace"',
        0,
      );
    }
  }
  let i = prefix.length;
  let minor = 0;
  let digits = 0;
  while (i < n && bytes[i] >= 0x30 && bytes[i] <= 0x39 && digits < 4) {
    minor = minor * 10 + (bytes[i] - 0x30);
    i++;
    digits++;
  }
  const rest = ' trace';
  let ok = digits > 0;
  for (let k = 0; ok && k < rest.length; k++, i++) {
    if (i >= bytes.length) {
      throw new TraceError(
        'truncated',
        `the file ends inside its ${HEADER_SIZE}-byte header: it was cut short`,
        i,
      );
    }
    if (bytes[i] !== rest.charCodeAt(k)) ok = false;
  }
  // Go's reader expects three NUL bytes of padding after the text.
  for (let k = 0; ok && k < 3; k++, i++) {
    if (i >= bytes.length) break;
    if (bytes[i] !== 0) ok = false;
  }
  if (!ok) {
    throw new TraceError(
      'not-a-trace',
      'not a Go execution trace: the file does not start with "go 1.N trace"',
      0,
    );
  }
  if (bytes.length < HEADER_SIZE) {
    throw new TraceError(
      'truncated',
      `the file ends inside its ${HEADER_SIZE}-byte header: it was cut short`,
      bytes.length,
    );
  }
  const goVersion = `1.${minor}`;
  if ((OLD_MINORS as readonly number[]).includes(minor)) {
    const writers = minor === 11 ? 'Go 1.11 to 1.18' : minor === 19 ? 'Go 1.19 or 1.20' : 'Go 1.21';
    throw new TraceError(
      'unsupported-version',
      `this trace was written by ${writers} (header "go ${goVersion} trace"), whose format pprof Studio does not read. ${RECAPTURE}`,
      0,
    );
  }
  if (!(SUPPORTED_MINORS as readonly number[]).includes(minor)) {
    throw new TraceError(
      'unsupported-version',
      `unknown or unsupported trace version go ${goVersion}: pprof Studio reads the formats of Go 1.22 to 1.26` +
        (minor > 26
          ? '; update pprof Studio to read traces from newer Go releases'
          : `. ${RECAPTURE}`),
      0,
    );
  }
  return { minor, goVersion };
}

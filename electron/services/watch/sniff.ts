// Decides from a file's name and first bytes whether a watched file is a profile, a trace,
// a goroutine dump or a GC log, without reading the whole file.

import { looksLikeGcLog } from '../../../core/gctrace/detect';

export type SniffedFormat = 'pprof-gzip' | 'pprof' | 'go-trace' | 'goroutine-text' | 'gc-log';

const TEMP_NAME = /(^\.|~$|\.(tmp|temp|part|partial|crdownload|download|swp|lock)$)/i;
const RAW_PROTO_EXT = /\.(pprof|prof|pb)$/i;

/** Names never imported: hidden files and the temp files editors and downloaders write first. */
export function isIgnoredName(base: string): boolean {
  return TEMP_NAME.test(base);
}

export function sniffFormat(base: string, head: Uint8Array): SniffedFormat | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'pprof-gzip';
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1');
  if (/^go 1\.\d+ trace\0/.test(text)) return 'go-trace';
  if (/^(goroutine profile: total \d+|goroutine \d+ \[)/.test(text)) return 'goroutine-text';
  // A GC log needs a whole gctrace line: the head must be longer than 64 bytes (see GC_DETECT_BYTES).
  if (looksLikeGcLog(head)) return 'gc-log';
  // Raw protobuf has no magic number: trust the extension, and a first field key that
  // profile.proto can start with (sample_type = field 1, wire type 2).
  if (RAW_PROTO_EXT.test(base) && head.length > 0 && head[0] === 0x0a) return 'pprof';
  return null;
}

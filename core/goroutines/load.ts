// One entry point for whatever the user opened as goroutines: the protobuf goroutine profile
// (gzip, as /debug/pprof/goroutine serves it) or a debug=1/debug=2 text dump.

import { decodeProfile, isGzip } from '../pprof/decode';
import type { GoroutineDump } from './dump';
import { goroutineDumpFromProfile } from './from-profile';
import { parseGoroutineDump } from './parse';

/**
 * Reads goroutines from a profile file or a text dump. Throws ProfileError (core/pprof) for a
 * broken profile and GoroutineDumpError for text that is not a dump.
 */
export function readGoroutines(bytes: Uint8Array): GoroutineDump {
  if (isGzip(bytes)) return goroutineDumpFromProfile(decodeProfile(bytes));
  return parseGoroutineDump(bytes);
}

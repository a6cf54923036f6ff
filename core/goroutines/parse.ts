// Entry point for goroutine text dumps: detects debug=1 or debug=2 layout and reads it.

import type { GoroutineDump } from './dump';
import { GoroutineDumpError } from './errors';
import { DEBUG1_HEADER, parseDebug1 } from './parse-debug1';
import { isDebug2Header, parseDebug2 } from './parse-debug2';
import { dumpText } from './text-input';

/** Profiles whose debug=1 text has the goroutine layout and meaning. */
const GOROUTINE_PROFILES = new Set(['goroutine', 'goroutineleak']);
/** How far to look for the first goroutine header behind a panic message or signal dump. */
const MAX_PREAMBLE_LINES = 2000;

/** Could `s` be the beginning of a dump's first line, cut short? */
function couldStartDump(s: string): boolean {
  const t = s.trimStart();
  if (t === '') return true;
  if ('goroutine profile: total '.startsWith(t) || 'goroutineleak profile: total '.startsWith(t)) {
    return true;
  }
  if (/^goroutine(leak)? profile: total \d*$/.test(t)) return true;
  return 'goroutine '.startsWith(t) || /^goroutine \d+( .*)?$/.test(t);
}

function firstLineOf(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

/**
 * Reads a goroutine dump from /debug/pprof/goroutine?debug=1 or ?debug=2 (also
 * runtime.Stack(all) and crash or SIGQUIT output). Returns the records, with `truncation` set
 * when the text was cut short; throws GoroutineDumpError only when nothing usable is there.
 */
export function parseGoroutineDump(input: string | Uint8Array): GoroutineDump {
  const text = dumpText(input);
  const start = text.search(/\S/);
  const body = start > 0 ? text.slice(text.lastIndexOf('\n', start) + 1) : text;
  const first = firstLineOf(body);
  const complete = body.includes('\n');

  const d1 = complete ? DEBUG1_HEADER.exec(first) : null;
  if (d1) {
    if (!GOROUTINE_PROFILES.has(d1[1])) {
      throw new GoroutineDumpError(
        'wrong-profile',
        `this is the debug=1 text of the ${d1[1]} profile, not a goroutine dump: ` +
          'capture /debug/pprof/goroutine?debug=1 or ?debug=2',
      );
    }
    return parseDebug1(body);
  }

  // debug=2 text may follow a panic message or a signal and register dump.
  let pos = 0;
  for (let n = 0; n < MAX_PREAMBLE_LINES && pos < body.length; n++) {
    const nl = body.indexOf('\n', pos);
    if (nl < 0) break;
    const line = body.slice(pos, nl).replace(/\r$/, '');
    if (isDebug2Header(line)) return parseDebug2(body);
    pos = nl + 1;
  }
  // No complete header line: is the rest the beginning of one, cut short?
  const tail = body.slice(pos);
  if (tail.length < 200 && couldStartDump(tail) && (pos === 0 || tail.trim() !== '')) {
    throw new GoroutineDumpError(
      'truncated',
      `the dump ends before its first goroutine was complete (${text.length} characters): ` +
        'the file was cut short',
    );
  }
  const other = /^(\S+) profile: /.exec(first) ?? /^--- (\S+):/.exec(first);
  if (other) {
    throw new GoroutineDumpError(
      'wrong-profile',
      `this is the debug=1 text of the ${other[1]} profile, not a goroutine dump: ` +
        'capture /debug/pprof/goroutine?debug=1 or ?debug=2',
    );
  }
  throw new GoroutineDumpError(
    'unrecognized',
    'this text is not a goroutine dump: expected "goroutine profile: total N" (debug=1) or ' +
      `"goroutine N [state]:" lines (debug=2), but it starts with ${JSON.stringify(first.slice(0, 80))}`,
  );
}

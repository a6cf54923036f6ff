// Go quoted strings as printed in goroutine dumps: pprof labels are written with fmt's %q in
// debug=1 text and with the runtime's printquoted in debug=2 headers. Both are a subset of Go
// string literal syntax, which is what this reads.

/** A decoded string and the index just past its closing quote. */
export interface Unquoted {
  value: string;
  end: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

function hexAt(s: string, from: number, digits: number): number {
  if (from + digits > s.length) return -1;
  const text = s.slice(from, from + digits);
  return /^[0-9a-fA-F]+$/.test(text) ? parseInt(text, 16) : -1;
}

/**
 * Reads the Go double-quoted string starting at `s[start]` (which must be `"`). Returns null
 * when the string is not terminated or has an invalid escape (e.g. the text was cut short).
 */
export function readGoQuoted(s: string, start: number): Unquoted | null {
  if (s[start] !== '"') return null;
  let out = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\n') return null;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return null;
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const code = hexAt(s, i + 2, digits);
      if (code < 0 || code > 0x10ffff) return null;
      // \xHH above 0x7f is a raw byte of invalid UTF-8: show the replacement character.
      out += e === 'x' && code > 0x7f ? '\ufffd' : String.fromCodePoint(code);
      i += 2 + digits;
    } else if (e >= '0' && e <= '7') {
      const oct = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return null;
      const code = parseInt(oct, 8);
      out += code > 0x7f ? '\ufffd' : String.fromCharCode(code);
      i += 4;
    } else {
      return null;
    }
  }
  return null;
}

const BARE = /[A-Za-z0-9./_]*/y;

/**
 * A label key or value as Go 1.27 tracebacks print them: bare when every character is a
 * letter, digit, '.', '/' or '_' (so an empty string prints as nothing), else quoted.
 */
function readBareOrQuoted(s: string, start: number): Unquoted | null {
  if (s[start] === '"') return readGoQuoted(s, start);
  BARE.lastIndex = start;
  const m = BARE.exec(s);
  return m ? { value: m[0], end: start + m[0].length } : null;
}

/**
 * Reads a label set `{"k": "v", "k2":"v2"}` starting at `s[start]` (which must be `{`), in
 * either spacing. With `bare`, keys and values may also be unquoted (the Go 1.27 traceback
 * form `{component: outbox, "k 2": "v 2"}`). Returns the pairs in order and the index past
 * `}`, or null if malformed.
 */
export function readLabelSet(
  s: string,
  start: number,
  bare = false,
): { pairs: [string, string][]; end: number } | null {
  const read = bare ? readBareOrQuoted : readGoQuoted;
  if (s[start] !== '{') return null;
  const pairs: [string, string][] = [];
  let i = start + 1;
  const skipSpaces = (): void => {
    while (s[i] === ' ') i++;
  };
  skipSpaces();
  if (s[i] === '}') return { pairs, end: i + 1 };
  for (;;) {
    skipSpaces();
    const key = read(s, i);
    if (!key) return null;
    i = key.end;
    skipSpaces();
    if (s[i] !== ':') return null;
    i++;
    skipSpaces();
    const value = read(s, i);
    if (!value) return null;
    i = value.end;
    pairs.push([key.value, value.value]);
    skipSpaces();
    if (s[i] === '}') return { pairs, end: i + 1 };
    if (s[i] !== ',') return null;
    i++;
  }
}

// Turns the bytes or string handed to the dump parser into text, refusing what is plainly not
// a text dump (gzip, binary, HTML) with an error that says what it is instead.

import { GoroutineDumpError } from './errors';

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hasNulByte(bytes: Uint8Array, limit: number): boolean {
  const n = Math.min(bytes.length, limit);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Decodes bytes as UTF-8; a character cut in half at the end becomes U+FFFD. */
export function dumpText(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    if (input.length === 0)
      throw new GoroutineDumpError('empty', 'the goroutine dump is empty (0 bytes)');
    if (isGzip(input)) {
      throw new GoroutineDumpError(
        'binary',
        'this is gzip-compressed data, most likely a goroutine profile in protobuf form ' +
          '(/debug/pprof/goroutine without ?debug=): open it as a profile, or capture ' +
          'goroutine?debug=2 for a text dump',
      );
    }
    if (hasNulByte(input, 4096)) {
      throw new GoroutineDumpError(
        'binary',
        'this is binary data, not a goroutine dump: a dump is the text served by ' +
          '/debug/pprof/goroutine?debug=1 or ?debug=2',
      );
    }
    text = new TextDecoder('utf-8').decode(input);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    throw new GoroutineDumpError('empty', 'the goroutine dump is empty (only white space)');
  }
  if (text.includes('\0')) {
    throw new GoroutineDumpError(
      'binary',
      'this text holds NUL characters, so it is not a goroutine dump',
    );
  }
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('<') && /<(!doctype\s+html|html|head|body|title)[\s>]/.test(head)) {
    throw new GoroutineDumpError(
      'html',
      'this is an HTML page, not a goroutine dump: the URL probably missed ?debug=2 ' +
        '(or pointed at a login page or proxy error); use /debug/pprof/goroutine?debug=2',
    );
  }
  return text;
}

/** Iterates the complete lines of `text` (those ending in '\n'), with their offsets. */
export class LineCursor {
  /** Start of the current line. */
  start = 0;
  /** End of the current line (index of its '\n'). */
  end = -1;
  /** Where the complete lines end: text past it is a partial last line. */
  readonly completeEnd: number;

  constructor(private readonly text: string) {
    this.completeEnd = text.lastIndexOf('\n') + 1;
  }

  /** Advances to the next complete line; returns it, or null at the end. */
  next(): string | null {
    const from = this.end + 1;
    if (from >= this.completeEnd) return null;
    const nl = this.text.indexOf('\n', from);
    this.start = from;
    this.end = nl;
    // Dumps saved on Windows may carry CRLF.
    const line = this.text.slice(from, nl);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  /** The partial last line ('' when the text ends with '\n'). */
  get partial(): string {
    return this.text.slice(this.completeEnd);
  }
}

// The one error type of goroutine dump parsing: a kind a caller can branch on and a message a
// user can act on. Thrown only when nothing usable can be read; a dump that was merely cut
// short is returned as a partial result with `truncation` set instead.

export type GoroutineDumpErrorKind =
  /** No bytes, or only white space. */
  | 'empty'
  /** An HTML page (a login page, a proxy error, the pprof index) instead of a dump. */
  | 'html'
  /** Binary data: gzip (most likely a protobuf profile) or other non-text bytes. */
  | 'binary'
  /** Text in the debug=1 layout for another profile (heap, threadcreate, mutex...). */
  | 'wrong-profile'
  /** The text ends before the first goroutine could be recognised. */
  | 'truncated'
  /** Text that is not a goroutine dump at all. */
  | 'unrecognized';

export class GoroutineDumpError extends Error {
  readonly kind: GoroutineDumpErrorKind;

  constructor(kind: GoroutineDumpErrorKind, message: string) {
    super(message);
    this.name = 'GoroutineDumpError';
    this.kind = kind;
  }
}

export function isGoroutineDumpError(err: unknown): err is GoroutineDumpError {
  return err instanceof GoroutineDumpError;
}

// The one error type of GC log reading: a kind a caller can branch on and a message a user
// can act on. Thrown only when nothing usable can be read; unreadable lines among readable
// ones are counted in the result instead (GcTrace.unreadable).

export type GcTraceErrorKind =
  /** No bytes, or only white space. */
  | 'empty'
  /** Binary data (gzip, NUL bytes): not a text log. */
  | 'binary'
  /** Text with no gctrace line in it. */
  | 'no-gctrace';

export class GcTraceError extends Error {
  readonly kind: GcTraceErrorKind;

  constructor(kind: GcTraceErrorKind, message: string) {
    super(message);
    this.name = 'GcTraceError';
    this.kind = kind;
  }
}

// Errors and warnings of the trace reader: values with a kind and a message a user can act on.

export type TraceErrorKind =
  /** Not a Go execution trace at all (no `go 1.N trace` header). */
  | 'not-a-trace'
  /** A trace format we do not read (Go 1.11–1.21, or an unknown version). */
  | 'unsupported-version'
  /** The file ends before the data it announces (cut short while copying or capturing). */
  | 'truncated'
  /** The bytes do not follow the format (corrupt batch, table or event encoding). */
  | 'malformed'
  /** Well-formed events that contradict the scheduler's rules (cannot be put in order). */
  | 'inconsistent'
  /** The caller stopped the parse. */
  | 'cancelled';

export class TraceError extends Error {
  override readonly name = 'TraceError';
  readonly kind: TraceErrorKind;
  /** Byte offset in the file the problem was found at, when known. */
  readonly offset: number | undefined;

  constructor(kind: TraceErrorKind, message: string, offset?: number) {
    super(message);
    this.kind = kind;
    this.offset = offset;
  }
}

/** A problem the reader recovered from (for example a truncated tail that was dropped). */
export interface TraceWarning {
  kind: TraceErrorKind;
  message: string;
}

export function isTraceError(err: unknown): err is TraceError {
  return err instanceof TraceError;
}

// Errors are values: every operation resolves to a Result, never a thrown exception, so the
// renderer gets the same typed error over IPC and over HTTP.

export const ERROR_KINDS = [
  /** The request failed validation; the message names the fields. */
  'invalid-request',
  /** No snapshot, target, capture or folder with that id. */
  'not-found',
  /** The bytes are not a pprof profile, a Go execution trace, a goroutine dump or a GC log. */
  'unrecognized-format',
  /** A stored file no longer matches its recorded sha256 or size. */
  'corrupt',
  /** Reading or writing a file failed (permissions, disk full, missing path). */
  'io',
  /** The operation makes no sense on this transport (e.g. a file dialog in serve mode). */
  'unsupported',
  /** A live target could not be reached or answered with an error. */
  'target',
  /** The user or a newer request cancelled the operation. */
  'cancelled',
  /** The transport itself failed (server gone, connection reset). */
  'transport',
  /** A bug: the message says what happened; details are in the back end's log. */
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ApiError {
  kind: ErrorKind;
  /** A sentence a user can act on. Shown as text, never HTML. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(kind: ErrorKind, message: string): Result<T> {
  return { ok: false, error: { kind, message } };
}

/** Thrown inside back-end services and turned into an error Result at the transport edge. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Maps any thrown value to an ApiError; unknown errors become 'internal' with their message. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ServiceError) return { kind: e.kind, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'internal', message: message || 'unexpected error' };
}

/** HTTP status used by serve mode for each error kind. */
export function httpStatusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid-request':
    case 'unrecognized-format':
      return 400;
    case 'not-found':
      return 404;
    case 'unsupported':
      return 405;
    case 'target':
      return 502;
    case 'cancelled':
      return 409;
    default:
      return 500;
  }
}

// The one error type of profile decoding and encoding: a kind a caller can branch on, and a
// message a user can act on (what is wrong and where: field, byte offset, id).

export type ProfileErrorKind =
  /** The gzip layer is corrupt (bad header, bad checksum, bad deflate data). */
  | 'gzip'
  /** The data ends before a field, message or gzip stream is complete. */
  | 'truncated'
  /** The protobuf structure is invalid (bad varint, wrong wire type, bad string table...). */
  | 'malformed'
  /** Inflating would exceed the configured size limit. */
  | 'too-large'
  /** An id or string index refers to nothing (undefined id, index out of range, duplicate id). */
  | 'invalid-reference'
  /** A value is out of its allowed range (value count vs sample types, id 0, NaN...). */
  | 'invalid-value'
  /** A valid file in a format or feature this reader does not handle (legacy text profiles). */
  | 'unsupported'
  /** The input has no bytes at all. */
  | 'empty';

export class ProfileError extends Error {
  readonly kind: ProfileErrorKind;
  /** Byte offset in the (inflated) protobuf data where the problem was seen, when known. */
  readonly offset: number | undefined;

  constructor(kind: ProfileErrorKind, message: string, offset?: number) {
    super(message);
    this.name = 'ProfileError';
    this.kind = kind;
    this.offset = offset;
  }
}

export function isProfileError(err: unknown): err is ProfileError {
  return err instanceof ProfileError;
}

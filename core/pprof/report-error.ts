// Errors of the profile engine's options and operations (not of decoding: see errors.ts).
// Each has a kind a caller can branch on and a message a user can act on.

export type ReportErrorKind =
  /** A regular expression (focus, ignore, hide, ...) is not valid Go RE2 syntax. */
  | 'bad-regex'
  /** A regular expression is valid RE2 but uses something this engine cannot run. */
  | 'unsupported-regex'
  /** The sample index names no sample type of the profile, or is out of range. */
  | 'bad-sample-index'
  /** A tagfocus/tagignore expression cannot be used. */
  | 'bad-tag-filter'
  /** Profiles cannot be merged or compared (sample types, period types). */
  | 'incompatible'
  /** Any other option with a bad value (granularity name, nodecount...). */
  | 'bad-option'
  /** The profile has nothing to report on (no sample types). */
  | 'empty'
  /** The profile itself holds something unusable (a drop_frames regex Go would reject). */
  | 'bad-profile';

export class ReportError extends Error {
  readonly kind: ReportErrorKind;

  constructor(kind: ReportErrorKind, message: string) {
    super(message);
    this.name = 'ReportError';
    this.kind = kind;
  }
}

export function isReportError(err: unknown): err is ReportError {
  return err instanceof ReportError;
}

// Errors from talking to a live target: a kind the UI can branch on and a message a user can
// act on. Never a raw stack trace; text from the target stays text.
import type { ApiError, ErrorKind } from '../../../core/contract/result';

export type LiveErrorKind =
  | 'config' // the target or request is set up wrong (bad URL, missing CA file, ...)
  | 'not-found' // no target, capture or folder with that id
  | 'unreachable' // no TCP connection: refused, DNS, host unreachable
  | 'tls' // certificate or handshake failure
  | 'timeout' // no complete answer within the deadline
  | 'connection-lost' // the connection dropped mid-response (tunnel died, target restarted)
  | 'cancelled' // the user cancelled
  | 'auth' // 401 / 403
  | 'wrong-prefix' // 404 under the prefix while the host answers
  | 'not-pprof' // 200 but not a pprof index or profile
  | 'not-served' // the target's Go version does not offer this profile (goroutineleak)
  | 'pprof-error' // the target's own text/plain error (X-Go-Pprof), shown verbatim
  | 'http' // any other unexpected HTTP status
  | 'too-large' // body over the size cap
  | 'invalid-body' // the body is not what the kind promises (HTML, truncated gzip, ...)
  | 'storage'; // the capture could not be stored

export interface LiveErrorInfo {
  kind: LiveErrorKind;
  message: string;
  /** HTTP status when the target answered. */
  status?: number;
  /** The target's own error text, verbatim (display as text, never HTML). */
  targetText?: string;
}

export class LiveError extends Error {
  override readonly name = 'LiveError';
  readonly kind: LiveErrorKind;
  readonly status?: number;
  readonly targetText?: string;

  constructor(
    kind: LiveErrorKind,
    message: string,
    extra: { status?: number; targetText?: string } = {},
  ) {
    super(message);
    this.kind = kind;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.targetText !== undefined) this.targetText = extra.targetText;
  }

  toInfo(): LiveErrorInfo {
    const info: LiveErrorInfo = { kind: this.kind, message: this.message };
    if (this.status !== undefined) info.status = this.status;
    if (this.targetText !== undefined) info.targetText = this.targetText;
    return info;
  }
}

/** Any thrown value as a LiveError (unknown failures keep their message, kind 'http'). */
export function asLiveError(err: unknown, fallbackKind: LiveErrorKind = 'http'): LiveError {
  if (err instanceof LiveError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LiveError(fallbackKind, message);
}

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** Maps a Node socket/TLS error to a LiveError whose message says what to do. */
export function networkError(err: unknown, where: string, bytesSoFar: number): LiveError {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const code = e?.code ?? '';
  const detail = e instanceof Error ? e.message : String(err);
  if (tlsCodes.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(detail)) {
      return new LiveError(
        'tls',
        `TLS handshake with ${where} failed (${detail}): the port probably speaks plain HTTP, use an http:// URL`,
      );
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return new LiveError(
        'tls',
        `the certificate of ${where} does not name this host (${detail}): use the host name the certificate was issued for`,
      );
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      return new LiveError('tls', `the certificate of ${where} is not valid now (${detail})`);
    }
    return new LiveError(
      'tls',
      `the certificate of ${where} is not trusted (${detail}): add the CA that signed it as the target's CA file`,
    );
  }
  if (
    bytesSoFar > 0 ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE'
  ) {
    return new LiveError(
      'connection-lost',
      `the connection to ${where} was lost after ${bytesSoFar} bytes (${code || detail}): did the tunnel or the target stop?`,
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new LiveError(
        'unreachable',
        `nothing is listening at ${where} (connection refused): is the service running and its tunnel up?`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LiveError(
        'unreachable',
        `the host of ${where} was not found (DNS ${code}): check the base URL`,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new LiveError(
        'unreachable',
        `${where} is unreachable (${code}): check the network or VPN`,
      );
    case 'ETIMEDOUT':
      return new LiveError('unreachable', `connecting to ${where} timed out (${code})`);
    default:
      return new LiveError('unreachable', `could not reach ${where}: ${detail}`);
  }
}

/** The contract's error value for a LiveError (the kind the transports understand). */
export function liveApiError(e: LiveError): ApiError {
  const kind: ErrorKind =
    e.kind === 'cancelled'
      ? 'cancelled'
      : e.kind === 'config'
        ? 'invalid-request'
        : e.kind === 'not-found'
          ? 'not-found'
          : e.kind === 'storage'
            ? 'io'
            : e.kind === 'invalid-body'
              ? 'unrecognized-format'
              : 'target';
  return { kind, message: e.message };
}

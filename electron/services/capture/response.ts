// Turns a non-200 answer from a pprof endpoint into an error a user can act on. The
// target's own text/plain error (X-Go-Pprof) is kept verbatim, as text.
import { LiveError } from '../targets/errors';
import type { HttpResult } from '../targets/http-client';

const MAX_QUOTED = 4096;

/** The body as text for display: UTF-8, trimmed, cut at 4 KiB with the remainder counted. */
export function bodyText(body: Buffer): string {
  const text = body.subarray(0, MAX_QUOTED).toString('utf8').trim();
  return body.length > MAX_QUOTED ? `${text}… (${body.length - MAX_QUOTED} more bytes)` : text;
}

export function isPprofErrorBody(res: HttpResult): boolean {
  return res.headers['x-go-pprof'] !== undefined;
}

export function responseError(res: HttpResult, where: string): LiveError {
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  const contentType = String(res.headers['content-type'] ?? '');
  if (isPprofErrorBody(res)) {
    const text = bodyText(res.body);
    return new LiveError('pprof-error', `the target refused ${where} (${status}): ${text}`, {
      status: res.status,
      targetText: text,
    });
  }
  if (res.status === 401 || res.status === 403) {
    return new LiveError(
      'auth',
      `${where} answered ${status}: check the target's token or credentials`,
      { status: res.status },
    );
  }
  if (res.status === 404) {
    return new LiveError(
      'wrong-prefix',
      `${where} answered ${status}: is the pprof handler mounted under another path prefix, or is this profile not offered?`,
      { status: res.status },
    );
  }
  if (contentType.startsWith('text/plain')) {
    const text = bodyText(res.body);
    return new LiveError('http', `${where} answered ${status}: ${text}`, {
      status: res.status,
      targetText: text,
    });
  }
  return new LiveError('http', `${where} answered ${status}`, { status: res.status });
}

/** A goroutineleak endpoint that answers 404: the target's Go version does not offer it. */
export function notServedError(where: string): LiveError {
  return new LiveError(
    'not-served',
    `${where}: goroutineleak is not served by this Go version (it needs Go 1.27, or Go 1.26 built with GOEXPERIMENT=goroutineleakprofile)`,
    { status: 404 },
  );
}

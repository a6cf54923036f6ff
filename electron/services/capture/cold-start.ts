// Cold-start capture: wait for a target that is not up yet, polling its pprof index with
// backoff for a bounded time, and report the moment it first answers so a capture can start
// right then (the seed guide's "right after the service starts, take the first seconds").
// Through a managed tunnel the port may accept connections while the service behind it is
// down; such a connection drops or answers a non-200, and polling simply goes on.
import { endpointUrl } from '../targets/connection';
import { asLiveError, LiveError } from '../targets/errors';
import { describeUrl, httpGet } from '../targets/http-client';
import type { CaptureTarget } from './capture-service';

export const DEFAULT_WAIT_START_MS = 60_000;
export const MAX_WAIT_START_MS = 3_600_000;
const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 500;

export interface WaitProgress {
  attempts: number;
  elapsedMs: number;
  timeoutMs: number;
  /** Why the last attempt did not count as up. */
  lastError: string | null;
}

export interface WaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  onAttempt?: (p: WaitProgress) => void;
}

export interface WaitResult {
  /** When the pprof index first answered 200. */
  firstAnswerAt: Date;
  attempts: number;
  waitedMs: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Resolves once GET {prefix}/ answers 200. Rejects 'timeout' after timeoutMs, 'cancelled'
 * on abort, and 'auth' at once for 401/403 (waiting would not help).
 */
export async function waitForStart(
  target: CaptureTarget,
  opts: WaitOptions = {},
): Promise<WaitResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_START_MS;
  if (!(timeoutMs > 0 && timeoutMs <= MAX_WAIT_START_MS))
    throw new LiveError(
      'config',
      `the wait for the target must be from 1 ms to 1 h, got ${timeoutMs} ms`,
    );
  const url = endpointUrl(target.connection, '');
  const t0 = Date.now();
  let delay = FIRST_DELAY_MS;
  let attempts = 0;
  let lastError: string | null = null;
  for (;;) {
    if (opts.signal?.aborted)
      throw new LiveError('cancelled', 'the wait for the target was cancelled');
    const left = timeoutMs - (Date.now() - t0);
    if (left <= 0) {
      throw new LiveError(
        'timeout',
        `${describeUrl(url)} did not answer within ${Math.round(timeoutMs / 1000)} s (${attempts} attempts${lastError ? `; last: ${lastError}` : ''})`,
      );
    }
    attempts++;
    try {
      const res = await httpGet(url, target.connection.conn, {
        timeoutMs: Math.min(left, 5_000),
        maxBytes: 1024 * 1024,
        signal: opts.signal,
      });
      if (res.status === 200)
        return { firstAnswerAt: new Date(), attempts, waitedMs: Date.now() - t0 };
      if (res.status === 401 || res.status === 403)
        throw new LiveError(
          'auth',
          `${describeUrl(url)} answered ${res.status}: check the target's token or credentials`,
          {
            status: res.status,
          },
        );
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      const e = asLiveError(err);
      if (e.kind === 'auth' || e.kind === 'config' || e.kind === 'tls') throw e;
      if (opts.signal?.aborted)
        throw new LiveError('cancelled', 'the wait for the target was cancelled');
      lastError = e.message;
    }
    opts.onAttempt?.({ attempts, elapsedMs: Date.now() - t0, timeoutMs, lastError });
    await sleep(Math.min(delay, Math.max(0, timeoutMs - (Date.now() - t0))), opts.signal);
    delay = Math.min(MAX_DELAY_MS, delay * 2);
  }
}

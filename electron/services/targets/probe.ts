// Probe a target: read its pprof index (offered profiles and counts) and cmdline, and say
// how healthy the connection is, with a message a user can act on.
import type { TargetHealthState } from '../../../core/contract/live';
import { asLiveError, LiveError } from './errors';
import { describeUrl, httpGet, type HttpResult } from './http-client';
import { endpointUrl, type TargetConnection } from './connection';
import { parseCmdline, parsePprofIndex, type OfferedProfile } from './pprof-index';
import { DEFAULT_PATH_PREFIX } from './target-types';

/** ok, unreachable, auth-failed, not-pprof, wrong-prefix, tls-error, timeout, error (and 'unknown' before any check). */
export type HealthState = TargetHealthState;

export interface TargetHealth {
  state: HealthState;
  message: string;
  checkedAt: string;
  /** HTTP status of the index request, when there was one. */
  status?: number;
}

export interface ProbeResult {
  health: TargetHealth;
  /** Offered profiles (empty unless health is ok). */
  profiles: OfferedProfile[];
  /** os.Args of the target, null when unavailable. */
  cmdline: string[] | null;
  indexUrl: string;
}

const PROBE_TIMEOUT_MS = 10_000;
const INDEX_MAX_BYTES = 4 << 20;

export async function probeTarget(
  c: TargetConnection,
  signal?: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<ProbeResult> {
  const indexUrl = endpointUrl(c, '');
  const timeoutMs = c.timeoutSeconds !== null ? c.timeoutSeconds * 1000 : PROBE_TIMEOUT_MS;
  const checkedAt = (): string => now().toISOString();
  const base = { profiles: [] as OfferedProfile[], cmdline: null, indexUrl: indexUrl.toString() };
  let res: HttpResult;
  try {
    res = await httpGet(indexUrl, c.conn, { timeoutMs, maxBytes: INDEX_MAX_BYTES, signal });
  } catch (err) {
    const e = asLiveError(err);
    if (e.kind === 'cancelled') throw e;
    return {
      ...base,
      health: { state: healthOfError(e), message: e.message, checkedAt: checkedAt() },
    };
  }
  const where = describeUrl(indexUrl);
  const text = res.body.toString('utf8');
  const health = (state: HealthState, message: string): ProbeResult => ({
    ...base,
    health: { state, message, checkedAt: checkedAt(), status: res.status },
  });
  if (res.status === 401 || res.status === 403) {
    return health(
      'auth-failed',
      `${where} answered ${res.status} ${res.statusText}: check the target's token or credentials`,
    );
  }
  if (res.status === 404) {
    const hint = await findDefaultPrefix(c, timeoutMs, signal);
    return health(
      'wrong-prefix',
      `the host answers but ${where} is 404 Not Found: the pprof handlers are not mounted under this prefix` +
        (hint
          ? `; they answer under ${DEFAULT_PATH_PREFIX}, set the prefix to that`
          : ' (check the path prefix)'),
    );
  }
  if (res.status === 400 && /HTTP request to an HTTPS server/i.test(text)) {
    return health('tls-error', `${where} speaks HTTPS: change the base URL to https://`);
  }
  if (res.status !== 200) {
    const detail = res.headers['x-go-pprof'] ? `: ${text.trim()}` : '';
    return health('error', `${where} answered ${res.status} ${res.statusText}${detail}`);
  }
  const profiles = parsePprofIndex(text);
  if (!profiles) {
    return health(
      'not-pprof',
      `${where} answered 200 but the page is not a pprof index (no profile table): is this the pprof port and prefix?`,
    );
  }
  let cmdline: string[] | null = null;
  try {
    const cmd = await httpGet(endpointUrl(c, 'cmdline'), c.conn, {
      timeoutMs,
      maxBytes: 1 << 20,
      signal,
    });
    if (cmd.status === 200) cmdline = parseCmdline(cmd.body.toString('utf8'));
  } catch (err) {
    if (asLiveError(err).kind === 'cancelled') throw err;
  }
  const count = profiles.find((p) => p.name === 'goroutine')?.count;
  return {
    profiles,
    cmdline,
    indexUrl: indexUrl.toString(),
    health: {
      state: 'ok',
      message: `pprof index found: ${profiles.length} profiles offered${count != null ? `, ${count} goroutines` : ''}`,
      checkedAt: checkedAt(),
      status: 200,
    },
  };
}

export function healthOfError(e: LiveError): HealthState {
  switch (e.kind) {
    case 'tls':
      return 'tls-error';
    case 'auth':
      return 'auth-failed';
    case 'wrong-prefix':
      return 'wrong-prefix';
    case 'not-pprof':
      return 'not-pprof';
    case 'timeout':
      return 'timeout';
    case 'unreachable':
    case 'connection-lost':
      return 'unreachable';
    default:
      return 'error';
  }
}

/** When the prefix is custom and 404s, see whether the default prefix answers (one request). */
async function findDefaultPrefix(
  c: TargetConnection,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const base = new URL(c.pprofBase);
  if (base.pathname.replace(/\/+$/, '').endsWith(DEFAULT_PATH_PREFIX)) return false;
  try {
    const url = new URL(`${base.origin}${DEFAULT_PATH_PREFIX}/`);
    const res = await httpGet(url, c.conn, { timeoutMs, maxBytes: INDEX_MAX_BYTES, signal });
    return res.status === 200 && parsePprofIndex(res.body.toString('utf8')) !== null;
  } catch {
    return false;
  }
}

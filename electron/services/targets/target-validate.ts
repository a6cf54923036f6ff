// Checks and normalises a target as submitted; every problem is a 'config' LiveError naming
// the field and what to do.
import { LiveError } from './errors';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_PATH_PREFIX,
  type StoredAuth,
  type StoredTarget,
  type TargetSaveInput,
} from './target-types';

export type TargetDraft = Omit<StoredTarget, 'id' | 'createdAt' | 'updatedAt'>;

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Set by the client itself or by `auth`; allowing them would fight the request machinery
// or put a secret into plain settings.
const reservedHeaders = new Set([
  'authorization',
  'proxy-authorization',
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
]);

function fail(message: string): never {
  throw new LiveError('config', message);
}

export function normalizePrefix(prefix: string | undefined): string {
  let p = (prefix ?? DEFAULT_PATH_PREFIX).trim();
  if (p === '' || p === '/') return '';
  if (!p.startsWith('/')) p = `/${p}`;
  if (/[\s?#]/.test(p)) fail(`path prefix '${prefix}' cannot contain spaces, '?' or '#'`);
  return p.replace(/\/+$/, '');
}

export function normalizeBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return fail(`base URL '${raw}' is not a URL (expected e.g. http://localhost:6060)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`base URL must start with http:// or https://, got ${url.protocol}`);
  if (url.username || url.password)
    fail('put credentials in the auth settings, not in the base URL');
  if (url.search || url.hash) fail('the base URL cannot have a query or fragment');
  return url;
}

export function validateHeaders(
  headers: { name: string; value: string; secret?: boolean }[],
): { name: string; value: string; secret?: boolean }[] {
  const seen = new Set<string>();
  return headers.map((h) => {
    const n = String(h.name ?? '').trim();
    if (!headerName.test(n)) fail(`header name '${h.name}' is not a valid HTTP header name`);
    if (reservedHeaders.has(n.toLowerCase())) {
      fail(
        n.toLowerCase() === 'authorization'
          ? 'set Authorization through the auth settings (kept out of plain settings)'
          : `header ${n} is set by the client and cannot be overridden`,
      );
    }
    const v = String(h.value ?? '');
    if (/[\r\n\0]/.test(v)) fail(`header ${n} has a line break or NUL in its value`);
    if (h.secret !== true) return { name: n, value: v };
    // A secret header's value goes to the secret store, keyed by its name: one per name.
    if (seen.has(n.toLowerCase())) fail(`secret header ${n} is given twice`);
    seen.add(n.toLowerCase());
    return { name: n, value: v, secret: true };
  });
}

export function validateTargetInput(input: TargetSaveInput): TargetDraft {
  const name = String(input.name ?? '').trim();
  if (!name) fail('a target needs a name');
  if (name.length > 256) fail('the target name is longer than 256 characters');
  const url = normalizeBaseUrl(String(input.baseUrl ?? ''));
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const headers = validateHeaders(input.headers ?? []);

  const a = input.auth ?? { type: 'none' };
  let auth: StoredAuth;
  if (a.type === 'none') auth = { type: 'none' };
  else if (a.type === 'bearer') auth = { type: 'bearer' };
  else if (a.type === 'basic') {
    if (!a.username || a.username.includes(':')) fail('basic auth needs a user name without ":"');
    auth = { type: 'basic', username: a.username };
  } else return fail(`unknown auth type '${(a as { type: string }).type}'`);

  const caFile = input.tls?.caFile?.trim() || null;
  const skipVerify = input.tls?.skipVerify === true;
  if ((caFile || skipVerify) && url.protocol !== 'https:')
    fail('TLS settings (CA file, skip verify) apply to https:// targets only');

  const timeoutSeconds = input.timeoutSeconds ?? null;
  if (
    timeoutSeconds !== null &&
    !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 && timeoutSeconds <= 86_400)
  ) {
    fail('the timeout must be between 0 and 86400 seconds');
  }
  const maxConcurrentCaptures = input.maxConcurrentCaptures ?? DEFAULT_CONCURRENCY;
  if (
    !Number.isInteger(maxConcurrentCaptures) ||
    maxConcurrentCaptures < 1 ||
    maxConcurrentCaptures > 16
  ) {
    fail('concurrent captures must be a whole number from 1 to 16');
  }

  let tunnel: TargetDraft['tunnel'] = null;
  if (input.tunnel && input.tunnel.command.trim() !== '') {
    const port = input.tunnel.localPort;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      fail('the tunnel needs the local port it opens (1-65535)');
    if (!isLoopback(url.hostname)) {
      fail(
        'a tunnel forwards a local port: the base URL of a tunneled target must be a loopback address (localhost, 127.0.0.1, ::1)',
      );
    }
    const urlPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (urlPort !== port)
      fail(
        `the tunnel opens port ${port} but the base URL uses port ${urlPort}: make them the same`,
      );
    tunnel = { command: input.tunnel.command.trim(), localPort: port };
  }

  return {
    name,
    baseUrl,
    pathPrefix: normalizePrefix(input.pathPrefix),
    headers,
    auth,
    tls: { caFile, skipVerify },
    timeoutSeconds,
    tunnel,
    maxConcurrentCaptures,
  };
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** Warnings the UI shows next to a target. */
export function targetWarnings(t: Pick<StoredTarget, 'baseUrl' | 'tls' | 'auth'>): string[] {
  const out: string[] = [];
  if (t.tls.skipVerify) {
    out.push(
      'certificate verification is OFF for this target: anyone on the network path can impersonate it and read its credentials',
    );
  }
  const url = new URL(t.baseUrl);
  if (t.auth.type !== 'none' && url.protocol === 'http:' && !isLoopback(url.hostname)) {
    out.push('credentials are sent over plain http to a non-loopback host');
  }
  return out;
}

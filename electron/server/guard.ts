// Serve mode's request guards: Host/Origin (DNS rebinding and cross-site requests) and the
// token. Both run before any routing.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { TOKEN_HEADER } from '../../core/contract';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return false;
}

/** host:port forms a browser may send for this server. */
export function allowedHostHeaders(port: number, extraHosts: string[] = []): Set<string> {
  const out = new Set<string>([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  for (const h of extraHosts) {
    const bare = h.replace(/^\[|\]$/g, '').toLowerCase();
    out.add(isIP(bare) === 6 ? `[${bare}]:${port}` : `${bare}:${port}`);
  }
  return out;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

export interface GuardInput {
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/** 403 for a foreign Host or Origin, whatever the path. */
export function checkHostAndOrigin(input: GuardInput, allowed: Set<string>): GuardVerdict {
  const host = (input.host ?? '').toLowerCase();
  if (!allowed.has(host))
    return {
      ok: false,
      status: 403,
      message: `forbidden: Host '${input.host ?? ''}' is not this server`,
    };
  if (input.origin !== undefined) {
    let originHost: string | null;
    try {
      const u = new URL(input.origin);
      originHost = u.protocol === 'http:' ? u.host.toLowerCase() : null;
    } catch {
      originHost = null;
    }
    if (originHost === null || !allowed.has(originHost))
      return {
        ok: false,
        status: 403,
        message: `forbidden: Origin '${input.origin}' is not this server`,
      };
  }
  if (input.secFetchSite === 'cross-site')
    return { ok: false, status: 403, message: 'forbidden: cross-site request' };
  return { ok: true };
}

/** The cookie the first URL's `?token=` is traded for; per port, as cookies ignore ports. */
export function tokenCookieName(port: number): string {
  return `pprof-studio-token-${port}`;
}

/** `Set-Cookie` for the token: not readable by scripts, never sent cross-site. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export interface GivenToken {
  token: string;
  via: 'header' | 'cookie';
}

/**
 * The token of a request: the `x-pprof-studio-token` header, or this server's cookie. Never
 * the query: a token in a URL ends up in logs, history and Referer headers.
 */
export function tokenOf(
  headers: Record<string, string | string[] | undefined>,
  port: number,
): GivenToken | null {
  const h = headers[TOKEN_HEADER];
  if (typeof h === 'string' && h !== '') return { token: h, via: 'header' };
  const cookie = headers.cookie;
  if (typeof cookie !== 'string') return null;
  const name = `${tokenCookieName(port)}=`;
  for (const part of cookie.split(';')) {
    const p = part.trim();
    if (p.startsWith(name)) return { token: p.slice(name.length), via: 'cookie' };
  }
  return null;
}

export function tokenMatches(given: GivenToken | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given.token);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

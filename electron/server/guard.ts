// Serve mode's request guards: Host/Origin (DNS rebinding and cross-site requests) and the
// token. Both run before any routing.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { TOKEN_HEADER, TOKEN_QUERY } from '../../core/contract';

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

export function tokenOf(
  headers: Record<string, string | string[] | undefined>,
  query: URLSearchParams,
): string | null {
  const h = headers[TOKEN_HEADER];
  if (typeof h === 'string' && h !== '') return h;
  return query.get(TOKEN_QUERY);
}

export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

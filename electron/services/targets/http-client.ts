// GET over Node's http/https (not fetch): a per-request CA and skip-verify work, the body
// streams under a size cap with progress, and every request has a deadline and can be
// cancelled. Redirects are followed only within the same origin, so auth headers never leak.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { LiveError, networkError } from './errors';

export interface ConnectionOptions {
  /** Request headers, auth included (already resolved from the secret store). */
  headers: Record<string, string>;
  /** Extra trusted CA certificates (PEM), trusted in addition to Node's bundled roots. */
  ca?: string;
  /** Skip certificate verification: only when the user asked for it explicitly. */
  insecureSkipVerify?: boolean;
}

export interface GetOptions {
  /** Deadline for the whole exchange, connection to last byte. */
  timeoutMs: number;
  /** Largest body accepted. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Called as bytes arrive, with the running total. */
  onData?: (bytesSoFar: number) => void;
  /** Called once the response headers are in. */
  onResponse?: (status: number) => void;
  /** Resolve as soon as the body holds its first full line (the rest is not read). */
  firstLineOnly?: boolean;
  maxRedirects?: number;
}

export interface HttpResult {
  /** The URL that answered (after same-origin redirects). */
  url: string;
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const USER_AGENT = 'pprof-studio/0.1';

/** Where a request went, for messages: origin + path, never credentials or query secrets. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export async function httpGet(
  url: URL,
  conn: ConnectionOptions,
  opts: GetOptions,
): Promise<HttpResult> {
  const deadline = Date.now() + opts.timeoutMs;
  let current = url;
  for (let hop = 0; ; hop++) {
    const result = await getOnce(current, conn, opts, deadline);
    const location = result.headers.location;
    if (result.status >= 300 && result.status < 400 && location && hop < (opts.maxRedirects ?? 3)) {
      const next = new URL(location, current);
      if (next.origin !== current.origin) {
        throw new LiveError(
          'http',
          `${describeUrl(current)} redirects to another origin (${next.origin}): use that address as the base URL`,
          { status: result.status },
        );
      }
      current = next;
      continue;
    }
    return result;
  }
}

function getOnce(
  url: URL,
  conn: ConnectionOptions,
  opts: GetOptions,
  deadline: number,
): Promise<HttpResult> {
  const where = describeUrl(url);
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') {
    return Promise.reject(
      new LiveError('config', `unsupported URL scheme ${url.protocol} (use http:// or https://)`),
    );
  }
  if (opts.signal?.aborted) return Promise.reject(new LiveError('cancelled', 'cancelled'));
  return new Promise<HttpResult>((resolve, reject) => {
    let settled = false;
    let received = 0;
    const chunks: Buffer[] = [];
    const finish = (err: LiveError | null, value?: HttpResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else {
        resolve(value!);
      }
    };
    const remaining = Math.max(1, deadline - Date.now());
    const timer = setTimeout(() => {
      finish(
        new LiveError(
          'timeout',
          `no complete answer from ${where} within ${formatSeconds(opts.timeoutMs)} (${received} bytes received): ` +
            'the target or the link is too slow; raise the timeout or shorten the capture',
        ),
      );
    }, remaining);
    const onAbort = (): void => finish(new LiveError('cancelled', 'cancelled'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const requestOptions: https.RequestOptions = {
      method: 'GET',
      protocol: url.protocol,
      hostname,
      port: url.port || (isHttps ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { 'User-Agent': USER_AGENT, ...conn.headers },
      // A fresh connection per request: per-target TLS settings never share a pooled socket.
      agent: false,
    };
    if (isHttps) {
      if (conn.ca !== undefined) requestOptions.ca = [...tls.rootCertificates, conn.ca];
      requestOptions.rejectUnauthorized = !conn.insecureSkipVerify;
      if (conn.insecureSkipVerify) requestOptions.checkServerIdentity = () => undefined;
    }
    const req = (isHttps ? https : http).request(requestOptions, (res) => {
      const status = res.statusCode ?? 0;
      opts.onResponse?.(status);
      const done = (): void =>
        finish(null, {
          url: url.toString(),
          status,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks, received),
        });
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (received > opts.maxBytes) {
          finish(
            new LiveError(
              'too-large',
              `the answer from ${where} is larger than ${opts.maxBytes} bytes: refused (raise the size limit if this is expected)`,
            ),
          );
          return;
        }
        chunks.push(chunk);
        opts.onData?.(received);
        if (opts.firstLineOnly && chunk.includes(0x0a)) {
          done();
          res.destroy();
        }
      });
      res.on('end', () => {
        if (res.complete) done();
        else
          finish(
            networkError(
              Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
              where,
              received,
            ),
          );
      });
      res.on('error', (err) => finish(networkError(err, where, Math.max(received, 1))));
      res.on('close', () => {
        if (!res.complete)
          finish(
            networkError(
              Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
              where,
              Math.max(received, 1),
            ),
          );
      });
    });
    req.on('error', (err) => finish(networkError(err, where, received)));
    req.end();
  });
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

// Serve mode: the built renderer plus the contract over HTTP (see core/contract/http.ts for
// the mapping). Node's http module only. Guards run first: Host/Origin (403), then the token
// for anything under /api/ (401), then routing and request validation.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, hostname } from 'node:os';
import {
  API_PREFIX,
  EVENTS_PATH,
  MAX_JSON_BODY,
  MAX_SNAPSHOT_BYTES,
  TOKEN_QUERY,
  dispatch,
  err,
  formatSse,
  httpStatusOf,
  isOperationName,
  type Backend,
  type EventHub,
  type Result,
} from '../../core/contract';
import { SECURITY_HEADERS } from './csp';
import {
  allowedHostHeaders,
  checkHostAndOrigin,
  isLoopbackHost,
  tokenCookie,
  tokenMatches,
  tokenOf,
} from './guard';
import { resolveStatic } from './static-files';

export interface ServeOptions {
  backend: Backend;
  events: EventHub;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Required to bind a non-loopback address. */
  allowRemote: boolean;
  /** Fixed token (tests); default 32 random bytes. */
  token?: string;
  /** File name for downloads (Content-Disposition); default `<id>.bin`. */
  downloadName?: (id: string) => string;
  /** Seconds between SSE keep-alive comments (default 15). */
  heartbeatSeconds?: number;
  /**
   * Longest time to receive a whole request, body included (default 10 min: a 1 GiB upload
   * over a slow link). The event stream's request has no body, so it is not cut by this.
   */
  requestTimeoutMs?: number;
  /** A connection with nothing read or written for this long is closed (default 60 s); not the event stream. */
  idleTimeoutMs?: number;
}

/** Refusals after which the rest of the request is not read: the connection is closed. */
const CLOSE_AFTER = new Set([401, 403, 405, 413, 415]);

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export class ServeError extends Error {
  override readonly name = 'ServeError';
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  contentType: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    'cache-control': 'no-store',
    // A refused request's body is not read: an unauthenticated client cannot hold the
    // socket open by trickling one.
    ...(CLOSE_AFTER.has(status) ? { connection: 'close' } : {}),
    ...extra,
  });
  res.end(body);
}

function sendResult(res: ServerResponse, result: Result<unknown>): void {
  const status = result.ok ? 200 : httpStatusOf(result.error.kind);
  send(res, status, JSON.stringify(result), 'application/json; charset=utf-8');
}

function sendError(
  res: ServerResponse,
  status: number,
  kind: Parameters<typeof err>[0],
  message: string,
): void {
  send(res, status, JSON.stringify(err(kind, message)), 'application/json; charset=utf-8');
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function contentTypeIs(req: IncomingMessage, type: string): boolean {
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return ct === type;
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Extra Host header values to accept when bound to a non-loopback address. */
function remoteHostNames(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const names = [hostname()];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) names.push(a.address);
  return names;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (!isLoopbackHost(options.host) && !options.allowRemote)
    throw new ServeError(
      `refusing to bind ${options.host}: it is not a loopback address; add --allow-remote to expose the API on the network`,
    );
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sseClients = new Set<ServerResponse>();
  let allowed = new Set<string>();
  let port = 0;

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === EVENTS_PATH) {
      if (method !== 'GET')
        return sendError(res, 405, 'invalid-request', 'use GET for /api/events');
      return openEvents(req, res);
    }
    const bytesRoute = /^\/api\/snapshots\/([^/]+)\/bytes$/.exec(path);
    if (bytesRoute) {
      if (method !== 'GET' && method !== 'HEAD')
        return sendError(res, 405, 'invalid-request', 'use GET for snapshot bytes');
      let id: string;
      try {
        id = decodeURIComponent(bytesRoute[1]);
      } catch {
        return sendError(res, 400, 'invalid-request', 'malformed snapshot id in the path');
      }
      const result = await dispatch(options.backend, 'readSnapshotBytes', { id });
      if (!result.ok) return sendResult(res, result);
      const bytes = result.value as Uint8Array;
      const extra: Record<string, string> = {};
      if (query.get('download') === '1')
        extra['content-disposition'] = contentDisposition(
          options.downloadName?.(id) ?? `${id}.bin`,
        );
      if (method === 'HEAD') {
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.byteLength),
          ...extra,
        });
        res.end();
        return;
      }
      return send(res, 200, bytes, 'application/octet-stream', extra);
    }
    const name = path.slice(API_PREFIX.length);
    if (!isOperationName(name))
      return sendError(res, 404, 'not-found', `no API operation at ${path}`);
    if (method !== 'POST') return sendError(res, 405, 'invalid-request', `use POST for ${path}`);
    if (name === 'readSnapshotBytes')
      return sendError(
        res,
        400,
        'invalid-request',
        'read snapshot bytes with GET /api/snapshots/ID/bytes',
      );

    if (name === 'importSnapshot') {
      if (!contentTypeIs(req, 'application/octet-stream'))
        return sendError(
          res,
          415,
          'invalid-request',
          'importSnapshot takes the raw file bytes as application/octet-stream',
        );
      const request: Record<string, unknown> = {};
      for (const [k, v] of query) {
        if (k in request)
          return sendError(
            res,
            400,
            'invalid-request',
            `importSnapshot: query parameter ${k} given twice`,
          );
        request[k] = v;
      }
      let body: Buffer;
      try {
        body = await readBody(req, MAX_SNAPSHOT_BYTES);
      } catch (e) {
        if (e instanceof BodyTooLarge)
          return sendError(
            res,
            413,
            'invalid-request',
            `the upload is larger than ${MAX_SNAPSHOT_BYTES} bytes`,
          );
        throw e;
      }
      request.bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      return sendResult(res, await dispatch(options.backend, name, request));
    }

    if (!contentTypeIs(req, 'application/json'))
      return sendError(
        res,
        415,
        'invalid-request',
        `${name} takes a JSON body (content-type: application/json)`,
      );
    let body: Buffer;
    try {
      body = await readBody(req, MAX_JSON_BODY);
    } catch (e) {
      if (e instanceof BodyTooLarge)
        return sendError(
          res,
          413,
          'invalid-request',
          `the request body is larger than ${MAX_JSON_BODY} bytes`,
        );
      throw e;
    }
    let parsed: unknown = {};
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (e) {
        return sendError(
          res,
          400,
          'invalid-request',
          `the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    return sendResult(res, await dispatch(options.backend, name, parsed));
  }

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    // The one long-lived request: no idle timeout (the heartbeat keeps proxies awake).
    req.socket.setTimeout(0);
    sseClients.add(res);
    const stop = options.events.listen((e) => {
      res.write(formatSse(e.name, JSON.stringify(e.payload)));
    });
    const heartbeat = setInterval(
      () => res.write(': ping\n\n'),
      (options.heartbeatSeconds ?? 15) * 1000,
    );
    heartbeat.unref();
    const done = () => {
      clearInterval(heartbeat);
      stop();
      sseClients.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  async function handleStatic(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', {
        allow: 'GET, HEAD',
      });
    const found = await resolveStatic(options.rendererDir, path);
    if (!found.ok) return send(res, found.status, `${found.reason}\n`, 'text/plain; charset=utf-8');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': found.contentType,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(found.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = checkHostAndOrigin(
      {
        host: req.headers.host,
        origin: req.headers.origin,
        secFetchSite:
          typeof req.headers['sec-fetch-site'] === 'string'
            ? req.headers['sec-fetch-site']
            : undefined,
      },
      allowed,
    );
    if (!verdict.ok)
      return send(res, verdict.status, `${verdict.message}\n`, 'text/plain; charset=utf-8');
    const rawUrl = req.url ?? '/';
    if (!rawUrl.startsWith('/'))
      return send(res, 400, 'bad request\n', 'text/plain; charset=utf-8');
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
    const isApi = path === '/api' || path.startsWith(API_PREFIX);
    if (isApi) {
      // The token is checked before routing: an unknown /api/ path without it is 401 too.
      // Header or cookie only: a token in the query is not accepted on any route.
      const given = tokenOf(req.headers, port);
      if (!tokenMatches(given, token))
        return send(
          res,
          401,
          'unauthorized: the token is missing or wrong; open the URL printed by `pprof-studio serve`\n',
          'text/plain; charset=utf-8',
        );
      // A cookie rides along with any request to this host (other ports are the same site):
      // with it, only this origin's own pages may call the API.
      const site = req.headers['sec-fetch-site'];
      if (given!.via === 'cookie' && site !== undefined && site !== 'same-origin')
        return send(res, 403, `forbidden: ${site} request\n`, 'text/plain; charset=utf-8');
      return handleApi(req, res, path, query);
    }
    const launch = query.get(TOKEN_QUERY);
    if (launch !== null) {
      // The printed URL's token is traded once for an HttpOnly, SameSite=Strict cookie, and
      // the browser sent on to `/`: the token leaves the address bar, history and Referer.
      if (!tokenMatches({ token: launch, via: 'header' }, token))
        return send(
          res,
          401,
          'unauthorized: the token in this URL is wrong; open the URL printed by `pprof-studio serve`\n',
          'text/plain; charset=utf-8',
        );
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        location: '/',
        'set-cookie': tokenCookie(port, token),
        'cache-control': 'no-store',
        'content-length': '0',
      });
      res.end();
      return;
    }
    return handleStatic(req, res, path);
  }

  const requestTimeoutMs = options.requestTimeoutMs ?? 10 * 60_000;
  // How often Node checks the request timeout (its default, 30 s, is coarser than short limits).
  const checkEveryMs = Math.max(100, Math.min(30_000, Math.floor(requestTimeoutMs / 4)));
  const server: Server = createServer({ connectionsCheckingInterval: checkEveryMs }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        sendError(res, 500, 'internal', e instanceof Error ? e.message : String(e));
      else res.destroy();
    });
  });
  // A whole request (an upload of a large profile included) must arrive within this; the
  // event stream's GET has no body, so its long-lived response is not cut.
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(30_000, server.requestTimeout);
  // Connections with no traffic are closed (the event stream opts out in openEvents).
  server.setTimeout(options.idleTimeoutMs ?? 60_000, (socket) => socket.destroy());

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new ServeError(
          e.code === 'EADDRINUSE'
            ? `port ${options.port} on ${options.host} is already in use; pick another with --port (0 for any free port)`
            : `cannot listen on ${options.host}:${options.port}: ${e.message}`,
        ),
      );
    });
    server.listen(options.port, options.host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  allowed = allowedHostHeaders(
    port,
    isLoopbackHost(options.host) ? [] : remoteHostNames(options.host),
  );
  const h = options.host.replace(/^\[|\]$/g, '');
  const urlHost = h === '0.0.0.0' || h === '::' ? '127.0.0.1' : isIPv6(h) ? `[${h}]` : h;
  const url = `http://${urlHost}:${port}/?token=${token}`;

  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const c of sseClients) c.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

function isIPv6(h: string): boolean {
  return h.includes(':');
}

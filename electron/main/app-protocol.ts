// The app:// scheme: the built renderer is served from app://renderer/, never file://, with
// the same CSP header as serve mode and the same path-traversal checks. It also streams a
// snapshot's stored bytes (app://renderer/snapshots/<id>/bytes) so the trace Worker can parse
// a big trace as it arrives instead of receiving it whole over IPC.
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { SNAPSHOT_ID, ServiceError, httpStatusOf } from '../../core/contract';
import type { Library } from '../services/library';
import { SECURITY_HEADERS } from '../server/csp';
import { resolveStatic } from '../server/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
/** Path prefix of the snapshot bytes route; the renderer builds the same path. */
export const SNAPSHOTS_PATH = '/snapshots/';
const BYTES_ROUTE = /^\/snapshots\/([^/]+)\/bytes$/;

/** The library once the services are up (null before: the protocol is served earlier). */
export type LibraryRef = () => Pick<Library, 'openReadStream'> | null;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

function textResponse(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
  });
}

/**
 * Streams a snapshot's bytes. The id is taken raw from the path: valid ids are never
 * percent-encoded, so anything encoded (`..%2f`) fails the id check and is not found.
 */
async function snapshotBytes(path: string, method: string, library: LibraryRef): Promise<Response> {
  const id = BYTES_ROUTE.exec(path)?.[1];
  if (id === undefined || !SNAPSHOT_ID.check(id, 'id').ok) return textResponse(404, 'not found');
  if (method !== 'GET') return textResponse(405, 'use GET for snapshot bytes');
  const lib = library();
  if (!lib) return textResponse(503, 'the snapshot library is not open yet');
  let opened: Awaited<ReturnType<Library['openReadStream']>>;
  try {
    opened = await lib.openReadStream(id);
  } catch (e) {
    if (e instanceof ServiceError) return textResponse(httpStatusOf(e.kind), e.message);
    return textResponse(500, `cannot read snapshot ${id}`);
  }
  // A sha256 mismatch found at the end errors the stream, so the reader sees a failed read
  // rather than a complete one.
  const body = Readable.toWeb(opened.stream) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'application/octet-stream',
      'content-length': String(opened.size),
      'cache-control': 'no-store',
    },
  });
}

/** The request handler for app://: snapshot bytes from `library`, else files of `rendererDir`. */
export function createAppProtocolHandler(
  rendererDir: string,
  library: LibraryRef,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'bad url');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST)
      return textResponse(404, 'not found');
    if (url.pathname.startsWith(SNAPSHOTS_PATH))
      return snapshotBytes(url.pathname, request.method, library);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return textResponse(405, 'method not allowed');
    const found = await resolveStatic(rendererDir, url.pathname);
    if (!found.ok) return textResponse(found.status, found.reason);
    let body: Buffer;
    try {
      body = await readFile(found.file);
    } catch {
      return textResponse(404, 'not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': found.contentType },
    });
  };
}

export function handleAppProtocol(rendererDir: string, library: LibraryRef): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, library));
}

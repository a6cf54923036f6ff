// Serve mode: the contract over HTTP to the server that served this page. Opening the URL
// `pprof-studio serve` printed traded its token for an HttpOnly, SameSite=Strict cookie (and
// sent the browser on to `/`), so no script here ever sees the token: same-origin requests,
// the Workers' included, carry the cookie.
import { createHttpApi, snapshotBytesPath, type Api } from '../../../core/contract';

export function createServeApi(): Api {
  return createHttpApi({ baseUrl: window.location.origin });
}

/** Where a Worker can fetch a snapshot's bytes itself and read them as they arrive. */
export function serveBytesUrl(id: string): string {
  return `${window.location.origin}${snapshotBytesPath(id)}`;
}

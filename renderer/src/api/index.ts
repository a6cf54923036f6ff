// The one place that knows which transport carries the Api. Everything else imports useApi().
import type { Api } from '../../../core/contract';
import { createServeApi, serveBytesUrl } from './http';
import { preloadApi, preloadBytesUrl } from './ipc';

export type { Api } from '../../../core/contract';

let api: Api | null = null;
let problem = '';
let bytesUrl: (id: string) => string | null = preloadBytesUrl;

/** Picks the transport once: the preload's Api in the app, HTTP in serve mode. */
export function initApi(): { api: Api | null; problem: string } {
  if (api || problem) return { api, problem };
  const ipc = preloadApi();
  if (ipc) api = ipc;
  else if (window.location.protocol === 'http:' || window.location.protocol === 'https:') {
    // Serve mode: the cookie carries the token; without it calls answer 401, which says to
    // open the printed URL.
    api = createServeApi();
    bytesUrl = serveBytesUrl;
  } else
    problem =
      'No connection to a back end: open the URL that `pprof-studio serve` printed (it carries the access token), or start the desktop app.';
  return { api, problem };
}

/** True in a browser talking to `pprof-studio serve`, false in the desktop app. */
export function isServeMode(): boolean {
  initApi();
  return api !== null && preloadApi() === null;
}

export function useApi(): Api {
  const { api: a, problem: p } = initApi();
  if (!a) throw new Error(p);
  return a;
}

/**
 * An absolute URL a Worker can stream a snapshot's bytes from (serve mode's binary GET, or the
 * app's app://renderer/snapshots/<id>/bytes), or null when there is none (the app under a dev
 * server's http:// origin): then read them in one piece with readSnapshotBytes.
 */
export function snapshotBytesUrl(id: string): string | null {
  initApi();
  return bytesUrl(id);
}

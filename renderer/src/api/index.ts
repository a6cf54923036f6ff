// The one place that knows which transport carries the Api. Everything else imports useApi().
import type { Api } from '../../../core/contract';
import { createServeApi, readServeToken } from './http';
import { preloadApi } from './ipc';

export type { Api } from '../../../core/contract';

let api: Api | null = null;
let problem = '';

/** Picks the transport once: the preload's Api in the app, HTTP in serve mode. */
export function initApi(): { api: Api | null; problem: string } {
  if (api || problem) return { api, problem };
  const ipc = preloadApi();
  if (ipc) api = ipc;
  else {
    const token = readServeToken();
    if (token) api = createServeApi(token);
    else
      problem =
        'No connection to a back end: open the URL that `pprof-studio serve` printed (it carries the access token), or start the desktop app.';
  }
  return { api, problem };
}

export function useApi(): Api {
  const { api: a, problem: p } = initApi();
  if (!a) throw new Error(p);
  return a;
}

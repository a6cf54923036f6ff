// Serve mode: the contract over HTTP to the server that served this page. The token comes
// in the URL `pprof-studio serve` printed; it is kept for this tab's session and taken out of
// the address bar so it does not end up in screenshots or bookmarks.
import { createHttpApi, snapshotBytesPath, TOKEN_QUERY, type Api } from '../../../core/contract';

const TOKEN_KEY = 'pprof-studio.token';

export function readServeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(TOKEN_QUERY);
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
      url.searchParams.delete(TOKEN_QUERY);
      window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    } catch {
      // Storage disabled: keep the token in the URL instead.
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function createServeApi(token: string): Api {
  return createHttpApi({ baseUrl: window.location.origin, token });
}

/**
 * Where a Worker can fetch a snapshot's bytes itself and read them as they arrive (the token
 * rides in the query, as in download links: a Worker has no access to this tab's storage).
 */
export function serveBytesUrl(token: string, id: string): string {
  return `${window.location.origin}${snapshotBytesPath(id)}?${TOKEN_QUERY}=${encodeURIComponent(token)}`;
}

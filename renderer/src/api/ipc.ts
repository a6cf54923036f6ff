// Desktop app: the preload exposes the contract's Api on window (contextBridge).
import { API_GLOBAL, type Api } from '../../../core/contract';

export function preloadApi(): Api | null {
  const api = (window as unknown as Record<string, unknown>)[API_GLOBAL];
  if (typeof api !== 'object' || api === null) return null;
  // Anything else under that name (not our preload) is not the Api: require a real operation.
  return typeof (api as Partial<Api>).listSnapshots === 'function' ? (api as Api) : null;
}

/**
 * Where a Worker can stream a snapshot's bytes from in the app: main answers
 * app://renderer/snapshots/<id>/bytes (electron/main/app-protocol.ts), same-origin, so the
 * CSP's connect-src 'self' allows it. Null under the dev server's http:// origin, which
 * cannot reach app://: there the bytes come over IPC in one piece (readSnapshotBytes).
 */
export function preloadBytesUrl(id: string): string | null {
  if (location.protocol !== 'app:') return null;
  return `${location.origin}/snapshots/${encodeURIComponent(id)}/bytes`;
}

// Desktop app: the preload exposes the contract's Api on window (contextBridge).
import { API_GLOBAL, type Api } from '../../../core/contract';

export function preloadApi(): Api | null {
  const api = (window as unknown as Record<string, unknown>)[API_GLOBAL];
  if (typeof api !== 'object' || api === null) return null;
  // The skeleton preload exposed only a version: require a real operation.
  return typeof (api as Partial<Api>).listSnapshots === 'function' ? (api as Api) : null;
}

/**
 * No URL to stream a snapshot from in the app yet: its bytes come over IPC in one piece
 * (readSnapshotBytes). Streaming them would need an app:// route for snapshot bytes.
 */
export function preloadBytesUrl(): string | null {
  return null;
}

// IPC channel names. Operations: invoke(`pprof:<operation>`, request) → Result.
// Events: main sends `pprof:event` with { name, payload }.
import type { OperationName } from './operations';

export const IPC_PREFIX = 'pprof:';
export const IPC_EVENT_CHANNEL = 'pprof:event';

export function ipcChannel(name: OperationName): string {
  return IPC_PREFIX + name;
}

/** The key under which the preload exposes the Api on `window`. */
export const API_GLOBAL = 'pprofStudio';

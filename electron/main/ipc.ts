// IPC: one handler per contract operation. Each checks who is asking (the app window's main
// frame on app://renderer) before validating the arguments with the contract and running
// the back end.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  OPERATION_NAMES,
  dispatch,
  err,
  ipcChannel,
  type AnyEvent,
  type Backend,
  type Result,
} from '../../core/contract';
import { APP_ORIGIN } from './app-protocol';

/** Origins the renderer may have: app://renderer, plus the dev server in development. */
export function trustedOrigins(devServerUrl: string | undefined): Set<string> {
  const out = new Set([APP_ORIGIN]);
  if (devServerUrl) {
    try {
      out.add(new URL(devServerUrl).origin);
    } catch {
      // An unparseable dev URL is simply not trusted.
    }
  }
  return out;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // Custom standard schemes report origin "null" in Node's URL: build it ourselves.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  origins: Set<string>,
): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.has(origin);
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  backend: Backend,
  origins: Set<string>,
): void {
  for (const name of OPERATION_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, raw: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, origins))
        return err(
          'invalid-request',
          `refused ${name}: the request did not come from the app's window`,
        );
      return dispatch(backend, name, raw);
    });
  }
}

/** Sends an event to a window's renderer, if it still exists. */
export function sendEvent(contents: WebContents | null | undefined, event: AnyEvent): void {
  if (!contents || contents.isDestroyed()) return;
  contents.send(IPC_EVENT_CHANNEL, event);
}

// The one allowed stand-in: a recording fake of the few Electron APIs the main glue calls.
// Tests load it with vi.mock('electron', () => import('./electron-mock')).
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export const created: FakeBrowserWindow[] = [];

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(
    readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>,
  ) {
    super();
    created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {}
}

export const BrowserWindow = FakeBrowserWindow;
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
export const shell = {
  openExternal: vi.fn(async () => undefined),
  openPath: vi.fn(async () => ''),
};
export const app = {};
export const ipcMain = { handle: vi.fn() };
export const dialog = {};
export const Menu = {};
export const session = {};
export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn() });
export default {};

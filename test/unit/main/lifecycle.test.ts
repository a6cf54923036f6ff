// electron/main/index.ts end to end with Electron mocked: startup order, the window, IPC
// registration, and files arriving by second instance and macOS open-file.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, OPERATION_NAMES, ipcChannel } from '../../../core/contract';

const calls: string[] = [];
const state = vi.hoisted(() => ({ data: '', ready: null as null | (() => void) }));

vi.mock('electron', async () => {
  const { EventEmitter: EE } = await import('node:events');
  const { vi: v } = await import('vitest');
  class WebContents extends EE {
    sent: { channel: string; payload: unknown }[] = [];
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
    isDestroyed() {
      return false;
    }
    setWindowOpenHandler() {}
  }
  class BrowserWindow extends EE {
    static all: BrowserWindow[] = [];
    static getAllWindows() {
      return BrowserWindow.all;
    }
    webContents = new WebContents();
    url = '';
    constructor(readonly options: unknown) {
      super();
      BrowserWindow.all.push(this);
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    show() {}
    focus() {}
    isMinimized() {
      return false;
    }
  }
  const app = Object.assign(new EE(), {
    isPackaged: false,
    enableSandbox: v.fn(() => calls.push('enableSandbox')),
    setName: v.fn(),
    setPath: v.fn((name: string, value: string) => calls.push(`setPath ${name} ${value}`)),
    getPath: (name: string) => (name === 'userData' ? state.data : join(state.data, name)),
    getVersion: () => '0.0.0-test',
    getPreferredSystemLanguages: () => ['en-US'],
    requestSingleInstanceLock: v.fn(() => true),
    whenReady: () => new Promise<void>((r) => (state.ready = r)),
    quit: v.fn(),
    exit: v.fn(),
  });
  return {
    app,
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: v.fn(() => calls.push('registerSchemesAsPrivileged')),
      handle: v.fn(() => calls.push('protocol.handle')),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: v.fn(() => calls.push('permissions')),
        setPermissionCheckHandler: v.fn(),
        setDevicePermissionHandler: v.fn(),
        setDisplayMediaRequestHandler: v.fn(),
      },
    },
    ipcMain: { handle: v.fn() },
    Menu: { buildFromTemplate: v.fn((t: unknown) => t), setApplicationMenu: v.fn() },
    dialog: { showMessageBox: v.fn(async () => ({ response: 0 })), showErrorBox: v.fn() },
    shell: { openExternal: v.fn(), openPath: v.fn() },
  };
});

// The app builds detect-worker.ts as its own chunk (electron-vite `?nodeWorker`); here the
// same file is bundled by esbuild and run in a real worker thread.
vi.mock('../../../electron/services/library/detect-worker?nodeWorker', async () => {
  const { bundleForNode } = await import('../../helpers/serve-child');
  const { Worker } = await import('node:worker_threads');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const out = await bundleForNode(
    'electron/services/library/detect-worker.ts',
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pprof-worker-')), 'w.cjs'),
  );
  return { default: (options: object) => new Worker(out, options) };
});

const electron = (await import('electron')) as unknown as {
  app: EventEmitter & Record<string, ReturnType<typeof vi.fn>>;
  BrowserWindow: {
    all: (EventEmitter & {
      url: string;
      options: { webPreferences: Record<string, unknown> };
      webContents: EventEmitter & {
        sent: { channel: string; payload: { name: string; payload: { id: string } } }[];
      };
    })[];
  };
  ipcMain: { handle: ReturnType<typeof vi.fn> };
  Menu: { setApplicationMenu: ReturnType<typeof vi.fn> };
  dialog: { showMessageBox: ReturnType<typeof vi.fn> };
};

let root: string;
const argv = process.argv;
const profile = () =>
  gunzipSync(readFileSync(resolve(__dirname, '../../../resources/demo/orders-before-cpu.pb.gz')));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pprof-main-'));
  state.data = join(root, 'data');
  process.env.PPROF_STUDIO_DATA = state.data;
  process.argv = ['/usr/bin/electron', '/app/out/main/index.js'];
  await import('../../../electron/main/index');
  process.argv = argv;
});
afterAll(() => {
  delete process.env.PPROF_STUDIO_DATA;
  rmSync(root, { recursive: true, force: true });
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('main process lifecycle', () => {
  it('registers app:// and the sandbox before ready, and uses the chosen data folder', () => {
    expect(calls.slice(0, 3)).toEqual([
      'registerSchemesAsPrivileged',
      'enableSandbox',
      `setPath userData ${state.data}`,
    ]);
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(electron.BrowserWindow.all).toHaveLength(0);
  });

  it('once ready: denies permissions, serves app://, registers every IPC operation, builds the menu and opens the window', async () => {
    state.ready!();
    await until(() => electron.BrowserWindow.all.length === 1, 'the window');
    expect(calls).toContain('permissions');
    expect(calls).toContain('protocol.handle');
    const channels = electron.ipcMain.handle.mock.calls.map((c) => c[0] as string).sort();
    expect(channels).toEqual(OPERATION_NAMES.map(ipcChannel).sort());
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalled();
    const win = electron.BrowserWindow.all[0];
    expect(win.url).toBe('app://renderer/index.html');
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
  });

  it('hardens every web contents the app creates', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    electron.app.emit('web-contents-created', {}, contents);
    const e = { preventDefault: vi.fn() };
    contents.emit('will-navigate', e, 'https://evil.example');
    expect(e.preventDefault).toHaveBeenCalled();
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('imports files from a second instance and from open-file, and tells the renderer to show them', async () => {
    const win = electron.BrowserWindow.all[0];
    const a = join(root, 'second-instance.pb');
    const b = join(root, 'open-file.pb');
    writeFileSync(a, profile());
    writeFileSync(b, Buffer.concat([profile(), Buffer.from([0x32, 0x01, 0x78])])); // one more string: other bytes
    electron.app.emit(
      'second-instance',
      {},
      ['/usr/bin/electron', '/app/out/main/index.js', a],
      root,
    );
    const ev = { preventDefault: vi.fn() };
    electron.app.emit('open-file', ev, b);
    expect(ev.preventDefault).toHaveBeenCalled();
    // Held until the page has loaded, then delivered.
    win.webContents.emit('did-finish-load');
    const opened = () =>
      win.webContents.sent.filter(
        (m) => m.channel === IPC_EVENT_CHANNEL && m.payload.name === 'app.openSnapshot',
      );
    await until(() => opened().length === 2, 'two app.openSnapshot events');
    const settingsFile = JSON.parse(readFileSync(join(state.data, 'settings.json'), 'utf8')) as {
      recentFiles: string[];
    };
    expect(settingsFile.recentFiles.sort()).toEqual([a, b].sort());
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('shows an error a user can act on when a file is not a profile', async () => {
    const bad = join(root, 'notes.txt');
    writeFileSync(bad, 'just some notes');
    electron.app.emit('open-file', { preventDefault: () => undefined }, bad);
    await until(() => electron.dialog.showMessageBox.mock.calls.length === 1, 'the error dialog');
    const [options] = electron.dialog.showMessageBox.mock.calls[0] as [
      { title: string; detail: string },
    ];
    expect(options.title).toBe('Cannot open notes.txt');
    expect(options.detail).toContain('expected a pprof profile');
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const mock = await import('./electron-mock');
const { createMainWindow, WEB_PREFERENCES } = await import('../../../electron/main/main-window');
const { denyAllPermissions, hardenWebContents, openExternalIfAllowed } =
  await import('../../../electron/main/security');

beforeEach(() => {
  mock.created.length = 0;
  mock.shell.openExternal.mockClear();
});

describe('main window', () => {
  it('is isolated and sandboxed, without Node, and loads the renderer from app://', () => {
    createMainWindow('/app/out/preload/index.js');
    const win = mock.created[0];
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      preload: '/app/out/preload/index.js',
    });
    expect(Object.keys(win.options.webPreferences).sort()).toEqual(
      [...Object.keys(WEB_PREFERENCES), 'preload'].sort(),
    );
    expect(win.loadedUrl).toBe('app://renderer/index.html');
    expect(win.loadedUrl).not.toMatch(/^file:/);
  });
});

describe('permissions', () => {
  it('denies every permission request and check, device and display capture', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const ses = {
      setPermissionRequestHandler: (h: (...a: unknown[]) => unknown) => (handlers.request = h),
      setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => (handlers.check = h),
      setDevicePermissionHandler: (h: (...a: unknown[]) => unknown) => (handlers.device = h),
      setDisplayMediaRequestHandler: (h: (...a: unknown[]) => unknown) => (handlers.display = h),
    };
    denyAllPermissions(ses as never);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ]) {
      const cb = vi.fn();
      handlers.request!({}, permission, cb, {});
      expect(cb).toHaveBeenCalledWith(false);
      expect(handlers.check!({}, permission, 'app://renderer', {})).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'usb' })).toBe(false);
    const display = vi.fn();
    handlers.display!({}, display);
    expect(display).toHaveBeenCalledWith({});
  });
});

describe('web contents hardening', () => {
  it('blocks navigation, redirects, webviews and window.open', () => {
    const contents = new mock.FakeWebContents();
    hardenWebContents(contents as never);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      contents.emit(event, e, 'https://evil.example/');
      expect([event, e.preventDefault.mock.calls.length]).toEqual([event, 1]);
    }
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://renderer/index.html',
      'javascript:alert(1)',
    ])
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    expect(mock.shell.openExternal).not.toHaveBeenCalled();
  });

  it('opens only allow-listed https documentation links externally', () => {
    expect(openExternalIfAllowed('https://pprof-studio.invalid/docs')).toBe(true);
    expect(mock.shell.openExternal).toHaveBeenCalledWith('https://pprof-studio.invalid/docs');
    expect(openExternalIfAllowed('http://pprof-studio.invalid/docs')).toBe(false);
    expect(openExternalIfAllowed('https://pprof-studio.invalid.evil.example/docs')).toBe(false);
    expect(openExternalIfAllowed('not a url')).toBe(false);
    expect(mock.shell.openExternal).toHaveBeenCalledTimes(1);
  });
});

// The one application window.
import { BrowserWindow } from 'electron';
import { APP_INDEX_URL } from './app-protocol';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

export function createMainWindow(preloadPath: string, url: string = APP_INDEX_URL): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'pprof Studio',
    webPreferences: { ...WEB_PREFERENCES, preload: preloadPath },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}

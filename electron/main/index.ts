// Electron main process: thin glue. Lifecycle, the window, the menu, app:// and IPC live
// here; every operation is implemented once in electron/services (shared with serve mode).
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import type { AnyEvent, ViewName } from '../../core/contract';
import { APP_NAME, createAppServices, type AppServices } from '../services/app-services';
import { IMPORT_DETECT_SLOTS } from '../services/library/library';
import { workerDetector } from '../services/library/detect-pool';
import createDetectWorker from '../services/library/detect-worker?nodeWorker';
import { APP_INDEX_URL, handleAppProtocol, registerAppScheme } from './app-protocol';
import { registerIpc, sendEvent, trustedOrigins } from './ipc';
import { createMainWindow } from './main-window';
import { SECRETS_FILE, SafeStorageSecretStore } from './secret-store';
import { buildMenuTemplate, menuTranslator } from './menu';
import { resolveLocale, type Locale } from '../../core/i18n';
import { OpenQueue, filesFromArgv } from './open-files';
import { DOCS_URL, denyAllPermissions, hardenWebContents, openExternalIfAllowed } from './security';

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

/** `--data=DIR` or PPROF_STUDIO_DATA picks another data folder (tests, several libraries). */
function dataDirOverride(argv: string[]): string | undefined {
  const flag = argv.find((a) => a.startsWith('--data='));
  return flag ? flag.slice('--data='.length) : process.env.PPROF_STUDIO_DATA || undefined;
}

function demoDir(): string | null {
  if (app.isPackaged) return join(process.resourcesPath, 'demo');
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'resources', 'demo');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return null;
}

registerAppScheme();
app.enableSandbox();
app.setName(APP_NAME);
app.setPath('userData', dataDirOverride(process.argv) ?? join(app.getPath('appData'), APP_NAME));

const opens = new OpenQueue();
let services: AppServices | null = null;
let mainWindow: BrowserWindow | null = null;
/** Events held until the renderer has loaded (the preload buffers them until subscribed). */
let rendererReady = false;
const held: AnyEvent[] = [];

function deliver(event: AnyEvent): void {
  if (rendererReady) sendEvent(mainWindow?.webContents, event);
  else if (event.name === 'app.openSnapshot' || event.name === 'app.showView') held.push(event);
}

function showError(title: string, message: string): void {
  void dialog.showMessageBox({
    type: 'error',
    title,
    message: title,
    detail: message,
    buttons: ['OK'],
  });
}

/**
 * A new or changed tunnel command is shown in full before its first run, in a dialog of the
 * main process (a compromised renderer cannot answer it). Cancel is the default.
 */
async function confirmTunnelCommand(request: {
  targetName: string;
  command: string;
}): Promise<boolean> {
  const options: Electron.MessageBoxOptions = {
    type: 'warning',
    title: 'Run tunnel command?',
    message: `Target "${request.targetName}" wants to run this command on your computer:`,
    detail: `${request.command}\n\nIt runs with your user's rights, in a shell. Run it only if you wrote it or trust it. You are asked again whenever it changes.`,
    buttons: ['Cancel', 'Run command'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const r = mainWindow
    ? await dialog.showMessageBox(mainWindow, options)
    : await dialog.showMessageBox(options);
  return r.response === 1;
}

async function openPath(path: string): Promise<void> {
  if (!services) return;
  try {
    const result = await services.openFile(path);
    services.events.emit('app.openSnapshot', { id: result.snapshot.id });
  } catch (e) {
    showError(`Cannot open ${basename(path)}`, e instanceof Error ? e.message : String(e));
  }
}

async function openWithDialog(): Promise<void> {
  const t = menuTranslator(uiLocale());
  const options: Electron.OpenDialogOptions = {
    title: t('menu.openDialogTitle'),
    properties: ['openFile', 'multiSelections'],
    filters: [
      {
        name: t('menu.openDialogFilter'),
        extensions: ['pprof', 'prof', 'gz', 'pb', 'trace', 'out', 'txt'],
      },
      { name: t('menu.allFiles'), extensions: ['*'] },
    ],
  };
  const r = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  if (!r.canceled) for (const p of r.filePaths) await openPath(p);
}

/** The menu's language: the UI's stored choice, or with 'auto' the system's languages. */
function uiLocale(): Locale {
  return resolveLocale(
    services?.settings.get().language ?? 'auto',
    app.getPreferredSystemLanguages(),
  );
}

function refreshMenu(): void {
  if (!services) return;
  const locale = uiLocale();
  const t = menuTranslator(locale);
  const template = buildMenuTemplate(
    {
      open: () => void openWithDialog(),
      openRecent: (p) => void openPath(p),
      clearRecent: () => void services?.settings.update({ recentFiles: [] }),
      revealLibrary: () => void shell.openPath(services!.library.dir),
      showView: (view: ViewName) => services?.events.emit('app.showView', { view }),
      about: () =>
        void dialog.showMessageBox({
          type: 'info',
          title: t('menu.about'),
          message: `${APP_NAME} ${app.getVersion()}`,
          detail: [
            `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
            `Library: ${services?.library.dir ?? ''}`,
          ].join('\n'),
          buttons: [t('menu.ok')],
        }),
      documentation: () => void openExternalIfAllowed(DOCS_URL),
    },
    services.settings.get().recentFiles,
    process.platform,
    !app.isPackaged,
    locale,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  rendererReady = false;
  const win = createMainWindow(
    join(__dirname, '../preload/index.js'),
    devServerUrl ?? APP_INDEX_URL,
  );
  mainWindow = win;
  win.webContents.on('did-finish-load', () => {
    rendererReady = true;
    for (const e of held.splice(0)) sendEvent(win.webContents, e);
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns this data folder: it receives our argv through second-instance.
  app.quit();
} else {
  for (const p of filesFromArgv(process.argv, process.cwd(), process.defaultApp === true))
    opens.push(p);

  app.on('second-instance', (_event, argv, cwd) => {
    for (const p of filesFromArgv(argv, cwd, process.defaultApp === true)) opens.push(p);
    focusWindow();
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    opens.push(path);
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (services && BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    handleAppProtocol(join(__dirname, '../renderer'), () => services?.library ?? null);
    try {
      const secrets = await SafeStorageSecretStore.open(
        join(app.getPath('userData'), SECRETS_FILE),
        () => safeStorage,
      );
      if (secrets.warning) console.warn(`${APP_NAME}: ${secrets.warning}`);
      services = await createAppServices({
        secrets,
        dataDir: app.getPath('userData'),
        demoDir: demoDir(),
        transport: 'ipc',
        version: app.getVersion(),
        electronVersion: process.versions.electron,
        confirmTunnel: (request) => confirmTunnelCommand(request),
        // Imports are inflated and scanned in worker threads, not on this process's loop.
        detect: workerDetector(() => createDetectWorker({}), IMPORT_DETECT_SLOTS),
        chooseExportPath: async (suggested) => {
          const options = {
            title: 'Export snapshot',
            defaultPath: join(app.getPath('documents'), suggested),
          };
          const r = mainWindow
            ? await dialog.showSaveDialog(mainWindow, options)
            : await dialog.showSaveDialog(options);
          return r.canceled || !r.filePath ? null : r.filePath;
        },
      });
    } catch (e) {
      dialog.showErrorBox(`${APP_NAME} cannot start`, e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    registerIpc(ipcMain, services.backend, trustedOrigins(devServerUrl));
    services.events.listen(deliver);
    services.events.listen((e) => {
      if (e.name === 'settings.changed') refreshMenu();
    });
    refreshMenu();
    createWindow();
    opens.drainTo((p) => void openPath(p));
  });

  app.on('before-quit', () => {
    void services?.close();
  });
}

// Wires the back-end services and implements every contract operation once, for both
// transports (IPC in the app, HTTP in serve mode). No Electron import: the app passes in
// what only it can do (a save dialog) as plain functions.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  EventHub,
  MAX_SNAPSHOT_BYTES,
  OPERATION_NAMES,
  ServiceError,
  operations,
  type Backend,
  type ImportSnapshotResult,
  type LibraryInfo,
  type LibraryProblem,
  type OperationName,
  type Settings,
  type Transport,
} from '../../core/contract';
import { Library, seedDemo, type SeedResult } from './library';
import { safeFileName } from '../../core/library/file-name';
import { BundleStore } from './library/bundles';
import type { Detector } from './library/detect-pool';
import { SettingsStore } from './settings';
import { SourceService, type SourceServiceOptions } from './source';
import {
  createLiveBackend,
  librarySink,
  MemorySecretStore,
  type LiveBackend,
  type RemoteAllowances,
  type SecretStore,
} from './targets';

export const APP_NAME = 'pprof Studio';

export interface AppServicesOptions {
  /** Holds library/ and settings.json (Electron userData, or serve's --data DIR). */
  dataDir: string;
  /** resources/demo: seeded into an empty library on first run; null to skip. */
  demoDir: string | null;
  transport: Transport;
  version: string;
  electronVersion?: string | null;
  /** The app's save dialog; absent in serve mode (browsers download instead). */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
  /** Implementations that replace the defaults (the live-targets work plugs in here). */
  overrides?: Partial<Backend>;
  /** Where target secrets live: safeStorage in the app; memory (default) or a 0600 file in serve mode. */
  secrets?: SecretStore;
  /** Recognises imports; the app runs it in worker threads, off the main process's loop. */
  detect?: Detector;
  /** The app's main-process confirmation of a tunnel command before its first run. */
  confirmTunnel?: (request: { targetName: string; command: string }) => Promise<boolean>;
  /**
   * Serve --allow-remote: tunnels, CA-file paths and folder watching, each off unless its own
   * flag turns it on. Absent: all on (the app, loopback serve mode).
   */
  allow?: RemoteAllowances;
  /** Source panel options (tests give their own GOROOT or size limit). */
  source?: SourceServiceOptions;
}

export interface AppServices {
  backend: Backend;
  events: EventHub;
  library: Library;
  settings: SettingsStore;
  seed: SeedResult;
  /** Live targets, captures and watched folders; null when they could not start. */
  live: LiveBackend | null;
  /** Imports a file from disk (dialog, command line, open-with, recent) and records it. */
  openFile(path: string): Promise<ImportSnapshotResult>;
  close(): Promise<void>;
}

export function libraryDirOf(dataDir: string): string {
  return join(dataDir, 'library');
}

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const dataDir = resolve(options.dataDir);
  const events = new EventHub();
  const library = await Library.open(libraryDirOf(dataDir), {
    emit: (e) => events.publish(e),
    detect: options.detect,
  });
  let followSettings: ((s: Settings) => void) | null = null;
  const settings = await SettingsStore.open(join(dataDir, 'settings.json'), {
    emit: (s) => {
      followSettings?.(s);
      events.emit('settings.changed', { settings: s });
    },
  });
  const bundles = await BundleStore.open(library);
  const seed = options.demoDir
    ? await seedDemo(library, options.demoDir)
    : { seeded: false, snapshots: [], problems: [] };

  const extraProblems = (): LibraryProblem[] => {
    const out = [...seed.problems, ...bundles.problems];
    if (settings.problem) out.push({ file: 'settings.json', reason: settings.problem });
    return out;
  };
  const withExtra = (info: LibraryInfo): LibraryInfo => ({
    ...info,
    problems: [...info.problems, ...extraProblems()],
  });

  const source = new SourceService(settings, library, options.source);

  const core: Partial<Backend> = {
    appInfo: async () => ({
      name: APP_NAME,
      version: options.version,
      transport: options.transport,
      platform: process.platform,
      dataDir,
      electronVersion: options.electronVersion ?? null,
      nodeVersion: process.versions.node,
    }),
    getSettings: async () => settings.get(),
    updateSettings: (patch) => settings.update(patch),
    libraryInfo: async () => withExtra(library.info()),
    rescanLibrary: async () => withExtra(await library.rescan()),
    listSnapshots: async (req) => library.list(req.trashed ?? false),
    getSnapshot: async (req) => library.get(req.id),
    readSnapshotBytes: (req) => library.readBytes(req.id),
    importSnapshot: (req) =>
      library.import({
        bytes: req.bytes,
        fileName: req.name,
        source: { type: 'upload' },
        note: req.note,
        group: req.group ?? null,
      }),
    renameSnapshot: (req) => library.rename(req.id, req.name),
    setSnapshotNote: (req) => library.setNote(req.id, req.note),
    deleteSnapshot: (req) => library.trash(req.id),
    restoreSnapshot: (req) => library.restore(req.id),
    readSource: (req) => source.read(req.id, req.file),
    getSourceSettings: () => source.getSettings(),
    setSourceSettings: (req) => source.setSettings(req),
    exportSnapshot: async (req) => {
      library.get(req.id); // not-found first, whatever the transport
      // No path comes with the request: only the app's own save dialog picks where to write.
      if (!options.chooseExportPath)
        throw new ServiceError(
          'unsupported',
          "export saves through the desktop app's save dialog: in a browser, download the snapshot instead",
        );
      const chosen = await options.chooseExportPath(library.suggestedFileName(req.id));
      if (chosen === null) return { path: null };
      return { path: await library.exportTo(req.id, chosen, true) };
    },
    listLibraryBundles: async () => bundles.list(),
    bundleFolderFiles: async (req) => bundles.folderFiles(req.groupId),
    importBundle: (req) => bundles.importFolder(req),
    exportBundle: async (req) => {
      const b = bundles.get(req.groupId); // not-found first, whatever the transport
      if (!options.chooseExportPath)
        throw new ServiceError(
          'unsupported',
          "exporting a folder goes through the desktop app's save dialog: in a browser, the page writes the folder itself",
        );
      const chosen = await options.chooseExportPath(safeFileName(b.manifest.name, 'bundle'));
      if (chosen === null) return { path: null };
      return { path: await bundles.exportFolder(req.groupId, chosen) };
    },
  };

  // Live targets, captures and watched folders (targets.json, recipes.json and
  // watch-folders.json sit beside settings.json). If they cannot start, the rest still works.
  let live: LiveBackend | null = null;
  let liveProblem = '';
  try {
    live = await createLiveBackend({
      settingsDir: dataDir,
      secrets: options.secrets ?? new MemorySecretStore(),
      sink: librarySink(library),
      events,
      pollIntervalSeconds: settings.get().pollIntervalSeconds,
      confirmTunnel: options.confirmTunnel,
      allow: options.allow,
    });
    followSettings = (s) => live?.setPollInterval(s.pollIntervalSeconds);
    live.live.bundles.saveManifest = (m, memStatsText) =>
      bundles.saveCaptured(m, memStatsText).then(() => undefined);
  } catch (e) {
    liveProblem = e instanceof Error ? e.message : String(e);
  }
  const liveImpl = (name: OperationName): unknown => {
    if (!operations[name].live) return undefined;
    if (live) return (live.backend as Partial<Backend>)[name];
    return async (): Promise<never> => {
      throw new ServiceError('io', `live targets could not start: ${liveProblem}`);
    };
  };

  const backend = {} as Record<OperationName, unknown>;
  for (const name of OPERATION_NAMES) {
    const impl = options.overrides?.[name] ?? core[name] ?? liveImpl(name);
    if (!impl) throw new Error(`operation ${name} has no implementation`);
    backend[name] = impl;
  }

  async function openFile(path: string): Promise<ImportSnapshotResult> {
    const abs = resolve(path);
    let bytes: Buffer;
    try {
      const st = await stat(abs);
      if (!st.isFile()) throw new ServiceError('io', `${abs} is not a file`);
      if (st.size > MAX_SNAPSHOT_BYTES)
        throw new ServiceError(
          'io',
          `${abs} is ${st.size} bytes; the largest snapshot accepted is ${MAX_SNAPSHOT_BYTES}`,
        );
      bytes = await readFile(abs);
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      const code = (e as { code?: string }).code;
      throw new ServiceError(
        'io',
        code === 'ENOENT' ? `${abs}: no such file` : `cannot read ${abs}: ${String(e)}`,
      );
    }
    const result = await library.import({
      bytes,
      fileName: abs,
      source: { type: 'file', path: abs },
    });
    await settings.addRecentFile(abs).catch(() => undefined);
    return result;
  }

  return {
    backend: backend as Backend,
    events,
    library,
    settings,
    seed,
    live,
    openFile,
    close: async () => {
      // Tunnels (whole process groups), pollers, captures and watchers stop first.
      await live?.close();
      await library.idle();
    },
  };
}

/**
 * The app's data folder, also serve mode's default: the same library whichever way the
 * workstation is started. Mirrors Electron's appData/<name> per platform.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
): string {
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

// User settings and app information.
import { arr, nullable, num, obj, oneOf, opt, str, type Validator } from './validate';
import { MAX_PATH_LENGTH } from './snapshots';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const MAX_RECENT_FILES = 10;

/** The UI language: 'auto' follows the OS or browser locale (core/i18n resolveLocale). */
export const LANGUAGES = ['auto', 'en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Settings {
  theme: Theme;
  /** Live dashboard polling interval. */
  pollIntervalSeconds: number;
  /** Most recent first, absolute paths, at most MAX_RECENT_FILES. */
  recentFiles: string[];
  /** GCs per second above which the live dashboard and the GC view flag a GC storm. */
  gcStormPerSecond: number;
  /** The UI and menu language. */
  language: Language;
}

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  pollIntervalSeconds: 5,
  recentFiles: [],
  gcStormPerSecond: 2,
  language: 'auto',
};

const theme = oneOf(THEMES);
const pollInterval = num({ int: true, min: 1, max: 3600 });
const recentFiles = arr(str({ min: 1, max: MAX_PATH_LENGTH }), MAX_RECENT_FILES);
const gcStorm = num({ min: 0.1, max: 1000 });
const language = oneOf(LANGUAGES);

export const settings: Validator<Settings> = obj<Settings>({
  theme,
  pollIntervalSeconds: pollInterval,
  recentFiles,
  gcStormPerSecond: gcStorm,
  language,
});

/** Fields to change; absent fields keep their value. */
export interface SettingsPatch {
  theme?: Theme;
  pollIntervalSeconds?: number;
  recentFiles?: string[];
  gcStormPerSecond?: number;
  language?: Language;
}
export const settingsPatch: Validator<SettingsPatch> = obj<SettingsPatch>({
  theme: opt(theme),
  pollIntervalSeconds: opt(pollInterval),
  recentFiles: opt(recentFiles),
  gcStormPerSecond: opt(gcStorm),
  language: opt(language),
});

export const TRANSPORTS = ['ipc', 'http'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface AppInfo {
  name: string;
  version: string;
  /** 'ipc' in the desktop app, 'http' in serve mode. */
  transport: Transport;
  /** process.platform of the back end. */
  platform: string;
  /** The data folder (library and settings). */
  dataDir: string;
  /** Electron version in the app, null in serve mode. */
  electronVersion: string | null;
  nodeVersion: string;
}
export const appInfo: Validator<AppInfo> = obj<AppInfo>({
  name: str({ max: 128 }),
  version: str({ max: 64 }),
  transport: oneOf(TRANSPORTS),
  platform: str({ max: 64 }),
  dataDir: str({ max: MAX_PATH_LENGTH }),
  electronVersion: nullable(str({ max: 64 })),
  nodeVersion: str({ max: 64 }),
});

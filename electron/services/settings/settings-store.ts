// User settings in DATA/settings.json, written atomically. Known fields are validated with
// the contract; other top-level sections (e.g. a later service's own data) are kept as they
// are, so an older or newer version never drops what it does not understand.
import { readFile, rename } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  DEFAULT_SETTINGS,
  MAX_RECENT_FILES,
  ServiceError,
  settings as settingsValidator,
  type Settings,
  type SettingsPatch,
  type Validator,
} from '../../../core/contract';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../atomic-file';

const KNOWN = new Set(Object.keys(DEFAULT_SETTINGS));

export interface SettingsStoreOptions {
  emit?: (settings: Settings) => void;
}

export class SettingsStore {
  private current: Settings = { ...DEFAULT_SETTINGS };
  private sections: Record<string, unknown> = {};
  private queue: Promise<unknown> = Promise.resolve();
  /** Why the file on disk was not used (it is kept as settings.json.bad); null when fine. */
  problem: string | null = null;

  private constructor(
    readonly file: string,
    private readonly emit: (s: Settings) => void,
  ) {}

  static async open(file: string, options: SettingsStoreOptions = {}): Promise<SettingsStore> {
    const store = new SettingsStore(file, options.emit ?? (() => undefined));
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT')
        this.problem = `cannot read ${this.file}: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      await this.setAside('is not a JSON object');
      return;
    }
    const rec = raw as Record<string, unknown>;
    const next: Settings = { ...DEFAULT_SETTINGS };
    for (const [key, value] of Object.entries(rec)) {
      if (!KNOWN.has(key)) {
        this.sections[key] = value;
        continue;
      }
      // Each known field on its own: one bad value falls back to its default only.
      const candidate = { ...next, [key]: value };
      if (settingsValidator.check(candidate, '').ok) Object.assign(next, { [key]: value });
      else
        this.problem = `${basename(this.file)}: the value of "${key}" was invalid and is reset to its default`;
    }
    this.current = next;
  }

  private async setAside(why: string): Promise<void> {
    const bad = `${this.file}.bad`;
    await rename(this.file, bad).catch(() => undefined);
    this.problem = `${basename(this.file)} ${why}; it was kept as ${basename(bad)} and defaults are used`;
  }

  get(): Settings {
    return { ...this.current, recentFiles: [...this.current.recentFiles] };
  }

  private persist(): Promise<void> {
    const body = { ...this.sections, ...this.current };
    return writeFileAtomic(
      this.file,
      `${JSON.stringify(body, null, 2)}\n`,
      PRIVATE_FILE_MODE,
    ).catch((e: unknown) => {
      throw new ServiceError(
        'io',
        `cannot save settings to ${this.file}: ${e instanceof Error ? e.message : e}`,
      );
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  update(patch: SettingsPatch): Promise<Settings> {
    return this.serial(async () => {
      const next: Settings = {
        theme: patch.theme ?? this.current.theme,
        pollIntervalSeconds: patch.pollIntervalSeconds ?? this.current.pollIntervalSeconds,
        recentFiles: patch.recentFiles ? dedupe(patch.recentFiles) : this.current.recentFiles,
        gcStormPerSecond: patch.gcStormPerSecond ?? this.current.gcStormPerSecond,
        language: patch.language ?? this.current.language,
      };
      const prev = this.current;
      this.current = next;
      try {
        await this.persist();
      } catch (e) {
        this.current = prev;
        throw e;
      }
      const out = this.get();
      this.emit(out);
      return out;
    });
  }

  /** Puts `path` first in the recent files list. */
  addRecentFile(path: string): Promise<Settings> {
    return this.update({
      recentFiles: [path, ...this.current.recentFiles.filter((p) => p !== path)],
    });
  }

  /** A section owned by another service, checked with its validator; null when absent or invalid. */
  readSection<T>(key: string, validator: Validator<T>): T | null {
    if (KNOWN.has(key)) throw new Error(`${key} is a settings field, not a section`);
    const r = validator.check(this.sections[key], key);
    return r.ok ? r.value : null;
  }

  writeSection(key: string, value: unknown): Promise<void> {
    if (KNOWN.has(key)) throw new Error(`${key} is a settings field, not a section`);
    return this.serial(async () => {
      this.sections[key] = value;
      await this.persist();
    });
  }
}

function dedupe(paths: string[]): string[] {
  return [...new Set(paths)].slice(0, MAX_RECENT_FILES);
}

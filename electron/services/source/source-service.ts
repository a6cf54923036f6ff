// The Source panel's back end: source settings (kept in settings.json's "source" section),
// GOROOT and GOMODCACHE from `go env`, and reading a file a snapshot's profile names through
// the resolver. A file the profile does not name is refused before anything is looked up.
import { execFile } from 'node:child_process';
import {
  MAX_SOURCE_BYTES,
  ServiceError,
  sourceSettings as sourceSettingsValidator,
  type SourceResult,
  type SourceSettings,
  type SourceSettingsInfo,
} from '../../../core/contract';
import { decodeProfile } from '../../../core/pprof/decode';
import type { Library } from '../library';
import type { SettingsStore } from '../settings';
import { expandFolder, resolveSource } from './resolver';

const SECTION = 'source';
const DEFAULTS: SourceSettings = { roots: [], goroot: '', gomodcache: '' };
/** Profiles whose file names are kept (the Compare view reads two). */
const NAME_CACHE = 4;

export interface GoEnv {
  goroot: string;
  gomodcache: string;
}

/** `go env GOROOT GOMODCACHE`, or empty values when Go is not there. */
export function goEnv(go = 'go'): Promise<GoEnv> {
  return new Promise((done) => {
    execFile(go, ['env', 'GOROOT', 'GOMODCACHE'], { timeout: 10_000 }, (err, stdout) => {
      if (err) return done({ goroot: '', gomodcache: '' });
      const [goroot = '', gomodcache = ''] = String(stdout).split('\n');
      done({ goroot: goroot.trim(), gomodcache: gomodcache.trim() });
    });
  });
}

export interface SourceServiceOptions {
  /** Where GOROOT and GOMODCACHE come from when not configured (default: `go env`). */
  goEnv?: () => Promise<GoEnv>;
  maxBytes?: number;
}

export class SourceService {
  private detected: Promise<GoEnv> | null = null;
  private names = new Map<string, Set<string>>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly library: Library,
    private readonly options: SourceServiceOptions = {},
  ) {}

  private current(): SourceSettings {
    return this.settings.readSection(SECTION, sourceSettingsValidator) ?? DEFAULTS;
  }

  private env(): Promise<GoEnv> {
    this.detected ??= (this.options.goEnv ?? (() => goEnv()))();
    return this.detected;
  }

  async getSettings(): Promise<SourceSettingsInfo> {
    const env = await this.env();
    return { ...this.current(), detectedGoroot: env.goroot, detectedGomodcache: env.gomodcache };
  }

  async setSettings(next: SourceSettings): Promise<SourceSettingsInfo> {
    for (const r of next.roots) {
      if (expandFolder(r.folder) === '')
        throw new ServiceError(
          'invalid-request',
          `source root folder "${r.folder}" must be an absolute path (or start with ~/)`,
        );
    }
    for (const [what, f] of [
      ['GOROOT', next.goroot],
      ['GOMODCACHE', next.gomodcache],
    ] as const) {
      if (f !== '' && expandFolder(f) === '')
        throw new ServiceError('invalid-request', `${what} "${f}" must be an absolute path`);
    }
    await this.settings.writeSection(SECTION, next);
    return this.getSettings();
  }

  /** The file names the snapshot's profile records (its functions' files). */
  private async fileNames(id: string): Promise<Set<string>> {
    const cached = this.names.get(id);
    if (cached) return cached;
    const meta = this.library.get(id);
    if (meta.format !== 'pprof' && meta.format !== 'pprof-gzip')
      throw new ServiceError('invalid-request', `${meta.name} is not a pprof profile`);
    const bytes = await this.library.readBytes(id);
    let names: Set<string>;
    try {
      const p = decodeProfile(bytes);
      names = new Set<string>();
      for (let f = 0; f < p.functions.length; f++) {
        const s = p.strings[p.functions.filename[f]] ?? '';
        if (s !== '') names.add(s);
      }
    } catch (e) {
      throw new ServiceError(
        'unrecognized-format',
        `${meta.name}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    this.names.set(id, names);
    if (this.names.size > NAME_CACHE) this.names.delete(this.names.keys().next().value!);
    return names;
  }

  async read(id: string, file: string): Promise<SourceResult> {
    const names = await this.fileNames(id);
    if (!names.has(file))
      throw new ServiceError(
        'invalid-request',
        `the profile of this snapshot names no source file "${file}"; only those can be read`,
      );
    const s = this.current();
    const env = await this.env();
    return resolveSource(file, {
      roots: s.roots,
      goroot: expandFolder(s.goroot || env.goroot),
      gomodcache: expandFolder(s.gomodcache || env.gomodcache),
      maxBytes: this.options.maxBytes ?? MAX_SOURCE_BYTES,
    });
  }
}

// Targets persisted as JSON in the settings folder (atomic writes). Secrets go to the
// SecretStore under `target:<id>:secret` and never into the file.
import { promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../atomic-file';
import { LiveError } from './errors';
import type { SecretStore } from './secret-store';
import type { StoredTarget, TargetSaveInput, TargetView } from './target-types';
import { targetWarnings, validateTargetInput } from './target-validate';

interface TargetsFile {
  version: 1;
  targets: StoredTarget[];
}

export const TARGETS_FILE = 'targets.json';

export function secretKey(targetId: string): string {
  return `target:${targetId}:secret`;
}

/** Where a secret header's value lives (never in targets.json). */
export function headerSecretKey(targetId: string, headerName: string): string {
  return `target:${targetId}:header:${headerName.toLowerCase()}`;
}

/**
 * Whether a stored secret may stay with a target edited from `before` to `after` without a
 * new one being typed: only while it still goes to the same scheme, host and port, and with
 * at least the same certificate checks (verification not turned off, the same CA file).
 * Otherwise a re-pointed target would send the old host's credentials to the new one.
 */
export function secretMayFollow(
  before: Pick<StoredTarget, 'baseUrl' | 'tls'>,
  after: Pick<StoredTarget, 'baseUrl' | 'tls'>,
): boolean {
  const a = new URL(before.baseUrl);
  const b = new URL(after.baseUrl);
  // URL.origin is scheme://host:port with the default port made explicit-equal.
  if (a.origin !== b.origin) return false;
  if (after.tls.skipVerify && !before.tls.skipVerify) return false;
  if ((after.tls.caFile ?? null) !== (before.tls.caFile ?? null)) return false;
  return true;
}

export class TargetStore {
  private readonly targets = new Map<string, StoredTarget>();
  /** Problems met while loading (to show the user; an unreadable file is kept aside). */
  readonly loadProblems: string[] = [];
  // Serialises writes so two quick edits cannot interleave their renames.
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly settingsDir: string,
    private readonly secrets: SecretStore,
    private readonly now: () => Date,
  ) {}

  static async open(
    settingsDir: string,
    secrets: SecretStore,
    now: () => Date = () => new Date(),
  ): Promise<TargetStore> {
    const store = new TargetStore(settingsDir, secrets, now);
    await fs.mkdir(settingsDir, { recursive: true });
    await store.load();
    return store;
  }

  get file(): string {
    return join(this.settingsDir, TARGETS_FILE);
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    let parsed: Partial<TargetsFile> | undefined;
    try {
      parsed = JSON.parse(text) as Partial<TargetsFile>;
    } catch {
      parsed = undefined;
    }
    if (!parsed || !Array.isArray(parsed.targets)) {
      // Keep the unreadable file for the user instead of overwriting it on the next save.
      const aside = `${this.file}.unreadable-${this.now().getTime()}`;
      await fs.rename(this.file, aside);
      this.loadProblems.push(
        `${this.file} could not be read as a targets list; it was moved to ${aside}`,
      );
      return;
    }
    for (const raw of parsed.targets) {
      const name = (raw as { name?: unknown } | null)?.name;
      try {
        const t = raw as StoredTarget;
        if (typeof t.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(t.id))
          throw new LiveError('config', 'it has no valid id');
        const draft = validateTargetInput({
          ...t,
          auth: t.auth?.type === 'basic' ? { type: 'basic', username: t.auth.username } : t.auth,
          // A secret header's value never belongs in the file: drop one found there.
          headers: (t.headers ?? []).map((h) => (h.secret ? { ...h, value: '' } : h)),
        });
        this.targets.set(t.id, {
          ...draft,
          id: t.id,
          createdAt: String(t.createdAt ?? ''),
          updatedAt: String(t.updatedAt ?? ''),
        });
      } catch (err) {
        this.loadProblems.push(
          `target ${JSON.stringify(name ?? '?')} in ${this.file} was skipped: ${(err as Error).message}`,
        );
      }
    }
  }

  list(): StoredTarget[] {
    return [...this.targets.values()].sort(
      (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    );
  }

  has(id: string): boolean {
    return this.targets.has(id);
  }

  get(id: string): StoredTarget {
    const t = this.targets.get(id);
    if (!t) throw new LiveError('not-found', `no target with id ${id}`);
    return t;
  }

  async view(id: string): Promise<TargetView> {
    const t = this.get(id);
    const hasSecret =
      t.auth.type !== 'none' && (await this.secrets.get(secretKey(id))) !== undefined;
    const auth: TargetView['auth'] =
      t.auth.type === 'none'
        ? { type: 'none' }
        : t.auth.type === 'bearer'
          ? { type: 'bearer', hasToken: hasSecret }
          : { type: 'basic', username: t.auth.username, hasPassword: hasSecret };
    return {
      id: t.id,
      name: t.name,
      baseUrl: t.baseUrl,
      pathPrefix: t.pathPrefix,
      headers: t.headers.map((h) => ({ ...h })),
      auth,
      tls: { ...t.tls },
      timeoutSeconds: t.timeoutSeconds,
      tunnel: t.tunnel ? { ...t.tunnel } : null,
      maxConcurrentCaptures: t.maxConcurrentCaptures,
      warnings: targetWarnings(t),
    };
  }

  async views(): Promise<TargetView[]> {
    return Promise.all(this.list().map((t) => this.view(t.id)));
  }

  async secret(id: string): Promise<string | undefined> {
    return this.secrets.get(secretKey(id));
  }

  /** The stored values of the target's secret headers, by header name (missing ones absent). */
  async headerSecrets(id: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const h of this.get(id).headers) {
      if (!h.secret) continue;
      const v = await this.secrets.get(headerSecretKey(id, h.name));
      if (v !== undefined) out[h.name] = v;
    }
    return out;
  }

  /**
   * Creates (no id) or replaces (id) a target. A token or password given is stored; omitted,
   * the stored one is kept unless the auth type (or basic user) changed, or the secret would
   * now go somewhere else (see secretMayFollow): then it is dropped.
   */
  async save(input: TargetSaveInput): Promise<TargetView> {
    const draft = validateTargetInput(input);
    const newSecret =
      input.auth?.type === 'bearer'
        ? input.auth.token
        : input.auth?.type === 'basic'
          ? input.auth.password
          : undefined;
    if (newSecret !== undefined && /[\r\n\0]/.test(newSecret))
      throw new LiveError('config', 'the token or password has a line break or NUL in it');
    const stamp = this.now().toISOString();
    let t: StoredTarget;
    let keepOldSecret = false;
    if (input.id !== undefined) {
      const old = this.get(input.id);
      keepOldSecret =
        old.auth.type === draft.auth.type &&
        (old.auth.type !== 'basic' ||
          draft.auth.type !== 'basic' ||
          old.auth.username === draft.auth.username) &&
        secretMayFollow(old, draft);
      t = { ...draft, id: old.id, createdAt: old.createdAt, updatedAt: stamp };
    } else {
      t = { ...draft, id: randomUUID(), createdAt: stamp, updatedAt: stamp };
    }
    // Secret headers: a value typed is stored; an empty one keeps the stored value under the
    // same rule as the token; the file only ever holds their names.
    const old = input.id !== undefined ? this.targets.get(input.id) : undefined;
    const mayFollow = old !== undefined && secretMayFollow(old, draft);
    const secretHeaders = new Set<string>();
    for (const h of t.headers) {
      if (!h.secret) continue;
      const key = headerSecretKey(t.id, h.name);
      secretHeaders.add(key);
      if (h.value !== '') await this.secrets.set(key, h.value);
      else if (
        !mayFollow ||
        !old?.headers.some((o) => o.secret && o.name.toLowerCase() === h.name.toLowerCase())
      )
        await this.secrets.delete(key);
    }
    for (const o of old?.headers ?? [])
      if (o.secret && !secretHeaders.has(headerSecretKey(t.id, o.name)))
        await this.secrets.delete(headerSecretKey(t.id, o.name));
    t = { ...t, headers: t.headers.map((h) => (h.secret ? { ...h, value: '' } : h)) };
    this.targets.set(t.id, t);
    if (t.auth.type === 'none') await this.secrets.delete(secretKey(t.id));
    else if (newSecret !== undefined) await this.secrets.set(secretKey(t.id), newSecret);
    else if (!keepOldSecret) await this.secrets.delete(secretKey(t.id));
    await this.persist();
    return this.view(t.id);
  }

  async remove(id: string): Promise<void> {
    const t = this.get(id);
    this.targets.delete(id);
    await this.secrets.delete(secretKey(id));
    for (const h of t.headers) if (h.secret) await this.secrets.delete(headerSecretKey(id, h.name));
    await this.persist();
  }

  private persist(): Promise<void> {
    const body: TargetsFile = { version: 1, targets: this.list() };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.file, text, PRIVATE_FILE_MODE));
    return this.writing;
  }
}

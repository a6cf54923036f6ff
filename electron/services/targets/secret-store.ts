// Where target secrets (bearer tokens, basic-auth passwords) live. Never in targets.json.
// The Electron app implements SecretStore with safeStorage; serve mode keeps secrets in
// memory, or in a file readable by its owner only (--secrets-file, mode 0600).
import { promises as fs } from 'node:fs';
import { LiveError } from './errors';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../atomic-file';

export interface SecretStore {
  /** Said next to every target with a secret when the store protects secrets poorly. */
  readonly warning?: string | null;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

interface SecretsFile {
  version: 1;
  secrets: Record<string, string>;
}

/**
 * Secrets in a JSON file that only its owner may read. A file with looser permissions is
 * refused (not repaired): the user must fix it knowingly, since it may already have leaked.
 */
export class FileSecretStore implements SecretStore {
  private constructor(
    readonly path: string,
    private values: Map<string, string>,
  ) {}

  static async open(path: string): Promise<FileSecretStore> {
    let text: string;
    try {
      await checkPrivate(path);
      text = await fs.readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return new FileSecretStore(path, new Map());
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? { version: 1, secrets: {} } : JSON.parse(text);
    } catch {
      throw new LiveError('config', `secrets file ${path} is not valid JSON: fix or remove it`);
    }
    const secrets = (parsed as Partial<SecretsFile>)?.secrets;
    if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) {
      throw new LiveError(
        'config',
        `secrets file ${path} has no "secrets" object: fix or remove it`,
      );
    }
    const values = new Map<string, string>();
    for (const [k, v] of Object.entries(secrets)) if (typeof v === 'string') values.set(k, v);
    return new FileSecretStore(path, values);
  }

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    await this.save();
  }
  async delete(key: string): Promise<void> {
    if (this.values.delete(key)) await this.save();
  }

  private async save(): Promise<void> {
    const body: SecretsFile = { version: 1, secrets: Object.fromEntries(this.values) };
    await writeFileAtomic(this.path, `${JSON.stringify(body, null, 2)}\n`, PRIVATE_FILE_MODE);
  }
}

/** Throws unless path is a regular file owned by this user with no group/other access. */
async function checkPrivate(path: string): Promise<void> {
  const st = await fs.lstat(path);
  if (!st.isFile()) {
    throw new LiveError('config', `secrets file ${path} is not a regular file`);
  }
  // Windows has no POSIX mode bits; its ACLs are the user profile's business.
  if (process.platform === 'win32') return;
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new LiveError(
      'config',
      `secrets file ${path} has mode ${mode}: it must be readable by its owner only (run: chmod 600 ${path})`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new LiveError(
      'config',
      `secrets file ${path} belongs to another user (uid ${st.uid}): refused`,
    );
  }
}

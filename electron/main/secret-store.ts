// Target secrets (bearer tokens, basic-auth passwords) in the desktop app: encrypted with
// Electron's safeStorage (OS keychain) and kept as ciphertext in the settings folder, never
// in targets.json. Decrypted values are cached in memory for the session only.
import { promises as fs } from 'node:fs';
import type { SecretStore } from '../services/targets';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../services/atomic-file';

/** The part of Electron's safeStorage this store uses. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend?(): string;
}

interface SecretsFile {
  version: 1;
  /** Base64 of safeStorage ciphertext, per key. */
  secrets: Record<string, string>;
}

export const SECRETS_FILE = 'secrets.json';

export const BASIC_TEXT_WARNING =
  'no OS keychain was found (safeStorage uses its "basic_text" fallback): target secrets are stored encrypted with a fixed key, so anyone who can read the settings folder can recover them. Install and unlock a keyring (GNOME Keyring, KWallet) to protect them.';

export const UNAVAILABLE_WARNING =
  'secure storage (safeStorage) is not available: target secrets are kept in memory only and must be entered again after a restart';

export class SafeStorageSecretStore implements SecretStore {
  private readonly plain = new Map<string, string>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly storage: SafeStorageLike | null,
    private readonly cipher: Map<string, string>,
    /** Shown beside every target with a secret; null when the keychain protects them. */
    readonly warning: string | null,
  ) {}

  /**
   * Opens the ciphertext file. `storage` is a getter so that an Electron without safeStorage
   * (or one that throws) degrades to a memory-only store with a warning instead of failing.
   */
  static async open(
    path: string,
    storage: () => SafeStorageLike | undefined,
  ): Promise<SafeStorageSecretStore> {
    let ss: SafeStorageLike | null = null;
    try {
      const s = storage();
      if (s && (await s.isAsyncEncryptionAvailable())) ss = s;
    } catch {
      ss = null;
    }
    if (!ss) return new SafeStorageSecretStore(path, null, new Map(), UNAVAILABLE_WARNING);
    let backend: string;
    try {
      backend = ss.getSelectedStorageBackend?.() ?? '';
    } catch {
      backend = '';
    }
    const warning = backend === 'basic_text' ? BASIC_TEXT_WARNING : null;
    return new SafeStorageSecretStore(path, ss, await readCipher(path), warning);
  }

  async get(key: string): Promise<string | undefined> {
    const cached = this.plain.get(key);
    if (cached !== undefined) return cached;
    const c = this.cipher.get(key);
    if (c === undefined || !this.storage) return undefined;
    let r: { shouldReEncrypt: boolean; result: string };
    try {
      r = await this.storage.decryptStringAsync(Buffer.from(c, 'base64'));
    } catch {
      // Encrypted under another user or keychain: as good as absent, the user enters it again.
      return undefined;
    }
    this.plain.set(key, r.result);
    if (r.shouldReEncrypt) await this.set(key, r.result).catch(() => undefined);
    return r.result;
  }

  async set(key: string, value: string): Promise<void> {
    this.plain.set(key, value);
    if (!this.storage) return;
    const enc = await this.storage.encryptStringAsync(value);
    this.cipher.set(key, enc.toString('base64'));
    await this.save();
  }

  async delete(key: string): Promise<void> {
    this.plain.delete(key);
    if (this.cipher.delete(key)) await this.save();
  }

  private save(): Promise<void> {
    const body: SecretsFile = { version: 1, secrets: Object.fromEntries(this.cipher) };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.path, text, PRIVATE_FILE_MODE));
    return this.writing;
  }
}

async function readCipher(path: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    return out;
  }
  try {
    const parsed = JSON.parse(text) as Partial<SecretsFile>;
    const s = parsed.secrets;
    if (s && typeof s === 'object' && !Array.isArray(s))
      for (const [k, v] of Object.entries(s)) if (typeof v === 'string') out.set(k, v);
  } catch {
    // An unreadable file holds no usable secrets; it is replaced on the next save.
  }
  return out;
}

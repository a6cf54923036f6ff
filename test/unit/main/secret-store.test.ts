// The app's safeStorage-backed secret store (electron/main/secret-store.ts) with Electron's
// safeStorage replaced by a reversible stand-in: ciphertext only on disk (mode 0600),
// the basic_text warning, re-encryption on key rotation, and a memory-only fallback.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  BASIC_TEXT_WARNING,
  SafeStorageSecretStore,
  UNAVAILABLE_WARNING,
  type SafeStorageLike,
} from '../../../electron/main/secret-store';

// The module imports nothing from electron itself; keep it that way (tests without Electron).
vi.mock('electron', () => {
  throw new Error('secret-store.ts must take safeStorage as a parameter');
});

const root = mkdtempSync(join(tmpdir(), 'pprof-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** XOR "encryption" tagged with a key version, so rotation can be simulated. */
function fakeStorage(opts: { backend?: string; available?: boolean } = {}) {
  const state = { version: 1, encrypts: 0 };
  const storage: SafeStorageLike = {
    isAsyncEncryptionAvailable: async () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptStringAsync: async (s: string) => {
      state.encrypts++;
      const body = Buffer.from(s, 'utf8').map((b) => b ^ 0x5a);
      return Buffer.concat([Buffer.from([state.version]), body]);
    },
    decryptStringAsync: async (buf: Buffer) => {
      const text = Buffer.from(buf.subarray(1).map((b) => b ^ 0x5a)).toString('utf8');
      return { result: text, shouldReEncrypt: buf[0] !== state.version };
    },
  };
  return { storage, state };
}

describe('SafeStorageSecretStore', () => {
  it('keeps only ciphertext on disk, mode 0600, and reads it back in a new session', async () => {
    const file = join(root, 'a', 'secrets.json');
    const { storage } = fakeStorage();
    mkdirSync(join(root, 'a'));
    const s = await SafeStorageSecretStore.open(file, () => storage);
    expect(s.warning).toBeNull();
    await s.set('target:t1:secret', 'hunter2-token');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).secrets['target:t1:secret']).toMatch(/^[A-Za-z0-9+/=]+$/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = await SafeStorageSecretStore.open(file, () => storage);
    expect(await again.get('target:t1:secret')).toBe('hunter2-token');
    expect(await again.get('target:nope:secret')).toBeUndefined();
    await again.delete('target:t1:secret');
    expect(JSON.parse(readFileSync(file, 'utf8')).secrets).toEqual({});
  });

  it("warns when Linux has no keychain ('basic_text')", async () => {
    const { storage } = fakeStorage({ backend: 'basic_text' });
    const s = await SafeStorageSecretStore.open(join(root, 'b.json'), () => storage);
    expect(s.warning).toBe(BASIC_TEXT_WARNING);
    expect(s.warning).toMatch(/keyring/);
  });

  it('re-encrypts a secret whose key was rotated', async () => {
    const file = join(root, 'c.json');
    const { storage, state } = fakeStorage();
    const s = await SafeStorageSecretStore.open(file, () => storage);
    await s.set('k', 'v1');
    const before = readFileSync(file, 'utf8');
    state.version = 2;
    const fresh = await SafeStorageSecretStore.open(file, () => storage);
    expect(await fresh.get('k')).toBe('v1');
    expect(state.encrypts).toBe(2);
    expect(readFileSync(file, 'utf8')).not.toBe(before);
  });

  it('falls back to memory only, with a warning, when safeStorage is missing or fails', async () => {
    const file = join(root, 'd.json');
    for (const get of [
      () => undefined,
      () => fakeStorage({ available: false }).storage,
      () => {
        throw new Error('No "safeStorage" export is defined');
      },
    ]) {
      const s = await SafeStorageSecretStore.open(file, get);
      expect(s.warning).toBe(UNAVAILABLE_WARNING);
      await s.set('k', 'v');
      expect(await s.get('k')).toBe('v');
    }
    expect(() => statSync(file)).toThrow();
  });

  it('treats an unreadable file or a foreign ciphertext as no secret, never a crash', async () => {
    const file = join(root, 'e.json');
    writeFileSync(file, '{not json', { mode: 0o600 });
    const { storage } = fakeStorage();
    const s = await SafeStorageSecretStore.open(file, () => storage);
    expect(await s.get('k')).toBeUndefined();
    writeFileSync(file, JSON.stringify({ version: 1, secrets: { k: 'AAAA' } }), { mode: 0o600 });
    const broken: SafeStorageLike = {
      ...storage,
      decryptStringAsync: async () => {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage');
      },
    };
    const t = await SafeStorageSecretStore.open(file, () => broken);
    expect(await t.get('k')).toBeUndefined();
  });
});

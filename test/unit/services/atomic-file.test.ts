import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PRIVATE_FILE_MODE,
  TEMP_PREFIX,
  writeFileAtomic,
} from '../../../electron/services/atomic-file';

describe('writeFileAtomic', () => {
  it('creates a file with the given mode and replaces it whole, leaving no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'targets.json');
    await writeFileAtomic(file, '{"a":1}\n', PRIVATE_FILE_MODE);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['targets.json']);
  });

  it('keeps the old file and removes its temp file when the rename fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    // A non-empty folder in the target's place: the temp file is written, the rename fails.
    mkdirSync(join(dir, 'x.pb.gz'));
    writeFileSync(join(dir, 'x.pb.gz', 'inside'), 'old');
    await expect(writeFileAtomic(join(dir, 'x.pb.gz'), 'new')).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
    expect(readFileSync(join(dir, 'x.pb.gz', 'inside'), 'utf8')).toBe('old');
  });
});

// Which tunnel commands the user has confirmed to run, remembered by the command's SHA-256
// (tunnel-approvals.json beside targets.json, mode 0600). A new or changed command has a new
// hash, so it is shown for confirmation again before its first run: whoever can save a
// target (a serve-mode token, a compromised renderer) cannot run a command by that alone.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../atomic-file';

export const TUNNEL_APPROVALS_FILE = 'tunnel-approvals.json';

interface ApprovalsFile {
  version: 1;
  /** sha256 hex of each confirmed command (trimmed, as stored in the target). */
  commands: string[];
}

export function commandHash(command: string): string {
  return createHash('sha256').update(command.trim(), 'utf8').digest('hex');
}

export class TunnelApprovals {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly hashes: Set<string>,
  ) {}

  static async open(settingsDir: string): Promise<TunnelApprovals> {
    const file = join(settingsDir, TUNNEL_APPROVALS_FILE);
    const hashes = new Set<string>();
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<ApprovalsFile>;
      for (const h of Array.isArray(parsed.commands) ? parsed.commands : [])
        if (typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)) hashes.add(h);
    } catch {
      // Missing or unreadable: nothing is approved, every command is asked about again.
    }
    return new TunnelApprovals(file, hashes);
  }

  isApproved(command: string): boolean {
    return this.hashes.has(commandHash(command));
  }

  approve(command: string): Promise<void> {
    this.hashes.add(commandHash(command));
    const body: ApprovalsFile = { version: 1, commands: [...this.hashes].sort() };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeFileAtomic(this.file, text, PRIVATE_FILE_MODE));
    return this.writing;
  }
}

// A display name made safe as one file or folder name (exports of snapshots and bundles).

/** Characters no file system accepts, and control characters, become _. */
export function safeFileName(name: string, fallback = 'snapshot'): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_');
  return safe.trim() === '' || safe === '.' || safe === '..' ? fallback : safe;
}

// Shared pieces of the live-target integration tests: a real library in a temp folder,
// free loopback ports, and bounded waiting for a condition or an event.
// (It Lives here because test/unit/live/** is this work's folder; used by test/integration/live*.)
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Library } from '../../../electron/services/library';
import { librarySink } from '../../../electron/services/capture/library-sink';
import type { SnapshotSink } from '../../../electron/services/capture/snapshot-sink';

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `pprof-studio-${tag}-`));
}

export async function openLibrary(): Promise<{
  library: Library;
  sink: SnapshotSink;
  dir: string;
}> {
  const dir = tempDir('library');
  const library = await Library.open(dir);
  return { library, sink: librarySink(library), dir };
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `check` every 50 ms until it returns a value (not undefined/false) or the bound passes. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

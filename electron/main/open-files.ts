// Files handed to the app by the OS: command line, a second instance's command line, and
// macOS open-file. They are imported once the back end and the window are ready.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * The file paths in an Electron argv. argv[0] is the executable; when running unpackaged
 * (`electron out/main/index.js`, process.defaultApp) argv[1] is the app itself.
 */
export function filesFromArgv(argv: string[], cwd: string, defaultApp: boolean): string[] {
  const out: string[] = [];
  for (const arg of argv.slice(defaultApp ? 2 : 1)) {
    if (arg.startsWith('-')) continue; // Chromium/Electron switches
    const p = isAbsolute(arg) ? arg : resolve(cwd, arg);
    try {
      if (statSync(p).isFile()) out.push(p);
    } catch {
      // Not a file: ignore (a URL, a typo); the app still opens.
    }
  }
  return out;
}

/** Holds paths until the consumer is ready, then passes every later one straight through. */
export class OpenQueue {
  private pending: string[] = [];
  private consumer: ((path: string) => void) | null = null;

  push(path: string): void {
    if (this.consumer) this.consumer(path);
    else this.pending.push(path);
  }

  drainTo(consumer: (path: string) => void): void {
    this.consumer = consumer;
    const waiting = this.pending;
    this.pending = [];
    for (const p of waiting) consumer(p);
  }
}

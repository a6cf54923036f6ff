// Runs `go tool trace -http=127.0.0.1:0 FILE` (Go's own trace viewer, on loopback) so tests can
// read what it serves, e.g. the MMU page's data (`/mmu?mode=plot&flags=...`).
import { spawn, type ChildProcess } from 'node:child_process';
import { findGo } from './go-target';

export interface GoTraceViewer {
  /** http://127.0.0.1:PORT */
  url: string;
  get(path: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the viewer and waits (at most `timeoutMs`) until it says where it listens. */
export function startGoToolTrace(file: string, timeoutMs = 120_000): Promise<GoTraceViewer> {
  const go = findGo();
  // BROWSER=true: the viewer "opens" the page with /bin/true instead of a browser.
  const child: ChildProcess = spawn(go, ['tool', 'trace', '-http=127.0.0.1:0', file], {
    env: { ...process.env, BROWSER: 'true', GOTOOLCHAIN: 'local' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const close = (): Promise<void> =>
    new Promise((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`go tool trace did not start within ${timeoutMs} ms: ${log}`));
    }, timeoutMs);
    const onData = (b: Buffer): void => {
      log += b.toString('utf8');
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1];
      resolve({
        url,
        async get(path: string): Promise<string> {
          const r = await fetch(url + path);
          const text = await r.text();
          if (!r.ok) throw new Error(`go tool trace answered ${r.status} at ${path}: ${text}`);
          return text;
        },
        close,
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`go tool trace exited (${code}) before listening: ${log}`));
    });
  });
}

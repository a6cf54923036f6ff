// A real serve-mode server on loopback over a temporary data folder and renderer folder.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAppServices, type AppServices } from '../../../electron/services/app-services';
import { startServer, type RunningServer } from '../../../electron/server/server';

export const DEMO_DIR = resolve(__dirname, '../../../resources/demo');

export interface Harness {
  root: string;
  rendererDir: string;
  services: AppServices;
  server: RunningServer;
  base: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'pprof-serve-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>pprof Studio</title><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  const services = await createAppServices({
    dataDir: join(root, 'data'),
    demoDir: DEMO_DIR,
    transport: 'http',
    version: '0.0.0-test',
  });
  const server = await startServer({
    backend: services.backend,
    events: services.events,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    allowRemote: false,
    downloadName: (id) => services.library.suggestedFileName(id),
  });
  return {
    root,
    rendererDir,
    services,
    server,
    base: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      await services.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with full control over the path and headers (fetch would normalise them). */
export function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolveRes, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolveRes({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

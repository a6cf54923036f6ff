import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApi, type FetchLike } from '../../../core/contract';
import { startServer, type RunningServer } from '../../../electron/server/server';
import { DEMO_DIR, startHarness, type Harness } from './helpers';

let h: Harness;
let second: RunningServer | null = null;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await second?.close();
  await h?.close();
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('HTTP client event stream', () => {
  it('reconnects after the server goes away and comes back, and says so', async () => {
    let reconnects = 0;
    const api = createHttpApi({
      baseUrl: h.base,
      token: h.server.token,
      fetch: fetch as unknown as FetchLike,
      onReconnect: () => reconnects++,
      maxRetryMs: 500,
    });
    const added: string[] = [];
    const stop = api.subscribe('snapshot.added', (p) => added.push(p.snapshot.fileName));
    await until(() => h.services.events.size === 1, 'the first event stream');

    await h.server.close();
    await until(() => h.services.events.size === 0, 'the stream to drop');
    second = await startServer({
      backend: h.services.backend,
      events: h.services.events,
      rendererDir: h.rendererDir,
      host: '127.0.0.1',
      port: h.server.port,
      allowRemote: false,
      token: h.server.token,
    });
    await until(() => reconnects === 1 && h.services.events.size === 1, 'the reconnection');

    const bytes = new Uint8Array(
      gunzipSync(readFileSync(join(DEMO_DIR, 'orders-before-heap.pb.gz'))),
    );
    const r = await api.importSnapshot({ name: 'after-reconnect.pb', bytes });
    expect(r.ok).toBe(true);
    await until(() => added.includes('after-reconnect.pb'), 'the event after reconnecting');

    stop();
    await until(() => h.services.events.size === 0, 'the stream to close after unsubscribe');
  });
});

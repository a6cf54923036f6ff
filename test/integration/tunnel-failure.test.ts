// A tunnel command that fails before its port opens (issue 12 item 6): the failure names the
// tunnel command and its own words ("sokat: command not found"), is not retried, and the
// target's health says so instead of "nothing is listening … is the service running?".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../electron/services/library';
import { LiveError } from '../../electron/services/targets/errors';
import { LiveService } from '../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../electron/services/targets/secret-store';
import { Tunnel } from '../../electron/services/tunnel/tunnel';
import { freePort, openLibrary, tempDir } from '../unit/live/support';

let library: Library;
let live: LiveService;

beforeAll(async () => {
  const lib = await openLibrary();
  library = lib.library;
  live = await LiveService.open({
    settingsDir: tempDir('settings'),
    secrets: new MemorySecretStore(),
    sink: lib.sink,
    tunnel: { readyTimeoutMs: 5_000, backoffInitialMs: 50, backoffMaxMs: 100 },
  });
});

afterAll(async () => {
  await live?.close();
});

describe('a tunnel command that fails at once', () => {
  it('command not found (status 127): "the tunnel command failed: sokat: command not found", no retry', async () => {
    const port = await freePort();
    const tun = new Tunnel({
      command: `sokat TCP-LISTEN:${port} TCP:127.0.0.1:1`,
      host: '127.0.0.1',
      port,
      readyTimeoutMs: 5000,
      backoffInitialMs: 50,
      backoffMaxMs: 100,
    });
    const err = await tun.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveError);
    expect((err as Error).message).toBe('the tunnel command failed: sokat: command not found');
    expect(tun.state).toBe('failed');
    expect(tun.restarts).toBe(0);
    await tun.stop();
  });

  it('any status before the port opens: its own last error line, once, no retry', async () => {
    const port = await freePort();
    const tun = new Tunnel({
      command: `echo "error: unable to forward port: pod not found" >&2; exit 3`,
      host: '127.0.0.1',
      port,
      readyTimeoutMs: 5000,
      backoffInitialMs: 50,
      backoffMaxMs: 100,
    });
    const err = await tun.start().catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'the tunnel command failed: error: unable to forward port: pod not found',
    );
    expect(tun.state).toBe('failed');
    expect(tun.restarts).toBe(0);
    expect(
      tun.output().filter((l) => l.text === 'error: unable to forward port: pod not found'),
    ).toHaveLength(1);
    await tun.stop();
  });

  it('connect reports the tunnel failure as the target health, not "nothing is listening"', async () => {
    const port = await freePort();
    const t = await live.saveTarget({
      name: 'via a missing tunnel tool',
      baseUrl: `http://127.0.0.1:${port}`,
      tunnel: { command: `sokat TCP-LISTEN:${port} TCP:127.0.0.1:1`, localPort: port },
    });
    await live.confirmTunnel(t.id); // new commands run only once confirmed
    const probe = await live.connect(t.id);
    expect(probe.health.state).toBe('unreachable');
    expect(probe.health.message).toBe('the tunnel command failed: sokat: command not found');
    expect(live.status(t.id)).toMatchObject({
      tunnel: 'failed',
      health: 'unreachable',
      message: 'the tunnel command failed: sokat: command not found',
    });
    await live.disconnect(t.id);
    expect(library.list().length).toBe(0);
  });
});

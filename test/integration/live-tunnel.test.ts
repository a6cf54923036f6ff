// The tunnel command: a loopback TCP forwarder (test/helpers/tcp-forwarder.mjs) stands in
// for `kubectl port-forward`. Killed mid-capture, the capture fails with a clear error and
// the tunnel restarts; disconnect leaves no process behind.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../helpers/go-target';
import { LiveService } from '../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../electron/services/targets/secret-store';
import { LiveError } from '../../electron/services/targets/errors';
import { Tunnel } from '../../electron/services/tunnel/tunnel';
import { groupAlive } from '../../electron/services/tunnel/process-group';
import type { Library } from '../../electron/services/library';
import { freePort, openLibrary, tempDir, waitFor } from '../unit/live/support';

const forwarder = resolve(__dirname, '..', 'helpers', 'tcp-forwarder.mjs');
const node = JSON.stringify(process.execPath);

let target: RunningTarget;
let library: Library;
let live: LiveService;

beforeAll(async () => {
  target = await startTarget({ mode: 'before' });
  const lib = await openLibrary();
  library = lib.library;
  live = await LiveService.open({
    settingsDir: tempDir('settings'),
    secrets: new MemorySecretStore(),
    sink: lib.sink,
    tunnel: {
      readyTimeoutMs: 10_000,
      backoffInitialMs: 200,
      backoffMaxMs: 1000,
      healthIntervalMs: 500,
    },
  });
});

afterAll(async () => {
  await live?.close();
  await target?.stop();
});

describe('tunnel command', () => {
  it('starts the tunnel, survives its death mid-capture by restarting, and stops the whole group', async () => {
    const port = await freePort();
    const upstream = new URL(target.baseUrl).host;
    const t = await live.saveTarget({
      name: 'via tunnel',
      baseUrl: `http://127.0.0.1:${port}`,
      tunnel: {
        command: `${node} ${JSON.stringify(forwarder)} ${port} ${upstream} --delay-ms 300`,
        localPort: port,
      },
    });
    await live.confirmTunnel(t.id); // new commands run only once confirmed
    const probe = await live.connect(t.id);
    expect(probe.health.state).toBe('ok');
    expect(live.status(t.id)).toMatchObject({ connected: true, tunnel: 'ready', health: 'ok' });
    expect(live.tunnelOutput(t.id).map((l) => l.text)).toContain(
      `Forwarding from 127.0.0.1:${port} -> ${upstream}`,
    );
    const firstPid = live.tunnelPid(t.id)!;
    expect(firstPid).toBeGreaterThan(0);

    const before = library.list().length;
    const { captureId, done } = await live.startCapture(t.id, { kind: 'cpu', seconds: 5 });
    await waitFor('the capture to run', () =>
      live
        .listCaptures()
        .find((c) => c.captureId === captureId && c.state === 'running' && c.elapsedSeconds > 0.3),
    );
    process.kill(-firstPid, 'SIGKILL'); // the tunnel dies, as when a pod restarts
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveError);
    expect((err as LiveError).kind).toBe('connection-lost');
    expect((err as LiveError).message).toMatch(
      /was lost after \d+ bytes .*did the tunnel or the target stop\?/,
    );
    await library.idle();
    expect(library.list().length).toBe(before);

    // It comes back by itself, as a new process group.
    await waitFor(
      'the tunnel to restart',
      () => live.status(t.id).tunnel === 'ready' && live.tunnelPid(t.id) !== firstPid,
      20_000,
    );
    expect(
      live
        .tunnelOutput(t.id)
        .some((l) => /killed by SIGKILL while running; restarting in/.test(l.text)),
    ).toBe(true);
    // The Go runtime may still be finishing the abandoned CPU profile; a heap capture is not affected.
    const o = await (await live.startCapture(t.id, { kind: 'heap' })).done;
    expect(library.get(o.snapshotId).kind).toBe('heap');

    const secondPid = live.tunnelPid(t.id)!;
    await live.disconnect(t.id);
    expect(live.status(t.id)).toMatchObject({ connected: false, tunnel: null });
    expect(groupAlive(secondPid)).toBe(false);
    expect(groupAlive(firstPid)).toBe(false);
  });

  it('gives up on a command that runs but never opens its port, with its output kept', async () => {
    // (A command that exits before its port opens fails at once: tunnel-failure.test.ts.)
    const port = await freePort();
    const tun = new Tunnel({
      command: `echo "error: unable to forward port: pod not found" >&2; sleep 30`,
      host: '127.0.0.1',
      port,
      readyTimeoutMs: 1000,
      backoffInitialMs: 50,
      backoffMaxMs: 100,
      maxStartFailures: 3,
    });
    const err = await tun.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveError);
    expect((err as Error).message).toMatch(
      new RegExp(`port ${port} did not accept connections within 1 s`),
    );
    await waitFor('the tunnel to give up', () => tun.state === 'failed', 10_000);
    expect(tun.message).toMatch(/failed 3 times/);
    expect(
      tun.output().filter((l) => l.text === 'error: unable to forward port: pod not found'),
    ).toHaveLength(3);
    await tun.stop();
  });

  it('kills the children of a tunnel command too (no orphans)', async () => {
    const port = await freePort();
    const upstream = new URL(target.baseUrl).host;
    // The forwarder runs as a child of a shell that stays alive: both must go.
    const tun = new Tunnel({
      command: `${node} ${JSON.stringify(forwarder)} ${port} ${upstream} & wait`,
      host: '127.0.0.1',
      port,
      readyTimeoutMs: 10_000,
    });
    await tun.start();
    const pid = tun.pid!;
    expect(groupAlive(pid)).toBe(true);
    await tun.stop();
    expect(groupAlive(pid)).toBe(false);
    expect(tun.state).toBe('stopped');
  });
});

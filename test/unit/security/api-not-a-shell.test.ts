// #20 item 4: whoever holds the API (a serve-mode token, a compromised renderer) cannot write
// files of its choosing nor run commands by saving a target.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../../electron/services/app-services';
import { LiveError } from '../../../electron/services/targets/errors';
import {
  CA_FILES_OFF,
  LiveService,
  TUNNELS_OFF,
} from '../../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../../electron/services/targets/secret-store';
import { TUNNEL_APPROVALS_FILE } from '../../../electron/services/tunnel/approvals';
import { WATCH_OFF } from '../../../electron/services/watch/watch-service';
import { remoteWarning } from '../../../electron/cli/commands/serve';
import { freePort, openLibrary, tempDir } from '../live/support';
import { raw, startHarness, type Harness } from '../server/helpers';
import { failure } from './support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('exportSnapshot takes no path', () => {
  it('refuses a "goroutine dump" exported over a file the caller names', async () => {
    const script = 'goroutine 1 [running]:\nmain.main()\n\t/x.go:1\n\n#!/bin/sh\necho owned\n';
    const imported = await raw(h.server.port, '/api/importSnapshot?name=dump.txt', {
      method: 'POST',
      headers: {
        'x-pprof-studio-token': h.server.token,
        'content-type': 'application/octet-stream',
      },
      body: script,
    });
    expect(imported.status).toBe(200);
    const id = (JSON.parse(imported.body.toString()) as { value: { snapshot: { id: string } } })
      .value.snapshot.id;
    const victim = join(mkdtempSync(join(tmpdir(), 'pprof-victim-')), 'run-me.sh');
    writeFileSync(victim, 'echo original\n');
    const res = await raw(h.server.port, '/api/exportSnapshot', {
      method: 'POST',
      headers: { 'x-pprof-studio-token': h.server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ id, path: victim, overwrite: true }),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString())).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' },
    });
    expect(readFileSync(victim, 'utf8')).toBe('echo original\n');
    // Without a path serve mode says to download instead.
    const noPath = await raw(h.server.port, '/api/exportSnapshot', {
      method: 'POST',
      headers: { 'x-pprof-studio-token': h.server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });
    expect(noPath.status).toBeGreaterThanOrEqual(400);
    expect(noPath.body.toString()).toContain('download the snapshot instead');
  });
});

/** A tunnel command that leaves a marker file when it runs (and never opens its port). */
function markerCommand(marker: string): string {
  return `${JSON.stringify(process.execPath)} -e ${JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`)}`;
}

async function liveService(extra: Partial<Parameters<typeof LiveService.open>[0]> = {}) {
  const settingsDir = tempDir('sec-tunnel');
  const live = await LiveService.open({
    settingsDir,
    secrets: new MemorySecretStore(),
    sink: (await openLibrary()).sink,
    tunnel: { readyTimeoutMs: 1500, backoffInitialMs: 100, backoffMaxMs: 200 },
    ...extra,
  });
  closers.push(() => live.close());
  return { live, settingsDir };
}

async function tunneledTarget(live: LiveService, marker: string) {
  const port = await freePort();
  return live.saveTarget({
    name: 'tunneled',
    baseUrl: `http://127.0.0.1:${port}`,
    tunnel: { command: markerCommand(marker), localPort: port },
  });
}

describe('tunnel commands run only once confirmed', () => {
  it('serve mode: saving and connecting do not run a new command until confirmTunnel', async () => {
    const { live, settingsDir } = await liveService();
    const marker = join(tempDir('sec-marker'), 'ran');
    const t = await tunneledTarget(live, marker);
    expect(t.tunnelApproved).toBe(false);
    const e = await failure(live.connect(t.id));
    expect(e).toBeInstanceOf(LiveError);
    expect(e.message).toContain('has not been confirmed');
    expect(existsSync(marker)).toBe(false);

    expect((await live.confirmTunnel(t.id)).tunnelApproved).toBe(true);
    await live.connect(t.id);
    for (let i = 0; i < 100 && !existsSync(marker); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    await live.disconnect(t.id);

    // Remembered by hash, in a private file; a changed command is asked about again.
    const file = join(settingsDir, TUNNEL_APPROVALS_FILE);
    expect(readFileSync(file, 'utf8')).not.toContain('writeFileSync');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const changed = await live.saveTarget({
      id: t.id,
      name: t.name,
      baseUrl: t.baseUrl,
      tunnel: { command: markerCommand(`${marker}-2`), localPort: t.tunnel!.localPort },
    });
    expect(changed.tunnelApproved).toBe(false);
    expect(await failure(live.connect(t.id))).toBeInstanceOf(LiveError);
    expect(existsSync(`${marker}-2`)).toBe(false);
  });

  it('app: the main-process confirmation is asked before the first run; No means no run', async () => {
    const asked: string[] = [];
    let answer = false;
    const { live } = await liveService({
      confirmTunnel: async (r) => (asked.push(r.command), answer),
    });
    const marker = join(tempDir('sec-marker'), 'ran');
    const t = await tunneledTarget(live, marker);
    const e = await failure(live.connect(t.id));
    expect((e as LiveError).kind).toBe('cancelled');
    expect(asked).toEqual([t.tunnel!.command]);
    expect(existsSync(marker)).toBe(false);
    answer = true;
    await live.connect(t.id);
    for (let i = 0; i < 100 && !existsSync(marker); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    await live.disconnect(t.id);
    await live.connect(t.id); // approved by hash: not asked again
    expect(asked.length).toBe(2);
  });
});

describe('--allow-remote turns off tunnels, folder watching and CA files', () => {
  it('each is refused with the flag that turns it on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pprof-remote-'));
    const app = await createAppServices({
      dataDir: root,
      demoDir: null,
      transport: 'http',
      version: '0',
      allow: { tunnels: false, watchFolders: false, caFiles: false },
    });
    closers.push(() => app.close());
    const marker = join(root, 'ran');
    const port = await freePort();
    const t = await app.backend.saveTarget({
      target: {
        name: 'tunneled',
        baseUrl: `http://127.0.0.1:${port}`,
        tunnel: { command: markerCommand(marker), localPort: port },
      },
    });
    expect((await failure(app.backend.confirmTunnel({ id: t.id }))).message).toBe(TUNNELS_OFF);
    expect((await failure(app.backend.connectTarget({ id: t.id }))).message).toBe(TUNNELS_OFF);
    expect(existsSync(marker)).toBe(false);
    expect((await failure(app.backend.addWatchFolder({ path: root }))).message).toBe(WATCH_OFF);
    const ca = await failure(
      app.backend.saveTarget({
        target: {
          name: 'tls',
          baseUrl: 'https://127.0.0.1:1',
          tls: { caFile: '/etc/passwd', skipVerify: false },
        },
      }),
    );
    expect(ca.message).toBe(CA_FILES_OFF);
  });

  it('the startup warning says what the token grants and what is off', () => {
    const w = remoteWarning('0.0.0.0', { tunnels: false, watchFolders: true, caFiles: false });
    expect(w).toContain('holds the token acts as');
    expect(w).toContain('tunnel commands: off (add --allow-tunnels)');
    expect(w).toContain('folder watching: ON (--allow-watch-folders)');
    expect(w).toContain('CA-file paths:   off (add --allow-ca-files)');
  });
});

// The live back end as both transports see it: wired into createAppServices (after the
// library and the event hub), against the real Go target. Every live operation answers,
// settings drive the poll interval, captures keep their recipe metadata in the library,
// Go's own error text reaches the events verbatim, recipes persist, tunnel output is read
// back, and serve mode's --secrets-file insists on mode 0600. Every value crossing the
// contract passes its (strict) validators.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventValidators,
  operations,
  OPERATION_NAMES,
  ServiceError,
  TOKEN_HEADER,
  type AnyEvent,
  type Backend,
  type CaptureStatus,
  type OperationName,
} from '../../core/contract';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { ROOT, ensureBuilt } from '../helpers/browser';
import { startTarget, type RunningTarget } from '../helpers/go-target';
import { freePort, tempDir, waitFor } from '../unit/live/support';

const forwarder = resolve(__dirname, '..', 'helpers', 'tcp-forwarder.mjs');

let target: RunningTarget;
let app: AppServices;
let dataDir: string;
const events: AnyEvent[] = [];

async function call<K extends OperationName>(
  b: Backend,
  name: K,
  req: Parameters<Backend[K]>[0],
): Promise<Awaited<ReturnType<Backend[K]>>> {
  const checked = operations[name].request.check(req, '');
  expect(checked.ok, `${name} request`).toBe(true);
  const value = await (b[name] as (r: unknown) => Promise<unknown>)(req);
  const r = operations[name].response.check(value, '');
  expect(r.ok ? [] : r.problems, `${name} response`).toEqual([]);
  return value as Awaited<ReturnType<Backend[K]>>;
}

function captureEvents(id: string): CaptureStatus[] {
  return events
    .filter((e) => e.name === 'capture.progress' && e.payload.captureId === id)
    .map((e) => e.payload as CaptureStatus);
}

beforeAll(async () => {
  target = await startTarget({ mode: 'after' });
  dataDir = tempDir('app-data');
  app = await createAppServices({ dataDir, demoDir: null, transport: 'http', version: 'test' });
  app.events.listen((e) => events.push(e));
});

afterAll(async () => {
  await app?.close();
  await target?.stop();
});

describe('live back end wired into the app services', () => {
  it('implements every live operation in the live back end', async () => {
    expect(app.live).not.toBeNull();
    const live = OPERATION_NAMES.filter((n) => operations[n].live);
    expect(Object.keys(app.live!.backend).sort()).toEqual([...live].sort());
    expect(await call(app.backend, 'listTargets', {})).toEqual([]);
    expect(await call(app.backend, 'listTargetStatuses', {})).toEqual([]);
    const recipes = await call(app.backend, 'listRecipes', {});
    expect(recipes.map((r) => r.id)).toEqual(['standard', 'latency', 'memory']);
    expect(recipes.every((r) => r.builtIn)).toBe(true);
  });

  it('follows the poll interval of the settings', async () => {
    expect(app.live!.pollIntervalSeconds()).toBe(5);
    await call(app.backend, 'updateSettings', { pollIntervalSeconds: 1 });
    expect(app.live!.pollIntervalSeconds()).toBe(1);
  });

  it('captures a recipe run whose snapshots carry url, group, step, delta and seconds', async () => {
    const t = await call(app.backend, 'saveTarget', {
      target: { name: 'orders', baseUrl: target.baseUrl, maxConcurrentCaptures: 3 },
    });
    expect(t).toMatchObject({ maxConcurrentCaptures: 3, warnings: [] });
    const st = await call(app.backend, 'connectTarget', { id: t.id });
    expect(st).toMatchObject({ connected: true, health: 'ok' });
    expect(await call(app.backend, 'listTargetStatuses', {})).toEqual([
      expect.objectContaining({ targetId: t.id, connected: true }),
    ]);
    await waitFor('two polls', () =>
      events.filter((e) => e.name === 'target.metrics').length >= 2 ? true : undefined,
    );
    const m = await call(app.backend, 'getTargetMetrics', { id: t.id });
    const last = m[m.length - 1];
    expect(last.heapObjects).toBeGreaterThan(0);
    expect(last.nextGC).toBeGreaterThan(0);
    expect(last.sys).toBeGreaterThanOrEqual(last.heapSys!);

    const run = await call(app.backend, 'startRecipe', {
      targetId: t.id,
      group: 'before',
      items: [
        { kind: 'heap', gc: true },
        { kind: 'allocs', seconds: 1 },
      ],
    });
    expect(run.captureIds).toHaveLength(2);
    const done = await waitFor('the recipe to finish', async () => {
      const all = await call(app.backend, 'listCaptures', {});
      const mine = all.filter((c) => c.groupId === run.groupId);
      return mine.length === 2 && mine.every((c) => c.state === 'done') ? mine : undefined;
    });
    for (const c of done) {
      expect(c.group).toBe('before');
      expect(c.url.startsWith(target.pprofUrl)).toBe(true);
    }
    const snaps = await call(app.backend, 'listSnapshots', {});
    const byStep = new Map(snaps.map((s) => [s.stepKey, s]));
    expect(byStep.get('heap:gc')).toMatchObject({
      kind: 'heap',
      group: 'before',
      groupId: run.groupId,
      delta: false,
      seconds: null,
      source: { type: 'capture', url: `${target.pprofUrl}/heap?gc=1` },
    });
    expect(byStep.get('allocs:delta1s')).toMatchObject({
      kind: 'allocs',
      groupId: run.groupId,
      delta: true,
      seconds: 1,
    });
    // The metadata survives a rescan (it is in the sidecar, not only in memory).
    await call(app.backend, 'rescanLibrary', {});
    const again = await call(app.backend, 'getSnapshot', { id: byStep.get('allocs:delta1s')!.id });
    expect(again).toMatchObject({ stepKey: 'allocs:delta1s', delta: true, seconds: 1 });
  });

  it('cancels a recipe run: nothing more is stored, and an unknown run is not-found', async () => {
    const [t] = await call(app.backend, 'listTargets', {});
    const before = (await call(app.backend, 'listSnapshots', {})).length;
    const run = await call(app.backend, 'startRecipe', {
      targetId: t!.id,
      group: 'cancel me',
      items: [
        { kind: 'cpu', seconds: 20 },
        { kind: 'trace', seconds: 20 },
      ],
    });
    await waitFor('the CPU capture to run', () =>
      captureEvents(run.captureIds[0]).some((c) => c.state === 'running') ? true : undefined,
    );
    const r = await call(app.backend, 'cancelRecipe', { groupId: run.groupId });
    expect(r).toEqual({ groupId: run.groupId, cancelled: 2 });
    await waitFor('both captures to end', async () => {
      const all = await call(app.backend, 'listCaptures', {});
      const mine = all.filter((c) => c.groupId === run.groupId);
      return mine.every((c) => c.state === 'cancelled') ? true : undefined;
    });
    expect((await call(app.backend, 'listSnapshots', {})).length).toBe(before);
    const missing = await app.backend
      .cancelRecipe({ groupId: 'no-such-run' })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ServiceError);
    expect((missing as ServiceError).kind).toBe('not-found');
  });

  it("passes Go's own error body through verbatim, with its HTTP status", async () => {
    // A second workstation on the same target: its CPU profile meets ours already running.
    const other = await createAppServices({
      dataDir: tempDir('app-other'),
      demoDir: null,
      transport: 'http',
      version: 'test',
    });
    const otherEvents: AnyEvent[] = [];
    other.events.listen((e) => otherEvents.push(e));
    try {
      const [t] = await call(app.backend, 'listTargets', {});
      const mine = await call(app.backend, 'startCapture', {
        targetId: t!.id,
        kind: 'cpu',
        seconds: 15,
      });
      await waitFor('our CPU capture to run', () =>
        captureEvents(mine.captureId).some((c) => c.state === 'running' && c.elapsedSeconds > 0.3)
          ? true
          : undefined,
      );
      const o = await call(other.backend, 'saveTarget', {
        target: { name: 'same', baseUrl: target.baseUrl },
      });
      const theirs = await call(other.backend, 'startCapture', {
        targetId: o.id,
        kind: 'cpu',
        seconds: 1,
      });
      const failed = await waitFor('their capture to fail', () =>
        otherEvents.find(
          (e) =>
            e.name === 'capture.progress' &&
            e.payload.captureId === theirs.captureId &&
            e.payload.state === 'failed',
        ),
      );
      const err = (failed.payload as CaptureStatus).error!;
      expect(err.kind).toBe('target');
      expect(err.status).toBe(500);
      expect(err.targetText).toBe('Could not enable CPU profiling: cpu profiling already in use');
      for (const e of otherEvents) {
        const r = eventValidators[e.name].check(e.payload as never, e.name);
        expect(r.ok, e.name).toBe(true);
      }
      const cancelled = await call(app.backend, 'cancelCapture', { captureId: mine.captureId });
      expect(cancelled.captureId).toBe(mine.captureId);
    } finally {
      await other.close();
    }
  });

  it('shows the tunnel command output, live and read back', async () => {
    const port = await freePort();
    const upstream = new URL(target.baseUrl).host;
    const t = await call(app.backend, 'saveTarget', {
      target: {
        name: 'tunneled',
        baseUrl: `http://127.0.0.1:${port}`,
        tunnel: {
          command: `${JSON.stringify(process.execPath)} ${JSON.stringify(forwarder)} ${port} ${upstream}`,
          localPort: port,
        },
      },
    });
    // A new command runs only once confirmed (serve mode's browser confirm step).
    expect(t.tunnelApproved).toBe(false);
    expect((await call(app.backend, 'confirmTunnel', { id: t.id })).tunnelApproved).toBe(true);
    const st = await call(app.backend, 'connectTarget', { id: t.id });
    expect(st).toMatchObject({ connected: true, tunnel: 'ready', health: 'ok' });
    const lines = await call(app.backend, 'getTunnelOutput', { id: t.id });
    expect(lines.map((l) => l.text)).toContain(`Forwarding from 127.0.0.1:${port} -> ${upstream}`);
    expect(lines.every((l) => l.targetId === t.id && !Number.isNaN(Date.parse(l.at)))).toBe(true);
    const streamed = events.filter((e) => e.name === 'tunnel.output');
    expect(streamed.map((e) => (e.payload as { text: string }).text)).toContain(
      `Forwarding from 127.0.0.1:${port} -> ${upstream}`,
    );
    await call(app.backend, 'disconnectTarget', { id: t.id });
    await call(app.backend, 'deleteTarget', { id: t.id });
  });

  it('saves, lists, refuses to change built-ins, and deletes named recipes (persisted)', async () => {
    const saved = await call(app.backend, 'saveRecipe', {
      recipe: { name: 'leak hunt', steps: [{ kind: 'goroutine' }, { kind: 'goroutine-text' }] },
    });
    expect(saved).toMatchObject({ name: 'leak hunt', builtIn: false });
    const edited = await call(app.backend, 'saveRecipe', {
      recipe: { id: saved.id, name: 'leak hunt 2', steps: [{ kind: 'goroutine', seconds: 5 }] },
    });
    expect(edited.steps).toEqual([{ kind: 'goroutine', seconds: 5 }]);
    const reopened = await createAppServices({
      dataDir,
      demoDir: null,
      transport: 'http',
      version: 'test',
    });
    try {
      const list = await call(reopened.backend, 'listRecipes', {});
      expect(list.find((r) => r.id === saved.id)).toMatchObject({ name: 'leak hunt 2' });
    } finally {
      await reopened.close();
    }
    for (const bad of [
      { id: 'standard', name: 'mine now', steps: [{ kind: 'heap' as const }] },
      { name: 'twice', steps: [{ kind: 'heap' as const }, { kind: 'heap' as const }] },
      { name: 'empty', steps: [] },
    ]) {
      const e = await app.backend.saveRecipe({ recipe: bad }).catch((x: unknown) => x);
      expect((e as ServiceError).kind, bad.name).toBe('invalid-request');
    }
    await call(app.backend, 'deleteRecipe', { id: saved.id });
    expect((await call(app.backend, 'listRecipes', {})).some((r) => r.id === saved.id)).toBe(false);
  });

  it('sent only contract-valid events', () => {
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      const r = eventValidators[e.name].check(e.payload as never, e.name);
      expect(r.ok ? [] : (r as { problems: unknown }).problems, e.name).toEqual([]);
    }
  });
});

describe('serve --secrets-file', () => {
  interface Served {
    /** Exit code when it exited before printing its URL; null while it runs. */
    code: number | null;
    out: string;
    url: string;
    stop(): Promise<void>;
  }

  function serve(args: string[]): Promise<Served> {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'pprof-studio.cjs'), 'serve', '--port', '0', ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
    let out = '';
    return new Promise((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          done({ code: null, out, url: m[1], stop });
        }
      });
      child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
      void exited.then((code) => {
        clearTimeout(timer);
        done({ code, out, url: '', stop });
      });
    });
  }

  it('refuses a secrets file others can read, and keeps tokens in a 0600 one', async () => {
    ensureBuilt();
    const dir = tempDir('serve-secrets');
    const loose = join(dir, 'loose.json');
    writeFileSync(loose, '{"version":1,"secrets":{}}');
    chmodSync(loose, 0o644);
    const refused = await serve(['--data', join(dir, 'data'), '--secrets-file', loose]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('chmod 600');

    const file = join(dir, 'secrets.json');
    const ok = await serve(['--data', join(dir, 'data'), '--secrets-file', file]);
    try {
      expect(ok.url).not.toBe('');
      const u = new URL(ok.url);
      const res = await fetch(`${u.origin}/api/saveTarget`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TOKEN_HEADER]: u.searchParams.get('token')!,
        },
        body: JSON.stringify({
          target: {
            name: 'secured',
            baseUrl: target.baseUrl,
            auth: { type: 'bearer', token: 'tok-123' },
          },
        }),
      });
      const body = (await res.json()) as { ok: boolean; value: { auth: unknown } };
      expect(body.ok).toBe(true);
      expect(body.value.auth).toEqual({ type: 'bearer', hasToken: true });
    } finally {
      await ok.stop();
    }
    expect(existsSync(file)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('tok-123');
    // Never in the targets list itself.
    expect(readFileSync(join(dir, 'data', 'targets.json'), 'utf8')).not.toContain('tok-123');
  });
});

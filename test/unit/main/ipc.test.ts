import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES, ipcChannel, type Result } from '../../../core/contract';
import { createAppServices, type AppServices } from '../../../electron/services/app-services';

vi.mock('electron', () => import('./electron-mock'));

const { isTrustedSender, registerIpc, trustedOrigins } = await import('../../../electron/main/ipc');

type Handler = (event: unknown, raw: unknown) => Promise<Result<unknown>>;

let root: string;
let services: AppServices;
const handlers = new Map<string, Handler>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pprof-ipc-'));
  services = await createAppServices({
    dataDir: root,
    demoDir: resolve(__dirname, '../../../resources/demo'),
    transport: 'ipc',
    version: '0.0.0-test',
  });
  registerIpc(
    { handle: (channel: string, h: Handler) => handlers.set(channel, h) } as never,
    services.backend,
    trustedOrigins(undefined),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function frame(url: string) {
  return { url };
}
function eventFrom(url: string, opts: { subframe?: boolean; nullFrame?: boolean } = {}) {
  const main = frame(url);
  const sender = { mainFrame: main };
  const senderFrame = opts.nullFrame ? null : opts.subframe ? frame(url) : main;
  return { sender, senderFrame };
}
const trusted = () => eventFrom('app://renderer/index.html');

describe('IPC registration', () => {
  it('registers one handler per contract operation', () => {
    expect([...handlers.keys()].sort()).toEqual(OPERATION_NAMES.map(ipcChannel).sort());
  });

  it('answers the app window', async () => {
    const r = await handlers.get('pprof:appInfo')!(trusted(), {});
    expect(r).toMatchObject({ ok: true, value: { transport: 'ipc', version: '0.0.0-test' } });
    const list = await handlers.get('pprof:listSnapshots')!(trusted(), {});
    expect(list.ok && (list.value as unknown[]).length).toBeGreaterThan(0);
  });

  it('refuses senders that are not the app window main frame on app://renderer', async () => {
    const cases = {
      'destroyed or navigated frame': eventFrom('app://renderer/index.html', { nullFrame: true }),
      'a subframe': eventFrom('app://renderer/index.html', { subframe: true }),
      'a web page': eventFrom('https://evil.example/'),
      'a file:// page': eventFrom('file:///tmp/x.html'),
      'another app:// host': eventFrom('app://evil/index.html'),
      'a data: page': eventFrom('data:text/html,hi'),
    };
    for (const [what, event] of Object.entries(cases)) {
      const before = services.library.list().length;
      const snapshots = services.library.list();
      const r = await handlers.get('pprof:deleteSnapshot')!(event, { id: snapshots[0].id });
      expect([what, r.ok]).toEqual([what, false]);
      expect(r.ok ? '' : r.error.message).toContain("did not come from the app's window");
      expect(services.library.list().length).toBe(before);
    }
  });

  it('validates arguments with the contract before the back end runs', async () => {
    const r = await handlers.get('pprof:renameSnapshot')!(trusted(), {
      id: '../../etc',
      name: 'x',
      extra: true,
    });
    expect(r).toEqual({
      ok: false,
      error: {
        kind: 'invalid-request',
        message:
          'renameSnapshot: extra: unknown field; id: must be a snapshot id (letters, digits, - and _)',
      },
    });
    const notBytes = await handlers.get('pprof:importSnapshot')!(trusted(), {
      name: 'x',
      bytes: [1, 2, 3],
    });
    expect(notBytes.ok ? '' : notBytes.error.message).toContain(
      'bytes: expected bytes, got an array',
    );
    const bytes = await handlers.get('pprof:readSnapshotBytes')!(trusted(), {
      id: services.library.list()[0].id,
    });
    expect(bytes.ok && bytes.value instanceof Uint8Array).toBe(true);
  });

  it('trusts the dev server origin only when one is configured', () => {
    const dev = trustedOrigins('http://localhost:5173/');
    expect(isTrustedSender(eventFrom('http://localhost:5173/index.html') as never, dev)).toBe(true);
    expect(
      isTrustedSender(
        eventFrom('http://localhost:5173/index.html') as never,
        trustedOrigins(undefined),
      ),
    ).toBe(false);
    expect(isTrustedSender(eventFrom('http://localhost:5174/') as never, dev)).toBe(false);
  });
});

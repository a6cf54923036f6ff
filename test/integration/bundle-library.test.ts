// Bundles in the library, through the app services both transports use, against the real Go
// target: a captured bundle's manifest (window, target, build info, MemStats, parts with their
// state) is stored beside its snapshots; exported, it is a folder of one file per part plus
// bundle.json and memstats.txt; that folder imported into another library gives the same
// snapshots (bytes, kinds) and the same manifest, and into the same library the same bundle.
// A plain folder of profiles (the target's write mode) becomes a bundle of its files, and a
// bundle.json that is not one is said so, not trusted.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  operations,
  type AnyEvent,
  type Backend,
  type BundleStatus,
  type ImportBundleRequest,
  type LibraryBundle,
  type OperationName,
} from '../../core/contract';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { startTarget, writeProfiles, type RunningTarget } from '../helpers/go-target';
import { tempDir, waitFor } from '../unit/live/support';

let target: RunningTarget;
let a: AppServices;
let b: AppServices;
let exportRoot: string;
const events: AnyEvent[] = [];

async function call<K extends OperationName>(
  backend: Backend,
  name: K,
  req: Parameters<Backend[K]>[0],
): Promise<Awaited<ReturnType<Backend[K]>>> {
  const checked = operations[name].request.check(req, '');
  expect(checked.ok ? [] : checked.problems, `${name} request`).toEqual([]);
  const value = await (backend[name] as (r: unknown) => Promise<unknown>)(req);
  const r = operations[name].response.check(value, '');
  expect(r.ok ? [] : r.problems, `${name} response`).toEqual([]);
  return value as Awaited<ReturnType<Backend[K]>>;
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** What the renderer does with a folder: each file through importSnapshot, then importBundle. */
async function importFolder(app: AppServices, dir: string): Promise<LibraryBundle> {
  const names = (await fs.readdir(dir)).sort();
  const req: ImportBundleRequest = {
    folder: dir.split('/').pop()!,
    manifestText: null,
    memStatsText: null,
    files: [],
  };
  for (const name of names) {
    const bytes = new Uint8Array(await fs.readFile(join(dir, name)));
    if (name === 'bundle.json') req.manifestText = Buffer.from(bytes).toString('utf8');
    else if (name === 'memstats.txt') req.memStatsText = Buffer.from(bytes).toString('utf8');
    else {
      try {
        const r = await call(app.backend, 'importSnapshot', { name, bytes });
        req.files.push({ file: name, snapshotId: r.snapshot.id, error: null });
      } catch (e) {
        req.files.push({ file: name, snapshotId: null, error: (e as Error).message });
      }
    }
  }
  return call(app.backend, 'importBundle', req);
}

beforeAll(async () => {
  target = await startTarget({ mode: 'before' });
  exportRoot = tempDir('bundle-export');
  a = await createAppServices({
    dataDir: tempDir('bundle-lib-a'),
    demoDir: null,
    transport: 'ipc',
    version: 'test',
    // The save dialog's answer: a new folder under exportRoot.
    chooseExportPath: async (suggested) => join(exportRoot, suggested),
  });
  b = await createAppServices({
    dataDir: tempDir('bundle-lib-b'),
    demoDir: null,
    transport: 'http',
    version: 'test',
  });
  a.events.listen((e) => events.push(e));
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await target?.stop();
});

describe('a bundle in the library, exported and imported', () => {
  let stored: LibraryBundle;
  let folder: string;

  it('a captured bundle keeps its manifest beside its snapshots', async () => {
    const t = await call(a.backend, 'saveTarget', {
      target: { name: 'orders', baseUrl: target.baseUrl },
    });
    const { bundleId } = await call(a.backend, 'startBundle', {
      targetId: t.id,
      seconds: 1,
      note: 'incident 9',
    });
    const end = await waitFor(
      'the bundle to end',
      () =>
        events
          .filter((e) => e.name === 'bundle.progress')
          .map((e) => e.payload as BundleStatus)
          .find((s) => s.bundleId === bundleId && s.state !== 'running' && s.state !== 'waiting'),
      60_000,
    );
    expect(end.state).toBe('done');
    const list = await call(a.backend, 'listLibraryBundles', {});
    expect(list).toHaveLength(1);
    stored = list[0];
    const m = stored.manifest;
    expect(m.groupId).toBe(end.groupId);
    expect(m.note).toBe('incident 9');
    expect(m.target).toEqual({ name: 'orders', baseUrl: target.baseUrl });
    expect(m.window?.seconds).toBe(1);
    expect(m.window?.end).not.toBeNull();
    expect(m.build.binary).toMatch(/orders$/);
    expect(m.build.traceFormat).toMatch(/^go 1\.\d+$/);
    expect(m.memStats?.NumGC).toBeGreaterThan(0);
    expect(stored.memStatsText).toMatch(/^# runtime\.MemStats\n/);
    expect(stored.origin).toEqual({ type: 'capture' });
    // Go 1.26: goroutineleak is not served; every other part is a snapshot of this library.
    expect(m.parts.map((p) => `${p.kind}:${p.state}`)).toContain('goroutineleak:not-served');
    const done = m.parts.filter((p) => p.state === 'done' && p.kind !== 'memstats');
    expect(done).toHaveLength(9);
    for (const p of done) {
      const s = a.library.get(p.snapshotId!);
      expect(s.groupId).toBe(m.groupId);
      expect(s.size).toBe(p.bytes);
    }
    // Kept on disk: a library opened again lists it.
    const again = await createAppServices({
      dataDir: a.library.dir.replace(/\/library$/, ''),
      demoDir: null,
      transport: 'http',
      version: 'test',
    });
    try {
      expect(await call(again.backend, 'listLibraryBundles', {})).toEqual([stored]);
      expect(again.library.info().problems).toEqual([]);
    } finally {
      await again.close();
    }
  }, 90_000);

  it('exports as a folder: a file per part, bundle.json and memstats.txt', async () => {
    const r = await call(a.backend, 'exportBundle', { groupId: stored.manifest.groupId });
    folder = r.path!;
    expect(folder).toBe(join(exportRoot, 'orders · bundle 1 s'));
    const names = (await fs.readdir(folder)).sort();
    expect(names).toEqual(
      [
        'allocs.pb.gz',
        'block.pb.gz',
        'bundle.json',
        'cpu.pb.gz',
        'goroutine-debug2.txt',
        'goroutine.pb.gz',
        'heap.pb.gz',
        'memstats.txt',
        'mutex.pb.gz',
        'threadcreate.pb.gz',
        'trace.out',
      ].sort(),
    );
    for (const p of stored.manifest.parts.filter((x) => x.snapshotId)) {
      const bytes = new Uint8Array(await fs.readFile(join(folder, p.file)));
      expect(sha(bytes), p.file).toBe(a.library.get(p.snapshotId!).sha256);
    }
    const json = JSON.parse(await fs.readFile(join(folder, 'bundle.json'), 'utf8')) as unknown;
    expect(
      operations.listLibraryBundles.response.check([{ ...stored, manifest: json }], '').ok,
    ).toBe(true);
    expect(await fs.readFile(join(folder, 'memstats.txt'), 'utf8')).toBe(stored.memStatsText);
    // The folder must be new or empty: a second export into it is refused with the reason.
    await expect(a.backend.exportBundle({ groupId: stored.manifest.groupId })).rejects.toThrow(
      /is not empty/,
    );
  });

  it('imported into another library: the same snapshots and the same manifest', async () => {
    const got = await importFolder(b, folder);
    const m = stored.manifest;
    expect(got.origin).toEqual({ type: 'folder', name: 'orders · bundle 1 s' });
    expect(got.memStatsText).toBe(stored.memStatsText);
    const { parts: gotParts, ...gotRest } = got.manifest;
    const { parts: wantParts, ...wantRest } = m;
    expect(gotRest).toEqual(wantRest);
    expect(gotParts.map((p) => [p.kind, p.file, p.state])).toEqual(
      wantParts.map((p) => [p.kind, p.file, p.state]),
    );
    for (let i = 0; i < wantParts.length; i++) {
      const want = wantParts[i];
      const have = gotParts[i];
      if (!want.snapshotId) {
        expect(have.snapshotId).toBeNull();
        continue;
      }
      const x = a.library.get(want.snapshotId);
      const y = b.library.get(have.snapshotId!);
      expect([y.sha256, y.kind, y.size, y.groupId, y.stepKey], want.file).toEqual([
        x.sha256,
        x.kind,
        x.size,
        x.groupId,
        x.stepKey,
      ]);
      expect(y.target).toEqual({ id: null, name: 'orders', baseUrl: target.baseUrl });
    }
    // The browser's folder writer gets the same files from bundleFolderFiles.
    const files = await call(b.backend, 'bundleFolderFiles', { groupId: m.groupId });
    expect(files.map((f) => f.file).sort()).toEqual((await fs.readdir(folder)).sort());
    // Serve mode has no save dialog: the export names what to do instead.
    await expect(b.backend.exportBundle({ groupId: m.groupId })).rejects.toThrow(
      /the page writes the folder itself/,
    );
  });

  it('imported into the same library: the same bundle, nothing new', async () => {
    const before = a.library.list().length;
    const got = await importFolder(a, folder);
    expect(got).toEqual(stored);
    expect(a.library.list()).toHaveLength(before);
    expect(await call(a.backend, 'listLibraryBundles', {})).toHaveLength(1);
  });
});

describe('a folder without bundle.json', () => {
  it('becomes a bundle of its files, kinds and build info read from them', async () => {
    const dir = tempDir('plain-folder');
    const w = await writeProfiles(join(dir, 'profiles'), { mode: 'before' });
    await fs.writeFile(join(w.dir, 'notes.md'), 'just some notes\n');
    const got = await importFolder(b, w.dir);
    const m = got.manifest;
    expect(m.name).toBe('profiles');
    expect(m.target).toBeNull();
    expect(m.window).toBeNull();
    expect(m.build.binary).toMatch(/orders$/);
    expect(m.build.traceFormat).toMatch(/^go 1\.\d+$/);
    const byFile = Object.fromEntries(m.parts.map((p) => [p.file, p]));
    expect(byFile['cpu.pb.gz']).toMatchObject({ kind: 'cpu', state: 'done' });
    expect(byFile['trace.out']).toMatchObject({ kind: 'trace', state: 'done' });
    expect(byFile['goroutine-debug2.txt']).toMatchObject({ kind: 'goroutine-text', state: 'done' });
    expect(byFile['notes.md']).toMatchObject({ state: 'failed', snapshotId: null });
    expect(byFile['notes.md'].error!.message.length).toBeGreaterThan(0);
    expect(m.failures.map((f) => f.reason)).toEqual([byFile['notes.md'].error!.message]);
    expect(m.parts.filter((p) => p.state === 'done')).toHaveLength(10);
    for (const p of m.parts.filter((x) => x.snapshotId))
      expect(b.library.get(p.snapshotId!).groupId).toBe(m.groupId);
  }, 120_000);

  it('a bundle.json that is not a manifest is said so, and the files still make a bundle', async () => {
    const dir = tempDir('bad-manifest');
    await fs.mkdir(join(dir, 'incident'));
    await fs.writeFile(join(dir, 'incident', 'bundle.json'), '{"format": "something else"}');
    await fs.copyFile(
      join(exportRoot, 'orders · bundle 1 s', 'cpu.pb.gz'),
      join(dir, 'incident', 'cpu.pb.gz'),
    );
    const got = await importFolder(b, join(dir, 'incident'));
    expect(got.manifest.name).toBe('incident');
    expect(got.manifest.note).toMatch(/^bundle\.json was not read: bundle\.json\.format: /);
    expect(got.manifest.parts.map((p) => [p.file, p.state])).toEqual([['cpu.pb.gz', 'done']]);
  });
});

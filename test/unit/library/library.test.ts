import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
  truncateSync,
  mkdirSync,
  renameSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError, type AnyEvent } from '../../../core/contract';
import { Library, seedDemo, SEED_MARKER } from '../../../electron/services/library';
import { DEMO_DIR, demoFiles, demoOfKind } from './demo-files';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-lib-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const upload = { type: 'upload' as const };

async function errorOf(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error('expected a ServiceError');
}

describe('Library', () => {
  it('stores the bytes untouched beside a sidecar, and finds them again after reopening', async () => {
    const cpu = demoOfKind('cpu');
    const events: AnyEvent[] = [];
    const lib = await Library.open(dir, { emit: (e) => events.push(e) });
    const r = await lib.import({
      bytes: cpu.bytes,
      fileName: '/home/u/cpu.pb.gz',
      source: upload,
      note: 'before',
    });
    expect(r.outcome).toBe('added');
    const m = r.snapshot;
    expect(m).toMatchObject({
      name: 'cpu.pb.gz',
      kind: 'cpu',
      format: 'pprof-gzip',
      size: cpu.bytes.length,
      note: 'before',
    });
    expect(m.sha256).toBe(sha(cpu.bytes));
    expect(readdirSync(dir).sort()).toEqual([`${m.id}.json`, `${m.id}.pb.gz`, 'trash'].sort());
    expect(readFileSync(join(dir, `${m.id}.pb.gz`)).equals(cpu.bytes)).toBe(true);
    expect(events).toEqual([{ name: 'snapshot.added', payload: { snapshot: m } }]);

    const again = await Library.open(dir);
    expect(again.list()).toEqual([m]);
    expect(Buffer.from(await again.readBytes(m.id)).equals(cpu.bytes)).toBe(true);
    expect(again.info()).toMatchObject({
      snapshotCount: 1,
      trashCount: 0,
      totalBytes: cpu.bytes.length,
      problems: [],
    });
  });

  it('stores identical bytes once', async () => {
    const heap = demoOfKind('heap');
    const lib = await Library.open(dir);
    const a = await lib.import({ bytes: heap.bytes, fileName: 'a.pb.gz', source: upload });
    const b = await lib.import({
      bytes: Buffer.from(heap.bytes),
      fileName: 'b.pb.gz',
      source: upload,
    });
    expect(b).toEqual({ snapshot: a.snapshot, outcome: 'duplicate' });
    // Concurrent imports of the same bytes still store one copy.
    const mutex = demoOfKind('mutex');
    const both = await Promise.all([
      lib.import({ bytes: mutex.bytes, fileName: 'm1', source: upload }),
      lib.import({ bytes: mutex.bytes, fileName: 'm2', source: upload }),
    ]);
    expect(both.map((x) => x.outcome).sort()).toEqual(['added', 'duplicate']);
    expect(lib.list()).toHaveLength(2);
  });

  it('lets the capture kind decide between kinds that share sample types, and only those', async () => {
    const lib = await Library.open(dir);
    // A heap profile's bytes stored as an allocs capture (a delta allocs capture has no
    // default_sample_type, so its bytes look like a heap profile).
    const heap = demoOfKind('heap');
    const a = await lib.import({
      bytes: heap.bytes,
      fileName: 'x',
      source: upload,
      kindHint: 'allocs',
    });
    expect(a.snapshot.kind).toBe('allocs');
    const mutex = demoOfKind('mutex');
    const b = await lib.import({
      bytes: mutex.bytes,
      fileName: 'y',
      source: upload,
      kindHint: 'block',
    });
    expect(b.snapshot.kind).toBe('block');
    // A hint never turns a CPU profile into something else.
    const cpu = demoOfKind('cpu');
    const c = await lib.import({
      bytes: cpu.bytes,
      fileName: 'z',
      source: upload,
      kindHint: 'heap',
    });
    expect(c.snapshot.kind).toBe('cpu');
  });

  it('renames, sets notes, trashes, restores and exports', async () => {
    const events: AnyEvent[] = [];
    const lib = await Library.open(dir, { emit: (e) => events.push(e) });
    const g = demoOfKind('goroutine');
    const { snapshot } = await lib.import({ bytes: g.bytes, fileName: 'g.pb.gz', source: upload });
    const renamed = await lib.rename(snapshot.id, 'leak before fix');
    const noted = await lib.setNote(snapshot.id, 'awaitAck waiters <b>grow</b>');
    expect(noted).toMatchObject({ name: 'leak before fix', note: 'awaitAck waiters <b>grow</b>' });
    expect(renamed.name).toBe('leak before fix');

    await lib.trash(snapshot.id);
    expect(lib.list()).toEqual([]);
    expect(lib.list(true).map((m) => m.id)).toEqual([snapshot.id]);
    expect(lib.list(true)[0].trashedAt).not.toBeNull();
    expect(existsSync(join(dir, 'trash', `${snapshot.id}.pb.gz`))).toBe(true);
    expect(existsSync(join(dir, `${snapshot.id}.pb.gz`))).toBe(false);
    // The trash survives a restart.
    expect((await Library.open(dir)).list(true).map((m) => m.id)).toEqual([snapshot.id]);

    const restored = await lib.restore(snapshot.id);
    expect(restored).toMatchObject({ id: snapshot.id, name: 'leak before fix', trashedAt: null });
    expect(lib.list().map((m) => m.id)).toEqual([snapshot.id]);

    const out = join(dir, 'exported.pb.gz');
    expect(await lib.exportTo(snapshot.id, out)).toBe(out);
    expect(readFileSync(out).equals(g.bytes)).toBe(true);
    expect((await errorOf(lib.exportTo(snapshot.id, out))).message).toContain('already exists');
    await lib.exportTo(snapshot.id, out, true);
    expect((await errorOf(lib.exportTo(snapshot.id, 'relative.pb.gz'))).kind).toBe(
      'invalid-request',
    );

    expect(events.map((e) => e.name)).toEqual([
      'snapshot.added',
      'snapshot.changed',
      'snapshot.changed',
      'snapshot.removed',
      'snapshot.added',
    ]);
    expect(events[3].payload).toEqual({ id: snapshot.id, trashed: true });
  });

  it('brings a trashed snapshot back when the same bytes are imported again', async () => {
    const lib = await Library.open(dir);
    const b = demoOfKind('block');
    const first = await lib.import({ bytes: b.bytes, fileName: 'b', source: upload });
    await lib.trash(first.snapshot.id);
    const again = await lib.import({ bytes: b.bytes, fileName: 'b2', source: upload });
    expect(again.outcome).toBe('restored');
    expect(again.snapshot.id).toBe(first.snapshot.id);
    expect(lib.list(true)).toEqual([]);
  });

  it('answers not-found for unknown and malformed ids', async () => {
    const lib = await Library.open(dir);
    expect((await errorOf(lib.readBytes('nope'))).kind).toBe('not-found');
    expect((await errorOf(lib.rename('../../x', 'y'))).kind).toBe('not-found');
    expect(() => lib.get('x')).toThrow(/no snapshot with id x/);
  });

  it('rejects bytes that are not a profile without storing anything', async () => {
    const lib = await Library.open(dir);
    const e = await errorOf(
      lib.import({ bytes: Buffer.from('<html>login</html>'), fileName: 'x.pb.gz', source: upload }),
    );
    expect(e.kind).toBe('unrecognized-format');
    expect(readdirSync(dir)).toEqual(['trash']);
  });

  it('reports torn, foreign and orphaned files, skips them and never deletes them', async () => {
    const lib = await Library.open(dir);
    const cpu = demoOfKind('cpu');
    const heap = demoOfKind('heap');
    const allocs = demoOfKind('allocs');
    const good = (await lib.import({ bytes: cpu.bytes, fileName: 'cpu', source: upload })).snapshot;
    const cut = (await lib.import({ bytes: heap.bytes, fileName: 'heap', source: upload }))
      .snapshot;
    const edited = (await lib.import({ bytes: allocs.bytes, fileName: 'allocs', source: upload }))
      .snapshot;

    truncateSync(join(dir, `${cut.id}.pb.gz`), 10); // a torn data file: size no longer matches
    writeFileSync(
      join(dir, 'torn-sidecar.json'),
      '{"format":"pprof-studio-snapshot","version":1,"dat',
    );
    writeFileSync(join(dir, 'notes.json'), '{"mine": true}');
    writeFileSync(join(dir, 'holiday.jpg'), 'jpeg');
    writeFileSync(join(dir, '20260101-000000-deadbeef.pb.gz'), cpu.bytes); // bytes without sidecar
    writeFileSync(join(dir, '.tmp-abc-x.json'), '{');
    mkdirSync(join(dir, 'subfolder'));
    const before = readdirSync(dir).sort();

    const reopened = await Library.open(dir);
    expect(
      reopened
        .list()
        .map((m) => m.id)
        .sort(),
    ).toEqual([good.id, edited.id].sort());
    const problems = Object.fromEntries(reopened.info().problems.map((p) => [p.file, p.reason]));
    expect(Object.keys(problems).sort()).toEqual(
      [
        `${cut.id}.json`,
        'torn-sidecar.json',
        'notes.json',
        'holiday.jpg',
        '20260101-000000-deadbeef.pb.gz',
        '.tmp-abc-x.json',
        'subfolder',
      ].sort(),
    );
    expect(problems[`${cut.id}.json`]).toContain('cut short');
    expect(problems['torn-sidecar.json']).toContain('not valid JSON');
    expect(problems['notes.json']).toContain('not a pprof Studio sidecar');
    expect(problems['20260101-000000-deadbeef.pb.gz']).toContain('without a sidecar');
    expect(problems['.tmp-abc-x.json']).toContain('interrupted write');
    expect(readdirSync(dir).sort()).toEqual(before);

    // Bytes changed in place (same size): listed, but reading says so instead of returning them.
    const bytes = Buffer.from(allocs.bytes);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(join(dir, `${edited.id}.pb.gz`), bytes);
    const e = await errorOf(reopened.readBytes(edited.id));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toContain('sha256 mismatch');
  });

  it('keeps the library copy when an interrupted move left the same snapshot in the trash too', async () => {
    const lib = await Library.open(dir);
    const m = (await lib.import({ bytes: demoOfKind('cpu').bytes, fileName: 'c', source: upload }))
      .snapshot;
    // The first step of a move to the trash: the trash sidecar exists, the data has not moved.
    writeFileSync(join(dir, 'trash', `${m.id}.json`), readFileSync(join(dir, `${m.id}.json`)));
    const reopened = await Library.open(dir);
    expect(reopened.list().map((x) => x.id)).toEqual([m.id]);
    expect(reopened.info().problems.map((p) => p.file)).toEqual([`trash/${m.id}.json`]);
  });

  it('lists a snapshot whose move to the trash stopped after the bytes moved', async () => {
    const lib = await Library.open(dir);
    const m = (await lib.import({ bytes: demoOfKind('heap').bytes, fileName: 'h', source: upload }))
      .snapshot;
    // Steps 1 and 2 of the move done (trash sidecar written, bytes moved), step 3 not.
    const sidecar = JSON.parse(readFileSync(join(dir, `${m.id}.json`), 'utf8')) as {
      meta: { trashedAt: string | null };
    };
    sidecar.meta.trashedAt = '2026-01-01T00:00:00.000Z';
    writeFileSync(join(dir, 'trash', `${m.id}.json`), JSON.stringify(sidecar));
    renameSync(join(dir, `${m.id}.pb.gz`), join(dir, 'trash', `${m.id}.pb.gz`));
    const reopened = await Library.open(dir);
    expect(reopened.list()).toEqual([]);
    expect(reopened.list(true).map((x) => x.id)).toEqual([m.id]);
    const [problem] = reopened.info().problems;
    expect(problem).toEqual({
      file: `${m.id}.json`,
      reason: `a leftover sidecar of snapshot ${m.id} from an interrupted move to the trash; the snapshot is listed from the trash`,
    });
    expect(Buffer.from(await reopened.readBytes(m.id)).equals(demoOfKind('heap').bytes)).toBe(true);
  });
});

describe('seedDemo', () => {
  it('imports every demo snapshot once, then never again even after they are deleted', async () => {
    const lib = await Library.open(dir);
    const first = await seedDemo(lib, DEMO_DIR);
    const demo = demoFiles();
    expect(first.seeded).toBe(true);
    expect(first.problems).toEqual([]);
    expect(first.snapshots.map((s) => s.fileName).sort()).toEqual(demo.map((d) => d.file).sort());
    for (const s of first.snapshots) {
      const d = demo.find((x) => x.file === s.fileName)!;
      expect(s.kind).toBe(d.kind);
      expect(s.source).toEqual({ type: 'demo', file: d.file });
      expect(s.group === 'before' || s.group === 'after').toBe(true);
    }
    expect(existsSync(join(dir, SEED_MARKER))).toBe(true);

    for (const s of lib.list()) await lib.trash(s.id);
    const second = await seedDemo(await Library.open(dir), DEMO_DIR);
    expect(second.seeded).toBe(false);
    expect((await Library.open(dir)).list()).toEqual([]);
    // The marker is one of the library's own files, not a reported problem.
    expect((await Library.open(dir)).info().problems).toEqual([]);
  });

  it('reports a broken manifest entry and seeds the rest', async () => {
    const demo = mkdtempSync(join(tmpdir(), 'pprof-demo-'));
    try {
      const cpu = demoOfKind('cpu');
      writeFileSync(join(demo, 'cpu.pb.gz'), cpu.bytes);
      writeFileSync(join(demo, 'bad.pb.gz'), 'not a profile');
      writeFileSync(
        join(demo, 'manifest.json'),
        JSON.stringify({
          snapshots: [
            { file: 'cpu.pb.gz', name: 'CPU demo' },
            { file: 'bad.pb.gz' },
            { file: '../etc/passwd' },
            { file: 'missing.pb.gz' },
          ],
        }),
      );
      const lib = await Library.open(dir);
      const r = await seedDemo(lib, demo);
      expect(r.snapshots.map((s) => s.name)).toEqual(['CPU demo']);
      expect(r.problems.map((p) => p.file).sort()).toEqual([
        'demo/bad.pb.gz',
        'demo/manifest.json',
        'demo/missing.pb.gz',
      ]);
    } finally {
      rmSync(demo, { recursive: true, force: true });
    }
  });

  it('does nothing (and leaves no marker) when no demo is shipped', async () => {
    const lib = await Library.open(dir);
    expect((await seedDemo(lib, join(dir, 'no-such-demo'))).seeded).toBe(false);
    expect(existsSync(join(dir, SEED_MARKER))).toBe(false);
  });
});

// A GC log (real GODEBUG=gctrace=1 output of test/targets/orders, alone and inside kubectl /
// JSON log text) becomes a "gc-log" snapshot by its content, through the library's import
// (the path of the file dialog, drag and drop and pasted text) and through a watched folder;
// text without gctrace lines is refused with the reason.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/contract';
import type { WatchEvent } from '../../core/contract/live';
import { readGcTrace } from '../../core/gctrace';
import { WatchService } from '../../electron/services/watch/watch-service';
import { runWithGcTrace, type GcTraceRun } from '../helpers/gctrace-run';
import { openLibrary, tempDir, waitFor } from '../unit/live/support';

let run: GcTraceRun;
let service: WatchService | undefined;

beforeAll(async () => {
  run = await runWithGcTrace({
    toolchain: 'local',
    mode: 'before',
    dir: tempDir('gclog-run'),
    duration: '1s',
  });
}, 300_000);
afterAll(async () => {
  await service?.close();
});

const gcLines = (): string[] => run.stderr.split('\n').filter((l) => l.startsWith('gc '));

describe('GC log import', () => {
  it('imports the raw stderr, kubectl --timestamps text and JSON records as gc-log snapshots', async () => {
    const { library } = await openLibrary();
    const kubectl = gcLines()
      .map((l, i) => `2026-12-07T10:00:${String(i % 60).padStart(2, '0')}.000000000Z ${l}`)
      .join('\n');
    const json = gcLines()
      .map((l) => JSON.stringify({ log: `${l}\n`, stream: 'stderr' }))
      .join('\n');
    for (const [name, text] of [
      ['orders-stderr.log', run.stderr],
      ['kubectl.txt', kubectl],
      ['docker.json', json],
      ['pasted text', `${kubectl}\n`],
    ] as const) {
      const r = await library.import({
        bytes: Buffer.from(text),
        fileName: name,
        source: { type: 'upload' },
      });
      expect([name, r.outcome, r.snapshot.kind, r.snapshot.format]).toEqual([
        name,
        'added',
        'gc-log',
        'gc-log',
      ]);
      const stored = await library.readBytes(r.snapshot.id);
      expect(readGcTrace(stored).streams[0].cycles.length).toBe(gcLines().length);
    }
  });

  it('refuses log text without a gctrace line, naming what it expected', async () => {
    const { library } = await openLibrary();
    const text = run.stderr
      .split('\n')
      .filter((l) => !l.startsWith('gc '))
      .join('\n');
    const e = await library
      .import({ bytes: Buffer.from(text), fileName: 'app.log', source: { type: 'upload' } })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(e).toBeInstanceOf(ServiceError);
    expect((e as ServiceError).message).toMatch(
      /^app\.log: .*a GC log \(GODEBUG=gctrace=1 output\)/,
    );
  });

  it('a watched folder imports a GC log and ignores other text', async () => {
    const { library, sink } = await openLibrary();
    const events: WatchEvent[] = [];
    service = await WatchService.open({
      settingsDir: tempDir('settings'),
      sink,
      checkIntervalMs: 150,
      folderCheckMs: 150,
    });
    service.on((e) => {
      if (e.type === 'watch-event') events.push(e.event);
    });
    const dir = tempDir('watched-gclog');
    await service.add(dir);
    await fs.writeFile(join(dir, 'notes.log'), 'started\nlistening on :8080\n');
    await fs.writeFile(join(dir, 'orders-gc.log'), run.stderr);
    const imported = await waitFor('the GC log import', () =>
      events.find((e) => e.type === 'imported' && e.path.endsWith('orders-gc.log')),
    );
    expect(library.get(imported.snapshotId!).kind).toBe('gc-log');
    const ignored = await waitFor('the other log', () =>
      events.find((e) => e.type === 'ignored' && e.path.endsWith('notes.log')),
    );
    expect(ignored.message).toMatch(
      /not a pprof profile, Go execution trace, goroutine dump or GC log/,
    );
  });
});

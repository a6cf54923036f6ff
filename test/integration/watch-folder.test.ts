// Folder watching with real profiles and a trace written by the Go target: files are
// imported once complete, duplicates skipped, other files ignored, the watch survives the
// folder being deleted and recreated, and a folder of thousands of files costs one
// import per new file.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../core/contract/live';
import { writeProfiles, type WrittenProfiles } from '../helpers/go-target';
import { WatchService } from '../../electron/services/watch/watch-service';
import type { SinkMeta, SnapshotSink } from '../../electron/services/capture/snapshot-sink';
import type { Library } from '../../electron/services/library';
import { openLibrary, tempDir, waitFor } from '../unit/live/support';

let written: WrittenProfiles;
let service: WatchService | undefined;

beforeAll(async () => {
  written = await writeProfiles(tempDir('written'), { mode: 'before', duration: '1s' });
});

afterEach(async () => {
  await service?.close();
  service = undefined;
});

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function open(sink: SnapshotSink): Promise<{ svc: WatchService; events: WatchEvent[] }> {
  const events: WatchEvent[] = [];
  const svc = await WatchService.open({
    settingsDir: tempDir('settings'),
    sink,
    checkIntervalMs: 150,
    folderCheckMs: 150,
  });
  svc.on((e) => {
    if (e.type === 'watch-event') events.push(e.event);
  });
  service = svc;
  return { svc, events };
}

/** Writes a file in chunks with pauses shorter than the check interval, like a slow copy. */
async function writeSlowly(path: string, bytes: Uint8Array, chunks = 5): Promise<void> {
  const h = await fs.open(path, 'w');
  try {
    const step = Math.ceil(bytes.length / chunks);
    for (let i = 0; i < bytes.length; i += step) {
      await h.write(bytes.subarray(i, i + step));
      await new Promise((r) => setTimeout(r, 60));
    }
  } finally {
    await h.close();
  }
}

describe('watched folders', () => {
  it('imports complete files once, skips duplicates and non-profiles, and survives the folder being recreated', async () => {
    const { library, sink } = await openLibrary();
    const { svc, events } = await open(sink);
    const dir = join(tempDir('watched'), 'profiles');
    await fs.mkdir(dir);
    const folder = await svc.add(dir);
    expect(folder.state).toBe('watching');
    expect(svc.list().map((f) => f.path)).toEqual([dir]);

    const cpu = await fs.readFile(written.files['cpu.pb.gz']);
    await writeSlowly(join(dir, 'cpu.pb.gz'), cpu);
    const imported = await waitFor('the CPU profile import', () =>
      events.find((e) => e.type === 'imported'),
    );
    const meta = library.get(imported.snapshotId!);
    expect(meta.sha256).toBe(sha(cpu)); // the complete file, not a part of it
    expect(meta.kind).toBe('cpu');
    expect(meta.source).toEqual({ type: 'watch', path: join(dir, 'cpu.pb.gz') });

    await fs.copyFile(written.files['cpu.pb.gz'], join(dir, 'copy-of-cpu.pb.gz'));
    await waitFor('the duplicate', () => events.find((e) => e.type === 'duplicate'));
    await fs.writeFile(join(dir, 'notes.txt'), 'not a profile');
    await waitFor('the ignored file', () => events.find((e) => e.type === 'ignored'));
    await fs.writeFile(join(dir, '.hidden.pb.gz'), cpu);
    await fs.copyFile(written.files['goroutine-debug2.txt'], join(dir, 'goroutines.txt'));
    await waitFor(
      'the goroutine dump',
      () => events.filter((e) => e.type === 'imported').length === 2,
    );
    expect(events.filter((e) => e.type === 'imported').length).toBe(2);
    expect(events.some((e) => e.path.endsWith('.hidden.pb.gz'))).toBe(false);

    await fs.rm(dir, { recursive: true });
    await waitFor('the folder to go missing', () =>
      events.find((e) => e.type === 'folder-missing'),
    );
    expect(svc.list()[0].state).toBe('missing');
    await fs.mkdir(dir);
    await waitFor('the folder to come back', () =>
      events.find((e) => e.type === 'folder-restored'),
    );
    await fs.copyFile(written.files['trace.out'], join(dir, 'trace.out'));
    const trace = await waitFor('the trace import', () =>
      events.find((e) => e.type === 'imported' && e.path.endsWith('trace.out')),
    );
    expect(library.get(trace.snapshotId!).format).toBe('go-trace');
    expect(svc.list()[0].state).toBe('watching');

    await svc.remove(folder.id);
    expect(svc.list()).toEqual([]);
  });

  it('keeps the folder list across restarts', async () => {
    const { sink } = await openLibrary();
    const settingsDir = tempDir('settings');
    const dir = tempDir('watched-kept');
    const a = await WatchService.open({ settingsDir, sink, checkIntervalMs: 150 });
    await a.add(dir);
    await a.close();
    service = await WatchService.open({ settingsDir, sink, checkIntervalMs: 150 });
    expect(service.list().map((f) => [f.path, f.state])).toEqual([[dir, 'watching']]);
    await expect(service.add('relative/path')).rejects.toThrow(/absolute path/);
  });

  it('stays cheap with thousands of files: one new file, one import', async () => {
    const dir = tempDir('watched-many');
    await Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        fs.writeFile(join(dir, `old-${i}.log`), `line ${i}\n`),
      ),
    );
    let imports = 0;
    const real = await openLibrary();
    const library: Library = real.library;
    const counting: SnapshotSink = {
      import: (bytes: Uint8Array, meta: SinkMeta) => {
        imports++;
        return real.sink.import(bytes, meta);
      },
    };
    const { svc, events } = await open(counting);
    await svc.add(dir);
    await fs.copyFile(written.files['heap.pb.gz'], join(dir, 'heap.pb.gz'));
    const e = await waitFor('the heap import', () => events.find((x) => x.type === 'imported'));
    expect(library.get(e.snapshotId!).kind).toBe('heap');
    // A few more appends to old files: each costs a stat and a sniff of that file only.
    await fs.appendFile(join(dir, 'old-7.log'), 'more\n');
    await waitFor('the changed log to be looked at', () =>
      events.find((x) => x.type === 'ignored'),
    );
    expect(imports).toBe(1);
    expect(events.filter((x) => x.type === 'ignored').map((x) => x.path)).toEqual([
      join(dir, 'old-7.log'),
    ]);
  });
});

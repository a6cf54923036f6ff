// Issue 12 item 9: one rule for a profile and a trace that arrive cut short. Both are stored
// (nothing the user had is lost) and marked damaged with the reason, through serve mode's
// import API and through a watched folder; the library stays readable, also after a restart.
// The bytes are real Go output (resources/demo) cut in the test.
import { promises as fs, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotMeta } from '../../core/contract';
import type { WatchEvent } from '../../core/contract/live';
import { Library } from '../../electron/services/library';
import { WatchService } from '../../electron/services/watch/watch-service';
import { prepareServe, runCli, waitForUrl } from '../helpers/serve-child';
import { openLibrary, tempDir, waitFor } from '../unit/live/support';
import { demoOfKind } from '../unit/library/demo-files';

const cpu = demoOfKind('cpu').bytes;
const trace = demoOfKind('trace').bytes;
const cutProfile = cpu.subarray(0, Math.floor(cpu.length / 2));
const cutTrace = trace.subarray(0, Math.floor(trace.length * 0.6));
const PROFILE_REASON = new RegExp(
  `^cut short: the gzip stream ends early at byte ${cutProfile.length} of the file$`,
);
const TRACE_REASON = new RegExp(`^cut short at byte ${cutTrace.length}: the .*batch at byte \\d+`);

let work: string;
let cli: string;
let renderer: string;
let service: WatchService | undefined;

beforeAll(async () => {
  ({ work, cli, renderer } = await prepareServe('damaged'));
});
afterAll(async () => {
  await service?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a truncated profile and a truncated trace', () => {
  it('are stored and marked damaged by serve mode, and the library stays readable', async () => {
    const data = join(work, 'data');
    const r = runCli(cli, ['serve', '--data', data, '--renderer', renderer]);
    const stored: SnapshotMeta[] = [];
    try {
      const url = new URL(await waitForUrl(r));
      const headers = { 'x-pprof-studio-token': url.searchParams.get('token')! };
      for (const [name, body] of [
        ['cut-cpu.pb.gz', cutProfile],
        ['cut.trace', cutTrace],
      ] as const) {
        const res = await fetch(`${url.origin}/api/importSnapshot?name=${name}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(body),
        });
        const answer = (await res.json()) as {
          ok: boolean;
          value: { outcome: string; snapshot: SnapshotMeta };
        };
        expect([name, res.status, answer.ok, answer.value.outcome]).toEqual([
          name,
          200,
          true,
          'added',
        ]);
        stored.push(answer.value.snapshot);
      }
      expect(stored[0]).toMatchObject({ kind: 'cpu', format: 'pprof-gzip' });
      expect(stored[0].damaged).toMatch(PROFILE_REASON);
      expect(stored[1]).toMatchObject({ kind: 'trace', format: 'go-trace' });
      expect(stored[1].damaged).toMatch(TRACE_REASON);

      const list = (await (
        await fetch(`${url.origin}/api/listSnapshots`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as { ok: boolean; value: SnapshotMeta[] };
      expect(list.ok).toBe(true);
      const byId = new Map(list.value.map((s) => [s.id, s]));
      for (const s of stored) expect(byId.get(s.id)?.damaged).toBe(s.damaged);
      // Whole snapshots are not marked.
      expect(
        list.value
          .filter((s) => s.damaged)
          .map((s) => s.id)
          .sort(),
      ).toEqual(stored.map((s) => s.id).sort());
    } finally {
      r.child.kill('SIGTERM');
    }
    expect(await r.exit).toBe(0);

    // After a restart the sidecars validate: no problem listed, the bytes are as they arrived.
    const reopened = await Library.open(join(data, 'library'));
    expect(reopened.info().problems).toEqual([]);
    expect(reopened.get(stored[0].id).damaged).toMatch(PROFILE_REASON);
    expect(reopened.get(stored[1].id).damaged).toMatch(TRACE_REASON);
    expect(Buffer.from(await reopened.readBytes(stored[0].id)).equals(cutProfile)).toBe(true);
    expect(Buffer.from(await reopened.readBytes(stored[1].id)).equals(cutTrace)).toBe(true);
  });

  it('are stored and marked damaged by a watched folder', async () => {
    const { library, sink, dir: libDir } = await openLibrary();
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
    const dir = tempDir('watched-damaged');
    await service.add(dir);
    await fs.writeFile(join(dir, 'cut-cpu.pb.gz'), cutProfile);
    await fs.writeFile(join(dir, 'cut.trace'), cutTrace);
    const imported = (file: string) =>
      waitFor(`the import of ${file}`, () =>
        events.find((e) => e.type === 'imported' && e.path.endsWith(file)),
      );
    const profile = library.get((await imported('cut-cpu.pb.gz')).snapshotId!);
    const cut = library.get((await imported('cut.trace')).snapshotId!);
    expect(profile.kind).toBe('cpu');
    expect(profile.damaged).toMatch(PROFILE_REASON);
    expect(cut.kind).toBe('trace');
    expect(cut.damaged).toMatch(TRACE_REASON);
    const reopened = await Library.open(libDir);
    expect(reopened.info().problems).toEqual([]);
    expect(
      reopened
        .list()
        .map((s) => s.damaged ?? null)
        .sort(),
    ).toEqual([profile.damaged, cut.damaged].sort());
  });
});

// Bundles into the snapshot library and cancelled bundles, against the real Go target. Stored:
// one group (name and id) with the note on every part, kinds as the library detects them.
// Cancelled: the running CPU profile and trace stop, the parts not started are marked
// cancelled, nothing is stored, and the run ends (no hang).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type BundleManifest } from '../../electron/services/capture/bundle';
import { CaptureService } from '../../electron/services/capture/capture-service';
import type { SinkMeta, SinkResult } from '../../electron/services/capture/snapshot-sink';
import { startTarget, type RunningTarget } from '../helpers/go-target';
import { Library } from '../../electron/services/library';
import { librarySink } from '../../electron/services/capture/library-sink';
import { tempDir } from '../unit/live/support';

let t: RunningTarget;
beforeAll(async () => {
  t = await startTarget({ mode: 'before' });
});
afterAll(async () => {
  await t?.stop();
});

describe('bundle into the library', () => {
  it('stores the parts as one group with shared metadata', async () => {
    const lib = await Library.open(tempDir('bundle-lib'));
    const service = new CaptureService({ sink: librarySink(lib) });
    const m = await runBundle(
      service,
      {
        id: 't1',
        name: 'orders',
        baseUrl: t.baseUrl,
        connection: { pprofBase: t.pprofUrl, conn: { headers: {} }, timeoutSeconds: null },
        maxConcurrentCaptures: 2,
      },
      { seconds: 1, note: 'incident 7', name: 'orders · bundle 1 s' },
    );
    // Go 1.26 without the experiment: goroutineleak is not served, everything else is stored.
    expect(m.parts.filter((p) => p.state !== 'done').map((p) => `${p.kind}:${p.state}`)).toEqual([
      'goroutineleak:not-served',
    ]);
    const snaps = lib.list();
    expect(snaps).toHaveLength(9); // memstats lives in the manifest, not as a snapshot
    for (const s of snaps) {
      expect(s.groupId).toBe(m.groupId);
      expect(s.group).toBe('orders · bundle 1 s');
      expect(s.note).toBe('incident 7');
      expect(s.target?.name).toBe('orders');
    }
    expect(snaps.map((s) => s.stepKey).sort()).toEqual([
      'allocs',
      'block',
      'cpu',
      'goroutine',
      'goroutine-text',
      'heap',
      'mutex',
      'threadcreate',
      'trace',
    ]);
    expect(Object.fromEntries(snaps.map((s) => [s.stepKey, s.kind]))).toMatchObject({
      cpu: 'cpu',
      trace: 'trace',
      'goroutine-text': 'goroutine-text',
      mutex: 'mutex',
      block: 'block',
    });
    expect(m.memStats?.NumGC).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

describe('bundle cancel', () => {
  it('stops every part and stores nothing', async () => {
    const stored: SinkMeta[] = [];
    const service = new CaptureService({
      progressIntervalMs: 50,
      sink: {
        import: async (_b: Uint8Array, meta: SinkMeta): Promise<SinkResult> => {
          stored.push(meta);
          return { id: 'x', outcome: 'added' };
        },
      },
    });
    const abort = new AbortController();
    const seen: BundleManifest[] = [];
    const m = await runBundle(
      service,
      {
        id: null,
        name: 'orders',
        baseUrl: t.baseUrl,
        connection: { pprofBase: t.pprofUrl, conn: { headers: {} }, timeoutSeconds: null },
        maxConcurrentCaptures: 2,
      },
      {
        seconds: 30,
        signal: abort.signal,
        onProgress: (p) => {
          seen.push(p);
          const cpu = p.parts.find((x) => x.kind === 'cpu')!;
          if (cpu.state === 'running' && cpu.elapsedSeconds > 0) abort.abort();
        },
      },
    );
    expect(abort.signal.aborted).toBe(true);
    expect(stored).toEqual([]);
    expect(m.parts.map((p) => p.state)).toEqual(Array(11).fill('cancelled'));
    expect(m.failures.map((f) => f.kind)).toEqual(m.parts.map((p) => p.kind));
    // The window never completed: it has no end.
    expect(m.window?.end).toBeNull();
    expect(seen.some((p) => p.parts[1].state === 'running')).toBe(true);
  }, 60_000);
});

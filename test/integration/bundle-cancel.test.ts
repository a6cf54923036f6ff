// Cancelling a bundle against the real Go target: the running CPU profile and trace stop, the
// parts not started are marked cancelled, nothing is stored, and the run ends (no hang).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type BundleManifest } from '../../electron/services/capture/bundle';
import { CaptureService } from '../../electron/services/capture/capture-service';
import type { SinkMeta, SinkResult } from '../../electron/services/capture/snapshot-sink';
import { startTarget, type RunningTarget } from '../helpers/go-target';

let t: RunningTarget;
beforeAll(async () => {
  t = await startTarget({ mode: 'before' });
});
afterAll(async () => {
  await t?.stop();
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
    expect(m.window.end).toBeNull();
    expect(seen.some((p) => p.parts[1]!.state === 'running')).toBe(true);
  }, 60_000);
});

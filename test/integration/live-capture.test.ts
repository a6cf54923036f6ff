// Captures of every kind from the real Go target (test/targets/orders) on loopback, stored
// in a real library; each stored body decodes. Plus progress, cancel, recipes and the
// target's own text/plain errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import { parseGoroutineDump } from '../../core/goroutines/parse';
import { startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';
import { LiveService } from '../../electron/services/targets/live-service';
import { MemorySecretStore } from '../../electron/services/targets/secret-store';
import {
  CaptureService,
  type CaptureProgress,
} from '../../electron/services/capture/capture-service';
import { resolveConnection } from '../../electron/services/targets/connection';
import { pairByStep } from '../../electron/services/capture/recipes';
import { LiveError } from '../../electron/services/targets/errors';
import type { Library } from '../../electron/services/library';
import { openLibrary, tempDir, waitFor } from '../unit/live/support';

let target: RunningTarget;
let library: Library;
let live: LiveService;
let targetId: string;

beforeAll(async () => {
  target = await startTarget({ mode: 'before' });
  const lib = await openLibrary();
  library = lib.library;
  live = await LiveService.open({
    settingsDir: tempDir('settings'),
    secrets: new MemorySecretStore(),
    sink: lib.sink,
  });
  targetId = (await live.saveTarget({ name: 'orders', baseUrl: target.baseUrl })).id;
});

afterAll(async () => {
  await live?.close();
  await target?.stop();
});

async function storedBytes(snapshotId: string): Promise<Uint8Array> {
  return library.readBytes(snapshotId);
}

describe('live capture from the Go target', () => {
  it('probes the index page and cmdline', async () => {
    const r = await live.probe(targetId);
    expect(r.health.state).toBe('ok');
    const names = r.profiles.map((p) => p.name);
    for (const n of [
      'allocs',
      'block',
      'goroutine',
      'heap',
      'mutex',
      'profile',
      'threadcreate',
      'trace',
    ])
      expect(names).toContain(n);
    expect(r.profiles.find((p) => p.name === 'goroutine')!.count).toBeGreaterThanOrEqual(
      TARGET_FACTS.workers,
    );
    expect(r.cmdline?.join(' ')).toMatch(/-mode before/);
    expect(live.status(targetId).health).toBe('ok');
  });

  it('captures every kind and stores bodies that decode', async () => {
    const specs = [
      { kind: 'cpu', seconds: 1 },
      { kind: 'heap' },
      { kind: 'heap', gc: true },
      { kind: 'allocs' },
      { kind: 'allocs', seconds: 1 },
      { kind: 'goroutine' },
      { kind: 'goroutine', seconds: 1 },
      { kind: 'goroutine-text' },
      { kind: 'mutex' },
      { kind: 'mutex', seconds: 1 },
      { kind: 'block' },
      { kind: 'block', seconds: 1 },
      { kind: 'threadcreate' },
      { kind: 'trace', seconds: 1 },
    ] as const;
    const started = await Promise.all(specs.map((s) => live.startCapture(targetId, { ...s })));
    const outcomes = await Promise.all(started.map((s) => s.done));
    for (const [i, o] of outcomes.entries()) {
      const spec = specs[i];
      const meta = library.get(o.snapshotId);
      expect(o.meta.kind).toBe(spec.kind);
      // Go's allocs delta drops default_sample_type, the only thing telling allocs from heap in
      // the bytes: the library takes the capture's kind as the hint between the two.
      expect(meta.kind, JSON.stringify(spec)).toBe(spec.kind);
      expect(meta.source).toEqual({ type: 'capture', url: o.meta.source.url });
      expect(meta.target).toEqual({ id: targetId, name: 'orders', baseUrl: target.baseUrl });
      expect(meta.size).toBe(o.meta.size);
      const bytes = await storedBytes(o.snapshotId);
      expect(bytes.length).toBe(o.meta.size);
      if (spec.kind === 'trace') {
        expect(Buffer.from(bytes.subarray(0, 16)).toString('latin1')).toMatch(/^go 1\.\d+ trace\0/);
        expect(meta.format).toBe('go-trace');
      } else if (spec.kind === 'goroutine-text') {
        const dump = parseGoroutineDump(bytes);
        expect(dump.format).toBe('debug2');
        expect(dump.source).toContain(TARGET_FACTS.leakFunction);
      } else {
        const p = decodeProfile(bytes);
        // The target is under load: every kind, and every 1 s delta, has samples; except the
        // allocs delta: Go publishes allocation records when a GC cycle ends, and 1 s may see none.
        if (!(spec.kind === 'allocs' && 'seconds' in spec))
          expect(p.samples.length, JSON.stringify(spec)).toBeGreaterThan(0);
        if (spec.kind === 'cpu')
          expect(p.sampleTypes.map((t) => t.type)).toEqual(['samples', 'cpu']);
        if ('seconds' in spec && spec.kind !== 'cpu') {
          // A server-side delta carries its window as duration_nanos.
          expect(o.meta.delta).toBe(true);
          expect(p.durationNanos).toBeGreaterThan(0.9e9);
        }
      }
    }
    // The heap with gc=1 asked for a GC first.
    expect(outcomes[2].meta.source.url).toMatch(/heap\?gc=1$/);
  });

  it('reports progress while a CPU capture runs', async () => {
    const seen: CaptureProgress[] = [];
    const off = live.on((e) => {
      if (e.type === 'capture') seen.push(e.capture);
    });
    const { captureId, done } = await live.startCapture(targetId, { kind: 'cpu', seconds: 1 });
    const o = await done;
    off();
    const mine = seen.filter((s) => s.captureId === captureId);
    expect(mine[0].state).toBe('queued');
    expect(
      mine.some((s) => s.state === 'running' && s.elapsedSeconds > 0 && s.totalSeconds === 1),
    ).toBe(true);
    expect(mine.some((s) => s.state === 'storing' && s.bytes === o.meta.size)).toBe(true);
    expect(mine.at(-1)).toMatchObject({
      state: 'done',
      snapshotId: o.snapshotId,
      bytes: o.meta.size,
    });
  });

  it('cancels a CPU capture midway and stores nothing', async () => {
    const before = library.list().length;
    const { captureId, done } = await live.startCapture(targetId, { kind: 'cpu', seconds: 20 });
    await waitFor('the capture to run', () =>
      live
        .listCaptures()
        .find((c) => c.captureId === captureId && c.state === 'running' && c.elapsedSeconds > 0.3),
    );
    expect(live.cancelCapture(captureId)).toBe(true);
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveError);
    expect((err as LiveError).kind).toBe('cancelled');
    expect(live.listCaptures().find((c) => c.captureId === captureId)?.state).toBe('cancelled');
    await library.idle();
    expect(library.list().length).toBe(before);
    // The target is free again for the next CPU profile.
    const again = await live.startCapture(targetId, { kind: 'cpu', seconds: 1 });
    await expect(again.done).resolves.toMatchObject({ outcome: 'added' });
  });

  it('runs a recipe as one group and pairs two runs kind by kind', async () => {
    const items = [
      { kind: 'cpu' as const, seconds: 1 },
      { kind: 'heap' as const },
      { kind: 'goroutine' as const },
    ];
    const runA = await live.startRecipe(targetId, 'before', items);
    const runB = await live.startRecipe(targetId, 'after', items);
    const [a, b] = await Promise.all([runA.done, runB.done]);
    expect(a.every((r) => r.snapshotId !== null && r.error === null)).toBe(true);
    expect(b.every((r) => r.snapshotId !== null)).toBe(true);
    expect(a.map((r) => library.get(r.snapshotId!).group)).toEqual(['before', 'before', 'before']);
    expect(runA.groupId).not.toBe(runB.groupId);
    const pairs = pairByStep(a, b);
    expect(pairs.map((p) => p.stepKey)).toEqual(['cpu:1s', 'heap', 'goroutine']);
    expect(pairs.every((p) => p.before && p.after)).toBe(true);
  });

  it("shows the target's own text/plain error verbatim", async () => {
    // Two services, two limiters: the second CPU profile reaches Go while the first runs.
    const t = live.store.get(targetId);
    const conn = await resolveConnection(t, undefined);
    const sink = { import: async () => ({ id: 'x', outcome: 'added' as const }) };
    const a = new CaptureService({ sink });
    const b = new CaptureService({ sink });
    const ct = {
      id: 'x',
      name: 'orders',
      baseUrl: target.baseUrl,
      connection: conn,
      maxConcurrentCaptures: 2,
    };
    const first = a.start(ct, { kind: 'cpu', seconds: 10 });
    await waitFor('the first CPU profile to run', () =>
      a.list().find((c) => c.state === 'running' && c.elapsedSeconds > 0.3),
    );
    const err = await b.start(ct, { kind: 'cpu', seconds: 1 }).done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveError);
    expect((err as LiveError).kind).toBe('pprof-error');
    expect((err as LiveError).status).toBe(500);
    expect((err as LiveError).targetText).toBe(
      'Could not enable CPU profiling: cpu profiling already in use',
    );
    expect((err as LiveError).message).toContain(
      'Could not enable CPU profiling: cpu profiling already in use',
    );
    a.cancel(first.captureId);
    await expect(first.done).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

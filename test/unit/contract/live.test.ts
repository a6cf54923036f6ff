// The live part of the contract (core/contract/live.ts): the validators stay strict (an
// unknown or mistyped field is refused) while carrying everything the back end knows.
import { describe, expect, it } from 'vitest';
import {
  captureRecipe,
  captureStatus,
  eventValidators,
  metricsSample,
  operations,
  snapshotMeta,
  target,
  tunnelOutput,
  type CaptureStatus,
  type MetricsSample,
  type SnapshotMeta,
  type Target,
} from '../../../core/contract';

function problems(v: { check(x: unknown, p: string): { ok: boolean } }, x: unknown): string[] {
  const r = v.check(x, '') as { ok: boolean; problems?: { path: string; message: string }[] };
  return r.ok ? [] : (r.problems ?? []).map((p) => `${p.path}: ${p.message}`);
}

const T: Target = {
  id: 't1',
  name: 'orders',
  baseUrl: 'https://127.0.0.1:6060',
  pathPrefix: '/debug/pprof',
  headers: [{ name: 'X-Env', value: 'prod' }],
  auth: { type: 'bearer', hasToken: true },
  tls: { caFile: null, skipVerify: true },
  timeoutSeconds: null,
  tunnel: { command: 'kubectl port-forward svc/orders 6060:6060', localPort: 6060 },
  maxConcurrentCaptures: 2,
  warnings: ['certificate verification is OFF for this target'],
};

const S: MetricsSample = {
  targetId: 't1',
  at: '2026-11-26T15:00:00.000Z',
  goroutines: 64,
  heapInuse: 1 << 20,
  heapAlloc: 900_000,
  heapSys: 2 << 20,
  numGC: 12,
  pauseTotalNs: 1_234_567,
  heapIdle: 1000,
  heapReleased: 0,
  heapObjects: 5000,
  sys: 8 << 20,
  totalAlloc: 9 << 20,
  mallocs: 70_000,
  frees: 65_000,
  nextGC: 4 << 20,
  numForcedGC: 0,
  gcCPUFraction: 0.0123,
  stackInuse: 512 << 10,
  maxRSS: 9 << 20,
  lastGC: '2026-11-26T14:59:59.500Z',
  pauseNs: 80_000,
};

const C: CaptureStatus = {
  captureId: 'c1',
  targetId: 't1',
  kind: 'cpu',
  url: 'http://127.0.0.1:6060/debug/pprof/profile?seconds=2',
  group: 'before',
  groupId: 'g1',
  state: 'failed',
  elapsedSeconds: 0.4,
  totalSeconds: 2,
  bytes: 0,
  snapshotId: null,
  error: {
    kind: 'target',
    message: 'the target refused: Could not enable CPU profiling: cpu profiling already in use',
    status: 500,
    targetText: 'Could not enable CPU profiling: cpu profiling already in use',
  },
};

describe('live contract validators', () => {
  it('accept a target with its warnings and concurrency limit, and refuse one without', () => {
    expect(problems(target, T)).toEqual([]);
    const { warnings: _w, ...noWarnings } = T;
    void _w;
    expect(problems(target, noWarnings)).toEqual(['warnings: is required']);
    expect(problems(target, { ...T, maxConcurrentCaptures: 0 })).toEqual([
      'maxConcurrentCaptures: must be ≥ 1',
    ]);
    expect(problems(target, { ...T, secret: 'x' })).toEqual(['secret: unknown field']);
  });

  it('take maxConcurrentCaptures on save, and never a secret in the shown auth', () => {
    const save = operations.saveTarget.request;
    expect(
      problems(save, { target: { name: 'a', baseUrl: 'http://h:1', maxConcurrentCaptures: 4 } }),
    ).toEqual([]);
    expect(
      problems(save, { target: { name: 'a', baseUrl: 'http://h:1', maxConcurrentCaptures: 17 } }),
    ).toEqual(['target.maxConcurrentCaptures: must be ≤ 16']);
    expect(
      problems(target, { ...T, auth: { type: 'bearer', hasToken: true, token: 's' } }),
    ).toEqual(['auth.token: unknown field']);
  });

  it('carry every MemStats figure of a poll, nulls for unreported ones', () => {
    expect(problems(metricsSample, S)).toEqual([]);
    const empty = Object.fromEntries(
      Object.entries(S).map(([k, v]) => [k, k === 'targetId' || k === 'at' ? v : null]),
    );
    expect(problems(metricsSample, empty)).toEqual([]);
    expect(problems(metricsSample, { ...S, heapObjects: -1 })).toEqual([
      'heapObjects: must be ≥ 0',
    ]);
    expect(problems(metricsSample, { ...S, lastGC: 'yesterday' })).toHaveLength(1);
    const { pauseNs: _p, ...missing } = S;
    void _p;
    expect(problems(metricsSample, missing)).toEqual(['pauseNs: is required']);
  });

  it("keep a capture's URL, recipe run and the target's verbatim error text", () => {
    expect(problems(captureStatus, C)).toEqual([]);
    expect(problems(eventValidators['capture.progress'], C)).toEqual([]);
    expect(problems(captureStatus, { ...C, error: { ...C.error!, status: 42 } })).toEqual([
      'error.status: must be ≥ 100',
    ]);
    expect(problems(captureStatus, { ...C, error: { ...C.error!, stack: 'x' } })).toEqual([
      'error.stack: unknown field',
    ]);
    // A plain error value (no status, no target text) stays valid.
    expect(
      problems(captureStatus, {
        ...C,
        state: 'cancelled',
        error: { kind: 'cancelled', message: 'cancelled' },
      }),
    ).toEqual([]);
    const { url: _u, ...noUrl } = C;
    void _u;
    expect(problems(captureStatus, noUrl)).toEqual(['url: is required']);
  });

  it('describe recipes, their runs and their cancellation', () => {
    expect(
      problems(captureRecipe, {
        id: 'standard',
        name: 'Standard',
        steps: [
          { kind: 'cpu', seconds: 30 },
          { kind: 'heap', gc: true },
          { kind: 'allocs', seconds: 30 },
        ],
        builtIn: true,
      }),
    ).toEqual([]);
    expect(
      problems(operations.saveRecipe.request, {
        recipe: { name: 'mine', steps: [{ kind: 'mutex', seconds: 10 }] },
      }),
    ).toEqual([]);
    expect(
      problems(operations.saveRecipe.request, {
        recipe: { name: 'mine', steps: [{ kind: 'nope' }] },
      }),
    ).toHaveLength(1);
    expect(
      problems(operations.startRecipe.response, {
        groupId: 'g1',
        group: 'before',
        captureIds: ['a', 'b'],
      }),
    ).toEqual([]);
    expect(problems(operations.cancelRecipe.request, { groupId: '../x' })).toHaveLength(1);
    expect(problems(operations.cancelRecipe.response, { groupId: 'g1', cancelled: 2 })).toEqual([]);
  });

  it('stream tunnel output with its time and stream, the app notes included', () => {
    const line = {
      targetId: 't1',
      at: '2026-11-26T15:00:00.000Z',
      stream: 'event',
      text: 'restarting in 1 s',
    };
    expect(problems(tunnelOutput, line)).toEqual([]);
    expect(problems(operations.getTunnelOutput.response, [line])).toEqual([]);
    expect(problems(tunnelOutput, { ...line, stream: 'stdin' })).toHaveLength(1);
    expect(problems(operations.listTargetStatuses.response, [])).toEqual([]);
  });

  it('let snapshot metadata carry capture details, and old sidecars without them stay valid', () => {
    const base: SnapshotMeta = {
      id: '20261126-150000-abcdef01',
      name: 'x.cpu.pb.gz',
      fileName: 'x.cpu.pb.gz',
      kind: 'allocs',
      format: 'pprof-gzip',
      source: { type: 'capture', url: 'http://127.0.0.1:6060/debug/pprof/allocs?seconds=30' },
      target: { id: 't1', name: 'orders', baseUrl: 'http://127.0.0.1:6060' },
      createdAt: '2026-11-26T15:00:00.000Z',
      capturedAt: '2026-11-26T14:59:30.000Z',
      sampleTypes: [{ type: 'alloc_objects', unit: 'count' }],
      defaultSampleType: '',
      periodType: null,
      period: 0,
      durationNanos: null,
      goVersion: null,
      size: 10,
      sha256: 'a'.repeat(64),
      note: '',
      group: 'before',
      trashedAt: null,
    };
    expect(problems(snapshotMeta, base)).toEqual([]);
    const captured = {
      ...base,
      groupId: 'g1',
      stepKey: 'allocs:delta30s',
      delta: true,
      seconds: 30,
    };
    expect(problems(snapshotMeta, captured)).toEqual([]);
    expect(problems(snapshotMeta, { ...captured, seconds: 0 })).toEqual(['seconds: must be ≥ 1']);
    expect(problems(snapshotMeta, { ...captured, groupId: 'a/b' })).toHaveLength(1);
  });
});

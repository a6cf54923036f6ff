// Recipe runs pair by recipe step, not by time (issue 12 item 1): ⇆ on a snapshot of a run
// pairs with the same step of the previous run of that recipe on that target, even when an
// ad-hoc capture of the same kind was taken in between.
import { describe, expect, it } from 'vitest';
import type { SnapshotMeta } from '../../../core/contract';
import {
  listRuns,
  pairByStep,
  pairRuns,
  previousOf,
  previousRun,
} from '../../../core/library/runs';

const TARGET = { id: 't1', name: 'orders (production)', baseUrl: 'http://127.0.0.1:6060' };
let seq = 0;

function snap(
  kind: SnapshotMeta['kind'],
  at: string,
  run?: { groupId: string; group: string; stepKey: string },
  target: SnapshotMeta['target'] = TARGET,
): SnapshotMeta {
  seq++;
  return {
    id: `s${seq}`,
    name: `${kind}-${seq}`,
    fileName: `${kind}-${seq}.pb.gz`,
    kind,
    format: 'pprof-gzip',
    source: { type: 'capture', url: `${TARGET.baseUrl}/debug/pprof/${kind}` },
    target,
    createdAt: at,
    capturedAt: at,
    sampleTypes: [],
    defaultSampleType: '',
    periodType: null,
    period: 0,
    durationNanos: null,
    goVersion: null,
    size: 1,
    sha256: '0'.repeat(64),
    note: '',
    group: run?.group ?? null,
    groupId: run?.groupId ?? null,
    stepKey: run?.stepKey ?? null,
    trashedAt: null,
  };
}

const STANDARD = ['cpu:30s', 'heap:gc', 'allocs:delta30s', 'goroutine-text'];
const KIND: Record<string, SnapshotMeta['kind']> = {
  'cpu:30s': 'cpu',
  'heap:gc': 'heap',
  'allocs:delta30s': 'allocs',
  'goroutine-text': 'goroutine-text',
};

function run(groupId: string, group: string, minute: number): SnapshotMeta[] {
  return STANDARD.map((k, i) =>
    snap(KIND[k], `2026-12-07T14:${String(minute).padStart(2, '0')}:0${i}.000Z`, {
      groupId,
      group,
      stepKey: k,
    }),
  );
}

describe('recipe runs pair by step', () => {
  const before = run('g-before', 'before', 10);
  const adhoc = snap('cpu', '2026-12-07T14:20:00.000Z');
  const other = snap('cpu', '2026-12-07T14:25:00.000Z', undefined, {
    id: 't2',
    name: 'billing',
    baseUrl: 'http://127.0.0.1:7070',
  });
  const after = run('g-after', 'after', 30);
  const all = [...before, adhoc, other, ...after];

  it('⇆ on the after run’s CPU snapshot pairs with the before run’s CPU step, not the ad-hoc capture', () => {
    const cpuAfter = after[0];
    expect(previousOf(cpuAfter, all)?.id).toBe(before[0].id);
    expect(previousRun(cpuAfter, all)?.groupId).toBe('g-before');
  });

  it('pairs every step with the same step, even two heap steps of one run', () => {
    for (const [i, s] of after.entries()) expect(previousOf(s, all)?.id).toBe(before[i].id);
  });

  it('a snapshot outside any run still pairs with the latest earlier one of its kind and target', () => {
    expect(previousOf(adhoc, all)?.id).toBe(before[0].id);
    expect(previousOf(other, all)).toBeNull();
  });

  it('the first run of a recipe falls back to time, never to a step of its own run', () => {
    const first = run('g-first', 'first', 40);
    const heapDelta = snap('heap', '2026-12-07T14:40:09.000Z', {
      groupId: 'g-first',
      group: 'first',
      stepKey: 'heap:delta30s',
    });
    const lib = [...first, heapDelta];
    expect(previousOf(heapDelta, lib)).toBeNull();
  });

  it('lists runs newest first with their names and pairs two runs step by step', () => {
    const runs = listRuns(all);
    expect(runs.map((r) => [r.group, r.targetName, r.snapshots.length])).toEqual([
      ['after', 'orders (production)', 4],
      ['before', 'orders (production)', 4],
    ]);
    const pairs = pairByStep(runs[1].snapshots, runs[0].snapshots);
    expect(pairs.map((p) => [p.stepKey, p.before?.id, p.after?.id])).toEqual(
      STANDARD.map((k, i) => [k, before[i].id, after[i].id]),
    );
    // The run pairs Compare lists: by kind in the library's order, whatever finished first.
    expect(pairRuns(runs[1], runs[0]).map((p) => p.stepKey)).toEqual([
      'cpu:30s',
      'heap:gc',
      'allocs:delta30s',
      'goroutine-text',
    ]);
  });
});

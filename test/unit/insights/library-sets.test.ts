// Library snapshots offered as sets: folders, capture runs and groups, targets, the demo.
import { describe, expect, it } from 'vitest';
import type { SnapshotMeta } from '../../../core/contract';
import { snapshotGroups } from '../../../core/insights/library-sets';

function meta(id: string, over: Partial<SnapshotMeta>): SnapshotMeta {
  return {
    id,
    name: id,
    fileName: id,
    kind: 'cpu',
    format: 'pprof-gzip',
    source: { type: 'upload' },
    target: null,
    createdAt: '2026-01-01T00:00:00Z',
    capturedAt: null,
    sampleTypes: [],
    defaultSampleType: '',
    periodType: null,
    period: 0,
    durationNanos: null,
    goVersion: null,
    size: 1,
    sha256: '0',
    note: '',
    group: null,
    trashedAt: null,
    ...over,
  };
}

describe('snapshotGroups', () => {
  it('groups by folder, capture run and target, with two or more live members', () => {
    const all = [
      meta('a', { source: { type: 'file', path: '/srv/before/cpu.pb.gz' } }),
      meta('b', { source: { type: 'watch', path: '/srv/before/heap.pb.gz' } }),
      meta('c', { source: { type: 'file', path: '/srv/after/cpu.pb.gz' } }),
      meta('d', {
        source: { type: 'file', path: '/srv/after/heap.pb.gz' },
        trashedAt: '2026-01-02T00:00:00Z',
      }),
      meta('e', {
        groupId: 'r1',
        group: 'startup',
        target: { id: 't', name: 'orders', baseUrl: 'http://x' },
      }),
      meta('f', {
        groupId: 'r1',
        group: 'startup',
        target: { id: 't', name: 'orders', baseUrl: 'http://x' },
      }),
      meta('g', { source: { type: 'upload' } }),
    ];
    expect(snapshotGroups(all)).toEqual([
      { key: 'run:r1', label: 'Capture run startup', ids: ['e', 'f'] },
      { key: 'folder:/srv/before', label: 'Folder /srv/before', ids: ['a', 'b'] },
      { key: 'target:http://x', label: 'Target orders', ids: ['e', 'f'] },
    ]);
  });
});

// The heap in-use trend of three or more snapshots of one target (stateless).
import { heapTrend } from '../../../core/pprof/heap-diff';
import { decodeSide } from './compare-inputs';
import type { HeapTrendView, SnapshotBytes } from './compare-protocol';

/** Heap in-use trend over three or more snapshots of one target, oldest first. */
export function heapTrendOf(snapshots: SnapshotBytes[]): HeapTrendView {
  const profiles = snapshots.map((s, i) => decodeSide(s.bytes, `snapshot ${i + 1}`, s.name));
  const t = heapTrend(profiles);
  return {
    names: snapshots.map((s) => s.name),
    minBytes: t.minBytes,
    rows: t.rows
      .filter((r) => r.inuse.some((v) => v !== 0))
      .slice(0, 200)
      .map((r) => ({
        name: r.name,
        inuse: r.inuse,
        alloc: r.alloc,
        leakSuspect: r.leakSuspect,
        reason: r.reason,
      })),
    suspects: t.suspects.length,
  };
}

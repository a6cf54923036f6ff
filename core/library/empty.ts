// Why a snapshot has no samples, in words a user can act on, for the views and the capture
// row. Only a profile known to have zero samples gets a reason; an unknown count gets none.
import type { SnapshotMeta } from '../contract/snapshots';
import { contentionEmptyMessage } from '../pprof/contention';

type EmptyInfo = Pick<SnapshotMeta, 'kind' | 'durationNanos'> &
  Partial<Pick<SnapshotMeta, 'delta' | 'seconds' | 'sampleCount'>>;

function windowText(m: EmptyInfo): string {
  const s = m.seconds ?? (m.durationNanos ? Math.round(m.durationNanos / 1e9) : null);
  return s ? `the ${s} s window` : 'the window';
}

/** The reason a profile is empty, or null when it has samples (or the count is unknown). */
export function emptyProfileReason(m: EmptyInfo): string | null {
  if (m.sampleCount !== 0) return null;
  if (m.kind === 'heap' || m.kind === 'allocs') {
    if (m.delta)
      return (
        `No samples: the ${m.kind} profile changes only at a garbage collection, and no GC ran ` +
        `during ${windowText(m)}: lengthen it or capture with gc=1 (a GC first) instead of a delta.`
      );
    return `No samples: nothing was allocated since the program started, or its MemProfileRate is 0.`;
  }
  if (m.kind === 'mutex' || m.kind === 'block')
    return contentionEmptyMessage(m.kind, m.durationNanos ?? 0);
  if (m.kind === 'cpu')
    return `No samples: the program used no measurable CPU during ${windowText(m)}: capture longer or while it is under load.`;
  return 'No samples: this profile is empty.';
}

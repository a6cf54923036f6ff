// The Goroutines tab's options, kept across tab switches and snapshots, and the Worker of a
// text dump (a goroutine profile is read by the profile's own Worker).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SnapshotMeta } from '../../../core/contract';
import type {
  GoroutineOverview,
  GoroutineScope,
  GroupBy,
  GroupSort,
} from '../worker/analysis-protocol';
import { GoroutinesWorker } from '../worker/goroutines-client';
import { isPprof } from './profile';

/** A text dump (debug=1/debug=2) the profile Worker does not open: the tab reads it itself. */
export function isGoroutineText(meta: SnapshotMeta): boolean {
  return meta.format === 'goroutine-text' || meta.kind === 'goroutine-text';
}

/** Why the Goroutines tab cannot show a snapshot, or null when it can. */
export function goroutinesUnavailable(meta: SnapshotMeta | null): string | null {
  if (meta === null || isGoroutineText(meta) || meta.kind === 'goroutine') return null;
  if (isPprof(meta) && meta.sampleTypes.some((t) => t.type === 'goroutine')) return null;
  return `${meta.name} is not a goroutine profile or goroutine dump`;
}

export const useGoroutinesStore = defineStore('goroutines', () => {
  const by = ref<GroupBy>('stack');
  const search = ref('');
  const scope = ref<GoroutineScope>({ functions: true, files: true, labels: true, states: true });
  const leaksOnly = ref(false);
  const sort = ref<GroupSort>('count');

  // Not reactive on purpose: a Worker handle is not data.
  let dump: GoroutinesWorker | null = null;

  /** Reads a text dump in a Worker of its own (the previous dump's closes). */
  async function openDump(
    bytes: ArrayBuffer,
  ): Promise<{ worker: GoroutinesWorker; overview: GoroutineOverview }> {
    closeDump();
    const worker = new GoroutinesWorker();
    dump = worker;
    return { worker, overview: await worker.call('goroutines.load', { bytes }, [bytes]) };
  }

  function closeDump(): void {
    dump?.close();
    dump = null;
  }

  return { by, search, scope, leaksOnly, sort, openDump, closeDump };
});

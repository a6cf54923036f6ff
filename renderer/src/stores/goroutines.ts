// The Goroutines tab's options, kept across tab switches and snapshots.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SnapshotMeta } from '../../../core/contract';
import type { GoroutineScope, GroupBy, GroupSort } from '../worker/analysis-protocol';
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
  return { by, search, scope, leaksOnly, sort };
});

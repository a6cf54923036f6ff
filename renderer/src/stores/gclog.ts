// The GC tab's options (chosen stream, table order) and the GC storm threshold, which the
// live dashboard shares; the threshold lives in the back end's settings.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { DEFAULT_SETTINGS, type SnapshotMeta } from '../../../core/contract';
import { useApi } from '../api';
import type { GcSortKey } from '../worker/gclog-protocol';

export function isGcLog(meta: SnapshotMeta): boolean {
  return meta.kind === 'gc-log' || meta.format === 'gc-log';
}

/** Why the GC tab cannot show a snapshot, or null when it can. */
export function gcLogUnavailable(meta: SnapshotMeta | null): string | null {
  if (meta === null || isGcLog(meta)) return null;
  return `${meta.name} is not a GC log (GODEBUG=gctrace=1 output)`;
}

export const useGcLogStore = defineStore('gclog', () => {
  const stream = ref(0);
  const sort = ref<GcSortKey>('num');
  const desc = ref(false);
  const stormPerSecond = ref(DEFAULT_SETTINGS.gcStormPerSecond);
  const problem = ref('');
  let loaded = false;

  /** Reads the threshold once and follows later changes (from any window). */
  async function loadSettings(): Promise<void> {
    if (loaded) return;
    loaded = true;
    const api = useApi();
    api.subscribe('settings.changed', (e) => (stormPerSecond.value = e.settings.gcStormPerSecond));
    const r = await api.getSettings();
    if (r.ok) stormPerSecond.value = r.value.gcStormPerSecond;
  }

  async function setStormPerSecond(v: number): Promise<void> {
    const before = stormPerSecond.value;
    stormPerSecond.value = v;
    const r = await useApi().updateSettings({ gcStormPerSecond: v });
    if (r.ok) {
      stormPerSecond.value = r.value.gcStormPerSecond;
      problem.value = '';
    } else {
      stormPerSecond.value = before;
      problem.value = `Could not save the GC storm threshold: ${r.error.message}`;
    }
  }

  function setSort(key: GcSortKey, dir: 'asc' | 'desc'): void {
    sort.value = key;
    desc.value = dir === 'desc';
  }

  return { stream, sort, desc, stormPerSecond, problem, loadSettings, setStormPerSecond, setSort };
});

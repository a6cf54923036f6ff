// The GC tab's options (chosen stream, table order) and the GC storm threshold, which the
// live dashboard shares; the threshold lives in the back end's settings. The store owns the
// GC log Workers: one per slot (the tab's log, each side of a GC comparison).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { DEFAULT_SETTINGS, type SnapshotMeta } from '../../../core/contract';
import { useApi } from '../api';
import { GcLogWorker } from '../worker/gclog-client';
import type { CompareSlot } from './compare';
import type { GcLogOverview, GcSortKey } from '../worker/gclog-protocol';

/** Who a GC log Worker is for: the GC tab, or a side of a GC comparison. */
export type GcLogSlot = 'view' | CompareSlot;

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

  // Not reactive on purpose: a Worker handle is not data.
  const logs = new Map<GcLogSlot, GcLogWorker>();
  const opens = new Map<GcLogSlot, number>();

  /**
   * Reads a GC log snapshot into a new Worker for `slot` (the slot's previous Worker closes).
   * Rejects with an Error whose message says why, or when a later open of the slot won.
   */
  async function openLog(
    slot: GcLogSlot,
    meta: SnapshotMeta,
  ): Promise<{ worker: GcLogWorker; overview: GcLogOverview }> {
    closeLog(slot);
    const my = (opens.get(slot) ?? 0) + 1;
    opens.set(slot, my);
    const r = await useApi().readSnapshotBytes({ id: meta.id });
    if (!r.ok) throw new Error(`could not read the snapshot: ${r.error.message}`);
    if (opens.get(slot) !== my) throw new Error(`a later GC log replaced ${meta.name}`);
    const worker = new GcLogWorker();
    logs.set(slot, worker);
    try {
      const buf = r.value.slice().buffer as ArrayBuffer;
      return { worker, overview: await worker.call('gclog.load', { bytes: buf }, [buf]) };
    } catch (e) {
      if (logs.get(slot) === worker) closeLog(slot);
      throw e;
    }
  }

  function closeLog(slot: GcLogSlot): void {
    logs.get(slot)?.close();
    logs.delete(slot);
  }

  function setSort(key: GcSortKey, dir: 'asc' | 'desc'): void {
    sort.value = key;
    desc.value = dir === 'desc';
  }

  return {
    stream,
    sort,
    desc,
    stormPerSecond,
    problem,
    loadSettings,
    setStormPerSecond,
    setSort,
    openLog,
    closeLog,
  };
});

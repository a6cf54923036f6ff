// Capture bundles and cold-start captures as the Live tab shows them: runs of this session,
// kept current by bundle.progress events; a finished bundle opens in the Insights tab.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BundleStatus, StartBundleRequest } from '../../../core/contract';
import { useApi } from '../api';
import { useInsightsStore } from './insights';
import { useUiStore } from './ui';

const STATE_RANK: Record<BundleStatus['state'], number> = {
  waiting: 0,
  running: 1,
  done: 2,
  failed: 2,
  cancelled: 2,
};

export const useBundlesStore = defineStore('bundles', () => {
  const runs = ref<Record<string, BundleStatus>>({});
  const error = ref('');

  function upsert(s: BundleStatus): void {
    const old = runs.value[s.bundleId];
    // A late answer must not take a finished run back.
    if (old && STATE_RANK[old.state] > STATE_RANK[s.state]) return;
    runs.value = { ...runs.value, [s.bundleId]: s };
  }

  let subscribed = false;
  async function load(): Promise<void> {
    const api = useApi();
    if (!subscribed) {
      subscribed = true;
      api.subscribe('bundle.progress', upsert);
    }
    const r = await api.listBundles();
    if (r.ok) for (const s of [...r.value].reverse()) upsert(s);
  }

  async function start(req: StartBundleRequest): Promise<void> {
    error.value = '';
    const r = await useApi().startBundle(req);
    if (!r.ok) error.value = r.error.message;
  }

  async function cancel(bundleId: string): Promise<void> {
    const r = await useApi().cancelBundle({ bundleId });
    if (r.ok) upsert(r.value);
    else error.value = r.error.message;
  }

  /** Opens a finished bundle's snapshots as one set in the Insights tab. */
  async function openInInsights(s: BundleStatus): Promise<void> {
    if (!s.groupId) return;
    const insights = useInsightsStore();
    insights.mode = 'insights';
    insights.choice = { type: 'group', key: `run:${s.groupId}` };
    useUiStore().pickTab('insights');
    await insights.runInsights();
  }

  return { runs, error, load, start, cancel, openInInsights };
});

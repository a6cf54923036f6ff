// The Insights tab: which snapshots form a set (the selected one, a folder, a capture group or
// target, or snapshots ticked in the tab), running insights or the before/after report in the
// insights Worker (one per run: cancel terminates it), and opening a finding's evidence in the
// tab it belongs to, already focused.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { SnapshotMeta } from '../../../core/contract';
import { snapshotGroups } from '../../../core/insights/library-sets';
import type { Finding, SetSnapshotKind, ViewLink } from '../../../core/insights/model';
import { useApi } from '../api';
import { InsightsWorker } from '../worker/insights-client';
import type { InsightsResult, ReportResult, SetArg, SetMember } from '../worker/insights-protocol';
import { WorkerFailure } from '../worker/rpc-client';
import { useContentionStore } from './contention';
import { useGoroutinesStore } from './goroutines';
import { useLibraryStore } from './library';
import { exactRegex, useProfileStore } from './profile';
import { useTimelineStore } from './timeline';
import { useUiStore } from './ui';

/** What a set is made of: the selected snapshot, a group, or the snapshots ticked for a side. */
export type SetChoice = { type: 'selected' } | { type: 'group'; key: string } | { type: 'ticked' };

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

const THIRD_PARTY_KEY = 'pprof-studio.insights.thirdParty';

function kindOf(meta: SnapshotMeta): SetSnapshotKind | undefined {
  return meta.kind === 'goroutine-text' || meta.kind === 'unknown' ? undefined : meta.kind;
}

function message(e: unknown): string {
  return e instanceof WorkerFailure || e instanceof Error ? e.message : String(e);
}

export const useInsightsStore = defineStore('insights', () => {
  const lib = useLibraryStore();
  const mode = ref<'insights' | 'report'>('insights');
  const choice = ref<SetChoice>({ type: 'selected' });
  const beforeChoice = ref<SetChoice>({ type: 'ticked' });
  const afterChoice = ref<SetChoice>({ type: 'ticked' });
  /** Snapshots ticked in the tab: for insights, and per side for the report. */
  const ticked = ref<string[]>([]);
  const tickedBefore = ref<string[]>([]);
  const tickedAfter = ref<string[]>([]);
  const thirdPartyText = ref(localStorage.getItem(THIRD_PARTY_KEY) ?? '');
  watch(thirdPartyText, (t) => localStorage.setItem(THIRD_PARTY_KEY, t));
  const thirdParty = computed(() => thirdPartyText.value.split(/[\s,]+/).filter(Boolean));

  const status = ref<RunStatus>('idle');
  const phase = ref('');
  const progress = ref(0);
  const error = ref('');
  const result = shallowRef<InsightsResult | null>(null);
  const report = shallowRef<ReportResult | null>(null);
  /** Label of the set the shown result is about. */
  const resultLabel = ref('');

  const groups = computed(() => snapshotGroups(lib.snapshots));

  function idsOf(c: SetChoice, tickedIds: string[]): string[] {
    if (c.type === 'selected') return lib.selectedId ? [lib.selectedId] : [];
    if (c.type === 'group') return groups.value.find((g) => g.key === c.key)?.ids ?? [];
    return tickedIds;
  }
  function labelOf(c: SetChoice, ids: string[]): string {
    if (c.type === 'group') return groups.value.find((g) => g.key === c.key)?.label ?? c.key;
    if (ids.length === 1) return lib.snapshots.find((s) => s.id === ids[0])?.name ?? ids[0];
    return `${ids.length} snapshots`;
  }

  let worker: InsightsWorker | null = null;
  let seq = 0;

  async function readSet(c: SetChoice, tickedIds: string[], my: number): Promise<SetArg | null> {
    const ids = idsOf(c, tickedIds);
    const members: SetMember[] = [];
    for (const id of ids) {
      const meta = lib.snapshots.find((s) => s.id === id);
      if (!meta) continue;
      const r = await useApi().readSnapshotBytes({ id });
      if (my !== seq) return null;
      if (!r.ok) throw new Error(`could not read ${meta.name}: ${r.error.message}`);
      const b = r.value;
      const bytes =
        b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
          ? (b.buffer as ArrayBuffer)
          : (b.slice().buffer as ArrayBuffer);
      const t = Date.parse(meta.capturedAt ?? meta.createdAt);
      members.push({
        id,
        name: meta.name,
        kind: kindOf(meta),
        capturedAtMs: Number.isFinite(t) ? t : null,
        bytes,
      });
      phase.value = 'reading';
      progress.value = (members.length / Math.max(1, ids.length)) * 0.5;
    }
    return { label: labelOf(c, ids), members };
  }

  function cancel(): void {
    if (status.value !== 'running') return;
    seq++;
    worker?.close();
    worker = null;
    status.value = 'cancelled';
  }

  async function runWith<T>(
    work: (w: InsightsWorker, my: number) => Promise<T | null>,
  ): Promise<T | null> {
    cancel();
    const my = ++seq;
    status.value = 'running';
    error.value = '';
    phase.value = 'reading';
    progress.value = 0;
    const w = new InsightsWorker();
    worker = w;
    try {
      const v = await work(w, my);
      if (my !== seq) return null;
      status.value = v === null ? 'idle' : 'done';
      return v;
    } catch (e) {
      if (my !== seq) return null;
      status.value = 'error';
      error.value = message(e);
      return null;
    } finally {
      if (my === seq) {
        w.close();
        worker = null;
      }
    }
  }

  const onProgress = (ph: string, done: number, total: number) => {
    phase.value = ph;
    progress.value = 0.5 + (total > 0 ? done / total : 0) * 0.5;
  };

  async function runInsights(): Promise<void> {
    const r = await runWith(async (w, my) => {
      const set = await readSet(choice.value, ticked.value, my);
      if (!set) return null;
      if (set.members.length === 0)
        throw new Error('the set is empty: select a snapshot, a group, or tick snapshots below');
      resultLabel.value = set.label;
      return w.call(
        'insights',
        { set, thirdParty: thirdParty.value },
        set.members.map((m) => m.bytes),
        onProgress,
      );
    });
    if (r) result.value = r;
  }

  async function runReport(): Promise<void> {
    const r = await runWith(async (w, my) => {
      const before = await readSet(beforeChoice.value, tickedBefore.value, my);
      if (!before) return null;
      const after = await readSet(afterChoice.value, tickedAfter.value, my);
      if (!after) return null;
      if (before.members.length === 0 || after.members.length === 0) {
        throw new Error(
          `pick the ${before.members.length === 0 ? 'before' : 'after'} set: a group, or tick snapshots`,
        );
      }
      const transfer = [...before.members, ...after.members].map((m) => m.bytes);
      return w.call(
        'report',
        { before, after, thirdParty: thirdParty.value },
        transfer,
        onProgress,
      );
    });
    if (r) report.value = r;
  }

  /** Opens the tab that shows a finding's evidence, focused on it. */
  async function openFinding(f: Finding): Promise<void> {
    const link: ViewLink = f.link;
    const meta = lib.snapshots.find((s) => s.id === link.snapshot);
    if (!meta) {
      error.value = `the snapshot of this finding is no longer in the library`;
      return;
    }
    const ui = useUiStore();
    if (link.tab === 'gc') {
      lib.select(meta.id);
      ui.pickTab('gc');
      return;
    }
    const profile = useProfileStore();
    if (link.tab === 'timeline') {
      const timeline = useTimelineStore();
      const opening = profile.snapshot?.id === meta.id ? Promise.resolve() : profile.open(meta);
      lib.select(meta.id);
      await opening;
      await timeline.open(meta);
      timeline.view = { id: meta.id, t0: link.t0, t1: link.t1, scrollTop: 0 };
      ui.pickTab('timeline');
      return;
    }
    const opening =
      profile.snapshot?.id === meta.id && profile.status === 'ready'
        ? Promise.resolve()
        : profile.open(meta);
    lib.select(meta.id);
    await opening;
    if (link.tab === 'flame') {
      const i = profile.summary?.sampleTypes.findIndex((t) => t.type === link.sampleType) ?? -1;
      if (i >= 0) profile.sampleIndex = i;
      profile.clearFilters();
      profile.setFilter('focus', link.focus);
      ui.pickTab('flame');
    } else if (link.tab === 'goroutines') {
      useGoroutinesStore().search = exactRegex(link.func);
      ui.pickTab('goroutines');
    } else {
      useContentionStore().focusSite = link.site;
      ui.pickTab('contention');
    }
  }

  return {
    mode,
    choice,
    beforeChoice,
    afterChoice,
    ticked,
    tickedBefore,
    tickedAfter,
    thirdPartyText,
    thirdParty,
    status,
    phase,
    progress,
    error,
    result,
    report,
    resultLabel,
    groups,
    runInsights,
    runReport,
    cancel,
    openFinding,
  };
});

// Live targets as the Live tab shows them: targets and their health, dashboard history,
// captures and recipe runs, tunnel output, watched folders. Everything goes through the Api
// (IPC or serve mode); events keep it current. Dashboard samples live in plain buffers
// outside Vue's reactivity; a per-target version counter tells the charts to redraw.
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type {
  CaptureRecipe,
  CaptureSpec,
  CaptureStatus,
  ProbeResult,
  Result,
  Target,
  TargetInput,
  TargetStatus,
  TunnelOutput,
  WatchEvent,
  WatchFolder,
} from '../../../core/contract';
import { isServeMode, useApi } from '../api';
import { MetricsBuffer } from '../charts/sparkline-series';
import { useLibraryStore } from './library';

const TUNNEL_LINES_KEPT = 500;
const WATCH_EVENTS_KEPT = 100;
const FINISHED_CAPTURES_KEPT = 100;

export interface RecipeRunView {
  groupId: string;
  group: string;
  recipeName: string;
  targetId: string;
  captureIds: string[];
  startedAt: string;
}

export interface ReceivedWatchEvent extends WatchEvent {
  at: string;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export const ACTIVE_STATES: ReadonlySet<CaptureStatus['state']> = new Set([
  'queued',
  'running',
  'storing',
]);

function stateRank(c: CaptureStatus): number {
  return c.state === 'queued' ? 0 : c.state === 'running' ? 1 : c.state === 'storing' ? 2 : 3;
}
function isStale(old: CaptureStatus, c: CaptureStatus): boolean {
  return stateRank(old) === stateRank(c) && c.elapsedSeconds < old.elapsedSeconds;
}

export const useLiveStore = defineStore('live', () => {
  const targets = shallowRef<Target[]>([]);
  const statuses = ref<Record<string, TargetStatus>>({});
  const probes = shallowRef<Record<string, ProbeResult>>({});
  const selectedId = ref<string | null>(null);
  const captures = ref<Record<string, CaptureStatus>>({});
  const recipeRuns = ref<RecipeRunView[]>([]);
  const recipes = shallowRef<CaptureRecipe[]>([]);
  const tunnelLines = shallowRef<Record<string, TunnelOutput[]>>({});
  const watchFolders = shallowRef<WatchFolder[]>([]);
  const watchEvents = shallowRef<ReceivedWatchEvent[]>([]);
  const pollIntervalSeconds = ref(5);
  const notice = ref<Notice | null>(null);
  /** Targets with a connect/disconnect/probe under way. */
  const pending = ref<Record<string, string>>({});
  const metricsVersion = ref<Record<string, number>>({});
  const loaded = ref(false);
  const loadError = ref('');
  // Not reactive on purpose: up to thousands of samples per target, drawn by ECharts.
  const buffers = markRaw(new Map<string, MetricsBuffer>());

  function buffer(targetId: string): MetricsBuffer {
    let b = buffers.get(targetId);
    if (!b) {
      b = markRaw(new MetricsBuffer());
      buffers.set(targetId, b);
    }
    return b;
  }
  function bump(targetId: string): void {
    metricsVersion.value = {
      ...metricsVersion.value,
      [targetId]: (metricsVersion.value[targetId] ?? 0) + 1,
    };
  }

  function fail(what: string, r: Result<unknown>): boolean {
    if (r.ok) return false;
    notice.value = { kind: 'error', text: `${what}: ${r.error.message}` };
    return true;
  }

  let subscribed = false;
  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    const api = useApi();
    api.subscribe('target.health', (s) => {
      statuses.value = { ...statuses.value, [s.targetId]: s };
    });
    api.subscribe('target.metrics', (s) => {
      if (buffer(s.targetId).push(s)) bump(s.targetId);
    });
    api.subscribe('capture.progress', (c) => upsertCapture(c));
    api.subscribe('tunnel.output', (line) => {
      const prev = tunnelLines.value[line.targetId] ?? [];
      const next = prev.length >= TUNNEL_LINES_KEPT ? prev.slice(1 - TUNNEL_LINES_KEPT) : [...prev];
      next.push(line);
      tunnelLines.value = { ...tunnelLines.value, [line.targetId]: next };
    });
    api.subscribe('watch.event', (e) => {
      watchEvents.value = [{ ...e, at: new Date().toISOString() }, ...watchEvents.value].slice(
        0,
        WATCH_EVENTS_KEPT,
      );
      if (e.type === 'folder-missing' || e.type === 'folder-restored' || e.type === 'error')
        void refreshWatchFolders();
    });
    api.subscribe('settings.changed', (e) => {
      pollIntervalSeconds.value = e.settings.pollIntervalSeconds;
    });
  }

  function upsertCapture(c: CaptureStatus): void {
    // An answer (cancelCapture, listCaptures) can arrive after a newer event: never go back.
    const old = captures.value[c.captureId];
    if (old && (stateRank(old) > stateRank(c) || isStale(old, c))) return;
    const all = { ...captures.value, [c.captureId]: c };
    const finished = Object.values(all).filter((x) => !ACTIVE_STATES.has(x.state));
    if (finished.length > FINISHED_CAPTURES_KEPT) {
      // Drop the oldest finished ones (ids are random; keep insertion order instead).
      for (const x of finished.slice(0, finished.length - FINISHED_CAPTURES_KEPT))
        delete all[x.captureId];
    }
    captures.value = all;
  }

  /** Loads everything the tab shows; safe to call again (reconnect, reload). */
  async function load(): Promise<void> {
    subscribe();
    const api = useApi();
    const [t, s, r, w, c, settings] = await Promise.all([
      api.listTargets(),
      api.listTargetStatuses(),
      api.listRecipes(),
      api.listWatchFolders(),
      api.listCaptures(),
      api.getSettings(),
    ]);
    if (!t.ok) {
      loadError.value = t.error.message;
      loaded.value = true;
      return;
    }
    loadError.value = '';
    targets.value = t.value;
    if (s.ok) statuses.value = Object.fromEntries(s.value.map((x) => [x.targetId, x]));
    if (r.ok) recipes.value = r.value;
    if (w.ok) watchFolders.value = w.value;
    if (c.ok) {
      // listCaptures is newest first; insert oldest first so pruning keeps the newest.
      const all: Record<string, CaptureStatus> = {};
      for (const x of [...c.value].reverse()) all[x.captureId] = x;
      captures.value = all;
    }
    if (settings.ok) pollIntervalSeconds.value = settings.value.pollIntervalSeconds;
    if (!selectedId.value || !targets.value.some((x) => x.id === selectedId.value))
      selectedId.value = targets.value[0]?.id ?? null;
    loaded.value = true;
    await Promise.all(
      targets.value.filter((x) => statuses.value[x.id]?.connected).map((x) => loadHistory(x.id)),
    );
    if (selectedId.value) await loadTunnel(selectedId.value);
  }

  async function loadHistory(targetId: string): Promise<void> {
    const r = await useApi().getTargetMetrics({ id: targetId });
    if (!r.ok) return;
    const b = buffer(targetId);
    // Keep what events already delivered; the answer may be older than them.
    const have = b.latest;
    b.load(r.value);
    if (have && b.latest && Date.parse(have.at) > Date.parse(b.latest.at)) b.push(have);
    bump(targetId);
  }

  async function loadTunnel(targetId: string): Promise<void> {
    const r = await useApi().getTunnelOutput({ id: targetId });
    if (r.ok) tunnelLines.value = { ...tunnelLines.value, [targetId]: r.value };
  }

  function select(id: string | null): void {
    selectedId.value = id;
    if (id) {
      void loadTunnel(id);
      if (statuses.value[id]?.connected) void loadHistory(id);
    }
  }

  async function withPending<T>(id: string, what: string, fn: () => Promise<T>): Promise<T> {
    pending.value = { ...pending.value, [id]: what };
    try {
      return await fn();
    } finally {
      const { [id]: _, ...rest } = pending.value;
      void _;
      pending.value = rest;
    }
  }

  async function saveTarget(input: TargetInput): Promise<Target | null> {
    const r = await useApi().saveTarget({ target: input });
    if (fail(`Could not save ${input.name}`, r) || !r.ok) return null;
    const i = targets.value.findIndex((t) => t.id === r.value.id);
    targets.value =
      i >= 0 ? targets.value.map((t, k) => (k === i ? r.value : t)) : [...targets.value, r.value];
    selectedId.value = r.value.id;
    notice.value = null;
    return r.value;
  }

  async function deleteTarget(id: string): Promise<void> {
    const r = await useApi().deleteTarget({ id });
    if (fail('Could not delete the target', r)) return;
    targets.value = targets.value.filter((t) => t.id !== id);
    const { [id]: _, ...rest } = statuses.value;
    void _;
    statuses.value = rest;
    buffers.delete(id);
    if (selectedId.value === id) selectedId.value = targets.value[0]?.id ?? null;
  }

  /**
   * Serve mode's confirm step for a new or changed tunnel command: the browser shows it in
   * full and asks, then tells the server. (The app asks in a main-process dialog instead,
   * when connecting.) False when the user declined.
   */
  async function confirmTunnelStep(id: string): Promise<boolean> {
    const t = targets.value.find((x) => x.id === id);
    if (!t?.tunnel || t.tunnelApproved !== false || !isServeMode()) return true;
    const yes = window.confirm(
      `Target "${t.name}" wants to run this command on the server's machine:\n\n${t.tunnel.command}\n\nIt runs with that user's rights, in a shell. Run it only if you wrote it or trust it. You are asked again whenever it changes.`,
    );
    if (!yes) {
      notice.value = {
        kind: 'error',
        text: 'The tunnel command was not confirmed: it did not run.',
      };
      return false;
    }
    const r = await useApi().confirmTunnel({ id });
    if (fail('Could not confirm the tunnel command', r) || !r.ok) return false;
    targets.value = targets.value.map((x) => (x.id === id ? r.value : x));
    return true;
  }

  async function connect(id: string): Promise<void> {
    await withPending(id, 'connecting', async () => {
      if (!(await confirmTunnelStep(id))) return;
      const r = await useApi().connectTarget({ id });
      if (fail('Could not connect', r) || !r.ok) return;
      statuses.value = { ...statuses.value, [id]: r.value };
      await Promise.all([probe(id), loadHistory(id), loadTunnel(id)]);
    });
  }

  async function disconnect(id: string): Promise<void> {
    await withPending(id, 'disconnecting', async () => {
      const r = await useApi().disconnectTarget({ id });
      if (fail('Could not disconnect', r) || !r.ok) return;
      statuses.value = { ...statuses.value, [id]: r.value };
    });
  }

  async function probe(id: string): Promise<void> {
    const r = await useApi().probeTarget({ id });
    if (fail('Could not probe the target', r) || !r.ok) return;
    probes.value = { ...probes.value, [id]: r.value };
    statuses.value = { ...statuses.value, [id]: r.value.status };
  }

  async function startCapture(targetId: string, spec: CaptureSpec): Promise<string | null> {
    const r = await useApi().startCapture({ targetId, ...spec });
    if (fail(`Could not start the ${spec.kind} capture`, r) || !r.ok) return null;
    return r.value.captureId;
  }

  async function cancelCapture(captureId: string): Promise<void> {
    const r = await useApi().cancelCapture({ captureId });
    if (r.ok) upsertCapture(r.value);
    else fail('Could not cancel', r);
  }

  async function runRecipe(targetId: string, recipe: CaptureRecipe, group: string): Promise<void> {
    const r = await useApi().startRecipe({ targetId, group, items: recipe.steps });
    if (fail(`Could not run ${recipe.name}`, r) || !r.ok) return;
    recipeRuns.value = [
      {
        groupId: r.value.groupId,
        group: r.value.group,
        recipeName: recipe.name,
        targetId,
        captureIds: r.value.captureIds,
        startedAt: new Date().toISOString(),
      },
      ...recipeRuns.value,
    ].slice(0, 20);
  }

  async function cancelRecipe(groupId: string): Promise<void> {
    const r = await useApi().cancelRecipe({ groupId });
    fail('Could not cancel the recipe', r);
  }

  async function saveRecipe(recipe: {
    id?: string;
    name: string;
    steps: CaptureSpec[];
  }): Promise<CaptureRecipe | null> {
    const r = await useApi().saveRecipe({ recipe });
    if (fail(`Could not save the recipe ${recipe.name}`, r) || !r.ok) return null;
    const saved = r.value;
    const i = recipes.value.findIndex((x) => x.id === saved.id);
    recipes.value =
      i >= 0 ? recipes.value.map((x, k) => (k === i ? saved : x)) : [...recipes.value, saved];
    return saved;
  }

  async function deleteRecipe(id: string): Promise<void> {
    const r = await useApi().deleteRecipe({ id });
    if (fail('Could not delete the recipe', r)) return;
    recipes.value = recipes.value.filter((x) => x.id !== id);
  }

  async function refreshWatchFolders(): Promise<void> {
    const r = await useApi().listWatchFolders();
    if (r.ok) watchFolders.value = r.value;
  }

  async function addWatchFolder(path: string): Promise<boolean> {
    const r = await useApi().addWatchFolder({ path });
    if (fail(`Could not watch ${path}`, r) || !r.ok) return false;
    await refreshWatchFolders();
    return true;
  }

  async function removeWatchFolder(id: string): Promise<void> {
    const r = await useApi().removeWatchFolder({ id });
    if (fail('Could not stop watching the folder', r)) return;
    watchFolders.value = watchFolders.value.filter((f) => f.id !== id);
  }

  async function setPollInterval(seconds: number): Promise<void> {
    const r = await useApi().updateSettings({ pollIntervalSeconds: seconds });
    if (!fail('Could not change the poll interval', r) && r.ok)
      pollIntervalSeconds.value = r.value.pollIntervalSeconds;
  }

  /** Selects a snapshot in the library and shows it in its kind's home tab. */
  async function openSnapshot(id: string): Promise<void> {
    const lib = useLibraryStore();
    if (!lib.snapshots.some((s) => s.id === id)) await lib.refresh();
    const meta = lib.snapshots.find((s) => s.id === id);
    if (!meta) {
      notice.value = { kind: 'error', text: `snapshot ${id} is no longer in the library` };
      return;
    }
    const { openInHomeTab } = await import('../views/home-tab');
    openInHomeTab(meta);
  }

  return {
    targets,
    statuses,
    probes,
    selectedId,
    captures,
    recipeRuns,
    recipes,
    tunnelLines,
    watchFolders,
    watchEvents,
    pollIntervalSeconds,
    notice,
    pending,
    metricsVersion,
    loaded,
    loadError,
    buffer,
    load,
    loadHistory,
    select,
    saveTarget,
    deleteTarget,
    connect,
    disconnect,
    probe,
    startCapture,
    cancelCapture,
    runRecipe,
    cancelRecipe,
    saveRecipe,
    deleteRecipe,
    addWatchFolder,
    removeWatchFolder,
    refreshWatchFolders,
    setPollInterval,
    openSnapshot,
  };
});

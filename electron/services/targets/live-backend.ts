// The contract's live operations and events (core/contract/live.ts) on top of LiveService,
// WatchService and the recipe store. Shapes are mapped to exactly what the contract declares
// (its validators are strict); LiveErrors become ServiceErrors with the contract's kinds.
import {
  ServiceError,
  type Backend,
  type CaptureError,
  type CaptureStatus,
  type EventHub,
  type Target,
  type TargetStatus,
  type TunnelOutput,
} from '../../../core/contract';
import type { CaptureProgress } from '../capture/capture-service';
import { RecipeStore } from '../capture/recipe-store';
import { DEFAULT_BUNDLE_SECONDS } from '../capture/bundle';
import type { SnapshotSink } from '../capture/snapshot-sink';
import type { OutputLine } from '../tunnel/output-ring';
import { WatchService } from '../watch/watch-service';
import { asLiveError, LiveError, liveApiError } from './errors';
import { LiveService, type LiveServiceOptions } from './live-service';
import type { SecretStore } from './secret-store';
import type { TargetView } from './target-types';

export type LiveOperation =
  | 'listTargets'
  | 'saveTarget'
  | 'deleteTarget'
  | 'connectTarget'
  | 'disconnectTarget'
  | 'confirmTunnel'
  | 'probeTarget'
  | 'getTargetMetrics'
  | 'startCapture'
  | 'startRecipe'
  | 'cancelCapture'
  | 'listCaptures'
  | 'listWatchFolders'
  | 'addWatchFolder'
  | 'removeWatchFolder'
  | 'listTargetStatuses'
  | 'getTunnelOutput'
  | 'cancelRecipe'
  | 'listRecipes'
  | 'saveRecipe'
  | 'deleteRecipe'
  | 'startBundle'
  | 'cancelBundle'
  | 'listBundles'
  | 'checkGoroutineLeaks';

export interface LiveBackendOptions {
  /** Folder for targets.json and watch-folders.json (the app's data folder). */
  settingsDir: string;
  /** safeStorage-backed in the app; memory or --secrets-file in serve mode. */
  secrets: SecretStore;
  /** The library (through librarySink). */
  sink: SnapshotSink;
  events: EventHub;
  pollIntervalSeconds: number;
  /** The app's main-process confirmation of a tunnel command (LiveServiceOptions). */
  confirmTunnel?: LiveServiceOptions['confirmTunnel'];
  /** What a remote serve mode turns off: tunnels, CA-file paths, folder watching. */
  allow?: RemoteAllowances;
}

/** Features that name commands or files, off under --allow-remote unless a flag names each. */
export interface RemoteAllowances {
  tunnels: boolean;
  caFiles: boolean;
  watchFolders: boolean;
}

export interface LiveBackend {
  backend: Pick<Backend, LiveOperation>;
  live: LiveService;
  watch: WatchService;
  recipes: RecipeStore;
  /** Follow the settings' poll interval. */
  setPollInterval(seconds: number): void;
  /** The interval the pollers use now. */
  pollIntervalSeconds(): number;
  /** Stops tunnels (whole process groups), pollers, captures and watchers. */
  close(): Promise<void>;
}

export function toTarget(v: TargetView): Target {
  return {
    id: v.id,
    name: v.name,
    baseUrl: v.baseUrl,
    pathPrefix: v.pathPrefix,
    headers: v.headers,
    auth: v.auth,
    tls: v.tls,
    timeoutSeconds: v.timeoutSeconds,
    tunnel: v.tunnel,
    ...(v.tunnelApproved !== undefined ? { tunnelApproved: v.tunnelApproved } : {}),
    maxConcurrentCaptures: v.maxConcurrentCaptures,
    warnings: v.warnings,
  };
}

function toCaptureError(p: CaptureProgress): CaptureError | null {
  if (!p.error) return null;
  const out: CaptureError = { kind: p.error.kind, message: p.error.message };
  if (p.liveError?.status !== undefined) out.status = p.liveError.status;
  if (p.liveError?.targetText !== undefined) out.targetText = p.liveError.targetText;
  return out;
}

export function toCaptureStatus(p: CaptureProgress): CaptureStatus {
  return {
    captureId: p.captureId,
    targetId: p.targetId,
    kind: p.kind,
    url: p.url,
    group: p.group,
    groupId: p.groupId,
    state: p.state,
    elapsedSeconds: p.elapsedSeconds,
    totalSeconds: p.totalSeconds,
    bytes: p.bytes,
    snapshotId: p.snapshotId,
    error: toCaptureError(p),
  };
}

export function toTunnelOutput(targetId: string, line: OutputLine): TunnelOutput {
  return { targetId, at: new Date(line.at).toISOString(), stream: line.stream, text: line.text };
}

/** Runs an operation, turning LiveErrors into the contract's ServiceErrors. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    const e = err instanceof LiveError ? err : asLiveError(err, 'config');
    const api = liveApiError(e);
    throw new ServiceError(api.kind, api.message);
  }
}

export async function createLiveBackend(o: LiveBackendOptions): Promise<LiveBackend> {
  const live = await LiveService.open({
    settingsDir: o.settingsDir,
    secrets: o.secrets,
    sink: o.sink,
    pollIntervalSeconds: o.pollIntervalSeconds,
    confirmTunnel: o.confirmTunnel,
    allow: o.allow,
  });
  const watch = await WatchService.open({
    settingsDir: o.settingsDir,
    sink: o.sink,
    enabled: o.allow?.watchFolders !== false,
  });
  const recipes = await RecipeStore.open(o.settingsDir);
  let pollSeconds = o.pollIntervalSeconds;

  live.on((e) => {
    switch (e.type) {
      case 'capture':
        o.events.emit('capture.progress', toCaptureStatus(e.capture));
        break;
      case 'metrics':
        o.events.emit('target.metrics', e.sample);
        break;
      case 'target-status':
        o.events.emit('target.health', e.status);
        break;
      case 'tunnel-output':
        o.events.emit('tunnel.output', toTunnelOutput(e.targetId, e.line));
        break;
      case 'bundle':
        o.events.emit('bundle.progress', e.status);
        break;
      default:
        break;
    }
  });
  watch.on((e) => {
    if (e.type === 'watch-event') o.events.emit('watch.event', e.event);
  });

  const statusAfter = async (id: string, action: () => Promise<unknown>): Promise<TargetStatus> => {
    await action();
    return live.status(id);
  };

  // A weak secret store (no OS keychain) is said next to every target that has a secret.
  const shown = (v: TargetView): Target => {
    const t = toTarget(v);
    return o.secrets.warning && t.auth.type !== 'none'
      ? { ...t, warnings: [...t.warnings, o.secrets.warning] }
      : t;
  };

  const backend: Pick<Backend, LiveOperation> = {
    listTargets: () => guard(async () => (await live.listTargets()).map(shown)),
    saveTarget: (req) => guard(async () => shown(await live.saveTarget(req.target))),
    deleteTarget: (req) => guard(async () => (await live.deleteTarget(req.id), { id: req.id })),
    connectTarget: (req) => guard(() => statusAfter(req.id, () => live.connect(req.id))),
    disconnectTarget: (req) => guard(() => statusAfter(req.id, () => live.disconnect(req.id))),
    confirmTunnel: (req) => guard(async () => shown(await live.confirmTunnel(req.id))),
    probeTarget: (req) =>
      guard(async () => {
        const r = await live.probe(req.id);
        return {
          status: live.status(req.id),
          profiles: r.profiles.map((p) => ({ name: p.name, count: p.count })),
          cmdline: r.cmdline,
        };
      }),
    getTargetMetrics: (req) =>
      guard(async () => {
        live.store.get(req.id);
        return live.metrics(req.id);
      }),
    startCapture: (req) =>
      guard(async () => {
        const { targetId, ...spec } = req;
        const { captureId } = await live.startCapture(targetId, spec);
        return { captureId };
      }),
    startRecipe: (req) =>
      guard(async () => {
        const run = await live.startRecipe(req.targetId, req.group, req.items);
        return { groupId: run.groupId, group: run.group, captureIds: run.captureIds };
      }),
    cancelRecipe: (req) =>
      guard(async () => {
        const ofRun = live.listCaptures().filter((c) => c.groupId === req.groupId);
        const unfinished = ofRun.filter(
          (c) => c.state === 'queued' || c.state === 'running' || c.state === 'storing',
        );
        if (!live.cancelRecipe(req.groupId) && ofRun.length === 0)
          throw new LiveError('not-found', `no recipe run with id ${req.groupId}`);
        return { groupId: req.groupId, cancelled: unfinished.length };
      }),
    listTargetStatuses: () => guard(async () => live.statuses()),
    getTunnelOutput: (req) =>
      guard(async () => {
        live.store.get(req.id);
        return live.tunnelOutput(req.id).map((l) => toTunnelOutput(req.id, l));
      }),
    listRecipes: () => guard(async () => recipes.list()),
    saveRecipe: (req) => guard(() => recipes.save(req.recipe)),
    deleteRecipe: (req) => guard(async () => (await recipes.remove(req.id), { id: req.id })),
    cancelCapture: (req) =>
      guard(async () => {
        live.cancelCapture(req.captureId);
        const s = live.listCaptures().find((c) => c.captureId === req.captureId);
        if (!s) throw new LiveError('not-found', `no capture with id ${req.captureId}`);
        return toCaptureStatus(s);
      }),
    listCaptures: () => guard(async () => live.listCaptures().map(toCaptureStatus)),
    startBundle: (req) =>
      guard(async () => {
        const t = live.store.get(req.targetId);
        const bundleId = live.bundles.start({
          targetId: t.id,
          targetName: t.name,
          what: req.what ?? 'bundle',
          seconds: req.seconds ?? DEFAULT_BUNDLE_SECONDS,
          note: req.note ?? '',
          waitStartMs: req.waitStartSeconds !== undefined ? req.waitStartSeconds * 1000 : undefined,
        });
        return { bundleId };
      }),
    cancelBundle: (req) =>
      guard(async () => {
        const s = live.bundles.cancel(req.bundleId);
        if (!s) throw new LiveError('not-found', `no bundle run with id ${req.bundleId}`);
        return s;
      }),
    listBundles: () => guard(async () => live.bundles.list()),
    checkGoroutineLeaks: (req) =>
      guard(async () => live.checkGoroutineLeaks(req.targetId, req.count)),
    listWatchFolders: () => guard(async () => watch.list()),
    addWatchFolder: (req) => guard(() => watch.add(req.path)),
    removeWatchFolder: (req) => guard(async () => (await watch.remove(req.id), { id: req.id })),
  };

  return {
    backend,
    live,
    watch,
    recipes,
    setPollInterval: (s) => {
      pollSeconds = s;
      live.setPollInterval(s);
    },
    pollIntervalSeconds: () => pollSeconds,
    close: async () => {
      await Promise.all([live.close(), watch.close()]);
    },
  };
}

// The live-targets back end in one object: targets (settings + secrets), per-target tunnel,
// probe and health, captures and recipes, dashboard polling, and one event stream. The
// Electron main process and serve mode wrap it with the contract; it never imports electron.
import type { CaptureSpec, TargetStatus, TunnelState } from '../../../core/contract/live';
import {
  CaptureService,
  type CaptureOutcome,
  type CaptureProgress,
  type CaptureTarget,
} from '../capture/capture-service';
import { cancelRecipe, runRecipe, type RecipeRun } from '../capture/recipes';
import { BundleRuns } from '../capture/bundle-runs';
import type { BundleStatus, LeakCheck } from '../../../core/contract/bundles';
import { checkGoroutineLeaks } from '../poll/leak-check';
import type { SnapshotSink } from '../capture/snapshot-sink';
import type { MetricsSample } from '../../../core/contract/live';
import { TargetPoller, type PollStatus } from '../poll/poller';
import type { OutputLine } from '../tunnel/output-ring';
import { Tunnel } from '../tunnel/tunnel';
import { TunnelApprovals } from '../tunnel/approvals';
import { resolveConnection, type TargetConnection } from './connection';
import { asLiveError, LiveError } from './errors';
import { healthOfError, probeTarget, type ProbeResult, type TargetHealth } from './probe';
import type { SecretStore } from './secret-store';
import { TargetStore } from './target-store';
import {
  DEFAULT_POLL_SECONDS,
  TUNNEL_READY_TIMEOUT_MS,
  type StoredTarget,
  type TargetSaveInput,
  type TargetView,
} from './target-types';

export type LiveEvent =
  | { type: 'target-status'; status: TargetStatus }
  | { type: 'capture'; capture: CaptureProgress }
  | { type: 'metrics'; sample: MetricsSample }
  | { type: 'poll'; status: PollStatus }
  | { type: 'tunnel-output'; targetId: string; line: OutputLine }
  | { type: 'targets-changed' }
  | { type: 'bundle'; status: BundleStatus };

export interface LiveServiceOptions {
  /** Folder for targets.json. */
  settingsDir: string;
  secrets: SecretStore;
  sink: SnapshotSink;
  pollIntervalSeconds?: number;
  /** Largest capture body accepted (default 1 GiB). */
  maxCaptureBytes?: number;
  /** Tunnel restart backoff and ready wait, for tests; defaults suit real tunnels. */
  tunnel?: {
    readyTimeoutMs?: number;
    backoffInitialMs?: number;
    backoffMaxMs?: number;
    healthIntervalMs?: number;
  };
  now?: () => Date;
  /**
   * Asks the user to confirm a tunnel command before its first run (the app's main-process
   * dialog); true to run it. Absent (serve mode): an unconfirmed command is refused until
   * confirmTunnel is called, which the browser does after its own confirm step.
   */
  confirmTunnel?: (request: { targetName: string; command: string }) => Promise<boolean>;
  /** What a remote serve mode (--allow-remote) turns off unless named by its own flag. */
  allow?: { tunnels: boolean; caFiles: boolean };
}

export const TUNNELS_OFF =
  'tunnel commands are off: serve was started with --allow-remote, whose token must not run commands; restart it with --allow-tunnels to run them';
export const CA_FILES_OFF =
  'CA-file paths are off: serve was started with --allow-remote, whose token must not name files to read; restart it with --allow-ca-files to use them';

interface Session {
  connected: boolean;
  health: TargetHealth | null;
  tunnel: Tunnel | null;
  poller: TargetPoller | null;
  unsubscribeTunnel: (() => void) | null;
}

export class LiveService {
  readonly captures: CaptureService;
  /** "Capture everything" and "Capture on next start" runs. */
  readonly bundles: BundleRuns;
  private readonly sessions = new Map<string, Session>();
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly recipes = new Map<string, RecipeRun>();
  private pollIntervalSeconds: number;

  private constructor(
    readonly store: TargetStore,
    private readonly approvals: TunnelApprovals,
    private readonly opts: LiveServiceOptions,
  ) {
    this.pollIntervalSeconds = opts.pollIntervalSeconds ?? DEFAULT_POLL_SECONDS;
    this.captures = new CaptureService({
      sink: opts.sink,
      maxBytes: opts.maxCaptureBytes,
      now: opts.now,
    });
    this.captures.on((capture) => this.emit({ type: 'capture', capture }));
    this.bundles = new BundleRuns(
      this.captures,
      (id) => this.captureTarget(id),
      (status) => this.emit({ type: 'bundle', status }),
    );
  }

  static async open(opts: LiveServiceOptions): Promise<LiveService> {
    const store = await TargetStore.open(opts.settingsDir, opts.secrets, opts.now);
    const approvals = await TunnelApprovals.open(opts.settingsDir);
    return new LiveService(store, approvals, opts);
  }

  on(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Targets.

  async listTargets(): Promise<TargetView[]> {
    return (await this.store.views()).map((v) => this.withApproval(v));
  }

  async getTarget(id: string): Promise<TargetView> {
    return this.withApproval(await this.store.view(id));
  }

  /** Creates or edits a target; a connected target is reconnected with the new settings. */
  async saveTarget(input: TargetSaveInput): Promise<TargetView> {
    if (this.opts.allow?.caFiles === false && input.tls?.caFile?.trim())
      throw new LiveError('config', CA_FILES_OFF);
    const wasConnected = input.id !== undefined && this.sessions.get(input.id)?.connected === true;
    if (wasConnected) await this.disconnect(input.id!);
    const view = await this.store.save(input);
    this.emit({ type: 'targets-changed' });
    // A changed tunnel command is not run by the save: it waits for its confirmation.
    if (wasConnected) void this.connect(view.id).catch(() => undefined);
    return this.withApproval(view);
  }

  /**
   * Confirms the target's current tunnel command to run, remembered by its hash: in the app
   * the main process asks the user first (opts.confirmTunnel); serve mode's browser asks
   * before it calls this.
   */
  async confirmTunnel(id: string): Promise<TargetView> {
    const t = this.store.get(id);
    if (!t.tunnel) throw new LiveError('config', `target ${t.name} has no tunnel command`);
    if (this.opts.allow?.tunnels === false) throw new LiveError('config', TUNNELS_OFF);
    if (!this.approvals.isApproved(t.tunnel.command)) {
      if (
        this.opts.confirmTunnel &&
        !(await this.opts.confirmTunnel({ targetName: t.name, command: t.tunnel.command }))
      )
        throw new LiveError('cancelled', 'the tunnel command was not confirmed: it did not run');
      await this.approvals.approve(t.tunnel.command);
    }
    return this.getTarget(id);
  }

  private withApproval(v: TargetView): TargetView {
    return v.tunnel ? { ...v, tunnelApproved: this.approvals.isApproved(v.tunnel.command) } : v;
  }

  /**
   * Before a tunnel command's first run: refused when tunnels are off, asked about in the app
   * (main-process dialog), refused in serve mode until confirmTunnel was called for it.
   */
  private async ensureTunnelApproved(t: StoredTarget): Promise<void> {
    if (!t.tunnel) return;
    if (this.opts.allow?.tunnels === false) throw new LiveError('config', TUNNELS_OFF);
    if (this.approvals.isApproved(t.tunnel.command)) return;
    if (this.opts.confirmTunnel) {
      await this.confirmTunnel(t.id);
      return;
    }
    throw new LiveError(
      'config',
      `the tunnel command of ${t.name} is new or changed and has not been confirmed: confirm it before it runs (${t.tunnel.command})`,
    );
  }

  async deleteTarget(id: string): Promise<void> {
    await this.disconnect(id);
    await this.store.remove(id);
    this.sessions.delete(id);
    this.emit({ type: 'targets-changed' });
  }

  // Connection, health.

  status(id: string): TargetStatus {
    this.store.get(id);
    const s = this.sessions.get(id);
    return {
      targetId: id,
      connected: s?.connected ?? false,
      health: s?.health?.state ?? 'unknown',
      message: s?.health?.message ?? 'not checked yet',
      checkedAt: s?.health?.checkedAt ?? null,
      tunnel: (s?.tunnel?.state as TunnelState | undefined) ?? null,
    };
  }

  statuses(): TargetStatus[] {
    return this.store.list().map((t) => this.status(t.id));
  }

  /**
   * Starts the tunnel (if any) and waits for it, probes, and starts the dashboard polling.
   * Resolves with the probe result even when unhealthy (the status says why); polling keeps
   * going with backoff so the dashboard recovers on its own.
   */
  async connect(id: string): Promise<ProbeResult> {
    const t = this.store.get(id);
    if (t.tunnel && !this.sessions.get(id)?.tunnel) await this.ensureTunnelApproved(t);
    const s = this.session(id);
    s.connected = true;
    if (t.tunnel && !s.tunnel) {
      const url = new URL(t.baseUrl);
      const tun = new Tunnel({
        command: t.tunnel.command,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: t.tunnel.localPort,
        readyTimeoutMs: this.opts.tunnel?.readyTimeoutMs ?? TUNNEL_READY_TIMEOUT_MS,
        backoffInitialMs: this.opts.tunnel?.backoffInitialMs,
        backoffMaxMs: this.opts.tunnel?.backoffMaxMs,
        healthIntervalMs: this.opts.tunnel?.healthIntervalMs,
      });
      s.tunnel = tun;
      s.unsubscribeTunnel = tun.on((e) => {
        if (e.type === 'output') this.emit({ type: 'tunnel-output', targetId: id, line: e.line });
        else this.emitStatus(id);
      });
    }
    if (s.tunnel) {
      try {
        await s.tunnel.start();
      } catch (err) {
        const e = asLiveError(err, 'unreachable');
        const health: TargetHealth = {
          state: 'unreachable',
          message: e.message,
          checkedAt: this.nowIso(),
        };
        this.setHealth(id, health);
        // A tunnel that gave up is the cause: a probe would only add "nothing is listening".
        if (s.tunnel.state === 'failed')
          return { health, profiles: [], cmdline: null, indexUrl: '' };
      }
    }
    this.startPoller(id);
    return this.probe(id);
  }

  async disconnect(id: string): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) return;
    s.connected = false;
    s.poller?.stop();
    s.poller = null;
    this.captures.cancelTarget(id);
    const tun = s.tunnel;
    s.tunnel = null;
    s.unsubscribeTunnel?.();
    s.unsubscribeTunnel = null;
    if (tun) await tun.stop();
    this.emitStatus(id);
  }

  async probe(id: string, signal?: AbortSignal): Promise<ProbeResult> {
    let c: TargetConnection;
    try {
      c = await this.connection(id);
    } catch (err) {
      const e = asLiveError(err, 'config');
      const health: TargetHealth = { state: 'error', message: e.message, checkedAt: this.nowIso() };
      this.setHealth(id, health);
      return { health, profiles: [], cmdline: null, indexUrl: '' };
    }
    const result = await probeTarget(c, signal, this.opts.now);
    this.setHealth(id, result.health);
    return result;
  }

  tunnelOutput(id: string): OutputLine[] {
    return this.sessions.get(id)?.tunnel?.output() ?? [];
  }

  /** The running tunnel's process group id (for diagnostics and tests). */
  tunnelPid(id: string): number | null {
    return this.sessions.get(id)?.tunnel?.pid ?? null;
  }

  // Dashboard.

  metrics(id: string): MetricsSample[] {
    return this.sessions.get(id)?.poller?.samples() ?? [];
  }

  setPollInterval(seconds: number): void {
    this.pollIntervalSeconds = seconds;
    for (const s of this.sessions.values()) s.poller?.setIntervalMs(seconds * 1000);
  }

  // Captures.

  async startCapture(
    targetId: string,
    spec: CaptureSpec & { group?: string },
  ): Promise<{ captureId: string; done: Promise<CaptureOutcome> }> {
    const target = await this.captureTarget(targetId);
    return this.captures.start(target, spec);
  }

  /** Whether the target serves goroutineleak; with count, the leaked count (a GC in it). */
  async checkGoroutineLeaks(id: string, count: boolean): Promise<LeakCheck> {
    const t = await this.captureTarget(id);
    return checkGoroutineLeaks(id, t.connection, count, this.opts.now);
  }

  cancelCapture(captureId: string): boolean {
    return this.captures.cancel(captureId);
  }

  listCaptures(): CaptureProgress[] {
    return this.captures.list();
  }

  /** Runs a set of captures as one group (a recipe); see capture/recipes.ts. */
  async startRecipe(targetId: string, group: string, items: CaptureSpec[]): Promise<RecipeRun> {
    const target = await this.captureTarget(targetId);
    const run = runRecipe(this.captures, target, items, group);
    this.recipes.set(run.groupId, run);
    void run.done.finally(() => this.recipes.delete(run.groupId));
    return run;
  }

  cancelRecipe(groupId: string): boolean {
    const run = this.recipes.get(groupId);
    if (!run) return false;
    cancelRecipe(this.captures, run);
    return true;
  }

  /** Stops every tunnel and poller and cancels every capture (app quit). */
  async close(): Promise<void> {
    this.bundles.cancelAll();
    this.captures.cancelAll();
    await Promise.all([...this.sessions.keys()].map((id) => this.disconnect(id)));
  }

  // Internals.

  private session(id: string): Session {
    let s = this.sessions.get(id);
    if (!s) {
      s = { connected: false, health: null, tunnel: null, poller: null, unsubscribeTunnel: null };
      this.sessions.set(id, s);
    }
    return s;
  }

  private async connection(id: string): Promise<TargetConnection> {
    const t = this.store.get(id);
    if (t.tls.caFile && this.opts.allow?.caFiles === false)
      throw new LiveError('config', CA_FILES_OFF);
    return resolveConnection(
      t,
      t.auth.type === 'none' ? undefined : await this.store.secret(id),
      await this.store.headerSecrets(id),
    );
  }

  private async captureTarget(id: string): Promise<CaptureTarget> {
    const t: StoredTarget = this.store.get(id);
    const tun = this.sessions.get(id)?.tunnel;
    if (tun && tun.state !== 'ready') {
      // A tunnel between restarts: wait for it (bounded) rather than fail at once.
      await tun
        .whenReady(this.opts.tunnel?.readyTimeoutMs ?? TUNNEL_READY_TIMEOUT_MS)
        .catch((err: unknown) => {
          throw new LiveError('unreachable', `the tunnel is not up: ${asLiveError(err).message}`);
        });
    }
    return {
      id: t.id,
      name: t.name,
      baseUrl: t.baseUrl,
      connection: await this.connection(id),
      maxConcurrentCaptures: t.maxConcurrentCaptures,
    };
  }

  private startPoller(id: string): void {
    const s = this.session(id);
    if (s.poller) return;
    s.poller = new TargetPoller({
      targetId: id,
      connection: () => this.connection(id),
      intervalMs: this.pollIntervalSeconds * 1000,
      now: this.opts.now,
      onSample: (sample) => {
        this.emit({ type: 'metrics', sample });
        // A new process behind the target: refresh its details (profiles, cmdline) unasked.
        if (sample.restart) void this.probe(id).catch(() => undefined);
      },
      onStatus: (status) => {
        this.emit({ type: 'poll', status });
        const cur = this.sessions.get(id)?.health;
        if (status.state === 'failing' && status.error) {
          const e = new LiveError(status.error.kind, status.error.message);
          this.setHealth(id, {
            state: healthOfError(e),
            message: status.error.message,
            checkedAt: this.nowIso(),
          });
        } else if (status.state === 'ok' && cur && cur.state !== 'ok') {
          this.setHealth(id, {
            state: 'ok',
            message: status.recovered ? 'the target answers again' : 'polling works',
            checkedAt: this.nowIso(),
          });
        }
      },
    });
    s.poller.start();
  }

  private setHealth(id: string, health: TargetHealth): void {
    const s = this.session(id);
    const changed = s.health?.state !== health.state || s.health?.message !== health.message;
    s.health = health;
    if (changed) this.emitStatus(id);
  }

  private emitStatus(id: string): void {
    if (!this.store.has(id)) return;
    this.emit({ type: 'target-status', status: this.status(id) });
  }

  private nowIso(): string {
    return (this.opts.now?.() ?? new Date()).toISOString();
  }

  private emit(e: LiveEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A failing listener must not break the service.
      }
    }
  }
}

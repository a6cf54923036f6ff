// Bundle runs in the app: "Capture everything" and "Capture on next start". A run may first
// wait for its target (cold start: polling with backoff, bounded, through the target's
// managed tunnel when it has one), then runs a bundle (capture/bundle.ts) or one CPU profile
// through the same capture service as every other capture. Progress and the end are
// reported as BundleStatus values; a run can be cancelled while waiting or capturing.
import { randomUUID } from 'node:crypto';
import type { BundleStatus, BundleWhat } from '../../../core/contract/bundles';
import { asLiveError, LiveError } from '../targets/errors';
import { runBundle, type BundleManifest, type BundlePart } from './bundle';
import type { CaptureService, CaptureTarget } from './capture-service';
import { DEFAULT_WAIT_START_MS, waitForStart } from './cold-start';

export interface BundleRunRequest {
  targetId: string;
  targetName: string;
  what: BundleWhat;
  seconds: number;
  note: string;
  /** Cold start: wait up to this long for the first answer; undefined = start now. */
  waitStartMs?: number;
}

const FINISHED_KEPT = 50;
const RESOLVE_RETRY_MS = 500;

function partStatus(p: BundlePart): BundleStatus['parts'][number] {
  return {
    kind: p.kind,
    state: p.state,
    elapsedSeconds: p.elapsedSeconds,
    totalSeconds: p.totalSeconds,
    bytes: p.bytes,
    snapshotId: p.snapshotId,
    error: p.error?.message ?? null,
  };
}

export class BundleRuns {
  /** Keeps a finished bundle's manifest (the library's bundle store); set by the app. */
  saveManifest: ((m: BundleManifest, memStatsText: string | null) => Promise<void>) | null = null;
  private readonly runs = new Map<string, { status: BundleStatus; abort: AbortController }>();
  private readonly finished: BundleStatus[] = [];

  constructor(
    private readonly captures: CaptureService,
    /** The target as captures see it; throws while its tunnel is not up. */
    private readonly resolve: (targetId: string) => Promise<CaptureTarget>,
    private readonly emit: (s: BundleStatus) => void,
  ) {}

  list(): BundleStatus[] {
    return [...[...this.runs.values()].map((r) => r.status), ...this.finished].map((s) =>
      structuredClone(s),
    );
  }

  cancel(bundleId: string): BundleStatus | null {
    const r = this.runs.get(bundleId);
    if (r) r.abort.abort();
    return r?.status ?? this.finished.find((s) => s.bundleId === bundleId) ?? null;
  }

  cancelAll(): void {
    for (const r of this.runs.values()) r.abort.abort();
  }

  /** Starts a run; its progress and end arrive through `emit`. */
  start(req: BundleRunRequest): string {
    const bundleId = randomUUID();
    const abort = new AbortController();
    const status: BundleStatus = {
      bundleId,
      targetId: req.targetId,
      what: req.what,
      state: req.waitStartMs !== undefined ? 'waiting' : 'running',
      name:
        req.what === 'cpu'
          ? `${req.targetName} · cold start cpu ${req.seconds} s`
          : `${req.targetName} · bundle ${req.seconds} s`,
      groupId: null,
      wait:
        req.waitStartMs !== undefined
          ? { attempts: 0, elapsedMs: 0, timeoutMs: req.waitStartMs, lastError: null }
          : null,
      msToCapture: null,
      parts: [],
      error: null,
    };
    this.runs.set(bundleId, { status, abort });
    this.emit(structuredClone(status));
    void this.run(req, status, abort.signal).finally(() => {
      this.runs.delete(bundleId);
      this.finished.unshift(status);
      if (this.finished.length > FINISHED_KEPT) this.finished.length = FINISHED_KEPT;
      this.emit(structuredClone(status));
    });
    return bundleId;
  }

  private async run(
    req: BundleRunRequest,
    status: BundleStatus,
    signal: AbortSignal,
  ): Promise<void> {
    const update = (patch: Partial<BundleStatus>): void => {
      Object.assign(status, patch);
      this.emit(structuredClone(status));
    };
    try {
      let target: CaptureTarget;
      let coldStart: BundleManifest['coldStart'] = null;
      if (req.waitStartMs !== undefined) {
        const r = await this.waitForTarget(req, status, signal, update);
        target = r.target;
        coldStart = r.coldStart;
      } else {
        target = await this.resolve(req.targetId);
      }
      update({ state: 'running' });
      if (req.what === 'cpu') {
        await this.cpuOnly(target, req, status, signal, update);
        return;
      }
      let memStatsText: string | null = null;
      const m = await runBundle(this.captures, target, {
        seconds: req.seconds,
        name: status.name,
        note: req.note,
        signal,
        coldStart,
        onMemStatsText: async (text) => {
          memStatsText = text;
        },
        onProgress: (p) => update({ groupId: p.groupId, parts: p.parts.map(partStatus) }),
      });
      const done = m.parts.filter((p) => p.state === 'done').length;
      // Stored before the run says done, so the library lists the bundle when the UI looks.
      let saveError: string | null = null;
      if (done > 0 && this.saveManifest)
        await this.saveManifest(m, memStatsText).catch((e: unknown) => {
          saveError = `the bundle's parts are stored, its manifest is not: ${e instanceof Error ? e.message : String(e)}`;
        });
      update({
        groupId: m.groupId,
        parts: m.parts.map(partStatus),
        state: signal.aborted ? 'cancelled' : done === 0 ? 'failed' : 'done',
        error: done === 0 && !signal.aborted ? 'every part of the bundle failed' : saveError,
      });
    } catch (err) {
      const e = signal.aborted ? new LiveError('cancelled', 'cancelled') : asLiveError(err);
      update({
        state: e.kind === 'cancelled' ? 'cancelled' : 'failed',
        error: e.kind === 'cancelled' ? null : e.message,
      });
    }
  }

  /** Cold start: resolve the target (its tunnel may be restarting) and poll until it answers. */
  private async waitForTarget(
    req: BundleRunRequest,
    status: BundleStatus,
    signal: AbortSignal,
    update: (patch: Partial<BundleStatus>) => void,
  ): Promise<{ target: CaptureTarget; coldStart: BundleManifest['coldStart'] }> {
    const timeoutMs = req.waitStartMs ?? DEFAULT_WAIT_START_MS;
    const t0 = Date.now();
    let attempts = 0;
    for (;;) {
      if (signal.aborted) throw new LiveError('cancelled', 'cancelled');
      const left = timeoutMs - (Date.now() - t0);
      if (left <= 0)
        throw new LiveError(
          'timeout',
          `the target did not answer within ${Math.round(timeoutMs / 1000)} s (${attempts} attempts${status.wait?.lastError ? `; last: ${status.wait.lastError}` : ''})`,
        );
      let target: CaptureTarget;
      try {
        target = await this.resolve(req.targetId);
      } catch (err) {
        const e = asLiveError(err);
        if (e.kind === 'not-found' || e.kind === 'config') throw e;
        attempts++;
        update({ wait: { attempts, elapsedMs: Date.now() - t0, timeoutMs, lastError: e.message } });
        await new Promise((r) => setTimeout(r, Math.min(RESOLVE_RETRY_MS, left)));
        continue;
      }
      try {
        const w = await waitForStart(target, {
          timeoutMs: left,
          signal,
          onAttempt: (p) =>
            update({
              wait: {
                attempts: attempts + p.attempts,
                elapsedMs: Date.now() - t0,
                timeoutMs,
                lastError: p.lastError,
              },
            }),
        });
        const msToCapture = Date.now() - w.firstAnswerAt.getTime();
        update({
          wait: {
            attempts: attempts + w.attempts,
            elapsedMs: Date.now() - t0,
            timeoutMs,
            lastError: null,
          },
          msToCapture,
        });
        return {
          target,
          coldStart: { firstAnswerAt: w.firstAnswerAt.toISOString(), msToCapture },
        };
      } catch (err) {
        const e = asLiveError(err);
        // The tunnel went down meanwhile: resolve it again within the same bound.
        if (e.kind !== 'unreachable' && e.kind !== 'connection-lost') throw e;
      }
    }
  }

  private async cpuOnly(
    target: CaptureTarget,
    req: BundleRunRequest,
    status: BundleStatus,
    signal: AbortSignal,
    update: (patch: Partial<BundleStatus>) => void,
  ): Promise<void> {
    const groupId = randomUUID();
    const part: BundleStatus['parts'][number] = {
      kind: 'cpu',
      state: 'queued',
      elapsedSeconds: 0,
      totalSeconds: req.seconds,
      bytes: 0,
      snapshotId: null,
      error: null,
    };
    update({ groupId, parts: [part] });
    const run = this.captures.start(target, {
      kind: 'cpu',
      seconds: req.seconds,
      groupId,
      group: status.name,
      stepKey: 'cpu',
    });
    const onAbort = (): void => void this.captures.cancel(run.captureId);
    signal.addEventListener('abort', onAbort, { once: true });
    const off = this.captures.on((s) => {
      if (s.captureId !== run.captureId) return;
      Object.assign(part, {
        state: s.state === 'done' ? 'storing' : s.state,
        elapsedSeconds: s.elapsedSeconds,
        bytes: s.bytes,
      });
      if (s.state === 'queued' || s.state === 'running' || s.state === 'storing')
        update({ parts: [part] });
    });
    try {
      const o = await run.done;
      Object.assign(part, {
        state: 'done',
        snapshotId: o.snapshotId,
        bytes: o.meta.size,
        elapsedSeconds: req.seconds,
      });
      update({ parts: [part], state: 'done' });
    } catch (err) {
      const e = asLiveError(err);
      Object.assign(part, {
        state: e.kind === 'cancelled' ? 'cancelled' : 'failed',
        error: e.message,
      });
      update({ parts: [part] });
      throw e;
    } finally {
      off();
      signal.removeEventListener('abort', onAbort);
    }
  }
}

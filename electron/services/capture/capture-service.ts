// Captures from live targets: one HTTP GET per capture, progress events while the target
// works and while bytes arrive, cancel at any point (nothing stored), a per-target
// concurrency limit, validation of the body, then the bytes go to the snapshot sink.
import { createHash, randomUUID } from 'node:crypto';
import type { CaptureState, CaptureStatus } from '../../../core/contract/live';
import { asLiveError, LiveError, liveApiError, type LiveErrorInfo } from '../targets/errors';
import { describeUrl, httpGet, type HttpResult } from '../targets/http-client';
import { endpointUrl, requestTimeoutMs, type TargetConnection } from '../targets/connection';
import {
  captureDisplayName,
  captureFileName,
  planCapture,
  type CapturePlan,
  type CaptureSpec,
} from './kinds';
import { TargetLimiter } from './limiter';
import { isPprofErrorBody, notServedError, responseError } from './response';
import type { CaptureMeta, SnapshotSink } from './snapshot-sink';
import { validateCaptureBody } from './validate';

/** What the capture service needs to know about a target. */
export interface CaptureTarget {
  /** null for one-off captures (the CLI). */
  id: string | null;
  name: string;
  baseUrl: string;
  connection: TargetConnection;
  maxConcurrentCaptures: number;
}

export interface CaptureRequest extends CaptureSpec {
  /** Recipe group: every snapshot of one run carries the same id and name. */
  groupId?: string;
  group?: string;
  stepKey?: string;
  /** Stored as the snapshot's note (a bundle's note goes on every part). */
  note?: string;
}

export interface CaptureOutcome {
  captureId: string;
  snapshotId: string;
  outcome: 'added' | 'duplicate' | 'restored';
  meta: CaptureMeta;
  /** The stored bytes (bundles read build info from them). */
  body: Uint8Array;
}

/** The contract's CaptureStatus plus the URL and the detailed error. */
export interface CaptureProgress extends CaptureStatus {
  url: string;
  groupId: string | null;
  liveError: LiveErrorInfo | null;
}

export interface CaptureServiceOptions {
  sink: SnapshotSink;
  /** Largest body accepted (default 1 GiB, the library's limit). */
  maxBytes?: number;
  /** How often progress is reported while a capture runs (default 250 ms). */
  progressIntervalMs?: number;
  now?: () => Date;
}

interface Running {
  status: CaptureProgress;
  controller: AbortController;
}

const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
const BUSY_RETRIES = 4;
const BUSY_RETRY_MS = 500;

function isBusyAnswer(res: HttpResult): boolean {
  return (
    res.status === 500 &&
    isPprofErrorBody(res) &&
    /already (in use|enabled)/i.test(res.body.toString('utf8'))
  );
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
const FINISHED_KEPT = 200;

export class CaptureService {
  private readonly running = new Map<string, Running>();
  private readonly finished: CaptureProgress[] = [];
  private readonly limiters = new Map<string, TargetLimiter>();
  private readonly listeners = new Set<(s: CaptureProgress) => void>();
  private readonly maxBytes: number;
  private readonly progressIntervalMs: number;
  private readonly now: () => Date;

  constructor(private readonly opts: CaptureServiceOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.progressIntervalMs = opts.progressIntervalMs ?? 250;
    this.now = opts.now ?? (() => new Date());
  }

  /** Subscribe to progress (every state change, and periodically while running). */
  on(listener: (s: CaptureProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Running and recently finished captures, newest first. */
  list(): CaptureProgress[] {
    return [
      ...[...this.running.values()].map((r) => ({ ...r.status })),
      ...this.finished.map((s) => ({ ...s })),
    ];
  }

  /**
   * Starts a capture. Invalid settings throw at once; everything later is reported through
   * `done` (rejecting with a LiveError) and through progress events.
   */
  start(
    target: CaptureTarget,
    req: CaptureRequest,
  ): { captureId: string; done: Promise<CaptureOutcome> } {
    const plan = planCapture(req);
    const captureId = randomUUID();
    const url = endpointUrl(target.connection, plan.endpoint, plan.query);
    const controller = new AbortController();
    const status: CaptureProgress = {
      captureId,
      targetId: target.id ?? 'cli',
      kind: plan.kind,
      group: req.group ?? null,
      groupId: req.groupId ?? null,
      state: 'queued',
      elapsedSeconds: 0,
      totalSeconds: plan.durationSeconds,
      bytes: 0,
      snapshotId: null,
      error: null,
      liveError: null,
      url: url.toString(),
    };
    this.running.set(captureId, { status, controller });
    this.emit(status);
    const done = this.run(target, req, plan, url, status, controller.signal);
    // Callers may only listen to events; keep an unobserved rejection from crashing Node.
    done.catch(() => undefined);
    return { captureId, done };
  }

  cancel(captureId: string): boolean {
    const r = this.running.get(captureId);
    if (!r) return false;
    r.controller.abort();
    return true;
  }

  /** Cancels every capture of a target (on disconnect or delete). */
  cancelTarget(targetId: string): number {
    let n = 0;
    for (const r of this.running.values()) {
      if (r.status.targetId === targetId) {
        r.controller.abort();
        n++;
      }
    }
    return n;
  }

  cancelAll(): void {
    for (const r of this.running.values()) r.controller.abort();
  }

  private limiterFor(target: CaptureTarget): TargetLimiter {
    const key = target.id ?? `cli:${target.baseUrl}`;
    let l = this.limiters.get(key);
    if (!l) {
      l = new TargetLimiter(target.maxConcurrentCaptures);
      this.limiters.set(key, l);
    }
    l.max = target.maxConcurrentCaptures;
    return l;
  }

  private async run(
    target: CaptureTarget,
    req: CaptureRequest,
    plan: CapturePlan,
    url: URL,
    status: CaptureProgress,
    signal: AbortSignal,
  ): Promise<CaptureOutcome> {
    let release: (() => void) | undefined;
    let ticker: NodeJS.Timeout | undefined;
    const where = describeUrl(url);
    try {
      const exclusive = plan.kind === 'cpu' || plan.kind === 'trace' ? plan.kind : null;
      release = await this.limiterFor(target).acquire(exclusive, signal);
      const startedAt = this.now();
      const t0 = Date.now();
      this.update(status, { state: 'running' });
      ticker = setInterval(
        () => this.update(status, { elapsedSeconds: (Date.now() - t0) / 1000 }),
        this.progressIntervalMs,
      );
      const get = (): ReturnType<typeof httpGet> =>
        httpGet(url, target.connection.conn, {
          timeoutMs: requestTimeoutMs(
            target.connection.timeoutSeconds,
            plan.durationSeconds ?? undefined,
          ),
          maxBytes: this.maxBytes,
          signal,
          onData: (bytes) => {
            status.bytes = bytes;
          },
        });
      let res = await get();
      // Go stops a CPU profile or trace only once it notices its client left; right after a
      // cancelled capture the next one can meet "already in use" for a moment. Retry briefly;
      // a profiler that really is busy (another tool) still gets reported, verbatim.
      for (let retry = 0; retry < BUSY_RETRIES && exclusive && isBusyAnswer(res); retry++) {
        await sleepUnlessAborted(BUSY_RETRY_MS, signal);
        if (signal.aborted) throw new LiveError('cancelled', 'cancelled');
        res = await get();
      }
      clearInterval(ticker);
      ticker = undefined;
      if (res.status === 404 && plan.kind === 'goroutineleak') throw notServedError(where);
      if (res.status !== 200) throw responseError(res, where);
      this.update(status, {
        state: 'storing',
        elapsedSeconds: (Date.now() - t0) / 1000,
        bytes: res.body.length,
      });
      await validateCaptureBody(plan, res.body, res.headers, where);
      if (signal.aborted) throw new LiveError('cancelled', 'cancelled');
      const meta: CaptureMeta = {
        source: { type: 'capture', url: url.toString() },
        fileName: captureFileName(plan, startedAt, new URL(target.baseUrl).host),
        name: captureDisplayName(plan, startedAt, target.name || new URL(target.baseUrl).host),
        kind: plan.kind,
        format: plan.format,
        target: { id: target.id, name: target.name, baseUrl: target.baseUrl },
        capturedAt: startedAt.toISOString(),
        seconds: plan.durationSeconds,
        delta: plan.delta,
        gc: plan.gc,
        size: res.body.length,
        sha256: createHash('sha256').update(res.body).digest('hex'),
        groupId: req.groupId ?? null,
        group: req.group ?? null,
        stepKey: req.stepKey ?? null,
        ...(req.note ? { note: req.note } : {}),
      };
      const body = new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.length);
      let stored;
      try {
        stored = await this.opts.sink.import(body, meta);
      } catch (err) {
        throw new LiveError(
          'storage',
          `the capture could not be stored in the library: ${asLiveError(err).message}`,
        );
      }
      this.finish(status, 'done', { snapshotId: stored.id });
      return {
        captureId: status.captureId,
        snapshotId: stored.id,
        outcome: stored.outcome,
        meta,
        body,
      };
    } catch (err) {
      const e = signal.aborted
        ? new LiveError('cancelled', 'the capture was cancelled; nothing was stored')
        : asLiveError(err);
      this.finish(status, e.kind === 'cancelled' ? 'cancelled' : 'failed', {
        error: liveApiError(e),
        liveError: e.toInfo(),
      });
      throw e;
    } finally {
      if (ticker) clearInterval(ticker);
      release?.();
    }
  }

  private update(status: CaptureProgress, patch: Partial<CaptureProgress>): void {
    Object.assign(status, patch);
    this.emit(status);
  }

  private finish(
    status: CaptureProgress,
    state: CaptureState,
    patch: Partial<CaptureProgress>,
  ): void {
    Object.assign(status, patch, { state });
    this.running.delete(status.captureId);
    this.finished.unshift({ ...status });
    if (this.finished.length > FINISHED_KEPT) this.finished.length = FINISHED_KEPT;
    this.emit(status);
  }

  private emit(status: CaptureProgress): void {
    const snapshot = { ...status };
    for (const l of this.listeners) {
      try {
        l(snapshot);
      } catch {
        // A failing listener must not break the capture.
      }
    }
  }
}

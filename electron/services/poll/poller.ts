// The live dashboard's polling for one target: every N seconds the goroutine count
// (goroutine?debug=1, first line only), the MemStats block of heap?debug=1 and the cmdline
// (to notice a restart with other arguments); the last 30 minutes kept in memory; exponential
// backoff while the target is unreachable; never two polls at once, every request bounded by a timeout.
import type { MetricsSample } from '../../../core/contract/live';
import { asLiveError, type LiveErrorInfo } from '../targets/errors';
import { httpGet } from '../targets/http-client';
import { endpointUrl, type TargetConnection } from '../targets/connection';
import {
  parseGoroutineTotal,
  parseMemStats,
  pauseNsBetween,
  pauseTotalNs,
  type MemStats,
} from './memstats';

export type PollState = 'idle' | 'ok' | 'failing' | 'stopped';

export interface PollStatus {
  targetId: string;
  state: PollState;
  /** Consecutive failed polls. */
  failures: number;
  /** When the next poll runs (ms from now), null when stopped. */
  nextPollInMs: number | null;
  error: LiveErrorInfo | null;
  /** True on the first good poll after failures. */
  recovered: boolean;
}

export interface PollerOptions {
  targetId: string;
  /** Resolved per poll, so an edited target or a restarted tunnel is picked up. */
  connection: () => Promise<TargetConnection>;
  intervalMs: number;
  /** How much history to keep (default 30 minutes). */
  windowMs?: number;
  /** Longest wait between polls while failing (default 60 s). */
  maxBackoffMs?: number;
  onSample?: (s: MetricsSample) => void;
  onStatus?: (s: PollStatus) => void;
  now?: () => Date;
}

const WINDOW_MS = 30 * 60 * 1000;
const HEAP_MAX_BYTES = 64 << 20;

export class TargetPoller {
  private readonly history: MetricsSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private controller: AbortController | null = null;
  private running = false;
  private failures = 0;
  private prev: MemStats | null = null;
  /** The process's cmdline at the last good poll that read it (NUL-joined). */
  private prevCmdline: string | null = null;
  private exactPauseTotal: number | null = null;
  private statusValue: PollStatus;

  constructor(private readonly opts: PollerOptions) {
    this.statusValue = {
      targetId: opts.targetId,
      state: 'idle',
      failures: 0,
      nextPollInMs: null,
      error: null,
      recovered: false,
    };
  }

  get status(): PollStatus {
    return { ...this.statusValue };
  }

  samples(): MetricsSample[] {
    return this.history.slice();
  }

  setIntervalMs(ms: number): void {
    this.opts.intervalMs = ms;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.setStatus({ state: 'stopped', nextPollInMs: null, recovered: false });
  }

  /** One poll now (also used by tests); resolves when it is recorded. */
  async pollOnce(): Promise<void> {
    const now = this.opts.now ?? (() => new Date());
    const controller = new AbortController();
    this.controller = controller;
    let sample: MetricsSample | null = null;
    let error: LiveErrorInfo | null = null;
    try {
      const c = await this.opts.connection();
      const timeoutMs =
        c.timeoutSeconds !== null ? Math.min(c.timeoutSeconds * 1000, 30_000) : 10_000;
      const [g, h, cmd] = await Promise.allSettled([
        httpGet(endpointUrl(c, 'goroutine', { debug: 1 }), c.conn, {
          timeoutMs,
          maxBytes: 1 << 20,
          firstLineOnly: true,
          signal: controller.signal,
        }),
        httpGet(endpointUrl(c, 'heap', { debug: 1 }), c.conn, {
          timeoutMs,
          maxBytes: HEAP_MAX_BYTES,
          signal: controller.signal,
        }),
        httpGet(endpointUrl(c, 'cmdline'), c.conn, {
          timeoutMs,
          maxBytes: 1 << 20,
          signal: controller.signal,
        }),
      ]);
      const goroutines =
        g.status === 'fulfilled' && g.value.status === 200
          ? parseGoroutineTotal(g.value.body.toString('utf8'))
          : null;
      const ms =
        h.status === 'fulfilled' && h.value.status === 200
          ? parseMemStats(h.value.body.toString('utf8'))
          : null;
      if (goroutines === null && ms === null) {
        const failed = [g, h].find((r) => r.status === 'rejected') as
          PromiseRejectedResult | undefined;
        if (failed) throw failed.reason;
        const res = g.status === 'fulfilled' ? g.value : null;
        const status = res?.status ?? 0;
        error =
          status === 401 || status === 403
            ? {
                kind: 'auth',
                message: `polling got HTTP ${status}: check the target's token or credentials`,
                status,
              }
            : status === 404
              ? {
                  kind: 'wrong-prefix',
                  message: `polling got 404 under ${c.pprofBase}: check the path prefix`,
                  status,
                }
              : {
                  kind: 'not-pprof',
                  message: `polling got no goroutine count and no MemStats (HTTP ${status}): is this a Go pprof endpoint?`,
                  status,
                };
      } else {
        // Unreadable (a proxy may not pass it): null, and the cmdline says nothing this poll.
        const cmdline =
          cmd.status === 'fulfilled' && cmd.value.status === 200
            ? cmd.value.body.toString('utf8')
            : null;
        sample = this.toSample(now(), goroutines, ms, cmdline);
      }
    } catch (err) {
      error = asLiveError(err).toInfo();
    } finally {
      if (this.controller === controller) this.controller = null;
    }
    if (controller.signal.aborted) return;
    if (sample) {
      const recovered = this.failures > 0;
      this.failures = 0;
      this.push(sample);
      this.opts.onSample?.(sample);
      this.setStatus({ state: 'ok', failures: 0, error: null, recovered });
    } else {
      this.failures++;
      this.setStatus({ state: 'failing', failures: this.failures, error, recovered: false });
    }
  }

  /** Delay before the next poll: the interval, doubled per consecutive failure, capped. */
  nextDelayMs(): number {
    if (this.failures === 0) return this.opts.intervalMs;
    const cap = Math.max(this.opts.maxBackoffMs ?? 60_000, this.opts.intervalMs);
    return Math.min(this.opts.intervalMs * 2 ** Math.min(this.failures, 16), cap);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollOnce().then(() => {
        if (!this.running) return;
        const next = this.nextDelayMs();
        this.setStatus({ nextPollInMs: next });
        this.schedule(next);
      });
    }, delayMs);
  }

  private toSample(
    at: Date,
    goroutines: number | null,
    ms: MemStats | null,
    cmdline: string | null,
  ): MetricsSample {
    const v = (n: number | undefined): number | null => (n === undefined ? null : n);
    let pauseNs: number | null = null;
    // Another command line on the same address is another process, whatever its counters
    // say (a young process can be ahead of an old one that allocated little).
    let restart = cmdline !== null && this.prevCmdline !== null && cmdline !== this.prevCmdline;
    if (cmdline !== null) this.prevCmdline = cmdline;
    if (ms) {
      // A process's cumulative counters never go backwards: if they did, it was restarted.
      const p = this.prev;
      const back = (a: number | undefined, b: number | undefined): boolean =>
        a !== undefined && b !== undefined && b < a;
      restart ||=
        !!p &&
        (back(p.NumGC, ms.NumGC) ||
          back(p.TotalAlloc, ms.TotalAlloc) ||
          back(p.Mallocs, ms.Mallocs));
      if (restart) this.exactPauseTotal = null;
      else if (this.prev?.NumGC !== undefined) pauseNs = pauseNsBetween(this.prev.NumGC, ms);
      // Exact from the start while NumGC ≤ 256, then kept exact by adding each interval.
      const direct = pauseTotalNs(ms);
      if (direct !== null) this.exactPauseTotal = direct;
      else if (this.exactPauseTotal !== null)
        this.exactPauseTotal = pauseNs === null ? null : this.exactPauseTotal + pauseNs;
      this.prev = ms;
    }
    return {
      targetId: this.opts.targetId,
      at: at.toISOString(),
      goroutines,
      heapInuse: v(ms?.HeapInuse),
      heapAlloc: v(ms?.HeapAlloc),
      heapSys: v(ms?.HeapSys),
      numGC: v(ms?.NumGC),
      pauseTotalNs: ms ? this.exactPauseTotal : null,
      heapIdle: v(ms?.HeapIdle),
      heapReleased: v(ms?.HeapReleased),
      heapObjects: v(ms?.HeapObjects),
      sys: v(ms?.Sys),
      totalAlloc: v(ms?.TotalAlloc),
      mallocs: v(ms?.Mallocs),
      frees: v(ms?.Frees),
      nextGC: v(ms?.NextGC),
      numForcedGC: v(ms?.NumForcedGC),
      gcCPUFraction: v(ms?.GCCPUFraction),
      stackInuse: v(ms?.StackInuse),
      maxRSS: v(ms?.MaxRSS),
      lastGC: ms?.LastGC ? new Date(ms.LastGC / 1e6).toISOString() : null,
      pauseNs,
      ...(restart ? { restart: true } : {}),
    };
  }

  private push(s: MetricsSample): void {
    this.history.push(s);
    const windowMs = this.opts.windowMs ?? WINDOW_MS;
    const cutoff = Date.parse(s.at) - windowMs;
    let drop = 0;
    while (drop < this.history.length && Date.parse(this.history[drop].at) < cutoff) drop++;
    if (drop > 0) this.history.splice(0, drop);
  }

  private setStatus(patch: Partial<PollStatus>): void {
    this.statusValue = { ...this.statusValue, ...patch };
    try {
      this.opts.onStatus?.({ ...this.statusValue });
    } catch {
      // A failing listener must not stop polling.
    }
  }
}

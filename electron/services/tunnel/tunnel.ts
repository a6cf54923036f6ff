// A tunnel command (`kubectl port-forward ...`, `ssh -N -L ...`) run for one target: started
// in its own process group, ready once the local port accepts connections, watched (exit or
// a port that stops answering), restarted with exponential backoff, and stopped as a whole
// group on disconnect or quit. A command that exits before its port ever opened is not
// restarted: its own last stderr line is the failure ("the tunnel command failed: …").
import type { ChildProcess } from 'node:child_process';
import type { TunnelState } from '../../../core/contract/live';
import { LiveError } from '../targets/errors';
import { OutputRing, type OutputLine } from './output-ring';
import { canConnect, sleep } from './port-check';
import { signalGroup, spawnGroup, stopGroup, trackGroup, untrackGroup } from './process-group';

export type { TunnelState };

export interface TunnelOptions {
  command: string;
  /** Where the tunnel listens locally (the target's base URL host and port). */
  host: string;
  port: number;
  /** Bound on waiting for the port after each start (default 20 s). */
  readyTimeoutMs?: number;
  /** First restart delay, doubled per consecutive failure up to backoffMaxMs. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** A run at least this long resets the backoff (default 30 s). */
  stableAfterMs?: number;
  /** How often a ready tunnel's port is checked (default 5 s); 3 misses in a row restart it. */
  healthIntervalMs?: number;
  /** Give up after this many consecutive starts that never became ready (default 5). */
  maxStartFailures?: number;
  outputLines?: number;
  env?: NodeJS.ProcessEnv;
}

export type TunnelEvent =
  | { type: 'state'; state: TunnelState; message: string; pid: number | null }
  | { type: 'output'; line: OutputLine };

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Tunnel {
  private stateValue: TunnelState = 'stopped';
  private messageValue = '';
  private child: ChildProcess | null = null;
  private readonly ring: OutputRing;
  private readonly listeners = new Set<(e: TunnelEvent) => void>();
  private stopController = new AbortController();
  private loopDone: Promise<void> | null = null;
  private readyWaiters: { resolve: () => void; reject: (e: LiveError) => void }[] = [];
  private restartsValue = 0;

  constructor(private readonly opts: TunnelOptions) {
    this.ring = new OutputRing(opts.outputLines ?? 500);
  }

  get state(): TunnelState {
    return this.stateValue;
  }
  get message(): string {
    return this.messageValue;
  }
  /** The process group id of the running command, null when none runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }
  /** How many times the command was restarted since start(). */
  get restarts(): number {
    return this.restartsValue;
  }

  output(): OutputLine[] {
    return this.ring.snapshot();
  }

  on(listener: (e: TunnelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the command; resolves once the port accepts connections, rejects if it never does. */
  start(): Promise<void> {
    if (this.loopDone && this.stateValue === 'ready') return Promise.resolve();
    const waiter = new Promise<void>((resolve, reject) =>
      this.readyWaiters.push({ resolve, reject }),
    );
    if (!this.loopDone) {
      this.stopController = new AbortController();
      this.restartsValue = 0;
      this.loopDone = this.loop().finally(() => {
        this.loopDone = null;
      });
    }
    return waiter;
  }

  /** Resolves when the tunnel is ready (immediately if it is), rejects if it stops or fails. */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.stateValue === 'ready') return Promise.resolve();
    if (!this.loopDone)
      return Promise.reject(new LiveError('unreachable', 'the tunnel is not running'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== entry);
        reject(
          new LiveError(
            'unreachable',
            `the tunnel did not become ready within ${timeoutMs / 1000} s: ${this.messageValue}`,
          ),
        );
      }, timeoutMs);
      const entry = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: LiveError) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.readyWaiters.push(entry);
    });
  }

  /** Stops the command and its whole process group (SIGTERM, then SIGKILL). */
  async stop(): Promise<void> {
    this.stopController.abort();
    const pid = this.child?.pid;
    if (pid !== undefined) await stopGroup(pid);
    await this.loopDone;
    this.settleWaiters(new LiveError('unreachable', 'the tunnel was stopped'));
    this.setState('stopped', 'stopped');
  }

  private async loop(): Promise<void> {
    const o = this.opts;
    const readyTimeoutMs = o.readyTimeoutMs ?? 20_000;
    const maxStartFailures = o.maxStartFailures ?? 5;
    const signal = this.stopController.signal;
    let failures = 0;
    let everReady = false;
    for (let attempt = 0; !signal.aborted; attempt++) {
      this.setState(
        attempt === 0 ? 'starting' : 'restarting',
        attempt === 0 ? `starting: ${o.command}` : `restarting (attempt ${attempt + 1})`,
      );
      if (await canConnect(o.host, o.port, 1000)) {
        this.note(
          `port ${o.port} already accepts connections before the tunnel command started: another process may be listening there`,
        );
      }
      const child = spawnGroup(o.command, o.env);
      this.child = child;
      const pid = child.pid;
      if (pid !== undefined) trackGroup(pid);
      const startedAt = Date.now();
      const exited = this.watchChild(child);
      let exit: Exit | null = null;
      void exited.then((e) => (exit = e));
      let outcome: string;
      const ready = await this.waitReady(exited, readyTimeoutMs, signal);
      // Exited on its own before the port opened (not stopped by us after a timeout).
      const failedEarly: Exit | null = ready === 'ready' ? null : exit;
      if (ready === 'ready') {
        everReady = true;
        this.setState('ready', `ready: ${o.host}:${o.port} accepts connections`);
        this.settleWaiters(null);
        outcome = await this.monitor(exited, signal);
      } else {
        outcome = ready;
      }
      if (pid !== undefined) {
        // Whatever happened, nothing of this run may survive it (no orphans).
        await stopGroup(pid);
        untrackGroup(pid);
      }
      this.child = null;
      if (signal.aborted) break;
      if (!everReady && failedEarly) {
        // The command itself failed before its port opened (not found, bad flags, no such
        // pod): retrying will not help, and "nothing is listening" would blame the service.
        const msg = `the tunnel command failed: ${this.failureReason(failedEarly, startedAt)}`;
        this.setState('failed', msg);
        this.settleWaiters(new LiveError('unreachable', msg));
        return;
      }
      failures = Date.now() - startedAt >= (o.stableAfterMs ?? 30_000) ? 1 : failures + 1;
      if (!everReady && failures >= maxStartFailures) {
        const msg = `the tunnel command failed ${failures} times without the port ever accepting connections (${outcome}); see its output`;
        this.setState('failed', msg);
        this.settleWaiters(new LiveError('unreachable', msg));
        return;
      }
      const delay = Math.min(
        (o.backoffInitialMs ?? 500) * 2 ** (failures - 1),
        o.backoffMaxMs ?? 30_000,
      );
      this.restartsValue++;
      this.setState('restarting', `${outcome}; restarting in ${(delay / 1000).toFixed(1)} s`);
      if (!everReady && attempt === 0) {
        // Tell a connect() waiting on the first start why, instead of letting it hang.
        this.settleWaiters(
          new LiveError('unreachable', `the tunnel did not come up: ${outcome}; it keeps retrying`),
        );
      }
      await sleep(delay, signal);
    }
  }

  private watchChild(child: ChildProcess): Promise<Exit> {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (s: string) => this.output_('stdout', s));
    child.stderr?.on('data', (s: string) => this.output_('stderr', s));
    return new Promise<Exit>((resolve) => {
      child.once('error', (err) => {
        this.note(`could not start the tunnel command: ${err.message}`);
        resolve({ code: null, signal: null });
      });
      child.once('exit', (code, sig) => {
        for (const line of this.ring.flush()) this.emit({ type: 'output', line });
        resolve({ code, signal: sig });
      });
    });
  }

  private async waitReady(
    exited: Promise<Exit>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<'ready' | string> {
    let exit: Exit | null = null;
    void exited.then((e) => (exit = e));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal.aborted) {
      if (exit) return describeExit(exit, 'before its port accepted connections');
      if (await canConnect(this.opts.host, this.opts.port, 1000)) {
        // The port may belong to someone else if our command already died.
        if (exit) return describeExit(exit, 'before its port accepted connections');
        return 'ready';
      }
      await sleep(200, signal);
    }
    if (signal.aborted) return 'stopped';
    return `port ${this.opts.port} did not accept connections within ${timeoutMs / 1000} s`;
  }

  private async monitor(exited: Promise<Exit>, signal: AbortSignal): Promise<string> {
    const every = this.opts.healthIntervalMs ?? 5000;
    let misses = 0;
    let exit: Exit | null = null;
    void exited.then((e) => (exit = e));
    for (;;) {
      const tick = sleep(every, signal);
      await Promise.race([exited, tick]);
      if (exit) return describeExit(exit, 'while running');
      if (signal.aborted) return 'stopped';
      if (await canConnect(this.opts.host, this.opts.port, 2000)) misses = 0;
      else if (++misses >= 3) {
        const pid = this.child?.pid;
        if (pid !== undefined) signalGroup(pid, 'SIGTERM');
        return `port ${this.opts.port} stopped accepting connections`;
      }
    }
  }

  /** The command's own last words on stderr since `since`, else how it exited. */
  private failureReason(exit: Exit, since: number): string {
    const said = this.ring
      .snapshot()
      .filter((l) => l.stream === 'stderr' && l.at >= since && l.text.trim())
      .pop()
      ?.text.trim()
      // The shell's prefix: "sh: 1: sokat: not found", "/bin/bash: line 1: sokat: …".
      .replace(/^(?:\/\S+\/)?(?:ba|da)?sh: (?:line )?\d+: /, '');
    if (said) {
      const missing = /^(\S+): (?:command )?not found$/.exec(said);
      return exit.code === 127 && missing ? `${missing[1]}: command not found` : said;
    }
    return describeExit(exit, 'before its port accepted connections');
  }

  private settleWaiters(err: LiveError | null): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) {
      if (err) w.reject(err);
      else w.resolve();
    }
  }

  private output_(stream: 'stdout' | 'stderr', chunk: string): void {
    for (const line of this.ring.push(stream, chunk)) this.emit({ type: 'output', line });
  }

  private note(text: string): void {
    this.emit({ type: 'output', line: this.ring.add({ at: Date.now(), stream: 'event', text }) });
  }

  private setState(state: TunnelState, message: string): void {
    this.stateValue = state;
    this.messageValue = message;
    this.note(message);
    this.emit({ type: 'state', state, message, pid: this.pid });
  }

  private emit(e: TunnelEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A failing listener must not stop the tunnel.
      }
    }
  }
}

function describeExit(e: Exit, when: string): string {
  if (e.signal) return `the tunnel command was killed by ${e.signal} ${when}`;
  if (e.code === null) return `the tunnel command could not be started`;
  return `the tunnel command exited with code ${e.code} ${when}`;
}

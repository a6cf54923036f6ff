// Per-target capture slots: at most N captures at once, and at most one CPU profile and one
// trace at a time (Go refuses a second concurrent StartCPUProfile or trace.Start).
import { LiveError } from '../targets/errors';

interface Waiter {
  exclusive: string | null;
  grant: (release: () => void) => void;
}

export class TargetLimiter {
  private running = 0;
  private readonly held = new Set<string>();
  private readonly queue: Waiter[] = [];

  constructor(public max: number) {}

  get active(): number {
    return this.running;
  }

  /** Resolves with a release function once a slot is free; rejects 'cancelled' on abort. */
  acquire(exclusive: string | null, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new LiveError('cancelled', 'cancelled'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        exclusive,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new LiveError('cancelled', 'cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  private pump(): void {
    // FIFO, but a waiter blocked on a busy exclusive kind does not hold back the others.
    for (let i = 0; i < this.queue.length && this.running < this.max;) {
      const w = this.queue[i];
      if (w.exclusive !== null && this.held.has(w.exclusive)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.running++;
      if (w.exclusive !== null) this.held.add(w.exclusive);
      let released = false;
      w.grant(() => {
        if (released) return;
        released = true;
        this.running--;
        if (w.exclusive !== null) this.held.delete(w.exclusive);
        this.pump();
      });
    }
  }
}

// UI-side handle of one profile Worker: typed request/response over postMessage.
import type { OpName, Ops, WorkerError, WorkerReply, WorkerRequest } from './protocol';

export class WorkerFailure extends Error {
  readonly kind: string;
  constructor(e: WorkerError) {
    super(e.message);
    this.name = 'WorkerFailure';
    this.kind = e.kind;
  }
}

export type ProgressFn = (phase: string, done: number, total: number) => void;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  progress?: ProgressFn;
}

/** Creates the Worker; a factory so benches and tests can point at another build. */
export type WorkerFactory = () => Worker;

export const defaultWorkerFactory: WorkerFactory = () =>
  new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module', name: 'profile' });

export class ProfileWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(factory: WorkerFactory = defaultWorkerFactory) {
    this.worker = factory();
    this.worker.onmessage = (ev: MessageEvent<WorkerReply>) => this.onReply(ev.data);
    this.worker.onerror = (ev: ErrorEvent) => {
      // A crash of the Worker itself (not an error value): fail everything in flight.
      ev.preventDefault();
      this.failAll({
        kind: 'worker',
        message: `the profile worker stopped: ${ev.message || 'unknown error'}`,
      });
    };
  }

  call<K extends OpName>(
    op: K,
    arg: Ops[K][0],
    transfer: Transferable[] = [],
    progress?: ProgressFn,
  ): Promise<Ops[K][1]> {
    if (this.closed)
      return Promise.reject(new WorkerFailure({ kind: 'closed', message: 'profile closed' }));
    const id = this.nextId++;
    const msg: WorkerRequest<K> = { id, op, arg };
    return new Promise<Ops[K][1]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.worker.postMessage(msg, transfer);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.failAll({ kind: 'closed', message: 'profile closed' });
  }

  private onReply(r: WorkerReply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    if (r.type === 'progress') {
      p.progress?.(r.phase, r.done, r.total);
      return;
    }
    this.pending.delete(r.id);
    if (r.type === 'ok') p.resolve(r.value);
    else p.reject(new WorkerFailure(r.error));
  }

  private failAll(e: WorkerError): void {
    for (const p of this.pending.values()) p.reject(new WorkerFailure(e));
    this.pending.clear();
  }
}

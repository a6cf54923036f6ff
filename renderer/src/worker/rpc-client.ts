// UI-side handle of one Worker: typed request/response over postMessage (rpc.ts). Every
// Worker speaks the same messages, served by rpc-server.ts; only their operation tables differ.

import type { OpTable, RpcErrorValue, RpcReply } from './rpc';

export type { OpTable };

export class WorkerFailure extends Error {
  readonly kind: string;
  constructor(e: RpcErrorValue) {
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

export class RpcWorker<O extends OpTable<O>> {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  /** `what` names the Worker in messages: "the trace worker stopped", "trace closed". */
  constructor(
    worker: Worker,
    private readonly what: string,
    crashHint: string,
  ) {
    this.worker = worker;
    this.worker.onmessage = (ev: MessageEvent<RpcReply>) => this.onReply(ev.data);
    this.worker.onerror = (ev: ErrorEvent) => {
      // A crash of the Worker itself (not an error value): fail everything in flight.
      ev.preventDefault();
      this.failAll({
        kind: 'worker',
        message: `the ${what} worker stopped: ${ev.message || crashHint}`,
      });
    };
  }

  call<K extends keyof O & string>(
    op: K,
    arg: O[K][0],
    transfer: Transferable[] = [],
    progress?: ProgressFn,
  ): Promise<O[K][1]> {
    if (this.closed)
      return Promise.reject(new WorkerFailure({ kind: 'closed', message: `${this.what} closed` }));
    const id = this.nextId++;
    return new Promise<O[K][1]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.worker.postMessage({ id, op, arg }, transfer);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.failAll({ kind: 'closed', message: `${this.what} closed` });
  }

  private onReply(r: RpcReply): void {
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

  private failAll(e: RpcErrorValue): void {
    for (const p of this.pending.values()) p.reject(new WorkerFailure(e));
    this.pending.clear();
  }
}

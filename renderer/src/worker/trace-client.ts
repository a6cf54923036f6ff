// UI-side handle of one trace Worker: typed request/response over postMessage.
import type {
  TraceOpName,
  TraceOps,
  TraceReply,
  TraceRequest,
  TraceWorkerError,
} from './trace-protocol';

export class TraceWorkerFailure extends Error {
  readonly kind: string;
  constructor(e: TraceWorkerError) {
    super(e.message);
    this.name = 'TraceWorkerFailure';
    this.kind = e.kind;
  }
}

export type TraceProgressFn = (phase: string, done: number, total: number) => void;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  progress?: TraceProgressFn;
}

export class TraceWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor() {
    this.worker = new Worker(new URL('./trace.worker.ts', import.meta.url), {
      type: 'module',
      name: 'trace',
    });
    this.worker.onmessage = (ev: MessageEvent<TraceReply>) => this.onReply(ev.data);
    this.worker.onerror = (ev: ErrorEvent) => {
      // A crash of the Worker itself (out of memory...), not an error value.
      ev.preventDefault();
      this.failAll({
        kind: 'worker',
        message: `the trace worker stopped: ${ev.message || 'it ran out of memory or crashed'}`,
      });
    };
  }

  call<K extends TraceOpName>(
    op: K,
    arg: TraceOps[K][0],
    transfer: Transferable[] = [],
    progress?: TraceProgressFn,
  ): Promise<TraceOps[K][1]> {
    if (this.closed)
      return Promise.reject(new TraceWorkerFailure({ kind: 'closed', message: 'trace closed' }));
    const id = this.nextId++;
    const msg: TraceRequest<K> = { id, op, arg };
    return new Promise<TraceOps[K][1]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.worker.postMessage(msg, transfer);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.failAll({ kind: 'closed', message: 'trace closed' });
  }

  private onReply(r: TraceReply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    if (r.type === 'progress') {
      p.progress?.(r.phase, r.done, r.total);
      return;
    }
    this.pending.delete(r.id);
    if (r.type === 'ok') p.resolve(r.value);
    else p.reject(new TraceWorkerFailure(r.error));
  }

  private failAll(e: TraceWorkerError): void {
    for (const p of this.pending.values()) p.reject(new TraceWorkerFailure(e));
    this.pending.clear();
  }
}

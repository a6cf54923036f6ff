// UI-side handle of one trace Worker.
import type { TraceOps } from './trace-protocol';
import { RpcWorker } from './rpc-client';

export {
  WorkerFailure as TraceWorkerFailure,
  type ProgressFn as TraceProgressFn,
} from './rpc-client';

export class TraceWorker extends RpcWorker<TraceOps> {
  constructor() {
    super(
      new Worker(new URL('./trace.worker.ts', import.meta.url), { type: 'module', name: 'trace' }),
      'trace',
      'it ran out of memory or crashed',
    );
  }
}

// UI-side handle of one GC log Worker (see gclog.worker.ts).
import type { GcLogOps } from './gclog-protocol';
import { RpcWorker } from './rpc-client';

export class GcLogWorker extends RpcWorker<GcLogOps> {
  constructor() {
    super(
      new Worker(new URL('./gclog.worker.ts', import.meta.url), { type: 'module', name: 'gclog' }),
      'GC log',
      'it ran out of memory or crashed',
    );
  }
}

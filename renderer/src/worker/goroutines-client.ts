// UI-side handle of one goroutines Worker (a text dump; see goroutines.worker.ts).
import type { GoroutineOps } from './goroutine-handlers';
import { RpcWorker } from './rpc-client';

export class GoroutinesWorker extends RpcWorker<GoroutineOps> {
  constructor() {
    super(
      new Worker(new URL('./goroutines.worker.ts', import.meta.url), {
        type: 'module',
        name: 'goroutines',
      }),
      'goroutines',
      'it ran out of memory or crashed',
    );
  }
}

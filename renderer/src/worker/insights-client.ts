// UI-side handle of one insights Worker (one per run, so a cancel can terminate it).
import type { InsightsOps } from './insights-protocol';
import { RpcWorker } from './rpc-client';

export class InsightsWorker extends RpcWorker<InsightsOps> {
  constructor() {
    super(
      new Worker(new URL('./insights.worker.ts', import.meta.url), {
        type: 'module',
        name: 'insights',
      }),
      'insights',
      'it ran out of memory or crashed',
    );
  }
}

// UI-side handle of one profile Worker.
import type { Ops } from './protocol';
import { RpcWorker } from './rpc-client';

export { WorkerFailure, type ProgressFn } from './rpc-client';

/** Creates the Worker; a factory so benches and tests can point at another build. */
export type WorkerFactory = () => Worker;

export const defaultWorkerFactory: WorkerFactory = () =>
  new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module', name: 'profile' });

export class ProfileWorker extends RpcWorker<Ops> {
  constructor(factory: WorkerFactory = defaultWorkerFactory) {
    super(factory(), 'profile', 'unknown error');
  }
}

/// <reference lib="webworker" />
// The goroutines Worker: reads one goroutine text dump (debug=1/debug=2) and answers the
// Goroutines tab (goroutine-handlers.ts). A goroutine profile is read by its profile Worker.
import { goroutineHandlers } from './goroutine-handlers';
import { WorkerError } from './rpc';
import { serveRpc } from './rpc-server';

serveRpc(
  self as unknown as DedicatedWorkerGlobalScope,
  goroutineHandlers(() => {
    throw new WorkerError('state', 'no profile is open here: load a goroutine dump');
  }),
  { what: 'goroutine dump' },
);

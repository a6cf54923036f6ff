/// <reference lib="webworker" />
// The GC log Worker: reads one GODEBUG=gctrace=1 log and answers the GC tab (gclog-handlers.ts).
import { gcLogHandlers } from './gclog-handlers';
import { serveRpc } from './rpc-server';

serveRpc(self as unknown as DedicatedWorkerGlobalScope, gcLogHandlers(), { what: 'GC log' });

/// <reference lib="webworker" />
// The trace Worker: parses one execution trace (streamed from a URL, or bytes transferred in),
// keeps the model and its indexes, and answers the Timeline tab (trace-protocol.ts) through
// rpc-server, which turns errors into values and transfers the answers' typed arrays. To
// answer a new request, add its line to TraceOps and its handler to the table below.
import { WorkerError } from './rpc';
import { serveRpc, type HandlerTable } from './rpc-server';
import type { TraceOps } from './trace-protocol';
import {
  TraceSession,
  type BytesHolder,
  type ParsedTrace,
  type TraceProgress,
} from './trace-session';
import { fetchTrace } from './trace-stream';
import { TraceGc } from './trace-gc';

let session: TraceSession | null = null;
let gcOf: { session: TraceSession; gc: TraceGc } | null = null;

/** The open trace's GC analyses, made on first use. */
function traceGc(): TraceGc {
  const s = need();
  if (gcOf?.session !== s) gcOf = { session: s, gc: new TraceGc(s.model) };
  return gcOf.gc;
}

function need(): TraceSession {
  if (!session) throw new WorkerError('state', 'no trace is open');
  return session;
}

const handlers: HandlerTable<TraceOps> = {
  async open(arg, ctx) {
    session = null;
    let last = 0;
    const progress: TraceProgress = (phase, done, total) => {
      // A progress message every 50 ms is plenty.
      const now = performance.now();
      if (done !== total && now - last < 50) return;
      last = now;
      ctx.progress(phase, done, total);
    };
    let input: BytesHolder | ParsedTrace;
    if ('url' in arg) input = await fetchTrace(arg.url, arg.size, progress);
    else {
      // Only the session may keep the file: it drops it once parsed, before building indexes.
      input = { bytes: new Uint8Array(arg.bytes) };
      (arg as { bytes: ArrayBuffer | null }).bytes = null;
    }
    const s = new TraceSession(input, progress);
    session = s;
    return s.info;
  },
  lanes(arg) {
    return need().setFilter(arg.filter, arg.mode);
  },
  frame(arg) {
    return need().frame(arg);
  },
  overlay(arg) {
    return need().overlay(arg);
  },
  span(arg) {
    return need().span(arg.ref);
  },
  locate(arg) {
    return need().locate(arg.goroutine);
  },
  analysis(arg) {
    return need().analysisWindow(arg);
  },
  latency() {
    return need().latency();
  },
  profile(arg) {
    return need().profile(arg.kind);
  },
  annotations() {
    return need().annotations();
  },
  tasksOfType(arg) {
    return need().tasksOfType(arg.type, arg.limit);
  },
  task(arg) {
    return need().task(arg.id);
  },
  logs(arg) {
    return need().logs(arg.text, arg.limit);
  },
  threadSlice(arg) {
    return need().threadSlice(arg.ref);
  },
  summary() {
    // The session keeps its summary; every typed array in an answer is transferred (detached
    // here), so the answer is a copy.
    return structuredClone(need().summary());
  },
  cpuProfile(arg) {
    return need().cpuProfile(arg.t0, arg.t1);
  },
  gc(arg) {
    // TraceGc keeps the cycle table; the answer's typed arrays are transferred, so it is a copy.
    return structuredClone(traceGc().gc(arg));
  },
  mmu(arg) {
    // The plot's arrays are made per request (the kept curve is not in the answer).
    return traceGc().mmu(arg);
  },
};

serveRpc(self as unknown as DedicatedWorkerGlobalScope, handlers, { what: 'trace' });

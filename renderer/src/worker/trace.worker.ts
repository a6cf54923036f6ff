/// <reference lib="webworker" />
// The trace Worker: parses one execution trace (streamed from a URL, or bytes transferred in),
// keeps the model and its indexes, and answers the Timeline tab (trace-protocol.ts). Errors become values with a kind
// and a message; typed arrays in results are transferred, never cloned.
import { TraceError } from '../../../core/trace/errors';
import type {
  FramePayload,
  OverlayPayload,
  TraceOpName,
  TraceOps,
  TraceReply,
  TraceRequest,
} from './trace-protocol';
import {
  TraceSession,
  TraceSessionError,
  type BytesHolder,
  type ParsedTrace,
  type TraceProgress,
} from './trace-session';
import { fetchTrace } from './trace-stream';
import { TraceGc } from './trace-gc';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let session: TraceSession | null = null;
let gcOf: { session: TraceSession; gc: TraceGc } | null = null;

/** The open trace's GC analyses, made on first use. */
function traceGc(): TraceGc {
  const s = need();
  if (gcOf?.session !== s) gcOf = { session: s, gc: new TraceGc(s.model) };
  return gcOf.gc;
}

function post(reply: TraceReply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

function need(): TraceSession {
  if (!session) throw new TraceSessionError('state', 'no trace is open');
  return session;
}

function frameTransfer(f: FramePayload): Transferable[] {
  return [
    f.laneKind,
    f.laneId,
    f.laneRow,
    f.laneStart,
    f.start,
    f.end,
    f.cls,
    f.count,
    f.ref,
    f.fill,
    f.label,
    f.sampleLane,
    f.sampleTime,
    f.sampleCount,
  ].map((a) => a.buffer);
}

function overlayTransfer(o: OverlayPayload): Transferable[] {
  return [
    o.gcStart,
    o.gcEnd,
    o.stwStart,
    o.stwEnd,
    o.time,
    o.heap,
    o.heapGoal,
    o.running,
    o.runnable,
    o.waiting,
    o.syscall,
  ].map((a) => a.buffer);
}

type Answer<K extends TraceOpName> = [TraceOps[K][1], Transferable[]];
type Handler<K extends TraceOpName> = (
  arg: TraceOps[K][0],
  id: number,
) => Answer<K> | Promise<Answer<K>>;

const handlers: { [K in TraceOpName]: Handler<K> } = {
  async open(arg, id) {
    session = null;
    let last = 0;
    const progress: TraceProgress = (phase, done, total) => {
      // A progress message every 50 ms is plenty.
      const now = performance.now();
      if (done !== total && now - last < 50) return;
      last = now;
      post({ id, type: 'progress', phase, done, total });
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
    return [s.info, []];
  },
  lanes(arg) {
    return [need().setFilter(arg.filter), []];
  },
  frame(arg) {
    const f = need().frame(arg);
    return [f, frameTransfer(f)];
  },
  overlay(arg) {
    const o = need().overlay(arg);
    return [o, overlayTransfer(o)];
  },
  span(arg) {
    return [need().span(arg.ref), []];
  },
  locate(arg) {
    return [need().locate(arg.goroutine), []];
  },
  analysis(arg) {
    return [need().analysisWindow(arg), []];
  },
  latency() {
    return [need().latency(), []];
  },
  profile(arg) {
    const p = need().profile(arg.kind);
    return [p, [p.bytes]];
  },
  cpuProfile(arg) {
    const p = need().cpuProfile(arg.t0, arg.t1);
    return [p, [p.bytes]];
  },
  gc(arg) {
    return [traceGc().gc(arg), []];
  },
  mmu(arg) {
    const m = traceGc().mmu(arg);
    return [m, [m.windows.buffer, m.mmu.buffer]];
  },
};

function errorOf(e: unknown): { kind: string; message: string } {
  if (e instanceof TraceError) {
    const at = e.offset !== undefined ? ` (at byte ${e.offset})` : '';
    return { kind: e.kind, message: `${e.message}${at}` };
  }
  if (e instanceof TraceSessionError) return { kind: e.kind, message: e.message };
  if (e instanceof RangeError)
    return { kind: 'too-large', message: `the trace is too large to open here: ${e.message}` };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
}

async function answer(req: TraceRequest): Promise<void> {
  const { id, op, arg } = req;
  try {
    const h = handlers[op] as Handler<TraceOpName> | undefined;
    if (!h) throw new TraceSessionError('state', `unknown request ${String(op)}`);
    const [value, transfer] = await h(arg, id);
    post({ id, type: 'ok', value }, transfer);
  } catch (e) {
    post({ id, type: 'error', error: errorOf(e) });
  }
}

// One request at a time, in order: a request sent while a streamed open is still reading
// waits for the trace instead of finding none.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<TraceRequest>) => {
  const req = ev.data;
  queue = queue.then(() => answer(req));
};

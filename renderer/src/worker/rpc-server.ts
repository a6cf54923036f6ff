// The Worker end of the RPC protocol (rpc.ts): a handler table, one answer per request in the
// order they came, errors as values with a kind and a message, and every typed array and
// ArrayBuffer of an answer transferred (found by walking the answer, so a new column can never
// be copied by mistake). A handler hands over what it returns: it must not keep using a typed
// array it puts in an answer (return a copy, `.slice()`, of anything the session keeps).
import { GcTraceError } from '../../../core/gctrace/errors';
import { GoroutineDumpError } from '../../../core/goroutines/errors';
import { ProfileError } from '../../../core/pprof/errors';
import { ReportError } from '../../../core/pprof/report-error';
import { TraceError } from '../../../core/trace/errors';
import {
  WorkerError,
  type OpTable,
  type RpcErrorValue,
  type RpcReply,
  type RpcRequest,
} from './rpc';

/** What a handler gets besides its argument: the request's id and a progress reporter. */
export interface RpcContext {
  id: number;
  progress(phase: string, done: number, total: number): void;
}

export type RpcHandler<Arg, Result> = (arg: Arg, ctx: RpcContext) => Result | Promise<Result>;

/** One handler per operation; spread several tables into one to serve them all. */
export type HandlerTable<O extends OpTable<O>> = { [K in keyof O]: RpcHandler<O[K][0], O[K][1]> };

/** The part of a DedicatedWorkerGlobalScope (or a MessagePort, in tests) the server uses. */
export interface RpcScope {
  onmessage: ((ev: MessageEvent) => unknown) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

export interface ServeOptions {
  /** What the Worker holds, for messages: "the trace is too large to open here". */
  what: string;
}

/**
 * Answers requests arriving at `scope` with `handlers`. Requests are answered one at a time in
 * order: one sent while an asynchronous open is still reading waits for it instead of finding
 * nothing open.
 */
export function serveRpc<O extends OpTable<O>>(
  scope: RpcScope,
  handlers: HandlerTable<O>,
  opts: ServeOptions,
): void {
  const post = (reply: RpcReply, transfer: Transferable[] = []) =>
    scope.postMessage(reply, transfer);
  async function answer(req: RpcRequest<O>): Promise<void> {
    const { id, op } = req;
    try {
      const table = handlers as unknown as Record<string, RpcHandler<unknown, unknown> | undefined>;
      const h = Object.hasOwn(table, op) ? table[op as string] : undefined;
      if (!h) throw new WorkerError('state', `unknown request ${String(op)}`);
      const ctx: RpcContext = {
        id,
        progress: (phase, done, total) => post({ id, type: 'progress', phase, done, total }),
      };
      const value = await h(req.arg, ctx);
      post({ id, type: 'ok', value }, transferablesOf(value));
    } catch (e) {
      post({ id, type: 'error', error: errorValueOf(e, opts.what) });
    }
  }
  let queue: Promise<void> = Promise.resolve();
  scope.onmessage = (ev: MessageEvent<RpcRequest<O>>) => {
    const req = ev.data;
    queue = queue.then(() => answer(req));
  };
}

/**
 * The buffers of every typed array and ArrayBuffer in `value`, each once, found by walking its
 * objects and arrays (what postMessage would clone, and can move instead).
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const walk = (v: object): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
      return;
    }
    if (v instanceof ArrayBuffer) {
      out.add(v);
      return;
    }
    if (seen.has(v)) return;
    seen.add(v);
    const items: Iterable<unknown> =
      Array.isArray(v) || v instanceof Set
        ? v
        : v instanceof Map
          ? [...v.keys(), ...v.values()]
          : Object.values(v);
    // Arrays of strings or numbers (names, rows) are common and long: skip them cheaply.
    for (const x of items) if (typeof x === 'object' && x !== null) walk(x);
  };
  if (typeof value === 'object' && value !== null) walk(value);
  return [...out];
}

/** Any error as the value sent to the UI; the engines' typed errors keep their kinds. */
export function errorValueOf(e: unknown, what: string): RpcErrorValue {
  if (e instanceof WorkerError) return { kind: e.kind, message: e.message };
  if (e instanceof ProfileError) return { kind: `decode:${e.kind}`, message: e.message };
  if (e instanceof ReportError) return { kind: e.kind, message: e.message };
  if (e instanceof GoroutineDumpError) return { kind: `goroutines:${e.kind}`, message: e.message };
  if (e instanceof GcTraceError) return { kind: `gclog:${e.kind}`, message: e.message };
  if (e instanceof TraceError) {
    const at = e.offset !== undefined ? ` (at byte ${e.offset})` : '';
    return { kind: e.kind, message: `${e.message}${at}` };
  }
  if (e instanceof RangeError)
    return { kind: 'too-large', message: `the ${what} is too large to open here: ${e.message}` };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
}

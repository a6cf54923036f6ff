/// <reference lib="webworker" />
// The profile Worker: decodes one profile and answers view requests (protocol.ts). Errors
// become values with a kind and a message; results' typed arrays are transferred.
import { ProfileError } from '../../../core/pprof/errors';
import { ReportError } from '../../../core/pprof/report-error';
import { analysisHandlers } from './analysis-handlers';
import { compareHandlers } from './compare-handlers';
import { gcLogHandlers } from './gclog-handlers';
import { engine } from './engine';
import type { LodPayload, OpName, Ops, TopWindow, WorkerReply, WorkerRequest } from './protocol';
import { ProfileSession, SessionError } from './session';
import { sourceViewOf } from './source-view';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let session: ProfileSession | null = null;

function post(reply: WorkerReply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

function need(): ProfileSession {
  if (!session) throw new SessionError('state', 'no profile is open');
  return session;
}

function lodTransfer(l: LodPayload): Transferable[] {
  return [
    l.x,
    l.width,
    l.depth,
    l.node,
    l.color,
    l.flags,
    l.rowStart,
    l.nodeX,
    l.nodeW,
    l.name,
    l.file,
    l.line,
    l.self,
    l.total,
    l.count,
    ...(l.raster ? [l.raster.pixels, l.raster.labels] : []),
  ].map((a) => a.buffer);
}

function topTransfer(t: TopWindow): Transferable[] {
  return [t.flat.buffer, t.cum.buffer, t.sumPct.buffer];
}

type Handler<K extends OpName> = (arg: Ops[K][0], id: number) => [Ops[K][1], Transferable[]];

const handlers: { [K in OpName]: Handler<K> } = {
  ...analysisHandlers(need),
  ...compareHandlers,
  ...gcLogHandlers(),
  open(arg, id) {
    post({ id, type: 'progress', phase: 'decode', done: 0, total: 1 });
    session = new ProfileSession(engine, new Uint8Array(arg.bytes));
    post({ id, type: 'progress', phase: 'index', done: 1, total: 1 });
    return [session.summary(), []];
  },
  tree(arg, id) {
    // Progress goes out while the build runs: the UI shows the phase and how far it is.
    const t = need().tree(arg.slot, arg.params, arg.lod, (phase, done, total) =>
      post({ id, type: 'progress', phase, done, total }),
    );
    return [t, t.firstLod ? lodTransfer(t.firstLod) : []];
  },
  lod(arg) {
    const l = need().lod(arg);
    return [l, lodTransfer(l)];
  },
  search(arg) {
    return [need().setSearch(arg.pattern), []];
  },
  node(arg) {
    return [need().node(arg.slot, arg.id), []];
  },
  top(arg) {
    const t = need().topWindow(arg);
    return [t, topTransfer(t)];
  },
  sandwich(arg) {
    return [need().sandwich(arg.params, arg.name), []];
  },
  source(arg) {
    const p = arg.params;
    const index = p.sampleIndex >= 0 ? p.sampleIndex : undefined;
    return [sourceViewOf(need().profile, index, p.filters, arg.name), []];
  },
  close() {
    session = null;
    return [null, []];
  },
};

function errorOf(e: unknown): { kind: string; message: string } {
  if (e instanceof ProfileError) return { kind: `decode:${e.kind}`, message: e.message };
  if (e instanceof ReportError) return { kind: e.kind, message: e.message };
  if (e instanceof SessionError) return { kind: e.kind, message: e.message };
  if (e instanceof RangeError)
    return { kind: 'too-large', message: `the profile is too large to open here: ${e.message}` };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
}

scope.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const { id, op, arg } = ev.data;
  try {
    const h = handlers[op] as Handler<OpName> | undefined;
    if (!h) throw new SessionError('state', `unknown request ${String(op)}`);
    const [value, transfer] = h(arg, id);
    post({ id, type: 'ok', value }, transfer);
  } catch (e) {
    post({ id, type: 'error', error: errorOf(e) });
  }
};

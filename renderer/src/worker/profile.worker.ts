/// <reference lib="webworker" />
// The profile Worker: decodes one profile and answers view requests (protocol.ts) through
// rpc-server, which turns errors into values and transfers the answers' typed arrays.
import { compareHandlers } from './compare-handlers';
import { contentionHandlers } from './contention-handlers';
import { engine } from './engine';
import { goroutineHandlers } from './goroutine-handlers';
import type { Ops } from './protocol';
import { WorkerError } from './rpc';
import { serveRpc, type HandlerTable } from './rpc-server';
import { ProfileSession } from './session';
import { sourceViewOf } from './source-view';

let session: ProfileSession | null = null;

function need(): ProfileSession {
  if (!session) throw new WorkerError('state', 'no profile is open');
  return session;
}

const profile = () => need().profile;

const handlers: HandlerTable<Ops> = {
  ...contentionHandlers(profile),
  ...goroutineHandlers(profile),
  ...compareHandlers(),
  open(arg, { progress }) {
    progress('decode', 0, 1);
    session = new ProfileSession(engine, new Uint8Array(arg.bytes));
    progress('index', 1, 1);
    return session.summary();
  },
  tree(arg, { progress }) {
    // Progress goes out while the build runs: the UI shows the phase and how far it is.
    return need().tree(arg.slot, arg.params, arg.lod, progress);
  },
  lod(arg) {
    return need().lod(arg);
  },
  search(arg) {
    return need().setSearch(arg.pattern);
  },
  node(arg) {
    return need().node(arg.slot, arg.id);
  },
  top(arg) {
    return need().topWindow(arg);
  },
  sandwich(arg) {
    return need().sandwich(arg.params, arg.name);
  },
  source(arg) {
    const p = arg.params;
    const index = p.sampleIndex >= 0 ? p.sampleIndex : undefined;
    return sourceViewOf(need().profile, index, p.filters, arg.name);
  },
  close() {
    session = null;
    return null;
  },
};

serveRpc(self as unknown as DedicatedWorkerGlobalScope, handlers, { what: 'profile' });

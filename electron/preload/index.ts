// Preload: exposes exactly the contract's Api on window.pprofStudio through contextBridge.
// Named methods only; events through subscribe() returning an unsubscribe function. Neither
// ipcRenderer nor raw IPC events ever reach the page. The object implements core/contract's
// Api (its methods are generated from the same operations table).
import { contextBridge, ipcRenderer } from 'electron';
import {
  API_GLOBAL,
  IPC_EVENT_CHANNEL,
  OPERATION_NAMES,
  checkEvent,
  ipcChannel,
  isEventName,
  type EventName,
  type Result,
} from '../../core/contract';

type AnyListener = (payload: unknown) => void;

const listeners = new Map<EventName, Set<AnyListener>>();
/** App events that arrived before anyone listened (a file opened at launch). */
const early: { name: EventName; payload: unknown }[] = [];
const BUFFERED: ReadonlySet<EventName> = new Set<EventName>(['app.openSnapshot', 'app.showView']);

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: unknown) => {
  const m = (typeof message === 'object' && message !== null ? message : {}) as {
    name?: unknown;
    payload?: unknown;
  };
  const ev = checkEvent(m.name, m.payload);
  if (!ev) return;
  const set = listeners.get(ev.name);
  if (!set || set.size === 0) {
    if (BUFFERED.has(ev.name) && early.length < 100) early.push(ev);
    return;
  }
  for (const l of [...set]) {
    try {
      l(ev.payload);
    } catch {
      // One listener's error must not stop the others.
    }
  }
});

async function invoke(name: string, req: unknown): Promise<Result<unknown>> {
  try {
    return (await ipcRenderer.invoke(
      ipcChannel(name as (typeof OPERATION_NAMES)[number]),
      req ?? {},
    )) as Result<unknown>;
  } catch (e) {
    return {
      ok: false,
      error: {
        kind: 'transport',
        message: `the app's back end did not answer: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}

const api: Record<string, unknown> = {};
for (const name of OPERATION_NAMES) api[name] = (req?: unknown) => invoke(name, req);
api.subscribe = (event: unknown, listener: unknown) => {
  if (!isEventName(event)) throw new Error(`unknown event '${String(event)}'`);
  if (typeof listener !== 'function') throw new Error('subscribe needs a listener function');
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  const l = listener as AnyListener;
  set.add(l);
  for (let i = 0; i < early.length;) {
    const e = early[i];
    if (e.name === event) {
      early.splice(i, 1);
      queueMicrotask(() => l(e.payload));
    } else i++;
  }
  return () => {
    set.delete(l);
  };
};

contextBridge.exposeInMainWorld(API_GLOBAL, api);

// Serve mode's HTTP mapping of the contract, and the client the browser build uses.
//
//   POST /api/<operation>            JSON request body → JSON Result (status 200 when ok)
//   POST /api/importSnapshot?name=N[&note=..][&group=..]   raw bytes body (octet-stream)
//   GET  /api/snapshots/<id>/bytes[?download=1]           the snapshot's bytes
//   GET  /api/events                 server-sent events: `event: <name>` + `data: <json>`
//
// Every /api/ request carries the token: header `x-pprof-studio-token`, or the HttpOnly
// cookie a browser gets by opening the printed URL once (`/?token=...` is answered with the
// cookie and a redirect to `/`). The token is never accepted in an /api/ query.
import type { Api, Listener, Unsubscribe } from './api';
import { checkEvent, isEventName, type EventName } from './events';
import { OPERATION_NAMES, type OperationName } from './operations';
import { ERROR_KINDS, err, type ApiError, type ErrorKind, type Result } from './result';
import { SseParser } from './sse';

export const API_PREFIX = '/api/';
export const EVENTS_PATH = '/api/events';
export const TOKEN_HEADER = 'x-pprof-studio-token';
/** Only in the URL `pprof-studio serve` prints, traded for the cookie on first load. */
export const TOKEN_QUERY = 'token';
/** Largest JSON request body serve mode accepts. */
export const MAX_JSON_BODY = 1024 * 1024;

export function operationPath(name: OperationName): string {
  return API_PREFIX + name;
}

export function snapshotBytesPath(id: string): string {
  return `${API_PREFIX}snapshots/${encodeURIComponent(id)}/bytes`;
}

/** A link a browser on the served page can follow to download a snapshot (its cookie carries the token). */
export function snapshotDownloadUrl(baseUrl: string, id: string): string {
  return `${trimSlash(baseUrl)}${snapshotBytesPath(id)}?download=1`;
}

function trimSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

// Structural stand-ins for fetch, so core/ needs no DOM or Node types.
export interface ResponseLike {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  body: {
    getReader(): {
      read(): Promise<{ done: boolean; value?: Uint8Array }>;
      cancel(reason?: unknown): Promise<void>;
    };
  } | null;
}
export interface RequestInitLike {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Uint8Array | string;
}
export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

export interface HttpApiOptions {
  /** Origin (and optional path) of the server, e.g. `location.origin`. */
  baseUrl: string;
  /** Sent as the token header; absent in the browser, where the HttpOnly cookie carries it. */
  token?: string;
  /** Defaults to globalThis.fetch. */
  fetch?: FetchLike;
  /** Called when the event stream reconnected after a drop: events may have been missed. */
  onReconnect?: () => void;
  /** Longest wait between event-stream reconnection attempts (default 30 s). */
  maxRetryMs?: number;
}

function isErrorKind(v: unknown): v is ErrorKind {
  return typeof v === 'string' && (ERROR_KINDS as readonly string[]).includes(v);
}

function asResult(body: unknown): Result<unknown> | null {
  if (typeof body !== 'object' || body === null) return null;
  const r = body as {
    ok?: unknown;
    value?: unknown;
    error?: { kind?: unknown; message?: unknown };
  };
  if (r.ok === true) return { ok: true, value: r.value };
  if (r.ok === false && r.error && isErrorKind(r.error.kind) && typeof r.error.message === 'string')
    return { ok: false, error: { kind: r.error.kind, message: r.error.message } };
  return null;
}

function statusError(status: number, text: string): ApiError {
  const detail = text.trim().slice(0, 300);
  if (status === 401)
    return {
      kind: 'transport',
      message: 'the server refused the token (401): open the URL that `pprof-studio serve` printed',
    };
  if (status === 403)
    return { kind: 'transport', message: `the server refused this page's origin (403): ${detail}` };
  return {
    kind: 'transport',
    message: `the server answered ${status}${detail ? `: ${detail}` : ''}`,
  };
}

export function createHttpApi(options: HttpApiOptions): Api {
  const base = trimSlash(options.baseUrl);
  const doFetch: FetchLike =
    options.fetch ??
    ((url, init) => (globalThis as unknown as { fetch: FetchLike }).fetch(url, init));
  const auth: Record<string, string> =
    options.token !== undefined ? { [TOKEN_HEADER]: options.token } : {};

  async function send(path: string, init: RequestInitLike): Promise<ResponseLike | ApiError> {
    try {
      return await doFetch(base + path, init);
    } catch (e) {
      return {
        kind: 'transport',
        message: `cannot reach the server: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }

  async function readResult(res: ResponseLike): Promise<Result<unknown>> {
    const text = await res.text().catch(() => '');
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: a 401/403 or a proxy's page; reported by status below.
    }
    return asResult(parsed) ?? { ok: false, error: statusError(res.status, text) };
  }

  async function call(name: OperationName, req: unknown): Promise<Result<unknown>> {
    const res = await send(operationPath(name), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(req ?? {}),
    });
    return 'kind' in res ? { ok: false, error: res } : readResult(res);
  }

  async function readBytes(req: { id: string }): Promise<Result<Uint8Array>> {
    const res = await send(snapshotBytesPath(req.id), { method: 'GET', headers: auth });
    if ('kind' in res) return { ok: false, error: res };
    if (!res.ok) return (await readResult(res)) as Result<Uint8Array>;
    try {
      return { ok: true, value: new Uint8Array(await res.arrayBuffer()) };
    } catch (e) {
      return err(
        'transport',
        `the download broke off: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  async function importBytes(req: {
    name: string;
    bytes: Uint8Array;
    note?: string;
    group?: string;
  }) {
    const q = [`name=${encodeURIComponent(req.name)}`];
    if (req.note !== undefined) q.push(`note=${encodeURIComponent(req.note)}`);
    if (req.group !== undefined) q.push(`group=${encodeURIComponent(req.group)}`);
    const res = await send(`${operationPath('importSnapshot')}?${q.join('&')}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: req.bytes,
    });
    return 'kind' in res ? { ok: false as const, error: res } : readResult(res);
  }

  const events = new EventStream(
    base,
    auth,
    doFetch,
    options.onReconnect,
    options.maxRetryMs ?? 30_000,
  );
  const api: Record<string, unknown> = {};
  for (const name of OPERATION_NAMES) api[name] = (req?: unknown) => call(name, req);
  api.readSnapshotBytes = readBytes;
  api.importSnapshot = importBytes;
  api.subscribe = <E extends EventName>(event: E, listener: Listener<E>): Unsubscribe =>
    events.subscribe(event, listener);
  return api as unknown as Api;
}

type AnyListener = (payload: unknown) => void;

/** One shared SSE connection, open while anything listens, reconnecting with backoff. */
class EventStream {
  private readonly listeners = new Map<EventName, Set<AnyListener>>();
  /** Bumped on every start and stop, so a stopped loop never touches a newer one's state. */
  private generation = 0;
  private running = false;
  private cancel: (() => void) | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly base: string,
    private readonly auth: Record<string, string>,
    private readonly doFetch: FetchLike,
    private readonly onReconnect: (() => void) | undefined,
    private readonly maxRetryMs: number,
  ) {}

  subscribe<E extends EventName>(event: E, listener: Listener<E>): Unsubscribe {
    if (!isEventName(event)) throw new Error(`unknown event '${String(event)}'`);
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as AnyListener;
    set.add(l);
    if (!this.running) {
      this.running = true;
      void this.loop(++this.generation);
    }
    return () => {
      set.delete(l);
      if (this.count() === 0) this.stop();
    };
  }

  private count(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.cancel?.();
    this.wake?.();
    this.cancel = null;
    this.wake = null;
  }

  private deliver(name: string, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const ev = checkEvent(name, payload);
    if (!ev) return;
    for (const l of [...(this.listeners.get(ev.name) ?? [])]) {
      try {
        l(ev.payload);
      } catch {
        // A listener's bug must not stop delivery to the others.
      }
    }
  }

  private async loop(gen: number): Promise<void> {
    const live = () => this.generation === gen;
    let failures = 0;
    let connectedBefore = false;
    while (live()) {
      let gotData = false;
      try {
        const res = await this.doFetch(this.base + EVENTS_PATH, {
          method: 'GET',
          headers: { ...this.auth, accept: 'text/event-stream' },
        });
        if (res.ok && res.body) {
          const reader = res.body.getReader();
          const cancel = () => void reader.cancel().catch(() => undefined);
          if (!live()) {
            cancel();
            break;
          }
          this.cancel = cancel;
          if (connectedBefore) this.onReconnect?.();
          connectedBefore = true;
          const decoder = new TextDecoder();
          const parser = new SseParser((m) => {
            if (live()) this.deliver(m.event, m.data);
          });
          for (;;) {
            const { done, value } = await reader.read();
            if (done || !live()) break;
            gotData = true;
            if (value) parser.push(decoder.decode(value, { stream: true }));
          }
        } else {
          await res.text().catch(() => '');
        }
      } catch {
        // Connection refused or dropped: retry below.
      }
      if (!live()) break;
      this.cancel = null;
      failures = gotData ? 0 : failures + 1;
      const delay = Math.min(this.maxRetryMs, 250 * 2 ** Math.min(failures, 10));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      if (live()) this.wake = null;
    }
  }
}

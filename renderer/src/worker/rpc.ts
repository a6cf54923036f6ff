// The one message protocol between the UI thread and every Worker (profile, trace, insights):
// the UI sends a request with an id; the Worker answers it once with a value or an error, and
// may send progress for it before that. rpc-client.ts is the UI end, rpc-server.ts the Worker
// end; each Worker only brings its operation table (protocol.ts, trace-protocol.ts, ...).

/** An operation table: operation name → [argument, result]. */
export type OpTable<O> = { [K in keyof O]: [unknown, unknown] };

export type RpcRequest<O extends OpTable<O>, K extends keyof O = keyof O> = {
  [P in K]: { id: number; op: P; arg: O[P][0] };
}[K];

/** An error as it crosses to the UI: a kind the UI can branch on and a message for the user. */
export interface RpcErrorValue {
  /** e.g. decode:truncated, bad-regex, state, too-large, internal. */
  kind: string;
  message: string;
}

export type RpcReply =
  | { id: number; type: 'ok'; value: unknown }
  | { id: number; type: 'error'; error: RpcErrorValue }
  | { id: number; type: 'progress'; phase: string; done: number; total: number };

/**
 * The error Worker-side code throws for a request it cannot answer (no profile open, a bad
 * regular expression, no such node): rpc-server sends its kind and message to the UI as is.
 */
export class WorkerError extends Error {
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.name = 'WorkerError';
    this.kind = kind;
  }
}

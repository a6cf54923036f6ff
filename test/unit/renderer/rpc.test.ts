// Both ends of the Worker protocol over a real MessageChannel: rpc-server's handler table,
// errors as values, progress, order, and transfer lists found by walking the answer.
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerError } from '../../../renderer/src/worker/rpc';
import { RpcWorker, WorkerFailure } from '../../../renderer/src/worker/rpc-client';
import {
  serveRpc,
  transferablesOf,
  type HandlerTable,
  type RpcScope,
} from '../../../renderer/src/worker/rpc-server';

interface Columns {
  rows: number;
  names: string[];
  /** A nested column a handler author might add and forget to list. */
  extra: { ids: Int32Array; values: Float64Array }[];
  raw: ArrayBuffer;
}

interface TestOps {
  columns: [{ n: number }, Columns];
  slow: [{ ms: number; tag: string }, string];
  fast: [{ tag: string }, string];
  fail: [{ how: 'worker' | 'range' | 'plain' }, null];
  steps: [{ steps: number }, number];
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

/** A served table on one end of a channel and an RpcWorker on the other. */
function pair(handlers: HandlerTable<TestOps>): RpcWorker<TestOps> {
  const ch = new MessageChannel();
  channels.push(ch);
  serveRpc(ch.port1 as unknown as RpcScope, handlers, { what: 'test profile' });
  const port = ch.port2;
  const worker = {
    set onmessage(f: ((ev: MessageEvent) => void) | null) {
      port.onmessage = f;
    },
    onerror: null,
    postMessage: (m: unknown, t: Transferable[]) => port.postMessage(m, t),
    terminate: () => port.close(),
  };
  return new RpcWorker<TestOps>(worker as unknown as Worker, 'test', 'crashed');
}

describe('rpc-server', () => {
  let sent: Columns | null = null;
  const handlers: HandlerTable<TestOps> = {
    columns({ n }) {
      sent = {
        rows: n,
        names: Array.from({ length: n }, (_, i) => `f${i}`),
        extra: [
          { ids: Int32Array.from({ length: n }, (_, i) => i), values: new Float64Array(n).fill(2) },
        ],
        raw: new Uint8Array([1, 2, 3]).buffer,
      };
      return sent;
    },
    async slow({ ms, tag }) {
      await new Promise((r) => setTimeout(r, ms));
      return tag;
    },
    fast({ tag }) {
      return tag;
    },
    fail({ how }) {
      if (how === 'worker') throw new WorkerError('bad-regex', 'missing )');
      if (how === 'range') throw new RangeError('Array buffer allocation failed');
      throw new Error('boom');
    },
    steps({ steps }, ctx) {
      for (let i = 0; i < steps; i++) ctx.progress('count', i, steps);
      return steps;
    },
  };

  it('transfers a new nested typed-array column instead of copying it', async () => {
    const w = pair(handlers);
    const got = await w.call('columns', { n: 1000 });
    // The receiver has the values...
    expect(got.rows).toBe(1000);
    expect(got.names[999]).toBe('f999');
    expect(got.extra[0].ids[999]).toBe(999);
    expect(got.extra[0].values[0]).toBe(2);
    expect(Array.from(new Uint8Array(got.raw))).toEqual([1, 2, 3]);
    // ...and the sender no longer does: its buffers were moved (detached), not cloned.
    expect(sent!.extra[0].ids.byteLength).toBe(0);
    expect(sent!.extra[0].values.byteLength).toBe(0);
    expect(sent!.raw.byteLength).toBe(0);
    w.close();
  });

  it('answers errors as values with their kind', async () => {
    const w = pair(handlers);
    const kindOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof WorkerFailure ? `${e.kind}: ${e.message}` : String(e)),
      );
    expect(await kindOf(w.call('fail', { how: 'worker' }))).toBe('bad-regex: missing )');
    expect(await kindOf(w.call('fail', { how: 'range' }))).toBe(
      'too-large: the test profile is too large to open here: Array buffer allocation failed',
    );
    expect(await kindOf(w.call('fail', { how: 'plain' }))).toBe('internal: boom');
    const unknown = (w as unknown as RpcWorker<{ nope: [null, null] }>).call('nope', null);
    expect(await kindOf(unknown)).toBe('state: unknown request nope');
    const inherited = (w as unknown as RpcWorker<{ toString: [null, null] }>).call(
      'toString',
      null,
    );
    expect(await kindOf(inherited)).toBe('state: unknown request toString');
    w.close();
  });

  it('sends progress before the answer, and answers in the order asked', async () => {
    const w = pair(handlers);
    const seen: number[] = [];
    expect(await w.call('steps', { steps: 3 }, [], (_p, done) => seen.push(done))).toBe(3);
    expect(seen).toEqual([0, 1, 2]);
    const order: string[] = [];
    await Promise.all([
      w.call('slow', { ms: 30, tag: 'slow' }).then((t) => order.push(t)),
      w.call('fast', { tag: 'fast' }).then((t) => order.push(t)),
    ]);
    expect(order).toEqual(['slow', 'fast']);
    w.close();
  });
});

describe('transferablesOf', () => {
  it('finds each buffer once, through objects, arrays, maps and sets', () => {
    const shared = new ArrayBuffer(16);
    const a = new Float64Array(shared, 0, 1);
    const b = new Uint8Array(shared, 8, 8);
    const c = new Int32Array(4);
    const d = new Uint16Array(2);
    const loop: Record<string, unknown> = { a };
    loop.self = loop;
    const value = {
      names: ['x', 'y'],
      n: 3,
      nested: [{ b }, null, undefined, 'text'],
      map: new Map([['c', c]]),
      set: new Set([d]),
      loop,
    };
    const found = transferablesOf(value);
    expect(found).toHaveLength(3);
    expect(new Set(found)).toEqual(new Set([shared, c.buffer, d.buffer]));
    expect(transferablesOf('text')).toEqual([]);
    expect(transferablesOf(null)).toEqual([]);
    expect(transferablesOf(new Float32Array(1))).toHaveLength(1);
  });
});

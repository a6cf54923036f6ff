// The Worker side of the Contention and Goroutines tabs on the real fixtures of the orders
// target: the handlers the profile and goroutines Workers serve.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentionBySite } from '../../../core/pprof/contention';
import type { GoroutineQuery } from '../../../renderer/src/worker/analysis-protocol';
import { contentionHandlers } from '../../../renderer/src/worker/contention-handlers';
import { engine } from '../../../renderer/src/worker/engine';
import { goroutineHandlers } from '../../../renderer/src/worker/goroutine-handlers';
import { WorkerError } from '../../../renderer/src/worker/rpc';
import { errorValueOf, type RpcContext } from '../../../renderer/src/worker/rpc-server';
import { ProfileSession } from '../../../renderer/src/worker/session';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, f)));
const buffer = (f: string): ArrayBuffer => bytes(f).slice().buffer as ArrayBuffer;
const LEAKER = 'main.(*notifier).awaitAck';
const ctx: RpcContext = { id: 1, progress: () => {} };

function query(extra: Partial<GoroutineQuery> = {}): GoroutineQuery {
  return {
    by: 'stack',
    search: '',
    scope: { functions: true, files: true, labels: true, states: true },
    leaksOnly: false,
    sort: 'count',
    offset: 0,
    limit: 1000,
    expanded: [],
    ...extra,
  };
}

describe('contention handlers', async () => {
  const mutex = new ProfileSession(engine, bytes('before/mutex.pb.gz'));
  const block = new ProfileSession(engine, bytes('before/block.pb.gz'));
  const hm = contentionHandlers(() => mutex.profile);
  const hb = contentionHandlers(() => block.profile);

  it('answers the table of core/pprof with the flame graph sample indexes', async () => {
    const a = await hm['contention.table']({ granularity: 'functions', kind: 'mutex' }, ctx);
    expect(a.table).toEqual(contentionBySite(mutex.profile, { kind: 'mutex' }));
    expect(a.table.rows[0].site).toBe('main.(*inventory).reserve');
    expect(mutex.profile.sampleTypes[a.delayIndex].type).toBe('delay');
    expect(mutex.profile.sampleTypes[a.contentionsIndex].type).toBe('contentions');
  });

  it('pairs mutex and block by call site, from either side', async () => {
    const m = await hm['contention.table']({ granularity: 'functions', kind: 'mutex' }, ctx);
    const b = await hb['contention.table']({ granularity: 'functions', kind: 'block' }, ctx);
    const fromMutex = await hm['contention.joint'](
      { granularity: 'functions', kind: 'mutex', partner: b.table },
      ctx,
    );
    const fromBlock = await hb['contention.joint'](
      { granularity: 'functions', kind: 'block', partner: m.table },
      ctx,
    );
    expect(fromBlock).toEqual(fromMutex);
    const reserve = fromMutex.find((r) => r.site === 'main.(*inventory).reserve')!;
    expect(reserve.mutex!.delayNanos).toBe(
      m.table.rows.find((r) => r.site === reserve.site)!.delayNanos,
    );
    expect(reserve.block!.delayNanos).toBe(
      b.table.rows.find((r) => r.site === reserve.site)!.delayNanos,
    );
  });
});

describe('goroutine handlers', async () => {
  it('groups the open goroutine profile: the 37 leaked waiters are one flagged group', async () => {
    const session = new ProfileSession(engine, bytes('before/goroutine.pb.gz'));
    const h = goroutineHandlers(() => session.profile);
    const o = await h['goroutines.load']({}, ctx);
    expect(o.format).toBe('proto');
    expect(o.hasWaits).toBe(false);
    const w = await h['goroutines.rows'](query(), ctx);
    expect(w.total).toBe(o.total);
    expect(w.rows.reduce((a, r) => a + r.count, 0)).toBe(o.total);
    const g = w.rows.filter((r) => r.title === LEAKER);
    expect(g).toHaveLength(1);
    expect(g[0].count).toBe(37);
    expect(g[0].leak?.reason).toContain(`37 goroutines blocked in chan receive in ${LEAKER}`);
    expect(w.leaks).toEqual([
      { id: g[0].id, count: 37, reason: g[0].leak!.reason, index: g[0].index },
    ]);
    const d = await h['goroutines.group']({ by: 'stack', id: g[0].id }, ctx);
    expect(d.text.split('\n')).toHaveLength(g[0].stackLines);
    expect(d.text).toContain(`${LEAKER}\n\t`);
    expect(d.ids).toEqual([]);
  });

  it('reads a debug=2 text dump: ids, waits and creators; search, filters and windows', async () => {
    const h = goroutineHandlers(() => {
      throw new WorkerError('state', 'no profile is open');
    });
    const o = await h['goroutines.load']({ bytes: buffer('before/goroutine-debug2.txt') }, ctx);
    expect(o.format).toBe('debug2');
    expect(o.hasWaits).toBe(true);
    expect(o.hasCreators).toBe(true);
    const all = await h['goroutines.rows'](query(), ctx);
    const g = all.rows.find((r) => r.title === LEAKER)!;
    expect(g.count).toBe(37);
    expect(g.maxWait).not.toBeNull();
    const d = await h['goroutines.group']({ by: 'stack', id: g.id }, ctx);
    expect(d.ids).toHaveLength(37);
    expect(d.text).toMatch(/created by main\.\(\*notifier\)\.replayOutbox/);

    const found = await h['goroutines.rows'](query({ search: 'awaitack' }), ctx);
    expect(found.rows.map((r) => r.id)).toEqual([g.id]);
    const states = await h['goroutines.rows'](
      query({
        search: '^chan receive$',
        scope: { functions: false, files: false, labels: false, states: true },
      }),
      ctx,
    );
    for (const r of states.rows) expect(r.states.map((s) => s.state)).toContain('chan receive');
    expect(() => h['goroutines.rows'](query({ search: 'a(' }), ctx)).toThrow(WorkerError);

    // A window of one row, and where an expanded group sits in the order.
    const one = await h['goroutines.rows'](query({ offset: 1, limit: 1, expanded: [g.id] }), ctx);
    expect(one.rows).toHaveLength(1);
    expect(one.rows[0].index).toBe(1);
    expect(one.rowCount).toBe(all.rowCount);
    expect(one.expandedAt).toEqual([{ id: g.id, index: g.index, lines: g.stackLines }]);
    const byName = await h['goroutines.rows'](query({ sort: 'name' }), ctx);
    const titles = byName.rows.map((r) => r.title);
    expect(titles).toEqual([...titles].sort());
  });

  it('reports garbage as a typed error value', async () => {
    const h = goroutineHandlers(() => {
      throw new WorkerError('state', 'no profile is open');
    });
    const html = new TextEncoder().encode('<!doctype html><html><body>login</body></html>');
    try {
      await h['goroutines.load']({ bytes: html.buffer as ArrayBuffer }, ctx);
      expect.unreachable();
    } catch (e) {
      // What the UI receives: rpc-server keeps the dump reader's kind.
      expect(errorValueOf(e, 'goroutine dump').kind).toBe('goroutines:html');
    }
    expect(() => h['goroutines.rows'](query(), ctx)).toThrow(/no goroutine dump/);
  });
});

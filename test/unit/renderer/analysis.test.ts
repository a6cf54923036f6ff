// The Worker side of the Contention and Goroutines tabs on the real fixtures of the orders
// target: the handlers the profile Worker routes to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentionBySite } from '../../../core/pprof/contention';
import { analysisHandlers } from '../../../renderer/src/worker/analysis-handlers';
import type { GoroutineQuery } from '../../../renderer/src/worker/analysis-protocol';
import { engine } from '../../../renderer/src/worker/engine';
import { ProfileSession, SessionError } from '../../../renderer/src/worker/session';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, f)));
const buffer = (f: string): ArrayBuffer => bytes(f).slice().buffer as ArrayBuffer;
const LEAKER = 'main.(*notifier).awaitAck';

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

describe('contention handlers', () => {
  const mutex = new ProfileSession(engine, bytes('before/mutex.pb.gz'));
  const block = new ProfileSession(engine, bytes('before/block.pb.gz'));
  const hm = analysisHandlers(() => mutex);
  const hb = analysisHandlers(() => block);

  it('answers the table of core/pprof with the flame graph sample indexes', () => {
    const [a] = hm['contention.table']({ granularity: 'functions', kind: 'mutex' }, 1);
    expect(a.table).toEqual(contentionBySite(mutex.profile, { kind: 'mutex' }));
    expect(a.table.rows[0].site).toBe('main.(*inventory).reserve');
    expect(mutex.profile.sampleTypes[a.delayIndex].type).toBe('delay');
    expect(mutex.profile.sampleTypes[a.contentionsIndex].type).toBe('contentions');
  });

  it('pairs mutex and block by call site, from either side', () => {
    const [m] = hm['contention.table']({ granularity: 'functions', kind: 'mutex' }, 1);
    const [b] = hb['contention.table']({ granularity: 'functions', kind: 'block' }, 2);
    const [fromMutex] = hm['contention.joint'](
      { granularity: 'functions', kind: 'mutex', partner: b.table },
      3,
    );
    const [fromBlock] = hb['contention.joint'](
      { granularity: 'functions', kind: 'block', partner: m.table },
      4,
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

describe('goroutine handlers', () => {
  it('groups the open goroutine profile: the 37 leaked waiters are one flagged group', () => {
    const session = new ProfileSession(engine, bytes('before/goroutine.pb.gz'));
    const h = analysisHandlers(() => session);
    const [o] = h['goroutines.load']({}, 1);
    expect(o.format).toBe('proto');
    expect(o.hasWaits).toBe(false);
    const [w] = h['goroutines.rows'](query(), 2);
    expect(w.total).toBe(o.total);
    expect(w.rows.reduce((a, r) => a + r.count, 0)).toBe(o.total);
    const g = w.rows.filter((r) => r.title === LEAKER);
    expect(g).toHaveLength(1);
    expect(g[0].count).toBe(37);
    expect(g[0].leak?.reason).toContain(`37 goroutines blocked in chan receive in ${LEAKER}`);
    expect(w.leaks).toEqual([
      { id: g[0].id, count: 37, reason: g[0].leak!.reason, index: g[0].index },
    ]);
    const [d] = h['goroutines.group']({ by: 'stack', id: g[0].id }, 3);
    expect(d.text.split('\n')).toHaveLength(g[0].stackLines);
    expect(d.text).toContain(`${LEAKER}\n\t`);
    expect(d.ids).toEqual([]);
  });

  it('reads a debug=2 text dump: ids, waits and creators; search, filters and windows', () => {
    const h = analysisHandlers(() => {
      throw new SessionError('state', 'no profile is open');
    });
    const [o] = h['goroutines.load']({ bytes: buffer('before/goroutine-debug2.txt') }, 1);
    expect(o.format).toBe('debug2');
    expect(o.hasWaits).toBe(true);
    expect(o.hasCreators).toBe(true);
    const [all] = h['goroutines.rows'](query(), 2);
    const g = all.rows.find((r) => r.title === LEAKER)!;
    expect(g.count).toBe(37);
    expect(g.maxWait).not.toBeNull();
    const [d] = h['goroutines.group']({ by: 'stack', id: g.id }, 3);
    expect(d.ids).toHaveLength(37);
    expect(d.text).toMatch(/created by main\.\(\*notifier\)\.replayOutbox/);

    const [found] = h['goroutines.rows'](query({ search: 'awaitack' }), 4);
    expect(found.rows.map((r) => r.id)).toEqual([g.id]);
    const [states] = h['goroutines.rows'](
      query({
        search: '^chan receive$',
        scope: { functions: false, files: false, labels: false, states: true },
      }),
      5,
    );
    for (const r of states.rows) expect(r.states.map((s) => s.state)).toContain('chan receive');
    expect(() => h['goroutines.rows'](query({ search: 'a(' }), 6)).toThrow(SessionError);

    // A window of one row, and where an expanded group sits in the order.
    const [one] = h['goroutines.rows'](query({ offset: 1, limit: 1, expanded: [g.id] }), 7);
    expect(one.rows).toHaveLength(1);
    expect(one.rows[0].index).toBe(1);
    expect(one.rowCount).toBe(all.rowCount);
    expect(one.expandedAt).toEqual([{ id: g.id, index: g.index, lines: g.stackLines }]);
    const [byName] = h['goroutines.rows'](query({ sort: 'name' }), 8);
    const titles = byName.rows.map((r) => r.title);
    expect(titles).toEqual([...titles].sort());
  });

  it('reports garbage as a typed error value', () => {
    const h = analysisHandlers(() => {
      throw new SessionError('state', 'no profile is open');
    });
    const html = new TextEncoder().encode('<!doctype html><html><body>login</body></html>');
    try {
      h['goroutines.load']({ bytes: html.buffer as ArrayBuffer }, 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SessionError);
      expect((e as SessionError).kind).toBe('goroutines:html');
    }
    expect(() => h['goroutines.rows'](query(), 2)).toThrow(/no goroutine dump/);
  });
});

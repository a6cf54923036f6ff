import { describe, expect, it } from 'vitest';
import { frameLabel } from '../../../core/goroutines/dump';
import { goroutineDumpFromProfile } from '../../../core/goroutines/from-profile';
import { compileSearch, groupGoroutines, searchGroups } from '../../../core/goroutines/groups';
import { findLeakSuspects } from '../../../core/goroutines/leaks';
import { parseGoroutineDump } from '../../../core/goroutines/parse';
import { decodeProfile } from '../../../core/pprof/decode';
import { countsByStack, sortedEntries } from './compare';
import { testdata } from './testdata';

const AWAIT = 'main.(*notifier).awaitAck';
const late2 = groupGoroutines(parseGoroutineDump(testdata('goroutine-late-debug2.txt')));
const late1 = groupGoroutines(parseGoroutineDump(testdata('goroutine-late-debug1.txt')));
const lateProto = groupGoroutines(
  goroutineDumpFromProfile(decodeProfile(testdata('goroutine-late.pb.gz'))),
);

describe('grouping', () => {
  it('groups identical stacks with states, waits and creators', () => {
    expect(late2.total).toBe(65);
    const g = late2.groups[0];
    expect(g.title).toBe(AWAIT);
    expect(g.count).toBe(48);
    expect(g.states).toEqual([{ state: 'chan receive', category: 'chan-receive', count: 48 }]);
    expect(g.stateInferred).toBe(false);
    // 37 waited 2 minutes, 11 were started just before the dump.
    expect(g.wait).toEqual({ maxMinutes: 2, medianMinutes: 2, measured: 37 });
    // Started from two places in main.main: 37 at first, 11 later.
    expect(g.creators.map((c) => c.count)).toEqual([37, 11]);
    for (const c of g.creators) {
      expect(late2.dump.strings[late2.dump.frames.func[c.frame]]).toBe('main.main');
    }
    expect(g.records.length).toBe(48);
  });

  it('titles a group by its first frame outside the standard library', () => {
    const mutex = late2.groups.find((g) => g.states[0]?.state === 'sync.Mutex.Lock')!;
    expect(mutex.count).toBe(3);
    expect(late2.dump.strings[late2.dump.frames.func[mutex.frames[0]]]).toBe(
      'internal/sync.runtime_SemacquireMutex',
    );
    expect(mutex.title).toMatch(/^main\.main\.func\d+$/);
  });

  it('keeps label sets, or splits by them on request', () => {
    const w = late2.groups.find((g) => g.title === 'main.worker[...]')!;
    expect(w.count).toBe(5);
    expect(w.labelSets.map((l) => [l.labels, l.count])).toEqual([
      [
        [
          ['route', '/orders'],
          ['tenant', '0'],
        ],
        3,
      ],
      [
        [
          ['route', '/orders'],
          ['tenant', '1'],
        ],
        2,
      ],
    ]);
    const split = groupGoroutines(late2.dump, { by: 'stack+labels' });
    expect(split.groups.filter((g) => g.title === 'main.worker[...]').map((g) => g.count)).toEqual([
      3, 2,
    ]);
  });

  it('searches functions and files by regex, and reports bad patterns', () => {
    const re = compileSearch('notifier\\).await');
    if (!(re instanceof RegExp)) throw new Error(re.error);
    expect(searchGroups(late2, re)).toEqual([0]);
    const sema = compileSearch('runtime/sema\\.go$') as RegExp;
    const bySema = searchGroups(late2, sema).map((id) => late2.groups[id]);
    expect(bySema.length).toBeGreaterThan(0);
    expect(
      bySema.every((g) => g.frames.some((f) => frameLabel(late2.dump, f).includes('sema.go'))),
    ).toBe(true);
    expect(searchGroups(late2, sema, { functions: true })).toEqual([]);
    expect(searchGroups(late2, /tenant=1/, { labels: true }).length).toBe(1);
    expect(searchGroups(late2, /^IO wait$/, { states: true }).length).toBe(1);
    const bad = compileSearch('(unclosed');
    expect(bad).toHaveProperty('error');
  });

  it('debug=1, debug=2 and the proto profile written back to back agree on counts per stack', () => {
    const a = countsByStack(late2);
    const b = countsByStack(late1);
    const c = countsByStack(lateProto);
    // The goroutine writing each dump is the only one whose stack differs between them.
    expect([a.writers, b.writers, c.writers]).toEqual([1, 1, 1]);
    expect(sortedEntries(b.counts)).toEqual(sortedEntries(a.counts));
    expect(sortedEntries(c.counts)).toEqual(sortedEntries(a.counts));
    expect(late1.total).toBe(late2.total);
    expect(lateProto.total).toBe(late2.total);
  });

  it('infers from proto stacks the states debug=2 prints', () => {
    const printed = new Map(late2.groups.map((g) => [g.key, g.states[0].state]));
    const unmatched: string[] = [];
    for (const g of lateProto.groups) {
      const state = printed.get(g.key);
      if (state === undefined) {
        unmatched.push(g.title);
        continue;
      }
      expect(g.stateInferred).toBe(true);
      expect([g.title, g.states[0].state]).toEqual([g.title, state]);
    }
    // The writer's stack differs by format; the 150-deep recursion is cut differently.
    expect(unmatched.sort()).toEqual(['main.recurse', 'main.writeProfile']);
    expect(lateProto.groups.length).toBe(12);
  });
});

describe('leak suspects', () => {
  it('flags the large, long-blocked group with its reason (debug=2)', () => {
    expect(findLeakSuspects(late2)).toEqual([]); // nothing has waited 10 minutes
    const s = findLeakSuspects(late2, { minWaitMinutes: 2 });
    expect(s.length).toBe(1);
    expect(s[0].group).toBe(0);
    expect(s[0].count).toBe(37);
    expect(s[0].reason).toBe(`37 goroutines blocked in chan receive for ≥ 2 minutes in ${AWAIT}`);
    expect(findLeakSuspects(late2, { minWaitMinutes: 0 })[0].count).toBe(48);
    expect(findLeakSuspects(late2, { minWaitMinutes: 2, minGroupSize: 38 })).toEqual([]);
  });

  it('says when wait times are unknown (proto, debug=1)', () => {
    const p = findLeakSuspects(lateProto);
    expect(p.map((x) => [x.count, x.waitKnown])).toEqual([[48, false]]);
    expect(p[0].reason).toBe(
      `48 goroutines blocked in chan receive in ${AWAIT} (state read from the stack; wait time unknown: capture goroutine?debug=2 to see how long)`,
    );
    const d1 = findLeakSuspects(late1);
    expect(d1.map((x) => x.count)).toEqual([48]);
    expect(d1[0].reason).toContain('state unknown');
    expect(findLeakSuspects(late1, { includeUnknownState: false })).toEqual([]);
  });
});

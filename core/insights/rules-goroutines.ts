// goroutine-leak from three sources, strongest first:
// 1. the GC-proven `goroutineleak` profile (or goroutines a dump marks "(leaked)"): the
//    runtime proved these goroutines can never run again;
// 2. growth of one stack group across snapshots taken at different times (core/goroutines
//    diffGoroutines), growing in each;
// 3. the heuristics on one dump or goroutine profile (core/goroutines findLeakSuspects): a
//    large group blocked on a channel, select, I/O or a lock, for ≥ 10 minutes when the dump
//    prints wait times.
import { diffGoroutines } from '../goroutines/diff';
import { groupGoroutines, type GoroutineGroup, type GoroutineGroups } from '../goroutines/groups';
import { findLeakSuspects, provenLeaked } from '../goroutines/leaks';
import type { Finding, LoadedSnapshot, SnapshotSet } from './model';
import { isOwnCode, type OwnCodeOptions } from './own-code';
import { draft } from './rules-profile';
import { THRESHOLDS } from './thresholds';
import { membersOf } from './snapshot-set';

type GoroutineSnapshot = Extract<LoadedSnapshot, { type: 'goroutines' }>;

/** The leaf-most own function of a group's stack, else its title. */
function ownFunction(groups: GoroutineGroups, g: GoroutineGroup, own: OwnCodeOptions): string {
  const d = groups.dump;
  for (const fr of g.frames) {
    const name = d.strings[d.frames.func[fr]] ?? '';
    if (isOwnCode(name, own)) return name;
  }
  return g.title;
}

function stateText(g: GoroutineGroup): string {
  return g.states.map((s) => (s.state === '' ? 'unknown state' : s.state)).join(', ');
}

export function goroutineRules(set: SnapshotSet, own: OwnCodeOptions): Finding[] {
  const out: (Finding | null)[] = [];
  const all = membersOf(set, ['goroutine', 'goroutineleak']);
  for (const s of all) out.push(...snapshotRules(s, own));
  // Growth across snapshots taken at different, known times.
  const timed = membersOf(set, ['goroutine']).filter((s) => s.timeMs !== null);
  const distinct = timed.filter((s, i) => i === 0 || s.timeMs !== timed[i - 1].timeMs);
  if (distinct.length >= 2) {
    const grouped = distinct.map((s) => groupGoroutines(s.dump));
    const diff = diffGoroutines(grouped, { minGrowth: THRESHOLDS.leakGrowth.low });
    const last = distinct[distinct.length - 1];
    for (const row of diff.suspects) {
      const gid = row.groups[row.groups.length - 1][0];
      const lastGroups = grouped[grouped.length - 1];
      const g = gid !== undefined ? lastGroups.groups[gid] : undefined;
      const func = g ? ownFunction(lastGroups, g, own) : row.title;
      out.push(
        draft({
          kind: 'goroutine-leak',
          func,
          title: `Goroutines in ${func} grew in each of ${distinct.length} snapshots: ${row.counts.join(' → ')} (+${row.delta}).`,
          threshold: 'leakGrowth',
          value: row.delta,
          s: last,
          source: `goroutine counts across ${distinct.length} snapshots`,
          figures: row.counts.map((c, i) => ({
            label: distinct[i].name,
            value: c,
            unit: 'count',
          })),
          notes: [
            'growth of one stack group in every snapshot: the goroutines are created and never end',
          ],
          link: { tab: 'goroutines', snapshot: last.id, func },
        }),
      );
    }
  }
  return out.filter((f): f is Finding => f !== null);
}

function snapshotRules(s: GoroutineSnapshot, own: OwnCodeOptions): (Finding | null)[] {
  const groups = groupGoroutines(s.dump);
  const out: (Finding | null)[] = [];
  const proven = new Set<number>();
  for (const g of groups.groups) {
    const n = s.kind === 'goroutineleak' ? g.count : provenLeaked(groups, g);
    if (n === 0) continue;
    proven.add(g.id);
    const func = ownFunction(groups, g, own);
    out.push(
      draft({
        kind: 'goroutine-leak',
        func,
        title: `The GC proved ${n} goroutine${n === 1 ? '' : 's'} in ${func} leaked: blocked (${stateText(g)}) on something no running goroutine can reach.`,
        threshold: 'provenLeak',
        value: n,
        s,
        source: s.source,
        figures: [{ label: 'leaked goroutines', value: n, unit: 'count' }],
        notes: [
          s.kind === 'goroutineleak'
            ? 'strongest evidence: the goroutineleak profile lists only goroutines the garbage collector proved unreachable'
            : 'strongest evidence: the runtime marked these goroutines "(leaked)"',
        ],
        link: { tab: 'goroutines', snapshot: s.id, func },
      }),
    );
  }
  if (s.kind === 'goroutineleak') return out;
  for (const sus of findLeakSuspects(groups, { minGroupSize: THRESHOLDS.leakGroupSize.low })) {
    if (proven.has(sus.group)) continue;
    const g = groups.groups[sus.group];
    const func = ownFunction(groups, g, own);
    out.push(
      draft({
        kind: 'goroutine-leak',
        func,
        title: `${sus.count} goroutines are parked in ${func} (${sus.states.join(', ')}${sus.minutesAtLeast ? ` for ≥ ${sus.minutesAtLeast} minutes` : ''}): likely leaked.`,
        threshold: 'leakGroupSize',
        value: sus.count,
        s,
        source: s.source,
        figures: [
          { label: 'goroutines in the group', value: g.count, unit: 'count' },
          { label: 'blocked', value: sus.count, unit: 'count' },
          { label: 'goroutines in the snapshot', value: groups.total, unit: 'count' },
        ],
        notes: [`heuristic: ${sus.reason}`],
        link: { tab: 'goroutines', snapshot: s.id, func },
      }),
    );
  }
  return out;
}

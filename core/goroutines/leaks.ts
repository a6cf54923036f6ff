// Leak heuristics on grouped goroutines: a large group of goroutines blocked, for a long time,
// on a channel, select, network I/O or a lock is the usual shape of a goroutine leak. Each
// suspect comes with the reason in words, so the user can judge it.

import { REC_LEAKED } from './dump';
import type { GoroutineGroup, GoroutineGroups } from './groups';
import { BLOCKING_CATEGORIES, stateCategory, type StateCategory } from './states';

export interface LeakOptions {
  /** Blocked goroutines a group needs to be suspected. */
  minGroupSize: number;
  /** Wait a goroutine needs to count as blocked long (used when the source has wait times). */
  minWaitMinutes: number;
  /** States that count as blocked. */
  states: readonly StateCategory[];
  /**
   * Count goroutines whose state is unknown (debug=1 text hides the runtime frames that tell a
   * channel wait) as possibly blocked; their reason says the state is unknown.
   */
  includeUnknownState: boolean;
}

export const DEFAULT_LEAK_OPTIONS: LeakOptions = {
  minGroupSize: 10,
  minWaitMinutes: 10,
  states: BLOCKING_CATEGORIES,
  includeUnknownState: true,
};

export interface LeakSuspect {
  group: number;
  /** Goroutines of the group that meet the criteria. */
  count: number;
  /** Wait of the shortest of those goroutines (they all waited at least this), null if unknown. */
  minutesAtLeast: number | null;
  /** The blocking states involved, most frequent first. */
  states: string[];
  /** Whether the wait time was checked (debug=2) or is unknown (debug=1, proto). */
  waitKnown: boolean;
  reason: string;
}

const UNKNOWN = 'unknown state';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function suspectOf(groups: GoroutineGroups, g: GoroutineGroup, o: LeakOptions): LeakSuspect | null {
  const { dump } = groups;
  const r = dump.records;
  const blocking = new Set<StateCategory>(o.states);
  if (o.includeUnknownState) blocking.add('unknown');
  const perState = new Map<string, number>();
  let count = 0;
  let minMinutes = Infinity;
  for (const i of g.records) {
    const state = dump.strings[r.state[i]];
    if (!blocking.has(stateCategory(state))) continue;
    if (g.wait && r.waitMinutes[i] < o.minWaitMinutes) continue;
    count += r.count[i];
    const label = state === '' ? UNKNOWN : state;
    perState.set(label, (perState.get(label) ?? 0) + r.count[i]);
    if (g.wait) minMinutes = Math.min(minMinutes, r.waitMinutes[i]);
  }
  if (count < o.minGroupSize || count === 0) return null;
  const states = [...perState.entries()].sort((a, b) => b[1] - a[1]);
  const known = states.filter(([st]) => st !== UNKNOWN);
  const waitKnown = g.wait !== null;
  const minutes = waitKnown ? minMinutes : null;
  const notes: string[] = [];
  let what: string;
  if (known.length === 0) {
    what = `${plural(count, 'goroutine', 'goroutines')} parked with this stack`;
    notes.push(
      `state unknown: ${groups.dump.format === 'debug1' ? 'debug=1 text does not show it' : 'not printed'}`,
    );
  } else {
    const stateText =
      states.length === 1 ? states[0][0] : states.map(([st, k]) => `${st} (${k})`).join(', ');
    what = `${plural(count, 'goroutine', 'goroutines')} blocked in ${stateText}`;
    if (g.stateInferred) notes.push('state read from the stack');
  }
  if (waitKnown && (minutes ?? 0) > 0)
    what += ` for ≥ ${plural(minutes ?? 0, 'minute', 'minutes')}`;
  else if (!waitKnown) notes.push('wait time unknown: capture goroutine?debug=2 to see how long');
  const reason = `${what} in ${g.title}${notes.length ? ` (${notes.join('; ')})` : ''}`;
  return {
    group: g.id,
    count,
    minutesAtLeast: minutes,
    states: states.map(([st]) => st),
    waitKnown,
    reason,
  };
}

/**
 * Groups that look like leaks, largest first: at least `minGroupSize` goroutines in a
 * blocking state and, when the source has wait times, blocked for `minWaitMinutes` or more.
 */
export function findLeakSuspects(
  groups: GoroutineGroups,
  options: Partial<LeakOptions> = {},
): LeakSuspect[] {
  const o: LeakOptions = { ...DEFAULT_LEAK_OPTIONS, ...options };
  const out: LeakSuspect[] = [];
  for (const g of groups.groups) {
    const s = suspectOf(groups, g, o);
    if (s) out.push(s);
  }
  return out.sort((a, b) => b.count - a.count);
}

/**
 * Goroutines of a group that the runtime's leak detector proved leaked (a GC found them
 * blocked on something no other goroutine can reach): every goroutine of a goroutineleak
 * profile, else those a dump marks "(leaked)". Unlike the suspects above, not a guess.
 */
export function provenLeaked(groups: GoroutineGroups, g: GoroutineGroup): number {
  if (groups.dump.profileName === 'goroutineleak') return g.count;
  const r = groups.dump.records;
  let n = 0;
  for (const i of g.records) if (r.flags[i] & REC_LEAKED) n += r.count[i];
  return n;
}

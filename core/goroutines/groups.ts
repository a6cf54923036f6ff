// Goroutines grouped by identical stack: the Goroutines tab's table. Each group carries its
// count, states (count per state), wait times where the source has them (debug=2), creators
// and label sets, plus keys that match the same stack read from another source or snapshot.

import {
  FRAME_CODE,
  REC_FRAMES_ELIDED,
  REC_LOCKED_TO_THREAD,
  REC_STATE_INFERRED,
  type GoroutineDump,
} from './dump';
import { isStdlibFrame, isTracebackVisible, tracebackName } from './frames';
import { stateCategory, type StateCategory } from './states';

export interface GroupOptions {
  /** 'stack' (default): identical frames. 'stack+labels': identical frames and label set. */
  by?: 'stack' | 'stack+labels';
}

export interface StateCount {
  state: string;
  category: StateCategory;
  count: number;
}

export interface WaitSummary {
  /** Longest wait printed, in minutes (Go prints whole minutes, from the last GC on). */
  maxMinutes: number;
  /** Median over every goroutine of the group, counting unprinted waits as 0. */
  medianMinutes: number;
  /** Goroutines whose wait was printed (≥ 1 minute). */
  measured: number;
}

export interface CreatorCount {
  /** Frame of the `created by` line. */
  frame: number;
  count: number;
}

export interface LabelSetCount {
  labels: [string, string][];
  count: number;
}

export interface GoroutineGroup {
  /** Index in GoroutineGroups.groups. */
  id: number;
  /** Leaf stack in dump.stacks, -1 for goroutines without a printed stack. */
  stack: number;
  /** Frame indexes, leaf first. */
  frames: Int32Array;
  count: number;
  /** Rows of dump.records in this group. */
  records: Int32Array;
  /** Most frequent first. */
  states: StateCount[];
  /** True when the states were inferred from frames (debug=1, proto), not printed by Go. */
  stateInferred: boolean;
  /** null when the source has no wait times (debug=1, proto). */
  wait: WaitSummary | null;
  lockedToThread: number;
  /** Go left frames out of at least one stack of the group. */
  framesElided: boolean;
  /** Most frequent first; empty when the source prints no creators. */
  creators: CreatorCount[];
  /** Most frequent first; empty when no goroutine has labels. */
  labelSets: LabelSetCount[];
  /** Innermost frame of the program itself (not the standard library), else the leaf. */
  titleFrame: number;
  title: string;
  /** Traceback-visible functions with lines: equal for the same stack from any source. */
  key: string;
  /** Traceback-visible functions only: matches the same path across builds. */
  funcKey: string;
}

export interface GoroutineGroups {
  dump: GoroutineDump;
  /** Goroutines in all groups. */
  total: number;
  /** Largest first. */
  groups: GoroutineGroup[];
}

function countsDesc<T extends { count: number }>(m: Map<string, T>): T[] {
  return [...m.values()].sort((a, b) => b.count - a.count);
}

/** Keys and title of one stack (leaf first). */
export function describeStack(
  dump: GoroutineDump,
  frames: ArrayLike<number>,
): { key: string; funcKey: string; titleFrame: number } {
  const f = dump.frames;
  const keyParts: string[] = [];
  const funcParts: string[] = [];
  let titleFrame = -1;
  let firstVisible = -1;
  for (let i = 0; i < frames.length; i++) {
    const fr = frames[i];
    if (f.kind[fr] !== FRAME_CODE) continue;
    const raw = dump.strings[f.func[fr]];
    if (!isTracebackVisible(raw, funcParts.length === 0)) continue;
    if (funcParts.length === 0 && raw.startsWith('internal/runtime/')) continue;
    const name = tracebackName(raw);
    funcParts.push(name);
    keyParts.push(`${name}:${f.line[fr]}`);
    if (firstVisible < 0) firstVisible = fr;
    if (titleFrame < 0 && !isStdlibFrame(raw)) titleFrame = fr;
  }
  if (titleFrame < 0)
    titleFrame = firstVisible >= 0 ? firstVisible : frames.length ? frames[0] : -1;
  return { key: keyParts.join('\n'), funcKey: funcParts.join('\n'), titleFrame };
}

function median(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function groupGoroutines(dump: GoroutineDump, options: GroupOptions = {}): GoroutineGroups {
  const r = dump.records;
  const byLabels = options.by === 'stack+labels';
  const members = new Map<string, number[]>();
  const labelKeyOf = (i: number): string => {
    const parts: string[] = [];
    for (let j = r.labelStart[i]; j < r.labelStart[i + 1]; j++) {
      parts.push(`${r.labelKey[j]}=${r.labelValue[j]}`);
    }
    return parts.sort().join(',');
  };
  for (let i = 0; i < r.length; i++) {
    const k = byLabels ? `${r.stack[i]}|${labelKeyOf(i)}` : String(r.stack[i]);
    let list = members.get(k);
    if (!list) members.set(k, (list = []));
    list.push(i);
  }

  const hasWaits = dump.format === 'debug2';
  const groups: GoroutineGroup[] = [];
  let total = 0;
  for (const rows of members.values()) {
    const stack = r.stack[rows[0]];
    const frames: number[] = [];
    for (let s = stack; s >= 0; s = dump.stacks.prefix[s]) frames.push(dump.stacks.frame[s]);
    let count = 0;
    let locked = 0;
    let elided = false;
    let inferred = false;
    const states = new Map<string, StateCount>();
    const creators = new Map<string, CreatorCount>();
    const labelSets = new Map<string, LabelSetCount>();
    const waits: number[] = [];
    for (const i of rows) {
      const c = r.count[i];
      count += c;
      if (r.flags[i] & REC_LOCKED_TO_THREAD) locked += c;
      if (r.flags[i] & REC_FRAMES_ELIDED) elided = true;
      if (r.flags[i] & REC_STATE_INFERRED) inferred = true;
      const state = dump.strings[r.state[i]];
      const sc = states.get(state);
      if (sc) sc.count += c;
      else states.set(state, { state, category: stateCategory(state), count: c });
      if (r.createdBy[i] >= 0) {
        const key = String(r.createdBy[i]);
        const cc = creators.get(key);
        if (cc) cc.count += c;
        else creators.set(key, { frame: r.createdBy[i], count: c });
      }
      if (r.labelStart[i + 1] > r.labelStart[i]) {
        const key = labelKeyOf(i);
        const ls = labelSets.get(key);
        if (ls) ls.count += c;
        else {
          const labels: [string, string][] = [];
          for (let j = r.labelStart[i]; j < r.labelStart[i + 1]; j++) {
            labels.push([dump.strings[r.labelKey[j]], dump.strings[r.labelValue[j]]]);
          }
          labelSets.set(key, { labels, count: c });
        }
      }
      if (hasWaits) for (let k = 0; k < c; k++) waits.push(Math.max(0, r.waitMinutes[i]));
    }
    waits.sort((a, b) => a - b);
    const described = describeStack(dump, frames);
    groups.push({
      id: 0,
      stack,
      frames: Int32Array.from(frames),
      count,
      records: Int32Array.from(rows),
      states: countsDesc(states),
      stateInferred: inferred,
      wait: hasWaits
        ? {
            maxMinutes: waits.length ? waits[waits.length - 1] : 0,
            medianMinutes: median(waits),
            measured: waits.filter((w) => w > 0).length,
          }
        : null,
      lockedToThread: locked,
      framesElided: elided,
      creators: countsDesc(creators),
      labelSets: countsDesc(labelSets),
      titleFrame: described.titleFrame,
      title:
        described.titleFrame >= 0
          ? dump.strings[dump.frames.func[described.titleFrame]]
          : '(no stack)',
      key: described.key,
      funcKey: described.funcKey,
    });
    total += count;
  }
  groups.sort((a, b) => b.count - a.count || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  groups.forEach((g, i) => (g.id = i));
  return { dump, total, groups };
}

/** Where a search pattern is looked for. Default: functions and files. */
export interface SearchScope {
  functions?: boolean;
  files?: boolean;
  /** Label keys and values, as `key=value`. */
  labels?: boolean;
  /** State text, e.g. "chan receive". */
  states?: boolean;
}

/** Compiles a user's search text; invalid regex syntax is reported, not thrown. */
export function compileSearch(text: string, caseSensitive = false): RegExp | { error: string } {
  try {
    return new RegExp(text, caseSensitive ? '' : 'i');
  } catch (err) {
    return {
      error: `invalid regular expression ${JSON.stringify(text)}: ${(err as Error).message}`,
    };
  }
}

/**
 * Ids of the groups whose stack (or created-by frame) has a function or file matching
 * `pattern`, or whose labels or states match when those scopes are on.
 */
export function searchGroups(
  groups: GoroutineGroups,
  pattern: RegExp,
  scope: SearchScope = { functions: true, files: true },
): number[] {
  const { dump } = groups;
  const f = dump.frames;
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const stringHit = new Map<number, boolean>();
  const hit = (s: number): boolean => {
    let v = stringHit.get(s);
    if (v === undefined) stringHit.set(s, (v = re.test(dump.strings[s])));
    return v;
  };
  const frameHit = (fr: number): boolean =>
    (scope.functions === true && hit(f.func[fr])) ||
    (scope.files === true && f.file[fr] !== 0 && hit(f.file[fr]));
  const out: number[] = [];
  for (const g of groups.groups) {
    let match = false;
    for (let i = 0; i < g.frames.length && !match; i++) match = frameHit(g.frames[i]);
    for (const c of g.creators) if (!match) match = frameHit(c.frame);
    if (!match && scope.states) match = g.states.some((s) => re.test(s.state));
    if (!match && scope.labels) {
      match = g.labelSets.some((ls) => ls.labels.some(([k, v]) => re.test(`${k}=${v}`)));
    }
    if (match) out.push(g.id);
  }
  return out;
}

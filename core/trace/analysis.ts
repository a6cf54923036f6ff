// Goroutine analysis as `go tool trace` computes it (Go's internal/trace Summarizer, re-implemented):
// per goroutine the execution time, scheduler wait, block time by reason, syscall time,
// syscall block time (the syscall went on after its P was taken), time in GC ranges (mark
// assist, sweep, STW) and the time left unaccounted, and the same per start function.
//
// The quirks of Go's code are kept so the figures match it: a goroutine blocked "forever" ends
// there; a state held since a sync point counts from that sync point; a syscall still blocked at
// the end adds its blocked part to the scheduler wait as well.
import { RangeKind, RangeType, timeAt, type TraceModel } from './model';
import {
  GoNotExist,
  GoRunnable,
  GoRunning,
  GoSyscall,
  GoUndetermined,
  GoWaiting,
  NONE,
  ProcIdle,
} from './spec';

export interface GoroutineAnalysis {
  /** Rows of model.goroutines that were analysed (goroutines with state changes). */
  rows: Int32Array;
  /** Per goroutine row (length model.goroutines.length); NaN for rows not analysed. */
  creationTime: Float64Array;
  /** First time it ran, -1 when it never ran. */
  startTime: Float64Array;
  /** When it exited (or blocked forever), -1 when it did not. */
  endTime: Float64Array;
  execNs: Float64Array;
  schedWaitNs: Float64Array;
  /** Sum of the block times by reason. */
  blockNs: Float64Array;
  syscallNs: Float64Array;
  syscallBlockNs: Float64Array;
  /** Time in "GC mark assist" and "GC incremental sweep" ranges (overlaps the others). */
  gcNs: Float64Array;
  /** Presence in the trace: from creation (or the sync it was first seen at) to its end or the trace's end. */
  totalNs: Float64Array;
  /** totalNs minus the non-overlapping times above, when positive. */
  unknownNs: Float64Array;
  /** Block time by reason: entries blockStart[g] .. blockStart[g+1]-1 (reason as a strings row). */
  blockStart: Int32Array;
  blockReason: Int32Array;
  blockReasonNs: Float64Array;
  /** Time in named ranges: entries rangeStart[g] .. rangeStart[g+1]-1. */
  rangeStart: Int32Array;
  rangeName: string[];
  rangeNs: Float64Array;
}

const UNSET = -1;
const SWEEP = 'GC incremental sweep';
const ASSIST = 'GC mark assist';

/** Go's IsSystemGoroutine: no name, or a runtime function other than runtime.main. */
export function isSystemGoroutine(name: string): boolean {
  return name === '' || (name !== 'runtime.main' && name.startsWith('runtime.'));
}

export function analyzeGoroutines(model: TraceModel): GoroutineAnalysis {
  const { transitions: tr, procTransitions: pt, ranges, syncs, strings } = model;
  const ng = model.goroutines.length;
  const present = new Uint8Array(ng);
  const creation = new Float64Array(ng).fill(NaN);
  const startTime = new Float64Array(ng).fill(UNSET);
  const endTime = new Float64Array(ng).fill(UNSET);
  const exec = new Float64Array(ng);
  const sched = new Float64Array(ng);
  const sys = new Float64Array(ng);
  const sysBlock = new Float64Array(ng);
  const total = new Float64Array(ng).fill(UNSET);
  const lastStart = new Float64Array(ng).fill(UNSET);
  const lastRunnable = new Float64Array(ng).fill(UNSET);
  const lastBlock = new Float64Array(ng).fill(UNSET);
  const lastBlockReason = new Int32Array(ng);
  const lastSyscall = new Float64Array(ng).fill(UNSET);
  const lastSyscallBlock = new Float64Array(ng).fill(UNSET);
  const nReasons = strings.length + 1;
  const blockBy = new Map<number, number>(); // g * nReasons + reason -> ns
  const rangeNames: string[] = [];
  const rangeNameIdx = new Map<string, number>();
  const rangeBy = new Map<number, number>(); // g * 65536 + name -> ns
  const lastRange = new Map<number, number>(); // g * 65536 + name -> time
  const syscallingP = new Map<number, number>(); // P row -> goroutine row
  const syscallingG = new Map<number, number>(); // goroutine row -> P row
  const rangesP = new Map<string, number>(); // "P|name" -> goroutine row
  const nameOf = (s: string): number => {
    let i = rangeNameIdx.get(s);
    if (i === undefined) {
      i = rangeNames.length;
      rangeNames.push(s);
      rangeNameIdx.set(s, i);
    }
    return i;
  };
  const addBlock = (g: number, reason: number, d: number): void => {
    const k = g * nReasons + reason;
    blockBy.set(k, (blockBy.get(k) ?? 0) + d);
  };
  const addRange = (g: number, name: number, d: number): void => {
    const k = g * 65536 + name;
    rangeBy.set(k, (rangeBy.get(k) ?? 0) + d);
  };

  // Go's snapshotStat + finalize: closes pending intervals at time t.
  const finalize = (g: number, t: number, ending: boolean): void => {
    if (ending) endTime[g] = t;
    if (total[g] === UNSET) total[g] = t - creation[g];
    if (lastStart[g] !== UNSET) exec[g] += t - lastStart[g];
    if (lastRunnable[g] !== UNSET) sched[g] += t - lastRunnable[g];
    if (lastBlock[g] !== UNSET) addBlock(g, lastBlockReason[g], t - lastBlock[g]);
    if (lastSyscall[g] !== UNSET) sys[g] += t - lastSyscall[g];
    if (lastSyscallBlock[g] !== UNSET) sched[g] += t - lastSyscallBlock[g];
    for (let n = 0; n < rangeNames.length; n++) {
      const k = g * 65536 + n;
      const ts = lastRange.get(k);
      if (ts !== undefined) {
        addRange(g, n, t - ts);
        lastRange.delete(k);
      }
    }
    lastStart[g] = lastRunnable[g] = lastBlock[g] = lastSyscall[g] = lastSyscallBlock[g] = UNSET;
  };

  let syncTs = 0;
  let y = 0;
  let j = 0;
  let r = 0;
  const forever = strings.indexOf('forever');
  for (let i = 0; i <= tr.length;) {
    const tTr = i < tr.length ? timeAt(tr.time, i) : Infinity;
    const tP = j < pt.length ? pt.time[j] : Infinity;
    const tR = r < ranges.length ? ranges.time[r] : Infinity;
    const tY = y < syncs.length ? syncs.time[y] : Infinity;
    const t = Math.min(tTr, tP, tR, tY);
    if (t === Infinity) break;
    if (t === tY) {
      syncTs = t;
      y++;
      continue;
    }
    if (t === tP) {
      const st = pt.states[j];
      if (st >> 4 !== (st & 15) && (st & 15) === ProcIdle) {
        const p = pt.proc[j];
        const g = syscallingP.get(p);
        if (g !== undefined) {
          lastSyscallBlock[g] = t;
          syscallingP.delete(p);
        }
      }
      j++;
      continue;
    }
    if (t === tR) {
      range(r, t);
      r++;
      continue;
    }
    // A goroutine state transition.
    const g = tr.goroutine[i];
    const st = tr.states[i];
    const from = st >> 4;
    const to = st & 15;
    const aux = tr.aux[i];
    switch (from) {
      case GoUndetermined: {
        present[g] = 1;
        creation[g] = syncTs;
        const d = t - syncTs;
        if (to === GoRunning) exec[g] += d;
        else if (to === GoWaiting) addBlock(g, 0, d);
        else if (to === GoRunnable) sched[g] += d;
        else if (to === GoSyscall) {
          if (aux === NONE) sysBlock[g] += d;
          else sys[g] += d;
        }
        break;
      }
      case GoNotExist:
        present[g] = 1;
        creation[g] = t;
        break;
      case GoRunning:
        exec[g] += t - lastStart[g];
        lastStart[g] = UNSET;
        break;
      case GoWaiting:
        if (lastBlock[g] !== UNSET) {
          addBlock(g, lastBlockReason[g], t - lastBlock[g]);
          lastBlock[g] = UNSET;
        }
        break;
      case GoRunnable:
        if (lastRunnable[g] !== UNSET) {
          sched[g] += t - lastRunnable[g];
          lastRunnable[g] = UNSET;
        }
        break;
      case GoSyscall:
        if (lastSyscall[g] !== UNSET) {
          if (lastSyscallBlock[g] !== UNSET) {
            sysBlock[g] += t - lastSyscallBlock[g];
            sys[g] += lastSyscallBlock[g] - lastSyscall[g];
          } else {
            sys[g] += t - lastSyscall[g];
          }
          lastSyscall[g] = UNSET;
          lastSyscallBlock[g] = UNSET;
          const p = syscallingG.get(g);
          if (p !== undefined) syscallingP.delete(p);
          syscallingG.delete(g);
        }
        break;
    }
    switch (to) {
      case GoRunning:
        lastStart[g] = t;
        if (startTime[g] === UNSET) startTime[g] = t;
        break;
      case GoRunnable:
        lastRunnable[g] = t;
        break;
      case GoWaiting:
        // A transition into Waiting carries its reason in aux (0 = '').
        if (aux !== forever || forever < 0) {
          lastBlock[g] = t;
          lastBlockReason[g] = aux;
        } else {
          finalize(g, t, true);
        }
        break;
      case GoNotExist:
        finalize(g, t, true);
        break;
      case GoSyscall:
        syscallingP.set(aux, g);
        syscallingG.set(g, aux);
        lastSyscall[g] = t;
        break;
    }
    i++;
  }

  function range(k: number, t: number): void {
    const type = ranges.type[k];
    if (type === RangeType.GCMark) return;
    const kind = ranges.kind[k];
    const name =
      type === RangeType.StopTheWorld
        ? `stop-the-world (${strings[ranges.name[k]] ?? ''})`
        : type === RangeType.Sweep
          ? SWEEP
          : ASSIST;
    let g = NONE;
    if (kind !== RangeKind.End) {
      if (type === RangeType.Sweep) {
        g = ranges.goroutine[k];
        if (g >= 0 && present[g]) rangesP.set(`${ranges.scope[k]}|${name}`, g);
      } else {
        g = ranges.scope[k];
      }
      if (g < 0 || !present[g]) return;
      const key = g * 65536 + nameOf(name);
      if (kind === RangeKind.Active) {
        const ts = lastRange.get(key);
        if (ts !== undefined) addRange(g, nameOf(name), syncTs - ts);
        lastRange.set(key, syncTs);
      } else {
        lastRange.set(key, t);
      }
      return;
    }
    if (type === RangeType.Sweep) {
      const rp = `${ranges.scope[k]}|${name}`;
      const owner = rangesP.get(rp);
      if (owner !== undefined) {
        if (owner === ranges.goroutine[k]) g = owner;
        rangesP.delete(rp);
      }
    } else {
      g = ranges.scope[k];
    }
    if (g < 0 || !present[g]) return;
    const key = g * 65536 + nameOf(name);
    const ts = lastRange.get(key);
    if (ts === undefined) return;
    addRange(g, nameOf(name), t - ts);
    lastRange.delete(key);
  }

  const lastTs = model.durationNs;
  const rows: number[] = [];
  for (let g = 0; g < ng; g++) {
    if (!present[g]) continue;
    rows.push(g);
    finalize(g, lastTs, false);
  }
  // Flatten the per-reason and per-range maps.
  const blockStart = new Int32Array(ng + 1);
  const rangeStart = new Int32Array(ng + 1);
  for (const k of blockBy.keys()) blockStart[Math.floor(k / nReasons) + 1]++;
  for (const k of rangeBy.keys()) rangeStart[Math.floor(k / 65536) + 1]++;
  for (let g = 0; g < ng; g++) {
    blockStart[g + 1] += blockStart[g];
    rangeStart[g + 1] += rangeStart[g];
  }
  const blockReason = new Int32Array(blockBy.size);
  const blockReasonNs = new Float64Array(blockBy.size);
  const blockNs = new Float64Array(ng);
  const bnext = blockStart.slice(0, ng);
  for (const [k, ns] of [...blockBy].sort((a, b) => a[0] - b[0])) {
    const g = Math.floor(k / nReasons);
    const at = bnext[g]++;
    blockReason[at] = k % nReasons;
    blockReasonNs[at] = ns;
    blockNs[g] += ns;
  }
  const rangeNameOut: string[] = new Array<string>(rangeBy.size);
  const rangeNs = new Float64Array(rangeBy.size);
  const gcNs = new Float64Array(ng);
  const rnext = rangeStart.slice(0, ng);
  for (const [k, ns] of [...rangeBy].sort((a, b) => a[0] - b[0])) {
    const g = Math.floor(k / 65536);
    const at = rnext[g]++;
    const name = rangeNames[k % 65536];
    rangeNameOut[at] = name;
    rangeNs[at] = ns;
    if (name === SWEEP || name === ASSIST) gcNs[g] += ns;
  }
  const unknown = new Float64Array(ng);
  for (const g of rows) {
    const sum = exec[g] + sched[g] + sys[g] + sysBlock[g] + blockNs[g];
    if (sum < total[g]) unknown[g] = total[g] - sum;
  }
  for (let g = 0; g < ng; g++) {
    if (present[g]) continue;
    total[g] = exec[g] = sched[g] = sys[g] = sysBlock[g] = NaN;
  }
  return {
    rows: Int32Array.from(rows),
    creationTime: creation,
    startTime,
    endTime,
    execNs: exec,
    schedWaitNs: sched,
    blockNs,
    syscallNs: sys,
    syscallBlockNs: sysBlock,
    gcNs,
    totalNs: total,
    unknownNs: unknown,
    blockStart,
    blockReason,
    blockReasonNs,
    rangeStart,
    rangeName: rangeNameOut,
    rangeNs,
  };
}

export interface GoroutineGroup {
  /** Start function ('' for goroutines never seen with a stack). */
  name: string;
  count: number;
  execNs: number;
  schedWaitNs: number;
  blockNs: number;
  syscallNs: number;
  syscallBlockNs: number;
  gcNs: number;
  totalNs: number;
  unknownNs: number;
  /** Goroutine rows in the group. */
  goroutines: number[];
}

/** Goroutines grouped by start function, by total execution time, largest first (go tool trace's goroutine page). */
export function groupByStartFunction(model: TraceModel, a: GoroutineAnalysis): GoroutineGroup[] {
  const groups = new Map<string, GoroutineGroup>();
  for (const g of a.rows) {
    const name = model.strings[model.goroutines.name[g]] ?? '';
    let grp = groups.get(name);
    if (grp === undefined) {
      grp = {
        name,
        count: 0,
        execNs: 0,
        schedWaitNs: 0,
        blockNs: 0,
        syscallNs: 0,
        syscallBlockNs: 0,
        gcNs: 0,
        totalNs: 0,
        unknownNs: 0,
        goroutines: [],
      };
      groups.set(name, grp);
    }
    grp.count++;
    grp.execNs += a.execNs[g];
    grp.schedWaitNs += a.schedWaitNs[g];
    grp.blockNs += a.blockNs[g];
    grp.syscallNs += a.syscallNs[g];
    grp.syscallBlockNs += a.syscallBlockNs[g];
    grp.gcNs += a.gcNs[g];
    grp.totalNs += a.totalNs[g];
    grp.unknownNs += a.unknownNs[g];
    grp.goroutines.push(g);
  }
  return [...groups.values()].sort(
    (x, y) => y.execNs - x.execNs || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0),
  );
}

// Per-goroutine time in each state, GC count and stop-the-world total: the figures the
// `pprof-studio trace` command prints and the Go oracle (test/oracles/trace) checks.
//
// Definitions: a goroutine's interval in a state starts at its transition into the state (or
// at the trace's first event for a state held when the trace starts) and ends at its
// transition out (or the trace's last event). gcCount counts "GC concurrent mark phase"
// ranges that begin during the trace; stwNs sums "stop-the-world" ranges that begin during
// the trace (one still open at the end ends at the trace's last event).
import { RangeKind, RangeType, timeAt, type TraceModel } from './model';
import { GoRunnable, GoRunning, GoSyscall, GoUndetermined, GoWaiting } from './spec';

export interface GoroutineTotals {
  id: number;
  startFunction: string;
  runningNs: number;
  runnableNs: number;
  blockedNs: number;
  syscallNs: number;
}

export interface TraceTotals {
  goVersion: string;
  durationNs: number;
  gcCount: number;
  stwNs: number;
  /** Goroutines that change state at least once, by id. */
  goroutines: GoroutineTotals[];
}

export function traceTotals(model: TraceModel): TraceTotals {
  const { transitions: tr, goroutines: gs, ranges } = model;
  const n = gs.length;
  const state = new Uint8Array(n);
  const since = new Float64Array(n);
  const seen = new Uint8Array(n);
  const sums = new Float64Array(n * 4);
  const add = (g: number, until: number): void => {
    const d = until - since[g];
    switch (state[g]) {
      case GoRunning:
        sums[g * 4] += d;
        break;
      case GoRunnable:
        sums[g * 4 + 1] += d;
        break;
      case GoWaiting:
        sums[g * 4 + 2] += d;
        break;
      case GoSyscall:
        sums[g * 4 + 3] += d;
        break;
    }
  };
  for (let i = 0; i < tr.length; i++) {
    const g = tr.goroutine[i];
    const t = timeAt(tr.time, i);
    const st = tr.states[i];
    seen[g] = 1;
    add(g, t);
    state[g] = st & 15;
    since[g] = st >> 4 === GoUndetermined ? 0 : t;
  }
  const end = model.durationNs;
  const out: GoroutineTotals[] = [];
  for (let g = 0; g < n; g++) {
    if (!seen[g]) continue;
    add(g, end);
    out.push({
      id: gs.id[g],
      startFunction: model.strings[gs.name[g]],
      runningNs: sums[g * 4],
      runnableNs: sums[g * 4 + 1],
      blockedNs: sums[g * 4 + 2],
      syscallNs: sums[g * 4 + 3],
    });
  }
  out.sort((a, b) => a.id - b.id);

  let gcCount = 0;
  let stwNs = 0;
  const open = new Map<string, number>();
  for (let i = 0; i < ranges.length; i++) {
    const type = ranges.type[i];
    const kind = ranges.kind[i];
    if (type === RangeType.GCMark && kind === RangeKind.Begin) gcCount++;
    if (type !== RangeType.StopTheWorld) continue;
    const key = `${ranges.scope[i]}|${ranges.name[i]}`;
    if (kind === RangeKind.Begin) {
      open.set(key, ranges.time[i]);
    } else if (kind === RangeKind.End) {
      const t0 = open.get(key);
      if (t0 !== undefined) {
        stwNs += ranges.time[i] - t0;
        open.delete(key);
      }
    }
  }
  for (const t0 of open.values()) stwNs += end - t0;
  return { goVersion: model.goVersion, durationNs: end, gcCount, stwNs, goroutines: out };
}

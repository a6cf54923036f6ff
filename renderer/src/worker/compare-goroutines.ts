// Goroutines of two or more snapshots, grouped by stack and compared (stateless).
import { diffGoroutines, groupGoroutines, readGoroutines } from '../../../core/goroutines';
import { isProfileError } from '../../../core/pprof/errors';
import type { GoroutineDiffRequest, GoroutineDiffView } from './compare-protocol';
import { WorkerError } from './rpc';

/** Goroutines of two or more snapshots grouped by stack and compared, oldest first. */
export function goroutineDiffOf(req: GoroutineDiffRequest): GoroutineDiffView {
  const groups = req.snapshots.map((s, i) => {
    try {
      return groupGoroutines(readGoroutines(new Uint8Array(s.bytes)));
    } catch (e) {
      const kind = isProfileError(e) ? `decode:${e.kind}` : 'goroutines';
      throw new WorkerError(
        kind,
        `snapshot ${i + 1} (${s.name}): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  });
  const g = diffGoroutines(groups, { longWaitMinutes: req.longWaitMinutes, match: req.match });
  return {
    names: req.snapshots.map((s) => s.name),
    formats: groups.map((x) => x.dump.format),
    totals: g.totals,
    rows: g.rows.slice(0, 500).map((r) => ({
      key: r.key,
      title: r.title,
      frames: r.key.split('\n'),
      counts: r.counts,
      delta: r.delta,
      change: r.change,
      longWaiting: r.longWaiting,
      states: r.states.map((s) => s.map((x) => ({ state: x.state, count: x.count }))),
      leakSuspect: r.leakSuspect,
      reason: r.reason,
    })),
    byState: g.byState.map((s) => ({ state: s.state, category: s.category, counts: s.counts })),
    suspects: g.suspects.length,
    longWaitMinutes: req.longWaitMinutes,
  };
}

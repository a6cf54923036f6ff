// The heap diff of a before/after pair: retention and churn by function, and the call paths
// whose in-use or allocated bytes moved most.
import { heapDiffByFunction, heapDiffByPath, type HeapValues } from '../../../core/pprof/heap-diff';
import type { Profile } from '../../../core/pprof/model';
import { regex } from './compare-inputs';
import type { HeapDiffRequest, HeapDiffView, HeapValuesView } from './compare-protocol';

/** Rows of `req.limit` functions and paths, largest change first. */
export function heapDiffView(before: Profile, after: Profile, req: HeapDiffRequest): HeapDiffView {
  const opts = {
    granularity: req.granularity,
    focus: req.filters.focus || undefined,
    ignore: req.filters.ignore || undefined,
    hide: req.filters.hide || undefined,
    show: req.filters.show || undefined,
  };
  const h = heapDiffByFunction(before, after, opts);
  const re = req.filter ? regex(req.filter) : null;
  const rows = h.rows.filter((r) => !re || re.test(r.name));
  const counts = { retentionUp: 0, retentionDown: 0, churnUp: 0, churnDown: 0 };
  for (const r of h.rows) {
    if (r.change === 'retention')
      counts[r.direction === 'down' ? 'retentionDown' : 'retentionUp']++;
    else if (r.change === 'churn') counts[r.direction === 'down' ? 'churnDown' : 'churnUp']++;
  }
  const view = (v: HeapValues): HeapValuesView => ({ ...v });
  const tree = heapDiffByPath(before, after, req.measure, opts);
  const paths: HeapDiffView['paths'] = [];
  const order: number[] = [];
  for (let i = 1; i < tree.length; i++) if (tree.newSelf[i] !== tree.baseSelf[i]) order.push(i);
  const dSelf = (i: number) => Math.abs(tree.newSelf[i]! - tree.baseSelf[i]!);
  order.sort((a, c) => dSelf(c) - dSelf(a) || a - c);
  for (const i of order.slice(0, req.limit)) {
    const path: string[] = [];
    for (let u = i; u > 0; u = tree.parent[u]!) path.push(tree.names[tree.name[u]!] ?? '');
    paths.push({
      path: path.reverse(),
      baseSelf: tree.baseSelf[i]!,
      newSelf: tree.newSelf[i]!,
      baseTotal: tree.baseTotal[i]!,
      newTotal: tree.newTotal[i]!,
    });
  }
  return {
    totalsBase: view(h.totals.base),
    totalsNext: view(h.totals.next),
    minBytes: h.minBytes,
    rows: rows.slice(0, req.limit).map((r) => ({
      name: r.name,
      base: view(r.flat.base),
      next: view(r.flat.next),
      cumBase: view(r.cum.base),
      cumNext: view(r.cum.next),
      change: r.change,
      direction: r.direction,
      cumChange: r.cumChange,
      reason: r.reason,
    })),
    rowCount: rows.length,
    counts,
    measure: req.measure,
    paths,
  };
}

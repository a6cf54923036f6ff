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
  for (let i = 1; i < tree.length; i++) if (tree.afterSelf[i] !== tree.beforeSelf[i]) order.push(i);
  const dSelf = (i: number) => Math.abs(tree.afterSelf[i] - tree.beforeSelf[i]);
  order.sort((a, c) => dSelf(c) - dSelf(a) || a - c);
  for (const i of order.slice(0, req.limit)) {
    const path: string[] = [];
    for (let u = i; u > 0; u = tree.parent[u]) path.push(tree.names[tree.name[u]] ?? '');
    paths.push({
      path: path.reverse(),
      beforeSelf: tree.beforeSelf[i],
      afterSelf: tree.afterSelf[i],
      beforeTotal: tree.beforeTotal[i],
      afterTotal: tree.afterTotal[i],
    });
  }
  return {
    totalsBefore: view(h.totals.base),
    totalsAfter: view(h.totals.next),
    minBytes: h.minBytes,
    rows: rows.slice(0, req.limit).map((r) => ({
      name: r.name,
      before: view(r.flat.base),
      after: view(r.flat.next),
      cumBefore: view(r.cum.base),
      cumAfter: view(r.cum.next),
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

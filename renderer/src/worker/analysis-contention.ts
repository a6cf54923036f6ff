// The Contention tab's Worker side: contention by call site of the open profile (cached per
// granularity and kind), and the joint mutex + block view against a partner's table.
import {
  contentionBySite,
  jointContention,
  type ContentionCell,
  type ContentionRow,
} from '../../../core/pprof/contention';
import type { Profile } from '../../../core/pprof/model';
import { sortRowsBy, type SortDir } from '../../../core/view/rows';
import type {
  ContentionAnswer,
  ContentionColumn,
  ContentionRequest,
  ContentionTable,
  JointColumn,
  JointContentionRow,
  JointRequest,
} from './analysis-protocol';

const cache = new WeakMap<Profile, Map<string, ContentionTable>>();

function tableOf(p: Profile, req: ContentionRequest): ContentionTable {
  let byKey = cache.get(p);
  if (!byKey) cache.set(p, (byKey = new Map()));
  const key = `${req.granularity}/${req.kind ?? ''}`;
  let t = byKey.get(key);
  if (!t) {
    t = contentionBySite(p, { granularity: req.granularity, kind: req.kind });
    byKey.set(key, t);
  }
  return t;
}

/** Call sites in the order of a column; ties keep the table's order (delay, largest first). */
export function sortContentionRows(
  rows: ContentionRow[],
  col: ContentionColumn,
  dir: SortDir,
): ContentionRow[] {
  if (col === 'site') return sortRowsBy(rows, 'text', (r) => r.site, dir);
  const key = (r: ContentionRow): number =>
    col === 'contentions'
      ? r.contentions
      : col === 'mean'
        ? r.meanDelayNanos
        : col === 'share'
          ? r.delayShare
          : r.delayNanos;
  return sortRowsBy(rows, 'number', key, dir);
}

/** Joint rows in the order of a column; a site missing on a side sorts below every figure. */
export function sortJointRows(
  rows: JointContentionRow[],
  col: JointColumn,
  dir: SortDir,
): JointContentionRow[] {
  if (col === 'site') return sortRowsBy(rows, 'text', (r) => r.site, dir);
  const key = (r: JointContentionRow): number => {
    const c: ContentionCell | null = col[0] === 'm' ? r.mutex : r.block;
    if (!c) return -1;
    return col[1] === 'c' ? c.contentions : col[1] === 'd' ? c.delayNanos : c.meanDelayNanos;
  };
  return sortRowsBy(rows, 'number', key, dir);
}

export function contentionAnswer(p: Profile, req: ContentionRequest): ContentionAnswer {
  const table = tableOf(p, req);
  return {
    table: req.sort
      ? { ...table, rows: sortContentionRows(table.rows, req.sort.column, req.sort.dir) }
      : table,
    delayIndex: p.sampleTypes.findIndex((t) => t.type === 'delay'),
    contentionsIndex: p.sampleTypes.findIndex((t) => t.type === 'contentions'),
  };
}

/** Mutex (unlocking side) beside block (waiting side), whichever of the two is open here. */
export function jointAnswer(p: Profile, req: JointRequest): JointContentionRow[] {
  const own = tableOf(p, req);
  const rows =
    req.kind === 'mutex' ? jointContention(own, req.partner) : jointContention(req.partner, own);
  return req.jointSort ? sortJointRows(rows, req.jointSort.column, req.jointSort.dir) : rows;
}

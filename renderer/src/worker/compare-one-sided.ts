// Frames of a comparison found on one side only (the Compare tab's lists under the panes).
import type { DiffTree } from '../../../core/pprof/tree-diff';
import type { OneSided } from './compare-protocol';

/**
 * Frames on one side only: the topmost node of each one-sided subtree, largest first, with
 * paths for the first `shown` of them (a big diff can have many).
 */
export function oneSided(
  d: DiffTree,
  shown: number,
): {
  onlyBefore: OneSided[];
  onlyAfter: OneSided[];
  beforeCount: number;
  afterCount: number;
} {
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 1; i < d.length; i++) {
    const p = d.parent[i];
    if (d.afterNode[i] === -1 && d.afterNode[p] >= 0) before.push(i);
    else if (d.beforeNode[i] === -1 && d.beforeNode[p] >= 0) after.push(i);
  }
  const pathOf = (i: number): string[] => {
    const out: string[] = [];
    for (let u = i; u > 0; u = d.parent[u]) out.push(d.names[d.name[u]] ?? '');
    return out.reverse();
  };
  const list = (ids: number[], total: Float64Array): OneSided[] =>
    ids
      .sort((a, b) => Math.abs(total[b]) - Math.abs(total[a]) || a - b)
      .slice(0, shown)
      .map((node) => ({ path: pathOf(node), total: total[node], node }));
  return {
    onlyBefore: list(before, d.beforeTotal),
    onlyAfter: list(after, d.afterTotal),
    beforeCount: before.length,
    afterCount: after.length,
  };
}

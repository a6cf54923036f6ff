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
  onlyBase: OneSided[];
  onlyNew: OneSided[];
  baseCount: number;
  newCount: number;
} {
  const base: number[] = [];
  const next: number[] = [];
  for (let i = 1; i < d.length; i++) {
    const p = d.parent[i]!;
    if (d.newNode[i] === -1 && d.newNode[p]! >= 0) base.push(i);
    else if (d.baseNode[i] === -1 && d.baseNode[p]! >= 0) next.push(i);
  }
  const pathOf = (i: number): string[] => {
    const out: string[] = [];
    for (let u = i; u > 0; u = d.parent[u]!) out.push(d.names[d.name[u]!] ?? '');
    return out.reverse();
  };
  const list = (ids: number[], total: Float64Array): OneSided[] =>
    ids
      .sort((a, b) => Math.abs(total[b]!) - Math.abs(total[a]!) || a - b)
      .slice(0, shown)
      .map((node) => ({ path: pathOf(node), total: total[node]!, node }));
  return {
    onlyBase: list(base, d.baseTotal),
    onlyNew: list(next, d.newTotal),
    baseCount: base.length,
    newCount: next.length,
  };
}

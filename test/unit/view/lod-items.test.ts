// The items of a flame graph window with their tooltip values (core/view/flame/lod-items),
// on a real CPU profile: a node carries its own columns, a merged run the sum of the nodes it
// folds and how many they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../../core/pprof/calltree';
import { decodeProfile } from '../../../core/pprof/decode';
import { layoutFlame } from '../../../core/pprof/flamegraph';
import { lodItems } from '../../../core/view/flame/lod-items';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

describe('lodItems', () => {
  const tree = buildCallTree(
    decodeProfile(new Uint8Array(readFileSync(join(FIXTURES, 'before/cpu.pb.gz')))),
    { sampleIndex: 1 },
  );
  const layout = layoutFlame(tree);
  const total = tree.total[0];

  it('carries the columns of nodes and sums of merged runs', () => {
    const l = lodItems(layout, { x0: 0, x1: total, pixels: 50, d0: 0, d1: layout.maxDepth }, tree);
    let merged = 0;
    for (let i = 0; i < l.length; i++) {
      const id = l.node[i];
      if (id >= 0) {
        expect([l.name[i], l.file[i], l.self[i], l.total[i], l.count[i]]).toEqual([
          tree.name[id],
          tree.file[id],
          tree.self[id],
          tree.total[id],
          1,
        ]);
        expect([l.nodeX[i], l.nodeW[i]]).toEqual([layout.x[id], layout.width[id]]);
        continue;
      }
      merged++;
      // The run's nodes: those of its row within its drawn extent.
      const d = l.depth[i];
      const x0 = l.x[i];
      const x1 = x0 + l.width[i];
      let n = 0;
      let sum = 0;
      for (let k = layout.rowStart[d]; k < layout.rowStart[d + 1]; k++) {
        const u = layout.rowNodes[k];
        if (layout.x[u] >= x0 && layout.x[u] + layout.width[u] <= x1 + 1e-6) {
          n++;
          sum += Math.abs(tree.total[u]);
        }
      }
      expect(l.name[i]).toBe(-1);
      expect(l.count[i]).toBe(n);
      expect(l.total[i]).toBeCloseTo(sum, 6);
    }
    expect(merged).toBeGreaterThan(0);
  });
});

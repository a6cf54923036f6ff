// Hit-testing of user annotation marks (what the tooltip and a task click act on), on the
// marks the real trace session cuts for a task of the Go target's after trace: each region,
// task line and log is found where it is drawn.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userTasks } from '../../../core/trace/annotations';
import { parseTrace } from '../../../core/trace/parse';
import { LANE_H, laneY } from '../../../core/view/timeline/geometry';
import { markGeometry } from '../../../renderer/src/charts/timeline-draw';
import { hitMark } from '../../../renderer/src/charts/timeline-marks';
import { TraceSession } from '../../../renderer/src/worker/trace-session';

const repo = resolve(__dirname, '..', '..', '..');
const bytes = () => new Uint8Array(readFileSync(join(repo, 'test/fixtures/after/trace.out')));

describe('annotation marks', () => {
  const s = new TraceSession(bytes());
  const tasks = userTasks(parseTrace(bytes()));
  const i = tasks.open.findIndex((o, k) => o === 0 && tasks.startedBefore[k] === 0);
  const lanes = s.setFilter(`task ${tasks.id[i]}`);
  const W = 1200;
  const pad = (tasks.end[i] - tasks.start[i]) * 0.05;
  const t0 = tasks.start[i] - pad;
  const t1 = tasks.end[i] + pad;
  const f = s.frame({
    lanesVersion: lanes.version,
    t0,
    t1,
    widthPx: W,
    minPx: 2,
    lane0: 0,
    lane1: lanes.length,
  });
  const m = f.marks!;
  const g = markGeometry({ width: W, t0, t1, laneOffset: 0 });
  const x = (t: number) => ((t - t0) / (t1 - t0)) * W;

  it('finds the task line along the bottom of its lane', () => {
    const k = Array.from(m.kind).findIndex((v, j) => v === 1 && m.task[j] === tasks.id[i]);
    expect(k).toBeGreaterThanOrEqual(0);
    const y = laneY(m.lane[k], 0) + LANE_H - 1;
    const hit = hitMark(m, (x(m.start[k]) + x(m.end[k])) / 2, y, g);
    expect(m.kind[hit]).toBe(1);
    expect(m.task[hit]).toBe(tasks.id[i]);
    // Mid-lane, below the region bands, there is no mark.
    expect(hitMark(m, (x(m.start[k]) + x(m.end[k])) / 2, laneY(m.lane[k], 0) + 12, g)).toBe(-1);
  });

  it('finds each wide region at the top of the bar, and logs before regions', () => {
    let regions = 0;
    for (let k = 0; k < m.kind.length; k++) {
      if (m.kind[k] !== 0 || x(m.end[k]) - x(m.start[k]) < 8) continue;
      const y = laneY(m.lane[k], 0) + 2 + m.depth[k] * 4 + 1;
      const hit = hitMark(m, (x(m.start[k]) + x(m.end[k])) / 2, y, g);
      expect(m.kind[hit]).toBe(0);
      expect(f.labels[m.label[hit]]).toBe(f.labels[m.label[k]]);
      regions++;
    }
    expect(regions).toBeGreaterThanOrEqual(3);
    const log = Array.from(m.kind).indexOf(2);
    expect(log).toBeGreaterThanOrEqual(0);
    const hit = hitMark(m, x(m.start[log]), laneY(m.lane[log], 0) + 2, g);
    expect(m.kind[hit]).toBe(2);
    expect(f.labels[m.label[hit]]).toMatch(/^tenant: /);
  });
});

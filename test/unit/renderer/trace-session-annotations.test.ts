// The trace Worker's user annotations, thread lanes and compare summary on the orders fixture
// (an "order" task per order with five regions and a tenant log): what the Timeline tab's
// tasks panel, lanes and thread view receive. Figures are checked against core/trace, itself
// checked against Go's reader (test/integration/trace-figures-oracle.test.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskTypes, userRegions, userTasks } from '../../../core/trace/annotations';
import { parseTrace } from '../../../core/trace/parse';
import { buildThreadSlices } from '../../../core/trace/threads';
import { SpanClass } from '../../../core/trace/timeline-classes';
import { TraceSession } from '../../../renderer/src/worker/trace-session';

const repo = resolve(__dirname, '..', '..', '..');
const AFTER = join(repo, 'test/fixtures/after/trace.out');
const bytes = () => new Uint8Array(readFileSync(AFTER));

describe('TraceSession annotations and threads', () => {
  const s = new TraceSession(bytes());
  const model = parseTrace(bytes());

  it('lists task and region types with their statistics and histogram bounds', () => {
    const t = s.annotations();
    const want = taskTypes(model);
    expect(t.tasks.map((x) => [x.type, x.count, x.complete])).toEqual(
      want.map((x) => [x.type, x.stats.count, x.stats.complete]),
    );
    const order = t.tasks[0];
    expect(order.type).toBe('order');
    expect(order.count).toBe(28);
    expect(order.counts.reduce((a, b) => a + b, 0)).toBe(order.complete);
    expect(order.bounds.length).toBe(order.counts.length + 1);
    expect(order.p50).toBeLessThanOrEqual(order.p99);
    expect(order.bounds[0]).toBeLessThanOrEqual(want[0].durations[0]);
    expect(order.bounds.at(-1)!).toBeGreaterThan(order.maxNs);
    expect(t.regions.map((r) => r.type)).toEqual([
      'notify',
      'price',
      'receipt',
      'reserve',
      'validate',
    ]);
    expect(t.logs).toBe(model.logs.length);
  });

  it('selects a task: its goroutines as the lane filter, its window', () => {
    const rows = s.tasksOfType('order', 5);
    expect(rows.total).toBe(28);
    expect(rows.rows.length).toBe(5);
    // Longest complete first.
    const d = rows.rows.map((r) => r.end - r.start);
    expect([...d].sort((a, b) => b - a)).toEqual(d);
    const pick = s.task(rows.rows[0].id);
    expect(pick.t0).toBe(rows.rows[0].start);
    expect(pick.t1).toBe(rows.rows[0].end);
    const lanes = s.setFilter(pick.filter);
    expect(lanes.goroutineLanes).toBe(pick.goroutines);
    expect(lanes.goroutineLanes).toBeGreaterThan(0);
    expect(() => s.task(1e15)).toThrow(/no task/);
    s.setFilter('');
  });

  it('draws regions, tasks and logs on the goroutine lanes of a frame', () => {
    const lanes = s.setFilter('');
    const tasks = userTasks(model);
    // The goroutine that began the first complete order task, and a window around the task.
    const i = tasks.open.findIndex((o, k) => o === 0 && tasks.startedBefore[k] === 0);
    const g = tasks.beginGoroutine[i];
    const lane = s.locate(g);
    const f = s.frame({
      lanesVersion: lanes.version,
      t0: tasks.start[i],
      t1: tasks.end[i],
      widthPx: 1000,
      minPx: 2,
      lane0: lane,
      lane1: lane + 1,
    });
    const m = f.marks!;
    expect(m).not.toBeNull();
    const kinds = new Set(m.kind);
    expect(kinds).toEqual(new Set([0, 1, 2]));
    const labels = Array.from(m.label, (l) => f.labels[l]);
    expect(labels).toContain('order');
    expect(labels).toContain('validate');
    expect(labels.some((l) => l?.startsWith('tenant: '))).toBe(true);
    expect(Array.from(m.lane).every((l) => l === lane)).toBe(true);
    // Every region of that goroutine inside the window is drawn (the window is 1000 px wide).
    const re = userRegions(model);
    let want = 0;
    for (let r = 0; r < re.length; r++)
      if (re.goroutine[r] === g && re.start[r] < tasks.end[i] && re.end[r] > tasks.start[i]) want++;
    let got = 0;
    for (let k = 0; k < m.kind.length; k++) if (m.kind[k] === 0) got += m.count[k];
    expect(got).toBe(want);
  });

  it('finds log messages by text', () => {
    const all = s.logs('', 1000);
    expect(all.total).toBe(model.logs.length);
    const one = all.rows[0];
    const hits = s.logs(one.message, 1000);
    expect(hits.rows.every((r) => r.message.includes(one.message))).toBe(true);
    expect(hits.rows[0].goroutineId).toBe(model.goroutines.id[one.goroutine]);
    expect(s.logs('no such text anywhere', 10).total).toBe(0);
  });

  it('switches to thread lanes: goroutines running and in syscalls per M', () => {
    const lanes = s.setFilter('', 'threads');
    const slices = buildThreadSlices(model);
    expect(lanes.mode).toBe('threads');
    expect(lanes.length).toBe(slices.threads.length);
    const f = s.frame({
      lanesVersion: lanes.version,
      t0: 0,
      t1: s.info.durationNs,
      widthPx: 800,
      minPx: 2,
      lane0: 0,
      lane1: lanes.length,
    });
    expect(f.laneTitle).toEqual(Array.from(slices.threads, (t) => `M${t}`));
    expect(new Set(f.cls).has(SpanClass.Running)).toBe(true);
    expect(new Set(f.cls).has(SpanClass.Syscall)).toBe(true);
    // At most about two items per 2 px per lane, however many slices a thread has.
    for (let j = 0; j < lanes.length; j++)
      expect(f.laneStart[j + 1] - f.laneStart[j]).toBeLessThanOrEqual(2 * (800 / 2) + 2);
    const single = Array.from(f.ref).findIndex((r, k) => r >= 0 && f.count[k] === 1);
    const v = s.threadSlice(f.ref[single]);
    expect(f.labels[f.label[single]]).toContain(`G${v.goroutineId}`);
    expect(v.end).toBeGreaterThan(v.start);
    expect(f.marks).toBeNull();
    const back = s.setFilter('', 'goroutines');
    expect(back.mode).toBe('goroutines');
    expect(back.version).toBeGreaterThan(lanes.version);
  });

  it('gives the compare summary once', () => {
    const a = s.summary();
    expect(a.burst.created).toBeGreaterThan(0);
    expect(s.summary()).toBe(a);
  });
});

// The trace Worker's session on real traces from the Go target (test/fixtures): what the
// Timeline tab receives. The goroutine analysis is checked against traceTotals (the numbers
// `pprof-studio trace --json` prints, themselves checked against Go's reader), details against
// the transition table, profiles by decoding them back.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../core/pprof/decode';
import { isTraceError } from '../../../core/trace/errors';
import { buildTimelineIndex, stackFrames } from '../../../core/trace/lanes';
import { SpanClass } from '../../../core/trace/timeline-classes';
import { parseTrace } from '../../../core/trace/parse';
import { GoRunnable, GoWaiting } from '../../../core/trace/spec';
import { traceTotals } from '../../../core/trace/totals';
import { WorkerError } from '../../../renderer/src/worker/rpc';
import { TraceSession } from '../../../renderer/src/worker/trace-session';

const repo = resolve(__dirname, '..', '..', '..');
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(repo, f)));
const BEFORE = 'test/fixtures/before/trace.out';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('TraceSession', () => {
  const phases: string[] = [];
  const s = new TraceSession(bytes(BEFORE), (phase, done, total) => {
    phases.push(phase);
    expect(done).toBeLessThanOrEqual(total);
  });
  const model = parseTrace(bytes(BEFORE));
  const totals = traceTotals(model);

  it('parses with progress and describes the trace', () => {
    expect(phases[0]).toBe('parse');
    expect(phases.at(-1)).toBe('index');
    expect(s.info.goVersion).toBe(totals.goVersion);
    expect(s.info.durationNs).toBe(totals.durationNs);
    expect(s.info.gcCount).toBe(totals.gcCount);
    expect(s.info.goroutines).toBe(totals.goroutines.length);
    expect(s.info.warnings).toEqual([]);
    expect(s.info.keptBytes).toBeGreaterThan(0);
  });

  it('answers frames for the visible lanes only, bounded by the width', () => {
    const lanes = s.setFilter('');
    const q = {
      lanesVersion: lanes.version,
      t0: 0,
      t1: s.info.durationNs,
      widthPx: 700,
      minPx: 2,
      lane0: 0,
      lane1: 30,
    };
    const f = s.frame(q);
    expect(f.lane1 - f.lane0).toBe(30);
    expect(f.laneStart.length).toBe(31);
    expect(f.laneTitle.slice(0, lanes.procLanes)).toEqual(
      Array.from({ length: lanes.procLanes }, (_, i) => `P${f.laneId[i]}`),
    );
    expect(f.laneTitle[lanes.procLanes]).toMatch(/^G\d+ /);
    for (let j = 0; j < 30; j++)
      expect(f.laneStart[j + 1] - f.laneStart[j]).toBeLessThanOrEqual(2 * 350 + 2);
    // P spans are labelled with their goroutine, blocked spans with their reason.
    const labelled = Array.from(f.label)
      .map((l, i) => ({ l, i }))
      .filter((x) => x.l >= 0);
    expect(labelled.length).toBeGreaterThan(0);
    expect(f.labels.some((l) => /^G\d+/.test(l))).toBe(true);
    expect(f.labels).toContain('network');
    // Lanes past the end are not invented.
    const tail = s.frame({ ...q, lane0: lanes.length - 3, lane1: lanes.length + 50 });
    expect(tail.lane1).toBe(lanes.length);
    expect(() => s.frame({ ...q, t1: q.t0 })).toThrow(WorkerError);
  });

  it('filters lanes and locates goroutines', () => {
    const all = s.setFilter('');
    const some = s.setFilter('serveWebhookConn');
    expect(some.version).toBeGreaterThan(all.version);
    expect(some.goroutineLanes).toBe(8);
    expect(some.allGoroutineLanes).toBe(all.goroutineLanes);
    const f = s.frame({
      lanesVersion: some.version,
      t0: 0,
      t1: s.info.durationNs,
      widthPx: 500,
      minPx: 2,
      lane0: some.procLanes,
      lane1: some.length,
    });
    for (const t of f.laneTitle) expect(t).toContain('main.serveWebhookConn');
    const g = f.laneRow[0];
    expect(s.locate(g)).toBe(some.procLanes);
    const main = model.goroutines.id.indexOf(1);
    expect(s.locate(main)).toBe(-1);
    s.setFilter('');
    expect(s.locate(main)).toBeGreaterThanOrEqual(s.lanesInfo().procLanes);
  });

  it('computes the goroutine analysis with the CLI’s running times', () => {
    const w = s.analysisWindow({
      by: 'goroutine',
      sort: 'exec',
      desc: true,
      offset: 0,
      limit: 1000,
      filter: '',
    });
    expect(w.total).toBe(totals.goroutines.length);
    const running = new Map(totals.goroutines.map((g) => [g.id, g.runningNs]));
    for (const r of w.rows) expect(r.execNs).toBe(running.get(r.id));
    for (let i = 1; i < w.rows.length; i++)
      expect(w.rows[i - 1].execNs).toBeGreaterThanOrEqual(w.rows[i].execNs);
    const page = s.analysisWindow({
      by: 'goroutine',
      sort: 'exec',
      desc: true,
      offset: 10,
      limit: 5,
      filter: '',
    });
    expect(page.rows.map((r) => r.id)).toEqual(w.rows.slice(10, 15).map((r) => r.id));
    const byId = s.analysisWindow({
      by: 'goroutine',
      sort: 'id',
      desc: false,
      offset: 0,
      limit: 1000,
      filter: 'worker',
    });
    expect(byId.rows.length).toBeGreaterThan(0);
    for (const r of byId.rows) expect(r.name.toLowerCase()).toContain('worker');
    const ids = byId.rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const blocked = w.rows.find((r) => r.blockNs > 0)!;
    expect(blocked.blockReasons.reduce((a, b) => a + b.ns, 0)).toBeCloseTo(blocked.blockNs, 0);

    const fns = s.analysisWindow({
      by: 'function',
      sort: 'count',
      desc: true,
      offset: 0,
      limit: 1000,
      filter: '',
    });
    expect(fns.rows.reduce((a, r) => a + r.count, 0)).toBe(totals.goroutines.length);
    const worker = fns.rows.find((r) => r.name === 'main.(*service).worker')!;
    const sum = totals.goroutines
      .filter((g) => g.startFunction === 'main.(*service).worker')
      .reduce((a, g) => a + g.runningNs, 0);
    expect(worker.execNs).toBe(sum);
  });

  it('describes a blocked span and who unblocked it', () => {
    const index = buildTimelineIndex(model);
    const tr = model.transitions;
    // A wait that ended with an unblock by a known goroutine.
    let ref = -1;
    for (let k = 0; k + 1 < index.order.length && ref < 0; k++) {
      const i = index.order[k];
      const j = index.order[k + 1];
      if (tr.goroutine[i] !== tr.goroutine[j]) continue;
      if (
        (tr.states[i] & 15) === GoWaiting &&
        tr.states[j] === ((GoWaiting << 4) | GoRunnable) &&
        tr.aux[j] >= 0
      )
        ref = k;
    }
    expect(ref).toBeGreaterThanOrEqual(0);
    const v = s.span(ref);
    const j = index.order[ref + 1];
    expect(v.state).toBe('waiting');
    expect(v.unblockedBy).toBe(tr.aux[j]);
    expect(v.unblockedById).toBe(model.goroutines.id[tr.aux[j]]);
    expect(v.end).toBeGreaterThan(v.start);
    expect(v.goroutineId).toBe(model.goroutines.id[tr.goroutine[index.order[ref]]]);
    expect(v.stack.length).toBeGreaterThan(0);
    expect(() => s.span(-1)).toThrow(WorkerError);
    expect(() => s.span(1e12)).toThrow(WorkerError);
  });

  it('reads what reasonless waits (held since the trace began) wait on from their stacks', () => {
    const index = buildTimelineIndex(model);
    const tr = model.transitions;
    let checked = 0;
    for (let k = 0; k < index.order.length; k++) {
      const i = index.order[k];
      if (tr.states[i] !== GoWaiting || model.strings[tr.aux[i]] !== '') continue;
      // GoUndetermined (0) -> GoWaiting, no reason: the status restated at the trace start.
      const frames = stackFrames(model, tr.stack[i]);
      const v = s.span(k);
      expect(v.reason).toBe('');
      if (frames.some((f) => f.startsWith('runtime.selectgo '))) {
        expect(v.inferredReason).toBe('select');
        expect(v.cls).toBe(SpanClass.BlockedSync);
        checked++;
      } else if (frames.some((f) => f.startsWith('internal/poll.runtime_pollWait '))) {
        expect(v.inferredReason).toBe('network');
        expect(v.cls).toBe(SpanClass.BlockedNet);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('draws GC and STW bands and counters per pixel', () => {
    const o = s.overlay({ t0: 0, t1: s.info.durationNs, widthPx: 600 });
    expect(o.time.length).toBe(600);
    expect(o.gcStart.length).toBeGreaterThan(0);
    expect(o.gcStart.length).toBeLessThanOrEqual(totals.gcCount);
    expect(o.stwStart.length).toBeGreaterThan(0);
    expect(Math.max(...o.heap.filter((v) => !Number.isNaN(v)))).toBeLessThanOrEqual(o.maxHeap);
    expect(Math.max(...o.running)).toBeGreaterThan(0);
  });

  it('gives the scheduler-latency histogram over its non-empty buckets', () => {
    const h = s.latency();
    expect(h.count).toBeGreaterThan(0);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(h.count);
    expect(h.counts[0]).toBeGreaterThan(0);
    expect(h.counts.at(-1)).toBeGreaterThan(0);
    expect(h.p50).toBeLessThanOrEqual(h.p99);
    expect(h.p99).toBeLessThanOrEqual(h.maxNs);
  });

  it('builds blocking profiles a profile Worker can open', () => {
    for (const kind of ['sync', 'net', 'syscall', 'sched'] as const) {
      const p = s.profile(kind);
      const decoded = decodeProfile(new Uint8Array(p.bytes));
      expect(decoded.sampleTypes.map((t) => t.type)).toEqual(['contentions', 'delay']);
      expect(decoded.samples.length).toBe(p.samples);
      let delay = 0;
      for (let i = 0; i < decoded.samples.length; i++) delay += decoded.samples.values[i * 2 + 1];
      expect(delay).toBe(p.totalNs);
    }
    expect(s.profile('sync').samples).toBeGreaterThan(0);
    expect(() => s.profile('bogus' as 'sync')).toThrow(WorkerError);
  });
});

describe('TraceSession memory', () => {
  it('lets go of the file’s bytes once parsed', () => {
    const holder: { bytes: Uint8Array | null } = { bytes: bytes(BEFORE) };
    const s = new TraceSession(holder);
    expect(holder.bytes).toBeNull();
    expect(s.info.fileBytes).toBe(readFileSync(join(repo, BEFORE)).length);
  });
});

describe('TraceSession on bad input', () => {
  const full = bytes(BEFORE);

  it('opens a truncated trace up to its last complete generation, with a warning', () => {
    const s = new TraceSession(full.slice(0, Math.floor(full.length * 0.8)));
    expect(s.info.generations).toBe(1);
    expect(s.info.warnings).toHaveLength(1);
    expect(s.info.warnings[0].kind).toBe('truncated');
    expect(s.info.warnings[0].message).toMatch(/cut short.*1 complete generation/);
    expect(s.info.durationNs).toBeGreaterThan(0);
  });

  it('refuses broken, foreign and old traces with a clear error', () => {
    const cut = thrown(() => new TraceSession(full.slice(0, Math.floor(full.length * 0.2))));
    expect(isTraceError(cut) && cut.kind).toBe('truncated');
    const bad = full.slice();
    bad.fill(0xff, 2000, 2400);
    const broken = thrown(() => new TraceSession(bad));
    expect(isTraceError(broken) && broken.kind).toBe('malformed');
    const foreign = thrown(() => new TraceSession(new TextEncoder().encode('not a trace at all')));
    expect(isTraceError(foreign) && foreign.kind).toBe('not-a-trace');
    const old = new Uint8Array(64);
    old.set(new TextEncoder().encode('go 1.21 trace\0\0\0'));
    const e = thrown(() => new TraceSession(old));
    expect(isTraceError(e) && e.kind).toBe('unsupported-version');
    expect((e as Error).message).toMatch(/1\.21.*1\.22/);
  });
});

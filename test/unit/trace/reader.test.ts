// The reader on hand-made traces (exact expectations) and on the committed real traces.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceError } from '../../../core/trace/errors';
import { parseHeader } from '../../../core/trace/header';
import { timeAt, type TraceModel } from '../../../core/trace/model';
import { TraceParser, parseTrace } from '../../../core/trace/parse';
import {
  EvCPUSample,
  EvCPUSamples,
  EvClockSnapshot,
  EvFrequency,
  EvGoBlock,
  EvGoCreate,
  EvGoDestroy,
  EvGoStart,
  EvGoStatus,
  EvGoUnblock,
  EvProcStatus,
  EvStacks,
  EvStrings,
  EvSync,
  GoNotExist,
  GoRunnable,
  GoRunning,
  GoWaiting,
} from '../../../core/trace/spec';
import { traceTotals } from '../../../core/trace/totals';
import { uvarint, varintEnd } from '../../../core/trace/varint';
import { NO_M, TraceWriter, ev, stack, str } from './trace-writer';

const repo = resolve(__dirname, '..', '..', '..');
const FIXTURE = readFileSync(join(repo, 'test/fixtures/before/trace.out'));

// A clock of 1e9 ticks per second, so one tick is one nanosecond.
const FREQ = 1_000_000_000;

function syncBatch(minor: number): number[][] {
  if (minor < 25) return [ev(EvFrequency, FREQ)];
  return [ev(EvSync), ev(EvFrequency, FREQ), ev(EvClockSnapshot, 1, 5000, 1700000000, 0)];
}

function tables(): { strings: number[][]; stacks: number[][] } {
  return {
    strings: [
      [EvStrings],
      str(1, 'main.worker'),
      str(2, '/src/main.go'),
      str(3, 'chan receive'),
      str(4, 'main.main'),
    ],
    stacks: [
      [EvStacks],
      stack(1, [
        [0x1000, 1, 2, 10],
        [0x2000, 4, 2, 20],
      ]),
      stack(2, [[0x3000, 1, 2, 30]]),
    ],
  };
}

/**
 * Generation 1 of a small program: G1 (main, running on P0 via M1) creates G2 at t=1000+10,
 * blocks on a channel; G2 starts, unblocks G1 and exits; G1 runs again.
 */
function simpleTrace(minor = 26, secondGeneration = false): Uint8Array {
  const w = new TraceWriter(minor);
  const { strings, stacks } = tables();
  w.batch(1, NO_M, 1000, syncBatch(minor));
  w.batch(1, NO_M, 1000, strings);
  w.batch(1, NO_M, 1000, stacks);
  w.batch(1, 1, 1000, [
    ev(EvProcStatus, 0, 0, 1), // t=1000 P0 running
    ev(EvGoStatus, 0, 1, NO_M, 2), // t=1000 G1 running
    ev(EvGoCreate, 10, 2, 2, 1), // t=1010 G2 created with start stack 2
    ev(EvGoBlock, 90, 3, 1), // t=1100 G1 blocks: chan receive
    ev(EvGoStart, 50, 2, 1), // t=1150 G2 runs
    ev(EvGoUnblock, 100, 1, 1, 0), // t=1250 G2 unblocks G1
    ev(EvGoDestroy, 50), // t=1300 G2 exits
    ev(EvGoStart, 200, 1, 2), // t=1500 G1 runs
  ]);
  if (minor >= 26) w.endOfGeneration();
  if (secondGeneration) {
    w.batch(2, NO_M, 2000, syncBatch(minor));
    w.batch(2, NO_M, 2000, strings);
    w.batch(2, NO_M, 2000, stacks);
    w.batch(2, 1, 2000, [
      ev(EvProcStatus, 0, 0, 1),
      ev(EvGoStatus, 0, 1, NO_M, 2),
      ev(EvGoBlock, 500, 3, 1),
    ]);
    if (minor >= 26) w.endOfGeneration();
  }
  return w.bytes();
}

function transitionsOf(m: TraceModel): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  const tr = m.transitions;
  for (let i = 0; i < tr.length; i++) {
    out.push([
      timeAt(tr.time, i),
      m.goroutines.id[tr.goroutine[i]],
      tr.states[i] >> 4,
      tr.states[i] & 15,
    ]);
  }
  return out;
}

describe('header', () => {
  it('reads the supported versions', () => {
    for (const minor of [22, 23, 25, 26]) {
      const h = parseHeader(new TextEncoder().encode(`go 1.${minor} trace\0\0\0`));
      expect(h).toEqual({ minor, goVersion: `1.${minor}` });
    }
  });

  it('explains how to re-capture old traces', () => {
    for (const [minor, who] of [
      [11, 'Go 1.11 to 1.18'],
      [19, 'Go 1.19 or 1.20'],
      [21, 'Go 1.21'],
    ] as const) {
      const err = catchError(() =>
        parseHeader(new TextEncoder().encode(`go 1.${minor} trace\0\0\0`)),
      );
      expect(err.kind).toBe('unsupported-version');
      expect(err.message).toContain(who);
      expect(err.message).toContain(`go 1.${minor} trace`);
      expect(err.message).toMatch(/Go 1\.22 or newer/);
    }
  });

  it('rejects unknown versions and other files', () => {
    expect(
      catchError(() => parseHeader(new TextEncoder().encode('go 1.24 trace\0\0\0'))).kind,
    ).toBe('unsupported-version');
    expect(
      catchError(() => parseHeader(new TextEncoder().encode('go 1.99 trace\0\0\0'))).message,
    ).toMatch(/update pprof Studio/);
    expect(
      catchError(() => parseHeader(new TextEncoder().encode('PK\x03\x04 zip file......'))).kind,
    ).toBe('not-a-trace');
    expect(catchError(() => parseHeader(new TextEncoder().encode('go 1.26 trace!!!'))).kind).toBe(
      'not-a-trace',
    );
    expect(catchError(() => parseHeader(new TextEncoder().encode('go 1.2'))).kind).toBe(
      'truncated',
    );
    expect(catchError(() => parseTrace(new Uint8Array(0))).kind).toBe('truncated');
  });
});

describe('varint', () => {
  it('decodes like Go binary.Uvarint', () => {
    const b = (bytes: number[]): [number, number] => [
      uvarint(Uint8Array.from(bytes), 0, bytes.length),
      varintEnd,
    ];
    expect(b([0])).toEqual([0, 1]);
    expect(b([0x7f])).toEqual([127, 1]);
    expect(b([0x80, 0x01])).toEqual([128, 2]);
    expect(b([0xff, 0xff, 0x03])).toEqual([65535, 3]);
    // The runtime pads batch lengths to 10 bytes: non-minimal encodings are fine.
    expect(b([0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])).toEqual([5, 10]);
    // 2^64-1 ("none") decodes to 2^64.
    expect(b([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).toEqual([2 ** 64, 10]);
    expect(b([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])[1]).toBe(-2);
    expect(b([0x80, 0x80])[1]).toBe(-1);
  });
});

describe('reader on hand-made traces', () => {
  it('orders one thread and converts ticks to nanoseconds', () => {
    const m = parseTrace(simpleTrace());
    expect(m.goVersion).toBe('1.26');
    expect(m.generations).toBe(1);
    // Times are relative to the first event (the Sync at the smallest batch time, 1000).
    expect(transitionsOf(m)).toEqual([
      [2, 1, 0, GoRunning], // status: Undetermined -> Running (after the Sync and ProcStatus, all at 0: times are forced to increase)
      [10, 2, GoNotExist, GoRunnable],
      [100, 1, GoRunning, GoWaiting],
      [150, 2, GoRunnable, GoRunning],
      [250, 1, GoWaiting, GoRunnable],
      [300, 2, GoRunning, GoNotExist],
      [500, 1, GoRunnable, GoRunning],
    ]);
    expect(m.durationNs).toBe(501); // the final Sync, 1 ns after the last event
    const t = traceTotals(m);
    expect(t.goroutines).toEqual([
      {
        id: 1,
        startFunction: 'main.main',
        runningNs: 100 + 1,
        runnableNs: 250,
        blockedNs: 150,
        syscallNs: 0,
      },
      {
        id: 2,
        startFunction: 'main.worker',
        runningNs: 150,
        runnableNs: 140,
        blockedNs: 0,
        syscallNs: 0,
      },
    ]);
    // The block carries its reason and stack; the unblock names G2.
    const tr = m.transitions;
    expect(m.strings[tr.aux[2]]).toBe('chan receive');
    expect(m.goroutines.id[tr.aux[4]]).toBe(2);
    expect(m.goroutines.createdBy[1]).toBe(0);
  });

  it('puts events in causal order when timestamps across threads disagree', () => {
    const w = new TraceWriter(26);
    const { strings, stacks } = tables();
    w.batch(1, NO_M, 100, syncBatch(26));
    w.batch(1, NO_M, 100, strings);
    w.batch(1, NO_M, 100, stacks);
    // M2 claims G2 started at t=150, before M1 created it at t=300.
    w.batch(1, 2, 100, [ev(EvProcStatus, 0, 1, 1), ev(EvGoStart, 50, 2, 1), ev(EvGoDestroy, 10)]);
    w.batch(1, 1, 300, [
      ev(EvProcStatus, 0, 0, 1),
      ev(EvGoStatus, 0, 1, NO_M, 2),
      ev(EvGoCreate, 1, 2, 2, 1),
    ]);
    w.endOfGeneration();
    const m = parseTrace(w.bytes());
    const got = transitionsOf(m).map(([t, g, from, to]) => [g, from, to, t]);
    expect(got).toEqual([
      [1, 0, GoRunning, 201],
      [2, GoNotExist, GoRunnable, 202],
      // Its own timestamp (50) was earlier; times are forced to increase.
      [2, GoRunnable, GoRunning, 203],
      [2, GoRunning, GoNotExist, 204],
    ]);
  });

  it('reads pre-1.26 generations that end at the next generation', () => {
    for (const minor of [22, 23, 25]) {
      const m = parseTrace(simpleTrace(minor, true));
      expect(m.goVersion).toBe(`1.${minor}`);
      expect(m.generations).toBe(2);
      expect(m.warnings).toEqual([]);
      expect(m.syncs.length).toBe(3);
      // The clock snapshot exists from 1.25 on.
      expect(Number.isNaN(m.syncs.wallSec[0])).toBe(minor < 25);
    }
  });

  it('keeps the complete generations of a cut trace and warns', () => {
    const full = simpleTrace(26, true);
    const one = parseTrace(simpleTrace(26, false));
    for (let cut = full.length - 1; cut > full.length - 30; cut--) {
      const m = parseTrace(full.subarray(0, cut));
      expect(m.generations).toBe(1);
      expect(m.warnings).toHaveLength(1);
      expect(m.warnings[0].kind).toBe('truncated');
      expect(m.warnings[0].message).toMatch(/cut short/);
      expect(transitionsOf(m)).toEqual(transitionsOf(one));
    }
    // Cut inside the first generation: nothing useful.
    expect(catchError(() => parseTrace(full.subarray(0, 60))).kind).toBe('truncated');
  });

  it('rejects broken generations with typed errors', () => {
    const w = () => new TraceWriter(26);
    // Generation number 0.
    expect(catchError(() => parseTrace(w().batch(0, NO_M, 1, syncBatch(26)).bytes())).kind).toBe(
      'malformed',
    );
    // Interleaved generations without an end marker.
    const inter = w().batch(1, NO_M, 1, syncBatch(26)).batch(2, NO_M, 1, syncBatch(26)).bytes();
    expect(catchError(() => parseTrace(inter)).message).toMatch(/interleaved/);
    // A batch larger than 64 KiB.
    const big = w().raw([1, 1, 1, 1, 0x80, 0x80, 0x08]).bytes();
    expect(catchError(() => parseTrace(big)).message).toMatch(/batch size/);
    // No frequency.
    const nofreq = w()
      .batch(1, NO_M, 1, [ev(EvStrings)])
      .endOfGeneration()
      .bytes();
    expect(catchError(() => parseTrace(nofreq)).message).toMatch(/no frequency/);
    // An event for a goroutine nobody knows: no order exists.
    const { strings, stacks } = tables();
    const bad = w()
      .batch(1, NO_M, 1, syncBatch(26))
      .batch(1, NO_M, 1, strings)
      .batch(1, NO_M, 1, stacks)
      .batch(1, 1, 1, [ev(EvProcStatus, 0, 0, 1), ev(EvGoStart, 1, 7, 1)])
      .endOfGeneration()
      .bytes();
    const err = catchError(() => parseTrace(bad));
    expect(err.kind).toBe('inconsistent');
    expect(err.message).toMatch(/no thread's next event can happen next/);
    // A stack id that is not in the stack table.
    const badStack = w()
      .batch(1, NO_M, 1, syncBatch(26))
      .batch(1, NO_M, 1, strings)
      .batch(1, NO_M, 1, stacks)
      .batch(1, 1, 1, [
        ev(EvProcStatus, 0, 0, 1),
        ev(EvGoStatus, 0, 1, NO_M, 2),
        ev(EvGoBlock, 1, 3, 99),
      ])
      .endOfGeneration()
      .bytes();
    expect(catchError(() => parseTrace(badStack)).message).toMatch(/invalid stack ID 99/);
  });

  it('merges CPU samples by time and skips experimental batches', () => {
    const w = new TraceWriter(26);
    const { strings, stacks } = tables();
    w.batch(1, NO_M, 1000, syncBatch(26));
    w.batch(1, NO_M, 1000, strings);
    w.batch(1, NO_M, 1000, stacks);
    w.batch(1, NO_M, 1000, [
      [EvCPUSamples],
      ev(EvCPUSample, 1120, 1, 0, 1, 1),
      ev(EvCPUSample, 1005, 1, NO_M, 0, 2),
    ]);
    w.batch(1, 1, 1000, [
      ev(EvProcStatus, 0, 0, 1),
      ev(EvGoStatus, 0, 1, NO_M, 2),
      ev(EvGoBlock, 200, 3, 1),
    ]);
    w.batch(1, 1, 1000, [[0xaa, 0xbb, 0xcc]], 1);
    w.endOfGeneration();
    const m = parseTrace(w.bytes());
    const s = m.samples;
    expect(Array.from(s.time)).toEqual([5, 120]);
    expect(Array.from(s.goroutine, (g) => (g < 0 ? -1 : m.goroutines.id[g]))).toEqual([-1, 1]);
    expect(Array.from(s.proc, (p) => (p < 0 ? -1 : m.procs.id[p]))).toEqual([-1, 0]);
    expect(s.stack[1]).toBeGreaterThanOrEqual(0);
    expect(m.eventCount).toBe(1 + 2 + 1 + 2 + 1); // sync, proc+go status, block, 2 samples, final sync
  });

  it('reads the same trace whatever the chunk sizes', () => {
    const whole = parseTrace(FIXTURE);
    for (const size of [7, 4096, 65537]) {
      const p = new TraceParser();
      for (let i = 0; i < FIXTURE.length; i += size) p.push(FIXTURE.subarray(i, i + size));
      const m = p.finish();
      expect(traceTotals(m)).toEqual(traceTotals(whole));
      expect(m.eventCount).toBe(whole.eventCount);
      expect(Array.from(m.transitions.aux)).toEqual(Array.from(whole.transitions.aux));
    }
    // Byte by byte on a small trace with every pre-1.26 generation boundary.
    const small = simpleTrace(25, true);
    const p = new TraceParser();
    for (const b of small) p.push(Uint8Array.of(b));
    expect(traceTotals(p.finish())).toEqual(traceTotals(parseTrace(small)));
  });

  it('reports progress up to the file size', () => {
    const seen: number[] = [];
    parseTrace(FIXTURE, {
      onProgress: (done, total) => (seen.push(done), expect(total).toBe(FIXTURE.length)),
    });
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen[seen.length - 1]).toBe(FIXTURE.length);
  });

  it("does not modify the caller's bytes", () => {
    const copy = Uint8Array.from(FIXTURE);
    parseTrace(copy);
    expect(Buffer.compare(copy, FIXTURE)).toBe(0);
  });
});

function catchError(fn: () => unknown): TraceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TraceError) return err;
    throw err;
  }
  throw new Error('expected a TraceError');
}

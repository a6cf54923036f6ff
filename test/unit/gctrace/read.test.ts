import { describe, expect, it } from 'vitest';
import {
  GC_FORCED,
  GC_LEAK_CHECK,
  GC_PERIODIC,
  GcTraceError,
  SCAV_CONTROLLER_RESET,
  SCAV_FORCED,
  looksLikeGcLog,
  pauseMs,
  readGcTrace,
  type GcTrace,
} from '../../../core/gctrace';
import { REAL_BEFORE, REAL_LINES } from './real-lines';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function only(t: GcTrace) {
  expect(t.streams).toHaveLength(1);
  return t.streams[0];
}

describe('readGcTrace: the runtime layout', () => {
  it('reads every field of real Go 1.26 lines, the forced cycle and the scavenger line', () => {
    const t = readGcTrace(enc(REAL_BEFORE));
    const s = only(t);
    const c = s.cycles;
    expect(c.length).toBe(11);
    expect(Array.from(c.num)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // gc 5 @0.406s 4%: 6.0+23+1.8 ms clock, 12+0.045/20/1.2+3.7 ms cpu, 40->43->27 MB, 44 MB goal, 0 MB stacks, 0 MB globals, 2 P
    const i = 4;
    expect([c.atS[i], c.cpuPct[i], c.sweepTermMs[i], c.markMs[i], c.markTermMs[i]]).toEqual([
      0.406, 4, 6, 23, 1.8,
    ]);
    expect([
      c.cpuSweepTermMs[i],
      c.cpuAssistMs[i],
      c.cpuBackgroundMs[i],
      c.cpuIdleMs[i],
      c.cpuMarkTermMs[i],
    ]).toEqual([12, 0.045, 20, 1.2, 3.7]);
    expect([c.heapStartMB[i], c.heapEndMB[i], c.heapLiveMB[i], c.heapGoalMB[i]]).toEqual([
      40, 43, 27, 44,
    ]);
    expect([c.stacksMB[i], c.globalsMB[i], c.procs[i], c.line[i]]).toEqual([0, 0, 2, 5]);
    expect(pauseMs(c, i)).toBeCloseTo(7.8, 9);
    expect(Array.from(c.flags).map((f) => f & GC_FORCED)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    ]);
    expect(s.scav.length).toBe(1);
    expect([s.scav.bgKiB[0], s.scav.eagerKiB[0], s.scav.releasedKiB[0], s.scav.utilPct[0]]).toEqual(
      [0, 0, 6008, 84],
    );
    expect(s.scav.afterGc[0]).toBe(5);
    expect(t.lines).toBe(13);
    // "wrote DIR: ...".
    expect(t.otherLines).toBe(1);
    expect(t.unreadable).toEqual({ count: 0, example: null });
    expect(s.label).toBe('gctrace');
  });

  it('reads the goroutine-leak marker, Go < 1.18 lines, scavenger variants and "GC forced"', () => {
    const t = readGcTrace(
      [
        'gc 1 @0.005s 0% (checking for goroutine leaks): 0.010+0.50+0.002 ms clock, 0.040+0/0.20/0.10+0.008 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P',
        'gc 2 @0.105s 1%: 0.010+0.50+0.002 ms clock, 0.040+0/0.20/0.10+0.008 ms cpu, 4->4->1 MB, 5 MB goal, 8 P',
        'GC forced',
        'gc 3 @121.017s 0%: 0.020+1.1+0.003 ms clock, 0.080+0/0.90/0.50+0.012 ms cpu, 1->1->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P',
        'scav 0 KiB work (bg), 186960 KiB work (eager), 208712 KiB now, 9% util (forced)',
        'scav 64 KiB work (bg), 0 KiB work (eager), 1024 KiB total, 97% util [controller reset]',
      ].join('\n'),
    );
    const c = only(t).cycles;
    expect(Array.from(c.flags)).toEqual([GC_LEAK_CHECK, 0, GC_PERIODIC]);
    expect(c.stacksMB[1]).toBeNaN();
    expect(c.globalsMB[1]).toBeNaN();
    expect(c.procs[1]).toBe(8);
    const sc = only(t).scav;
    expect(Array.from(sc.flags)).toEqual([SCAV_FORCED, SCAV_CONTROLLER_RESET]);
    expect(Array.from(sc.eagerKiB)).toEqual([186960, 0]);
    expect(Array.from(sc.afterGc)).toEqual([3, 3]);
  });
});

describe('readGcTrace: lines inside other log text', () => {
  const [l1, l2, l3] = REAL_LINES as [string, string, string];

  it('kubectl logs --timestamps, and the CRI "stderr F" prefix', () => {
    const t = readGcTrace(
      [
        `2026-12-07T10:00:00.011483211Z ${l1}`,
        '2026-12-07T10:00:00.012000000Z {"level":"info","msg":"listening"}',
        `2026-12-07T10:00:00.016482002Z stderr F ${l2}`,
        `2026-12-07T10:00:00.105000000Z ${l3}`,
      ].join('\n'),
    );
    const s = only(t);
    expect(Array.from(s.cycles.num)).toEqual([1, 2, 3]);
    expect(s.service).toBe('');
    expect(t.otherLines).toBe(1);
  });

  it('several services interleaved: docker compose and kubectl --prefix keep them apart', () => {
    const t = readGcTrace(
      [
        `orders-1    | ${l1}`,
        `payments-1  | ${l1}`,
        `orders-1    | ${l2}`,
        'payments-1  | level=info msg="charge ok"',
        `[pod/orders-7d9f/orders] 2026-12-07T10:00:00Z ${l1}`,
        `payments-1  | ${l2}`,
        `orders-1    | ${l3}`,
      ].join('\n'),
    );
    const by = Object.fromEntries(t.streams.map((s) => [s.label, Array.from(s.cycles.num)]));
    expect(by).toEqual({
      'orders-1': [1, 2, 3],
      'payments-1': [1, 2],
      'pod/orders-7d9f/orders': [1],
    });
  });

  it('JSON records carrying the line in a field (docker json-file, fluent-bit with kubernetes fields, slog)', () => {
    const docker = JSON.stringify({
      log: `${l1}\n`,
      stream: 'stderr',
      time: '2026-12-07T10:00:00Z',
    });
    const fluent = JSON.stringify({
      log: `${l2}\n`,
      kubernetes: { pod_name: 'orders-7d9f', container_name: 'orders', namespace_name: 'shop' },
    });
    const slog = JSON.stringify({
      time: '2026-12-07T10:00:00Z',
      level: 'INFO',
      msg: l3,
      service: 'billing',
    });
    const t = readGcTrace([docker, fluent, slog].join('\n'));
    const by = Object.fromEntries(t.streams.map((s) => [s.label, Array.from(s.cycles.num)]));
    expect(by).toEqual({ gctrace: [1], 'orders-7d9f/orders': [2], billing: [3] });
    expect(t.unreadable.count).toBe(0);
  });

  it('logfmt: the service field names the stream, a quoted line ends at its quote', () => {
    const t = readGcTrace(
      [
        `ts=2026-12-07T10:00:00Z service=orders msg="${l1}"`,
        `ts=2026-12-07T10:00:01Z service=orders msg="${l2}"`,
      ].join('\n'),
    );
    const s = only(t);
    expect(s.service).toBe('orders');
    expect(s.cycles.length).toBe(2);
  });

  it('a restart (GC numbers start again) begins a new run; a line repeated verbatim is skipped', () => {
    const t = readGcTrace([l1, l2, l2, l3, l1, l2].join('\n'));
    expect(t.streams.map((s) => [s.label, s.cycles.length])).toEqual([
      ['gctrace · run 1', 3],
      ['gctrace · run 2', 2],
    ]);
    expect(t.duplicates).toBe(1);
  });
});

describe('readGcTrace: unreadable and hostile input', () => {
  it('counts lines cut short, keeps the first as the example, and reads the rest', () => {
    const line = REAL_LINES[4];
    const cut = line.slice(0, 60);
    const t = readGcTrace(
      [REAL_LINES[0], cut, REAL_LINES[1], 'gc 7 @oops', REAL_LINES[2]].join('\n'),
    );
    expect(only(t).cycles.length).toBe(3);
    expect(t.unreadable.count).toBe(2);
    expect(t.unreadable.example).toMatchObject({ line: 2, text: cut });
    expect(t.unreadable.example!.reason).toMatch(/^expected .* at column \d+/);
  });

  it('every cut of a real line is unreadable or plain text, never a wrong cycle', () => {
    const line = REAL_LINES[10]; // ends with " (forced)"
    const full = line.length;
    for (let k = 1; k < full; k++) {
      const t = (() => {
        try {
          return readGcTrace(`${REAL_LINES[0]}\n${line.slice(0, k)}`);
        } catch (e) {
          throw new Error(`cut at ${k}: ${String(e)}`, { cause: e });
        }
      })();
      const c = only(t).cycles;
      // Cut right after "2 P" the line is a complete unforced cycle: the only cuts that read.
      if (line.slice(0, k).trimEnd().endsWith(' 2 P')) {
        expect(c.length).toBe(2);
        expect(c.flags[1]).toBe(0);
      } else {
        expect(c.length, `cut at ${k}`).toBe(1);
        expect(t.unreadable.count + t.otherLines, `cut at ${k}`).toBe(1);
      }
    }
  });

  it('refuses empty, binary and gctrace-less input with the reason', () => {
    const err = (input: Uint8Array | string) => {
      try {
        readGcTrace(input);
      } catch (e) {
        return e instanceof GcTraceError ? e.kind : `other: ${String(e)}`;
      }
      return 'no error';
    };
    expect(err(enc(' \n\n'))).toBe('empty');
    expect(err(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe('binary');
    expect(err(new Uint8Array([0x67, 0x63, 0, 1]))).toBe('binary');
    expect(err('hello\nworld\n')).toBe('no-gctrace');
    expect(() => readGcTrace('gc 1 @0.1s 1%: 0.1+')).toThrow(
      /1 line\(s\) look like one but cannot be read/,
    );
  });

  it('is linear on hostile lines (a hang detector, not a speed test)', () => {
    const hostile = [
      'gc 1 @'.repeat(200_000),
      'gc 1 @0.1s 1%: '.repeat(100_000),
      `${'gc '.repeat(300_000)}1`,
      'scav 1 KiB work (bg), '.repeat(60_000),
      `{"log":"${'gc 1 @1.0s 1%: 1+'.repeat(50_000)}"}`,
      `${'{'.repeat(100_000)}gc 1 @`,
    ];
    for (const h of hostile) {
      const t0 = performance.now();
      expect(() => readGcTrace(`${REAL_LINES[0]}\n${h}\n`)).not.toThrow();
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });

  it('reads a very long line only up to its head and counts it', () => {
    const long = `${REAL_LINES[1]} ${'x'.repeat(5 * 1024 * 1024)}`;
    const t = readGcTrace(enc(`${REAL_LINES[0]}\n${long}\n${REAL_LINES[2]}\n`));
    expect(only(t).cycles.length).toBe(3);
    expect(t.overlong).toBe(1);
  });
});

describe('looksLikeGcLog', () => {
  it('tells a GC log from other text by a readable gctrace line in the head', () => {
    expect(looksLikeGcLog(enc(REAL_BEFORE))).toBe(true);
    expect(looksLikeGcLog(enc(`{"msg":"starting"}\n2026-12-07T10:00:00Z ${REAL_LINES[0]}\n`))).toBe(
      true,
    );
    expect(looksLikeGcLog(enc('goroutine 1 [running]:\nmain.main()\n'))).toBe(false);
    expect(looksLikeGcLog(enc('gc 1 @0.011s 1%: 0.25+2.7'))).toBe(false);
    expect(
      looksLikeGcLog(enc('scav 0 KiB work (bg), 0 KiB work (eager), 6008 KiB now, 84% util\n')),
    ).toBe(false);
    expect(looksLikeGcLog(new Uint8Array([0x1f, 0x8b, 0x08]))).toBe(false);
  });

  it('looks only at a bounded prefix', () => {
    const pad = 'x'.repeat(300 * 1024);
    expect(looksLikeGcLog(enc(`${pad}\n${REAL_LINES[0]}\n`))).toBe(false);
  });
});

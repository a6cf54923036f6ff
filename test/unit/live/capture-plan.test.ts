import { describe, expect, it } from 'vitest';
import { captureFileName, planCapture } from '../../../electron/services/capture/kinds';
import { TargetLimiter } from '../../../electron/services/capture/limiter';
import { pairByStep, stepKey, validateSteps } from '../../../electron/services/capture/recipes';

describe('planCapture', () => {
  it('maps kinds to net/http/pprof endpoints and parameters', () => {
    expect(planCapture({ kind: 'cpu' })).toMatchObject({
      endpoint: 'profile',
      query: { seconds: '30' },
      durationSeconds: 30,
      format: 'pprof',
    });
    expect(planCapture({ kind: 'trace', seconds: 2 })).toMatchObject({
      endpoint: 'trace',
      query: { seconds: '2' },
      format: 'trace',
    });
    expect(planCapture({ kind: 'heap', gc: true })).toMatchObject({
      endpoint: 'heap',
      query: { gc: '1' },
      delta: false,
    });
    expect(planCapture({ kind: 'allocs', seconds: 5 })).toMatchObject({
      endpoint: 'allocs',
      query: { seconds: '5' },
      delta: true,
      durationSeconds: 5,
    });
    expect(planCapture({ kind: 'goroutine-text' })).toMatchObject({
      endpoint: 'goroutine',
      query: { debug: '2' },
      format: 'goroutine-text',
    });
    expect(planCapture({ kind: 'threadcreate' })).toMatchObject({
      endpoint: 'threadcreate',
      query: {},
      durationSeconds: null,
    });
  });

  it('refuses combinations Go refuses', () => {
    expect(() => planCapture({ kind: 'cpu', gc: true })).toThrow(/heap captures only/);
    expect(() => planCapture({ kind: 'heap', gc: true, seconds: 5 })).toThrow(/cannot be combined/);
    expect(() => planCapture({ kind: 'goroutine-text', seconds: 5 })).toThrow(/debug/);
    expect(() => planCapture({ kind: 'cpu', seconds: 0 })).toThrow(/whole number/);
    expect(() => planCapture({ kind: 'cpu', seconds: 1.5 })).toThrow(/whole number/);
  });

  it('names files after target, kind and time', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(captureFileName(planCapture({ kind: 'cpu', seconds: 2 }), at, '127.0.0.1:6060')).toBe(
      '127.0.0.1_6060.cpu.20260102T030405Z.pb.gz',
    );
    expect(captureFileName(planCapture({ kind: 'allocs', seconds: 5 }), at, 'h')).toBe(
      'h.allocs-delta5s.20260102T030405Z.pb.gz',
    );
    expect(captureFileName(planCapture({ kind: 'trace' }), at, 'h')).toBe(
      'h.trace.20260102T030405Z.trace',
    );
  });
});

describe('TargetLimiter', () => {
  it('runs at most N at once and one CPU profile at a time', async () => {
    const l = new TargetLimiter(2);
    const order: string[] = [];
    const r1 = await l.acquire('cpu');
    order.push('cpu1');
    const cpu2 = l.acquire('cpu').then((r) => {
      order.push('cpu2');
      return r;
    });
    const heap = l.acquire(null).then((r) => {
      order.push('heap');
      return r;
    });
    const r3 = await heap;
    expect(order).toEqual(['cpu1', 'heap']);
    expect(l.active).toBe(2);
    r3();
    await Promise.resolve();
    expect(order).toEqual(['cpu1', 'heap']); // cpu2 still waits for the CPU profile
    r1();
    (await cpu2)();
    expect(order).toEqual(['cpu1', 'heap', 'cpu2']);
    expect(l.active).toBe(0);
  });

  it('drops a cancelled waiter', async () => {
    const l = new TargetLimiter(1);
    const r = await l.acquire(null);
    const ac = new AbortController();
    const waiting = l.acquire(null, ac.signal);
    ac.abort();
    await expect(waiting).rejects.toThrow(/cancelled/);
    r();
    expect(l.active).toBe(0);
  });
});

describe('recipes', () => {
  it('keys steps by their settings and pairs two runs kind by kind', () => {
    expect(stepKey({ kind: 'cpu', seconds: 30 })).toBe('cpu:30s');
    expect(stepKey({ kind: 'allocs', seconds: 30 })).toBe('allocs:delta30s');
    expect(stepKey({ kind: 'heap', gc: true })).toBe('heap:gc');
    const before = [
      { stepKey: 'cpu:30s', id: 'b1' },
      { stepKey: 'heap', id: 'b2' },
    ];
    const after = [
      { stepKey: 'heap', id: 'a2' },
      { stepKey: 'cpu:30s', id: 'a1' },
      { stepKey: 'mutex', id: 'a3' },
    ];
    expect(
      pairByStep(before, after).map((p) => [p.stepKey, p.before?.id ?? null, p.after?.id ?? null]),
    ).toEqual([
      ['cpu:30s', 'b1', 'a1'],
      ['heap', 'b2', 'a2'],
      ['mutex', null, 'a3'],
    ]);
  });

  it('refuses empty and repeated steps', () => {
    expect(() => validateSteps([])).toThrow(/at least one/);
    expect(() => validateSteps([{ kind: 'heap' }, { kind: 'heap' }])).toThrow(/repeats heap/);
  });
});

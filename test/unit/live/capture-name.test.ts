// Captures are listed under names people recognise (issue 12 item 5): the target's name,
// what was captured and the local start time, not `127.0.0.1_16161.cpu.20261207T…`.
import { describe, expect, it } from 'vitest';
import { captureDisplayName, planCapture } from '../../../electron/services/capture/kinds';

const at = new Date(2026, 11, 7, 14, 53, 12); // local time

describe('capture display names', () => {
  it('names the target, the kind with its duration or window, and the local time', () => {
    const name = (spec: Parameters<typeof planCapture>[0]) =>
      captureDisplayName(planCapture(spec), at, 'orders (production)');
    expect(name({ kind: 'cpu', seconds: 30 })).toBe('orders (production) · cpu 30 s · 14:53');
    expect(name({ kind: 'trace', seconds: 5 })).toBe('orders (production) · trace 5 s · 14:53');
    expect(name({ kind: 'allocs', seconds: 30 })).toBe(
      'orders (production) · allocs Δ30 s · 14:53',
    );
    expect(name({ kind: 'heap', gc: true })).toBe('orders (production) · heap after GC · 14:53');
    expect(name({ kind: 'goroutine-text' })).toBe('orders (production) · goroutine dump · 14:53');
    expect(name({ kind: 'mutex' })).toBe('orders (production) · mutex · 14:53');
  });
});

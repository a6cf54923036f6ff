import { describe, expect, it } from 'vitest';
import {
  contentionBySite,
  contentionStatus,
  diffContention,
  jointContention,
} from '../../../core/pprof/contention';
import { decodeProfile } from '../../../core/pprof/decode';
import { testdata } from '../goroutines/testdata';

// main.(*store).put contends on a mutex; main.(*auditLog).record blocks sending on an
// unbuffered channel (testdata/README.md).
const mutex = decodeProfile(testdata('mutex.pb.gz'));
const block = decodeProfile(testdata('block.pb.gz'));

describe('contention by call site', () => {
  it('attributes mutex delay to the function that unlocked', () => {
    const t = contentionBySite(mutex);
    expect(t.kind).toBe('mutex');
    expect(t.kindSource).toBe('stacks');
    expect(t.status).toEqual({ state: 'ok' });
    const put = t.rows.find((r) => r.site === 'main.(*store).put')!;
    expect(put.primitive).toBe('sync.(*Mutex).Unlock');
    expect(put.contentions).toBeGreaterThan(0);
    expect(put.meanDelayNanos).toBeCloseTo(put.delayNanos / put.contentions, 6);
    const sumC = t.rows.reduce((a, r) => a + r.contentions, 0);
    const sumD = t.rows.reduce((a, r) => a + r.delayNanos, 0);
    expect(sumC).toBe(t.totalContentions);
    expect(sumD).toBe(t.totalDelayNanos);
    expect(t.rows.reduce((a, r) => a + r.delayShare, 0)).toBeCloseTo(1, 9);
    for (let i = 1; i < t.rows.length; i++) {
      expect(t.rows[i - 1].delayNanos).toBeGreaterThanOrEqual(t.rows[i].delayNanos);
    }
  });

  it('attributes block delay to the function that waited', () => {
    const t = contentionBySite(block);
    expect(t.kind).toBe('block');
    expect(t.rows[0].site).toBe('main.(*auditLog).record');
    expect(t.rows[0].primitive).toBe('runtime.chansend1');
    const put = t.rows.find((r) => r.site === 'main.(*store).put')!;
    expect(put.primitive).toBe('sync.(*Mutex).Lock');
  });

  it('splits sites by line on request', () => {
    const t = contentionBySite(block, { granularity: 'lines' });
    const rec = t.rows.filter((r) => r.func === 'main.(*auditLog).record');
    expect(rec.length).toBe(1);
    expect(rec[0].line).toBeGreaterThan(0);
    expect(rec[0].site).toBe(`main.(*auditLog).record ${rec[0].file}:${rec[0].line}`);
    expect(rec[0].file).toMatch(/gen\/main\.go$/);
  });

  it('pairs the unlock side with the wait side', () => {
    const j = jointContention(contentionBySite(mutex), contentionBySite(block));
    const put = j.find((r) => r.site === 'main.(*store).put')!;
    expect(put.mutex).not.toBeNull();
    expect(put.block).not.toBeNull();
    const rec = j.find((r) => r.site === 'main.(*auditLog).record')!;
    expect(rec.mutex).toBeNull();
    expect(rec.block!.contentions).toBeGreaterThan(0);
    expect(j[0].site).toBe('main.(*auditLog).record');
  });

  it('diffs two tables and names the kind of change', () => {
    const t = contentionBySite(block);
    expect(
      diffContention(t, t).every((r) => r.change === 'unchanged' && r.deltaDelayNanos === 0),
    ).toBe(true);
    const empty = contentionBySite(decodeProfile(testdata('block-empty.pb.gz')), { kind: 'block' });
    const gone = diffContention(t, empty);
    expect(gone.every((r) => r.change === 'gone')).toBe(true);
    expect(gone[0].site).toBe('main.(*auditLog).record');
    expect(gone[0].deltaDelayNanos).toBe(-t.rows[0].delayNanos);
  });
});

describe('empty profiles', () => {
  it('say the rate was never set and name the fix', () => {
    const m = contentionBySite(decodeProfile(testdata('mutex-empty.pb.gz')), { kind: 'mutex' });
    expect(m.rows).toEqual([]);
    expect(m.status.state).toBe('empty');
    if (m.status.state !== 'empty') throw new Error('unreachable');
    expect(m.status.fixes).toEqual(['runtime.SetMutexProfileFraction']);
    expect(m.status.message).toMatch(/rate was most likely never set/);
    expect(m.status.message).toContain('runtime.SetMutexProfileFraction(n)');
    const b = contentionStatus(decodeProfile(testdata('block-empty.pb.gz')), 'block');
    expect(b.state === 'empty' && b.fixes).toEqual(['runtime.SetBlockProfileRate']);
    const unknown = contentionBySite(decodeProfile(testdata('block-empty.pb.gz')));
    expect(unknown.kind).toBe('unknown');
    expect(unknown.status.state === 'empty' && unknown.status.fixes).toEqual([
      'runtime.SetMutexProfileFraction',
      'runtime.SetBlockProfileRate',
    ]);
  });

  it('refuses other profile kinds', () => {
    const s = contentionStatus(decodeProfile(testdata('heap-1.pb.gz')));
    expect(s.state).toBe('not-contention');
  });
});

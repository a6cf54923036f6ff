import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../core/pprof/decode';
import { heapDiffByFunction, heapDiffByPath, heapTrend } from '../../../core/pprof/heap-diff';
import { ReportError } from '../../../core/pprof/report-error';
import { readFileSync } from 'node:fs';
import { testdata } from '../goroutines/testdata';

/** Real output of test/targets/orders (test/fixtures, made by `npm run fixtures`). */
const fixture = (path: string) =>
  decodeProfile(new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url))));

// heap-N: after phase N, main.retain holds N × 8 × 256 KiB; main.churn allocated N × 20000
// 64-byte objects and kept at most 100 (testdata/README.md).
const heaps = [1, 2, 3].map((i) => decodeProfile(testdata(`heap-${i}.pb.gz`)));
const MiB = 1 << 20;

describe('heap diff by function', () => {
  const d = heapDiffByFunction(heaps[0], heaps[2]);
  const row = (name: string) => d.rows.find((r) => r.name === name)!;

  it('tells retention from churn', () => {
    const retain = row('main.retain');
    expect(retain.change).toBe('retention');
    expect(retain.direction).toBe('up');
    // Exactly 8 more 256 KiB buffers per phase: big objects are sampled exactly.
    expect(retain.flat.base.inuse_space).toBe(2 * MiB);
    expect(retain.flat.next.inuse_space).toBe(6 * MiB);
    expect(retain.flat.delta.inuse_space).toBe(4 * MiB);
    expect(retain.flat.delta.inuse_objects).toBe(16);
    expect(retain.reason).toBe('in-use +4MB (2MB → 6MB), allocated +4MB (2MB → 6MB): retention');
    const churn = row('main.churn');
    expect(churn.change).toBe('churn');
    expect(churn.direction).toBe('up');
    expect(churn.flat.delta.alloc_space).toBeGreaterThan(MiB);
    expect(Math.abs(churn.flat.delta.inuse_space)).toBeLessThan(d.minBytes * 4);
    expect(d.rows[0].name).toBe('main.retain');
  });

  it('keeps flat and cum apart and reports the totals', () => {
    const main = row('main.main');
    expect(main.flat.next.inuse_space).toBeLessThan(main.cum.next.inuse_space);
    expect(main.cumChange).toBe('retention');
    let sum = 0;
    for (const r of d.rows) sum += r.flat.next.alloc_space;
    expect(sum).toBe(d.totals.next.alloc_space);
    expect(d.minBytes).toBe(4096); // MemProfileRate of the generator
  });

  it('reverses direction when the sides are swapped', () => {
    const back = heapDiffByFunction(heaps[2], heaps[0]);
    const retain = back.rows.find((r) => r.name === 'main.retain')!;
    expect([retain.change, retain.direction]).toEqual(['retention', 'down']);
  });

  it('diffs by call path', () => {
    const t = heapDiffByPath(heaps[0], heaps[2], 'inuse_space');
    const i = t.names.indexOf('main.retain');
    const nodes = [...t.name.keys()].filter((n) => t.name[n] === i);
    expect(nodes.length).toBe(1);
    expect(t.beforeTotal[nodes[0]]).toBe(2 * MiB);
    expect(t.afterTotal[nodes[0]]).toBe(6 * MiB);
    expect(t.names[t.name[t.parent[nodes[0]]]]).toBe('main.main');
  });

  it('refuses profiles that are not heap profiles', () => {
    const mutex = decodeProfile(testdata('mutex.pb.gz'));
    expect(() => heapDiffByFunction(mutex, heaps[0])).toThrow(ReportError);
  });
});

describe('heap diff of the target before and after its fixes', () => {
  // before: main.renderReceipt's receipts are all retained, main.buildLineItems churns;
  // after: a 4-receipt cache and pooled line items (test/targets/README.md).
  const d = heapDiffByFunction(fixture('before/heap.pb.gz'), fixture('after/heap.pb.gz'));
  const row = (name: string) => d.rows.find((r) => r.name === name)!;

  it('shows the retained receipt cache as retention, released', () => {
    const r = row('main.renderReceipt');
    expect([r.change, r.direction]).toEqual(['retention', 'down']);
    // before holds every receipt it rendered; after at most the last 4 of many more.
    expect(r.retainedShare.base).toBeGreaterThan(0.9);
    expect(r.retainedShare.next).toBeLessThan(0.4);
    expect(r.flat.next.alloc_space).toBeGreaterThan(r.flat.base.alloc_space);
    // At most 4 receipts of 64 KiB; each sampled one counts 64 KiB / (1 - e^-1) at the
    // write mode's MemProfileRate of 64 KiB.
    expect(r.flat.next.inuse_space).toBeLessThanOrEqual(
      Math.ceil((4 * 65536) / (1 - Math.exp(-1))),
    );
    expect(r.reason).toMatch(/still holds \d+% → \d+% of what it allocated: retention$/);
  });

  it('shows the line-item allocations as churn, gone', () => {
    const r = row('main.buildLineItems');
    expect([r.change, r.direction]).toEqual(['churn', 'down']);
    expect(r.flat.base.alloc_space).toBeGreaterThan(0);
    expect(r.flat.next.alloc_space).toBe(0);
    expect(r.flat.base.inuse_space).toBe(0);
  });
});

describe('heap trend over snapshots', () => {
  it('flags the function whose in-use space grows every time', () => {
    const t = heapTrend(heaps);
    expect(t.suspects.map((r) => r.name)).toEqual(['main.retain']);
    expect(t.suspects[0].inuse).toEqual([2 * MiB, 4 * MiB, 6 * MiB]);
    expect(t.suspects[0].reason).toBe(
      'main.retain: in-use 2MB → 4MB → 6MB, growing in each of 3 snapshots',
    );
    const churn = t.rows.find((r) => r.name === 'main.churn')!;
    expect(churn.leakSuspect).toBe(false);
    expect(churn.alloc[2]).toBeGreaterThan(churn.alloc[0]);
  });

  it('needs growth at every step and three snapshots', () => {
    expect(heapTrend([heaps[0], heaps[2], heaps[1]]).suspects).toEqual([]);
    expect(() => heapTrend(heaps.slice(0, 2))).toThrow(/three or more/);
  });
});

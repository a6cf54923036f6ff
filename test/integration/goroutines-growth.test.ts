// Snapshots of one live target over time (serve mode, `before`, leaking one more awaitAck
// goroutine every 300 ms and retaining every receipt): the goroutine diff flags the group
// that grows in every snapshot, and the heap trend the function whose in-use memory does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffGoroutines } from '../../core/goroutines/diff';
import { goroutineDumpFromProfile } from '../../core/goroutines/from-profile';
import { groupGoroutines, type GoroutineGroups } from '../../core/goroutines/groups';
import { parseGoroutineDump } from '../../core/goroutines/parse';
import { decodeProfile } from '../../core/pprof/decode';
import { heapTrend } from '../../core/pprof/heap-diff';
import type { Profile } from '../../core/pprof/model';
import { findGo, startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';

const SNAPSHOTS = 3;
const GAP_MS = 1500;
let target: RunningTarget;

async function get(url: string): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Snapshot {
  text: GoroutineGroups;
  proto: GoroutineGroups;
  heap: Profile;
}
const snapshots: Snapshot[] = [];

beforeAll(async () => {
  findGo();
  target = await startTarget({
    mode: 'before',
    extraArgs: ['-leak-interval', '300ms', '-memprofilerate', '65536', '-rate', '20'],
  });
  for (let i = 0; i < SNAPSHOTS; i++) {
    if (i > 0) await sleep(GAP_MS);
    const text = groupGoroutines(
      parseGoroutineDump(await get(`${target.pprofUrl}/goroutine?debug=2`)),
    );
    const proto = groupGoroutines(
      goroutineDumpFromProfile(decodeProfile(await get(`${target.pprofUrl}/goroutine`))),
    );
    const heap = decodeProfile(await get(`${target.pprofUrl}/heap?gc=1`));
    snapshots.push({ text, proto, heap });
  }
});

afterAll(async () => {
  await target?.stop();
});

describe('growth across snapshots of a live target', () => {
  it('flags the goroutine group that grows in every snapshot (debug=2 and proto)', () => {
    for (const form of ['text', 'proto'] as const) {
      const d = diffGoroutines(snapshots.map((s) => s[form]));
      expect(d.suspects.map((r) => r.title)).toEqual([TARGET_FACTS.leakFunction]);
      const row = d.suspects[0];
      expect(row.counts[0]).toBeGreaterThanOrEqual(TARGET_FACTS.leakedGoroutines);
      expect(row.growsEveryTime).toBe(true);
      expect(row.reason).toContain(`growing in each of ${SNAPSHOTS} snapshots`);
      // The same group in each snapshot, by function names.
      expect(row.groups.every((ids) => ids.length === 1)).toBe(true);
    }
  });

  it('flags the retaining allocator in the heap trend', () => {
    const t = heapTrend(snapshots.map((s) => s.heap));
    const receipt = t.rows.find((r) => r.name === TARGET_FACTS.retainedAllocator)!;
    expect(receipt.leakSuspect).toBe(true);
    expect(t.suspects.map((r) => r.name)).toContain(TARGET_FACTS.retainedAllocator);
    expect(receipt.inuse[SNAPSHOTS - 1]).toBeGreaterThan(receipt.inuse[0]);
    // The schema parsed at start-up is retained but does not grow.
    const schema = t.rows.find((r) => r.name === 'main.parseSchema');
    if (schema) expect(schema.leakSuspect).toBe(false);
  });
});

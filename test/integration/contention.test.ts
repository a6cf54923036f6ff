// Mutex and block profiles of the real target: the known contended functions by call site,
// numbers equal to `go tool pprof`, the joint view, and empty profiles naming the fix.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentionBySite, diffContention, jointContention } from '../../core/pprof/contention';
import { decodeProfile } from '../../core/pprof/decode';
import type { Profile } from '../../core/pprof/model';
import { findGo, TARGET_FACTS, writeProfiles, type WrittenProfiles } from '../helpers/go-target';

let dir: string;
let before: WrittenProfiles;
let after: WrittenProfiles;
let noRates: WrittenProfiles;

const load = (path: string): Profile => decodeProfile(readFileSync(path));

/**
 * The value a call site gets, computed by `go tool pprof` itself: a sample's call site is its
 * innermost frame outside the synchronisation machinery, which is exactly the leaf once the
 * machinery's frames are hidden (`-hide`), so the site's value is its flat in that report.
 * (A function's cum is not: the inventory lock is held across the audit-channel send, so
 * `reserve`'s cum also holds the waits whose site is `record`, called from it.)
 */
function pprofSite(file: string, sampleIndex: string, func: string): number {
  const unit = sampleIndex === 'delay' ? ['-unit=ns'] : [];
  const out = execFileSync(
    findGo(),
    [
      'tool',
      'pprof',
      '-top',
      '-nodecount=0',
      '-nodefraction=0',
      '-hide=^(runtime|sync|sync/atomic|internal/sync|internal/runtime/[^.]+)\\.',
      `-sample_index=${sampleIndex}`,
      ...unit,
      file,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 6 && cols.slice(5).join(' ') === func)
      return Number(cols[0].replace(/ns$/, ''));
  }
  throw new Error(`go tool pprof shows no row for ${func}:\n${out}`);
}

beforeAll(async () => {
  findGo();
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-contention-'));
  // As the fixtures are made: 2 s at 20 orders/s gives the contended paths many samples.
  const run = { duration: '2s', extraArgs: ['-rate', '20'] } as const;
  before = await writeProfiles(join(dir, 'before'), {
    mode: 'before',
    ...run,
    extraArgs: [...run.extraArgs],
  });
  after = await writeProfiles(join(dir, 'after'), {
    mode: 'after',
    ...run,
    extraArgs: [...run.extraArgs],
  });
  noRates = await writeProfiles(join(dir, 'no-rates'), { mode: 'before', noContentionRates: true });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('contention in the real target', () => {
  it('the mutex profile names the known contended function, unlock side, with pprof numbers', () => {
    const t = contentionBySite(load(before.files['mutex.pb.gz']));
    expect(t.kind).toBe('mutex');
    const reserve = t.rows.find((r) => r.site === TARGET_FACTS.mutexContended)!;
    expect(reserve.primitive).toBe('sync.(*Mutex).Unlock');
    const file = before.files['mutex.pb.gz'];
    expect(reserve.delayNanos).toBe(pprofSite(file, 'delay', TARGET_FACTS.mutexContended));
    expect(reserve.contentions).toBe(pprofSite(file, 'contentions', TARGET_FACTS.mutexContended));
    expect(reserve.meanDelayNanos).toBe(reserve.delayNanos / reserve.contentions);
  });

  it('the block profile names the known contended channel send, wait side, with pprof numbers', () => {
    const file = before.files['block.pb.gz'];
    const t = contentionBySite(load(file));
    expect(t.kind).toBe('block');
    const rec = t.rows.find((r) => r.site === TARGET_FACTS.blockContended)!;
    expect(rec.primitive).toBe('runtime.chansend1');
    expect(rec.delayNanos).toBe(pprofSite(file, 'delay', TARGET_FACTS.blockContended));
    expect(rec.contentions).toBe(pprofSite(file, 'contentions', TARGET_FACTS.blockContended));
    // The waiting side of the inventory lock is there too.
    const reserve = t.rows.find((r) => r.site === TARGET_FACTS.mutexContended)!;
    expect(reserve.primitive).toBe('sync.(*Mutex).Lock');
    expect(reserve.delayNanos).toBe(pprofSite(file, 'delay', TARGET_FACTS.mutexContended));
  });

  it('pairs both sides of the inventory lock', () => {
    const m = contentionBySite(load(before.files['mutex.pb.gz']));
    const b = contentionBySite(load(before.files['block.pb.gz']));
    const joint = jointContention(m, b).find((r) => r.site === TARGET_FACTS.mutexContended)!;
    const unlock = m.rows.find((r) => r.site === TARGET_FACTS.mutexContended)!;
    const wait = b.rows.find((r) => r.site === TARGET_FACTS.mutexContended)!;
    expect(joint.mutex).toEqual({
      contentions: unlock.contentions,
      delayNanos: unlock.delayNanos,
      meanDelayNanos: unlock.meanDelayNanos,
    });
    expect(joint.block).toEqual({
      contentions: wait.contentions,
      delayNanos: wait.delayNanos,
      meanDelayNanos: wait.meanDelayNanos,
    });
  });

  it('the before/after diff shows the buffered audit channel fix', () => {
    const b0 = contentionBySite(load(before.files['block.pb.gz']));
    const b1 = contentionBySite(load(after.files['block.pb.gz']));
    const rec = diffContention(b0, b1).find((r) => r.site === TARGET_FACTS.blockContended)!;
    const was = b0.rows.find((r) => r.site === TARGET_FACTS.blockContended)!;
    expect(rec.base!.delayNanos).toBe(was.delayNanos);
    expect(rec.deltaDelayNanos).toBe((rec.next?.delayNanos ?? 0) - was.delayNanos);
    // "absent or tiny in after"
    expect(rec.next?.delayNanos ?? 0).toBeLessThan(was.delayNanos / 10);
    expect(['gone', 'fewer-and-shorter', 'fewer-but-longer', 'more-but-cheaper']).toContain(
      rec.change,
    );
    // Every row's numbers are the difference of its two sides.
    const m0 = contentionBySite(load(before.files['mutex.pb.gz']));
    const m1 = contentionBySite(load(after.files['mutex.pb.gz']));
    for (const r of diffContention(m0, m1)) {
      expect(r.deltaContentions).toBe((r.next?.contentions ?? 0) - (r.base?.contentions ?? 0));
      expect(r.deltaDelayNanos).toBe((r.next?.delayNanos ?? 0) - (r.base?.delayNanos ?? 0));
    }
  });

  it('empty profiles say the rates were never set and name the fixes', () => {
    const m = contentionBySite(load(noRates.files['mutex.pb.gz']), { kind: 'mutex' });
    const b = contentionBySite(load(noRates.files['block.pb.gz']), { kind: 'block' });
    expect(m.rows).toEqual([]);
    expect(b.rows).toEqual([]);
    expect(m.status.state === 'empty' && m.status.fixes).toEqual([
      'runtime.SetMutexProfileFraction',
    ]);
    expect(b.status.state === 'empty' && b.status.fixes).toEqual(['runtime.SetBlockProfileRate']);
    expect(m.status.state === 'empty' && m.status.message).toMatch(
      /never set.*runtime\.SetMutexProfileFraction/,
    );
  });
});

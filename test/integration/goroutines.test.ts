// Goroutine dumps of the real target (test/targets/orders) in write mode: the documented
// leak gives exactly one group of 37, and the three forms written back to back agree.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goroutineDumpFromProfile } from '../../core/goroutines/from-profile';
import { groupGoroutines, type GoroutineGroups } from '../../core/goroutines/groups';
import { findLeakSuspects } from '../../core/goroutines/leaks';
import { parseGoroutineDump } from '../../core/goroutines/parse';
import { diffGoroutines } from '../../core/goroutines/diff';
import { GoroutineDumpError } from '../../core/goroutines/errors';
import { decodeProfile } from '../../core/pprof/decode';
import { findGo, TARGET_FACTS, writeProfiles, type WrittenProfiles } from '../helpers/go-target';
import { countsByStack, recordFrames, recordHead, sortedEntries } from '../unit/goroutines/compare';

const LEAK = TARGET_FACTS.leakFunction;
let dir: string;
let before: WrittenProfiles;
let after: WrittenProfiles;

interface Forms {
  debug1: GoroutineGroups;
  debug2: GoroutineGroups;
  proto: GoroutineGroups;
}

function entries(f: Forms): [keyof Forms, GoroutineGroups][] {
  return [
    ['debug1', f.debug1],
    ['debug2', f.debug2],
    ['proto', f.proto],
  ];
}

function forms(w: WrittenProfiles): Forms {
  return {
    debug1: groupGoroutines(parseGoroutineDump(readFileSync(w.files['goroutine-debug1.txt']))),
    debug2: groupGoroutines(parseGoroutineDump(readFileSync(w.files['goroutine-debug2.txt']))),
    proto: groupGoroutines(
      goroutineDumpFromProfile(decodeProfile(readFileSync(w.files['goroutine.pb.gz']))),
    ),
  };
}

beforeAll(async () => {
  findGo(); // fails with a clear message when Go is missing
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-goroutines-'));
  before = await writeProfiles(join(dir, 'before'), { mode: 'before' });
  after = await writeProfiles(join(dir, 'after'), { mode: 'after' });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('goroutines of the real target', () => {
  it('the known leak gives exactly one group of 37 in the known function, in every form', () => {
    const f = forms(before);
    for (const [name, g] of entries(f)) {
      const leak = g.groups.filter((x) => x.title === LEAK);
      expect([name, leak.map((x) => x.count)]).toEqual([name, [TARGET_FACTS.leakedGoroutines]]);
      expect(leak[0].states.map((s) => s.state)).toEqual(
        name === 'debug1' ? [''] : [TARGET_FACTS.leakState],
      );
    }
    const text = f.debug2.groups.find((x) => x.title === LEAK)!;
    const creator = f.debug2.dump.frames.func[text.creators[0].frame];
    expect(f.debug2.dump.strings[creator]).toBe('main.(*notifier).replayOutbox.func1');
    // The leak label is in the proto profile and debug=1 text.
    for (const g of [f.proto, f.debug1]) {
      const leak = g.groups.find((x) => x.title === LEAK)!;
      expect(leak.labelSets).toEqual([{ labels: [['component', 'outbox']], count: 37 }]);
    }
    const after2 = forms(after);
    for (const [, g] of entries(after2)) {
      expect(g.groups.some((x) => x.title === LEAK)).toBe(false);
    }
    expect(f.debug2.total - after2.debug2.total).toBe(37);
  });

  it('flags the leak with its reason, and nothing in the fixed build', () => {
    const f = forms(before);
    const text = findLeakSuspects(f.debug2, { minWaitMinutes: 0 });
    expect(text.map((s) => s.reason)).toEqual([`37 goroutines blocked in chan receive in ${LEAK}`]);
    const proto = findLeakSuspects(f.proto);
    expect(proto.map((s) => [f.proto.groups[s.group].title, s.count, s.waitKnown])).toEqual([
      [LEAK, 37, false],
    ]);
    expect(findLeakSuspects(forms(after).debug2, { minWaitMinutes: 0 })).toEqual([]);
  });

  it('debug=1, debug=2 and the proto profile agree on counts per stack', () => {
    for (const w of [before, after]) {
      const f = forms(w);
      const d1 = countsByStack(f.debug1);
      const d2 = countsByStack(f.debug2);
      const pb = countsByStack(f.proto);
      // The goroutine writing the profiles is the only one whose stack differs between the
      // forms (runtime/pprof.writeGoroutineStacks vs writeRuntimeProfile vs the proto path).
      expect([d1.writers, d2.writers, pb.writers]).toEqual([1, 1, 1]);
      expect(sortedEntries(d1.counts)).toEqual(sortedEntries(d2.counts));
      expect(sortedEntries(pb.counts)).toEqual(sortedEntries(d2.counts));
      expect(f.debug1.dump.declaredTotal).toBe(f.debug2.total);
      expect(f.proto.total).toBe(f.debug2.total);
      // States inferred from the proto's runtime frames match what debug=2 prints.
      const printed = new Map(f.debug2.groups.map((g) => [g.key, g.states]));
      expect(f.proto.groups.length).toBeGreaterThan(0);
      for (const g of f.proto.groups) {
        const states = printed.get(g.key);
        // Every group of the proto is a group of the debug=2 dump (same key), except the
        // goroutine that wrote them: each dump catches it at its own call.
        if (g.title === 'main.writeProfile') continue;
        expect(states, `${g.title} is missing from the debug=2 dump`).toBeDefined();
        expect([g.title, g.states[0].state]).toEqual([g.title, states![0].state]);
      }
    }
  });

  it('before/after diff shows the leak group as vanished', () => {
    const d = diffGoroutines([forms(before).debug2, forms(after).debug2]);
    expect(d.rows[0].title).toBe(LEAK);
    expect(d.rows[0].change).toBe('vanished');
    expect(d.rows[0].counts).toEqual([37, 0]);
    expect(d.suspects).toEqual([]);
  });

  it('a real dump cut at every byte gives a GoroutineDumpError or the complete records before the cut', () => {
    for (const file of ['goroutine-debug1.txt', 'goroutine-debug2.txt'] as const) {
      const bytes = new Uint8Array(readFileSync(before.files[file]));
      const full = parseGoroutineDump(bytes);
      const heads = Array.from({ length: full.records.length }, (_, i) => recordHead(full, i));
      const frames = Array.from({ length: full.records.length }, (_, i) =>
        recordFrames(full, i).join('\n'),
      );
      let flagged = 0;
      for (let cut = 0; cut < bytes.length; cut++) {
        let d;
        try {
          d = parseGoroutineDump(bytes.subarray(0, cut));
        } catch (err) {
          expect(err).toBeInstanceOf(GoroutineDumpError);
          continue;
        }
        const n = d.records.length;
        for (let i = 0; i < n - 1; i++) {
          if (recordHead(d, i) !== heads[i] || recordFrames(d, i).join('\n') !== frames[i]) {
            throw new Error(`${file} cut at ${cut}: record ${i} differs`);
          }
        }
        const lastExact =
          n === 0 ||
          (recordHead(d, n - 1) === heads[n - 1] &&
            recordFrames(d, n - 1).join('\n') === frames[n - 1]);
        if (d.truncation) {
          flagged++;
          if (!lastExact && d.truncation.kind !== 'suspected')
            throw new Error(`${file} cut at ${cut}: partial record kept`);
        } else if (!lastExact) {
          // Only the main goroutine (no "created by" line) can be cut unnoticed between frames.
          expect(d.records.id[n - 1]).toBe(1);
          expect(frames[n - 1].startsWith(recordFrames(d, n - 1).join('\n'))).toBe(true);
        }
      }
      expect(flagged).toBeGreaterThan(bytes.length * 0.9);
    }
  });
});

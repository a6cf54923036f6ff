// Go 1.27 goroutine output from the real target (no -leak-interval: exactly the start-up
// leak): the goroutineleak profile and the debug=2 dump taken after it agree on the leaked
// goroutines, our reader marks exactly those as GC-proven leaks, and with
// GODEBUG=tracebacklabels=1 the dump's labels are read (Go's own "(leaked)" marks and
// `go tool pprof` totals are the oracles).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { findGo, GO127, startTarget, TARGET_FACTS, type RunningTarget } from '../helpers/go-target';
import { tempDir } from '../unit/live/support';
import { recordLabels, REC_LEAKED } from '../../core/goroutines/dump';
import { groupGoroutines } from '../../core/goroutines/groups';
import { provenLeaked } from '../../core/goroutines/leaks';
import { readGoroutines } from '../../core/goroutines/load';

let t: RunningTarget;
beforeAll(async () => {
  t = await startTarget({
    mode: 'before',
    toolchain: GO127,
    env: { GODEBUG: 'tracebacklabels=1' },
    startTimeoutMs: 120_000,
  });
}, 300_000);
afterAll(async () => {
  await t?.stop();
});

function pprofTop(file: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(findGo(), ['tool', 'pprof', '-top', file], { timeout: 120_000 }, (err, out, se) =>
      err ? reject(new Error(se || err.message)) : resolve(out),
    ),
  );
}

describe('Go 1.27 goroutine leak evidence', () => {
  it('goroutineleak profile, (leaked) marks and labels agree', async () => {
    const dir = tempDir('g127');
    const leakFile = join(dir, 'goroutineleak.pb.gz');
    const dumpFile = join(dir, 'goroutine-debug2.txt');
    expect(
      (await cli(['capture', t.baseUrl, '--kind', 'goroutineleak', '-o', leakFile])).code,
    ).toBe(0);
    // After the leak-finding GC the runtime keeps the leaked goroutines marked in dumps.
    expect(
      (await cli(['capture', t.baseUrl, '--kind', 'goroutine', '--debug', '2', '-o', dumpFile]))
        .code,
    ).toBe(0);

    const top = await pprofTop(leakFile);
    expect(top).toMatch(new RegExp(`of ${TARGET_FACTS.leakedGoroutines} total`));

    const text = await fs.readFile(dumpFile, 'utf8');
    const goMarked = text.match(/^goroutine \d+ \[[^\]]*\(leaked\)/gm) ?? [];
    expect(goMarked).toHaveLength(TARGET_FACTS.leakedGoroutines);

    const dump = readGoroutines(new Uint8Array(await fs.readFile(dumpFile)));
    expect(dump.warnings).toEqual([]);
    const groups = groupGoroutines(dump);
    let proven = 0;
    for (const g of groups.groups) {
      const n = provenLeaked(groups, g);
      if (n > 0) expect(g.title).toBe(TARGET_FACTS.leakFunction);
      proven += n;
    }
    expect(proven).toBe(TARGET_FACTS.leakedGoroutines);
    // Labels in the traceback: the leaked goroutines carry component=outbox.
    const r = dump.records;
    for (let i = 0; i < r.length; i++) {
      if (r.flags[i] & REC_LEAKED) expect(recordLabels(dump, i)).toEqual([['component', 'outbox']]);
    }
    const labelled = [...Array(r.length).keys()].filter((i) => recordLabels(dump, i).length > 0);
    expect(labelled.length).toBeGreaterThan(TARGET_FACTS.leakedGoroutines); // workers too

    // The goroutineleak profile read as a dump: every goroutine in it is proven leaked.
    const fromProfile = readGoroutines(new Uint8Array(await fs.readFile(leakFile)));
    const pg = groupGoroutines(fromProfile);
    expect(pg.groups.reduce((a, g) => a + provenLeaked(pg, g), 0)).toBe(
      TARGET_FACTS.leakedGoroutines,
    );
  }, 120_000);
});

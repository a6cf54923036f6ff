// The key oracle checks again on Go 1.27 output, with Go 1.27's own tools as the oracles: the
// orders target built by go1.27.3 (GO127, from the module proxy) writes every profile kind, two
// goroutine dumps and a trace, and
// - our -top text equals Go 1.27's `go tool pprof -top` byte for byte, for every kind and
//   sample type, and at lines granularity; every stack of -traces equals ours;
// - our trace reader equals golang.org/x/exp/trace (per-goroutine totals, event stream digest)
//   and our blocking profiles equal Go 1.27's `go tool trace -pprof=net|sync|syscall|sched`;
// - the goroutine dumps (debug=1, debug=2, proto) give the documented leak of 37.
// The Go 1.26 versions of these checks are oracle.test.ts, oracle-printed.test.ts,
// trace-oracle.test.ts, trace-pprof-oracle.test.ts and goroutines.test.ts.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goroutineDumpFromProfile } from '../../core/goroutines/from-profile';
import { groupGoroutines } from '../../core/goroutines/groups';
import { parseGoroutineDump } from '../../core/goroutines/parse';
import { decodeProfile } from '../../core/pprof/decode';
import { encodeProfile } from '../../core/pprof/encode';
import { prepareProfile } from '../../core/pprof/report';
import { topTable } from '../../core/pprof/top';
import { formatTopText } from '../../core/pprof/top-text';
import { parseTrace } from '../../core/trace/parse';
import { blockingProfile, type BlockingProfileKind } from '../../core/trace/profiles';
import { traceTotals } from '../../core/trace/totals';
import {
  buildTarget,
  findGo,
  GO127,
  TARGET_FACTS,
  writeProfiles,
  WRITTEN_FILES,
  type WrittenProfiles,
} from '../helpers/go-target';
import { ourTraces, printedTop, printedTraces, traceKey } from '../helpers/pprof-printed';
import { runPprof, useOracleToolchain } from '../helpers/pprof-raw';
import { canonicalDigest } from '../unit/trace/canonical';
import { buildGoTool, runOracle } from '../unit/trace/go-oracle';

const PPROF_FILES = WRITTEN_FILES.filter((f) => f.endsWith('.pb.gz'));
const TRACE_KINDS: BlockingProfileKind[] = ['net', 'sync', 'syscall', 'sched'];
const run = promisify(execFile);
let dir = '';
let w: WrittenProfiles;
const counts = { texts: 0, stacks: 0, traceProfiles: 0, events: 0 };

beforeAll(async () => {
  findGo(); // fails with a clear message when Go is missing
  useOracleToolchain(GO127);
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-oracle-go127-'));
  const [bin] = await Promise.all([buildTarget(GO127), buildGoTool('.')]);
  // The binary really is a Go 1.27 build (the go command fetched the toolchain).
  const version = execFileSync(findGo(), ['version', bin], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  expect(version).toContain(`: ${GO127}`);
  w = await writeProfiles(join(dir, 'before'), {
    mode: 'before',
    duration: '2500ms',
    toolchain: GO127,
  });
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(
    `oracle go1.27: ${counts.texts} -top texts identical, ${counts.stacks} stacks of -traces equal, ` +
      `${counts.traceProfiles} trace blocking profiles equal, ${counts.events} trace events equal`,
  );
});

describe('Go 1.27 profiles against Go 1.27 go tool pprof', () => {
  it('the go tool pprof used is Go 1.27', () => {
    expect(
      execFileSync(findGo(), ['version'], {
        encoding: 'utf8',
        env: { ...process.env, GOTOOLCHAIN: GO127 },
      }),
    ).toContain(GO127);
  });

  it.each(PPROF_FILES)('%s: -top text is identical for every sample type', (name) => {
    const file = w.files[name];
    const profile = decodeProfile(new Uint8Array(readFileSync(file)));
    expect(profile.samples.length, name).toBeGreaterThan(0);
    for (let i = 0; i < profile.sampleTypes.length; i++) {
      const prep = prepareProfile(profile, { sampleIndex: i });
      const ours = formatTopText(
        prep.profile,
        topTable(prep, { nodeFraction: 0.005, inlineLabels: true }),
        prep.activeFilters,
      );
      expect(ours, `${name} sample ${i}`).toBe(runPprof(['-top', `-sample_index=${i}`, file]));
      counts.texts++;
    }
  });

  it.each(['cpu.pb.gz', 'heap.pb.gz'] as const)('%s: -top -lines is identical', (name) => {
    const file = w.files[name];
    const prep = prepareProfile(decodeProfile(new Uint8Array(readFileSync(file))));
    const ours = formatTopText(
      prep.profile,
      topTable(prep, { granularity: 'lines', nodeFraction: 0, inlineLabels: true }),
    );
    expect(ours).toBe(runPprof(['-top', '-lines', '-nodefraction=0', file]));
    counts.texts++;
  });

  it.each(['cpu.pb.gz', 'allocs.pb.gz', 'mutex.pb.gz'] as const)(
    '%s: every stack of -traces equals ours',
    (name) => {
      const file = w.files[name];
      const profile = decodeProfile(new Uint8Array(readFileSync(file)));
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        const t = profile.sampleTypes[i];
        const go = printedTraces(file, t, i).map(traceKey).sort();
        expect(go.length).toBeGreaterThan(0);
        expect(ourTraces(profile, i).map(traceKey).sort(), `${name} ${t.type}`).toEqual(go);
        counts.stacks += go.length;
      }
    },
  );
});

describe('Go 1.27 trace against Go 1.27 readers', () => {
  it('equals golang.org/x/exp/trace: totals and the whole event stream', async () => {
    const file = w.files['trace.out'];
    const bytes = readFileSync(file);
    const { eventCount, eventsSha256, error, ...want } = await runOracle(file);
    expect(error).toBeUndefined();
    const model = parseTrace(bytes);
    expect(traceTotals(model)).toEqual(want);
    const digest = canonicalDigest(bytes, createHash);
    expect(digest.count).toBe(eventCount);
    expect(digest.sha256).toBe(eventsSha256);
    expect(model.samples.length, 'CPU samples').toBeGreaterThan(0);
    expect(model.warnings).toEqual([]);
    counts.events += eventCount;
  }, 300_000);

  it('blocking profiles equal go tool trace -pprof of Go 1.27', async () => {
    const file = w.files['trace.out'];
    const model = parseTrace(readFileSync(file));
    let nonEmpty = 0;
    for (const kind of TRACE_KINDS) {
      const { stdout } = await run(findGo(), ['tool', 'trace', `-pprof=${kind}`, file], {
        env: { ...process.env, GOTOOLCHAIN: GO127 },
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
        timeout: 120_000,
      });
      const goFile = join(dir, `go-${kind}.pb`);
      writeFileSync(goFile, stdout);
      const go = decodeProfile(new Uint8Array(stdout));
      const ours = blockingProfile(model, kind);
      expect(ours.sampleTypes, kind).toEqual(go.sampleTypes);
      for (let i = 0; i < go.sampleTypes.length; i++)
        expect(ourTraces(ours, i).map(traceKey).sort(), kind).toEqual(
          ourTraces(go, i).map(traceKey).sort(),
        );
      // Ours as a file, printed by the same Go 1.27 go tool pprof as Go's.
      const ourFile = join(dir, `ours-${kind}.pb.gz`);
      writeFileSync(ourFile, encodeProfile(ours));
      const t = go.sampleTypes[1];
      expect(printedTraces(ourFile, t, 1).map(traceKey).sort(), kind).toEqual(
        printedTraces(goFile, t, 1).map(traceKey).sort(),
      );
      if (go.samples.length > 0) nonEmpty++;
      counts.traceProfiles++;
    }
    // The target blocks on channels, mutexes and the scheduler.
    expect(nonEmpty).toBeGreaterThanOrEqual(2);
  }, 300_000);
});

describe('Go 1.27 goroutine dumps', () => {
  it('the known leak is one group of 37 in debug=1, debug=2 and the proto profile', () => {
    const forms = {
      debug1: groupGoroutines(parseGoroutineDump(readFileSync(w.files['goroutine-debug1.txt']))),
      debug2: groupGoroutines(parseGoroutineDump(readFileSync(w.files['goroutine-debug2.txt']))),
      proto: groupGoroutines(
        goroutineDumpFromProfile(decodeProfile(readFileSync(w.files['goroutine.pb.gz']))),
      ),
    };
    for (const [name, g] of Object.entries(forms)) {
      const leak = g.groups.filter((x) => x.title === TARGET_FACTS.leakFunction);
      expect([name, leak.map((x) => x.count)]).toEqual([name, [TARGET_FACTS.leakedGoroutines]]);
    }
    // Go 1.27's go tool pprof counts the same 37 in the proto profile.
    const file = w.files['goroutine.pb.gz'];
    const t = decodeProfile(readFileSync(file)).sampleTypes[0];
    const row = printedTop(file, t, 0).find((r) => r.name === TARGET_FACTS.leakFunction);
    expect(row?.cum).toBe(TARGET_FACTS.leakedGoroutines);
  });
});

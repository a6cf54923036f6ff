// Oracle: the Timeline's blocking profiles against `go tool trace -pprof=net|sync|syscall|sched`,
// Go's own profiles of the same trace, for every fixture trace and every successful case of
// Go's trace test corpus: every stack, count and nanosecond, on the decoded files and as
// `go tool pprof -traces -unit=ns` prints both.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProfile } from '../../core/pprof/encode';
import { decodeProfile } from '../../core/pprof/decode';
import { parseTrace } from '../../core/trace/parse';
import { schedulerLatency } from '../../core/trace/latency';
import { blockingProfile, type BlockingProfileKind } from '../../core/trace/profiles';
import { findGo } from '../helpers/go-target';
import { ourTraces, printedTraces, traceKey } from '../helpers/pprof-printed';
import { parseTxtar, textTraceToBinary } from '../unit/trace/trace-writer';

const repo = resolve(__dirname, '..', '..');
const KINDS: BlockingProfileKind[] = ['net', 'sync', 'syscall', 'sched'];
let dir = '';
const traces: Array<{ name: string; file: string }> = [];
const counts = { traces: 0, profiles: 0, nonEmpty: 0, stacks: 0, noGoroutines: 0, latency: 0 };
const run = promisify(execFile);

beforeAll(() => {
  const go = findGo();
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-trace-pprof-'));
  for (const side of ['before', 'after']) {
    traces.push({ name: `fixture ${side}`, file: join(repo, `test/fixtures/${side}/trace.out`) });
  }
  for (const v of ['122', '123', '125', '126']) {
    traces.push({ name: `go${v}`, file: join(repo, `test/unit/trace/fixtures/go${v}.trace`) });
  }
  const root = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const corpus = join(root, 'src', 'internal', 'trace', 'testdata', 'tests');
  if (!existsSync(corpus)) throw new Error(`Go's trace test corpus is missing at ${corpus}`);
  for (const f of readdirSync(corpus).sort()) {
    if (!f.endsWith('.test')) continue;
    const { expect: want, trace } = parseTxtar(readFileSync(join(corpus, f), 'utf8'));
    if (!want.startsWith('SUCCESS')) continue;
    const file = join(dir, `${f}.bin`);
    writeFileSync(file, textTraceToBinary(trace));
    traces.push({ name: `corpus ${f}`, file });
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(
    `trace pprof oracle: ${counts.traces} traces, ${counts.profiles} profiles identical to go tool trace -pprof ` +
      `(${counts.nonEmpty} non-empty, ${counts.stacks} stacks); ${counts.noGoroutines} refused by Go (no goroutines), ours empty; latency count and sum equal Go's sched profile for ${counts.latency} traces`,
  );
});

/** Go's profile of FILE, written to disk; null when Go finds no goroutine in the trace. */
async function goProfile(
  file: string,
  kind: BlockingProfileKind,
  n: number,
): Promise<string | null> {
  const out = join(dir, `${n}-${kind}.pb`);
  try {
    const { stdout } = await run(findGo(), ['tool', 'trace', `-pprof=${kind}`, file], {
      env: { ...process.env, GOTOOLCHAIN: 'local' },
      encoding: 'buffer',
      maxBuffer: 256 * 1024 * 1024,
      timeout: 120_000,
    });
    writeFileSync(out, stdout);
    return out;
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
    if (stderr.includes('failed to find matching goroutines')) return null;
    throw err;
  }
}

describe('blocking profiles equal go tool trace -pprof', () => {
  it('every fixture and corpus trace, every kind', async () => {
    expect(traces.length).toBeGreaterThan(20);
    for (const { name, file } of traces) {
      const model = parseTrace(readFileSync(file));
      const n = counts.traces;
      const goFiles = await Promise.all(KINDS.map((kind) => goProfile(file, kind, n)));
      let nonEmptyHere = 0;
      KINDS.forEach((kind, k) => {
        const what = `${name} ${kind}`;
        const ours = blockingProfile(model, kind);
        const goFile = goFiles[k];
        if (goFile === null) {
          // Go refuses a trace without goroutines; ours is then empty.
          expect(model.goroutines.length, what).toBe(0);
          expect(ours.samples.length, what).toBe(0);
          counts.noGoroutines++;
          return;
        }
        const go = decodeProfile(new Uint8Array(readFileSync(goFile)));
        expect(ours.sampleTypes, what).toEqual(go.sampleTypes);
        // Every sample's stack and both values (samples without a stack included).
        for (let i = 0; i < go.sampleTypes.length; i++) {
          expect(ourTraces(ours, i).map(traceKey).sort(), what).toEqual(
            ourTraces(go, i).map(traceKey).sort(),
          );
        }
        // Our profile as a file, printed by the same `go tool pprof` as Go's.
        const ourFile = join(dir, `ours-${n}-${kind}.pb.gz`);
        writeFileSync(ourFile, encodeProfile(ours));
        const t = go.sampleTypes[1];
        const goStacks = printedTraces(goFile, t, 1).map(traceKey).sort();
        expect(printedTraces(ourFile, t, 1).map(traceKey).sort(), what).toEqual(goStacks);
        counts.stacks += goStacks.length;
        if (kind === 'sched') {
          // The latency panel's figures: its waits are the sched profile's samples.
          const h = schedulerLatency(model);
          let contentions = 0;
          let delay = 0;
          for (let j = 0; j < go.samples.length; j++) {
            contentions += go.samples.values[j * 2];
            delay += go.samples.values[j * 2 + 1];
          }
          expect([h.count, h.sumNs], `${name} latency count and sum`).toEqual([contentions, delay]);
          expect(h.counts.reduce((x, y) => x + y, 0)).toBe(h.count);
          counts.latency++;
        }
        if (go.samples.length > 0) nonEmptyHere++;
        counts.profiles++;
      });
      counts.traces++;
      counts.nonEmpty += nonEmptyHere;
    }
    // The fixtures block on channels, mutexes, syscalls and the scheduler.
    expect(counts.nonEmpty).toBeGreaterThan(traces.length);
  }, 600_000);
});

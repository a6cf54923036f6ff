// Our trace reader against Go's (golang.org/x/exp/trace, in test/oracles/trace) on real traces:
// the orders target in test/targets (CPU samples, several generations), the committed fixtures,
// mktrace's workloads (many goroutines, syscalls, GC, coroutine switches, short generations)
// and truncated copies. Per-goroutine state totals, GC count, STW total and the digest of the
// whole ordered event stream must be identical.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceError } from '../../core/trace/errors';
import { parseTrace } from '../../core/trace/parse';
import { traceTotals } from '../../core/trace/totals';
import { findGo, writeProfiles } from '../helpers/go-target';
import { canonicalDigest } from '../unit/trace/canonical';
import { buildGoTool, mktrace, runOracle } from '../unit/trace/go-oracle';

const repo = resolve(__dirname, '..', '..');
let dir = '';
const traces: Array<{
  name: string;
  file: string;
  expect?: { samples?: boolean; generations?: number; truncated?: boolean };
}> = [];
const compared = { traces: 0, goroutines: 0, events: 0, truncated: 0 };

beforeAll(async () => {
  findGo(); // fails with a clear message when Go is missing
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-trace-oracle-'));
  await Promise.all([buildGoTool('.'), buildGoTool('./cmd/mktrace')]);
  const before = await writeProfiles(join(dir, 'before'), { mode: 'before', duration: '2500ms' });
  const after = await writeProfiles(join(dir, 'after'), { mode: 'after', duration: '2500ms' });
  traces.push({
    name: 'orders before',
    file: before.files['trace.out'],
    expect: { samples: true, generations: 2 },
  });
  traces.push({
    name: 'orders after',
    file: after.files['trace.out'],
    expect: { samples: true, generations: 2 },
  });
  traces.push({ name: 'fixture before', file: join(repo, 'test/fixtures/before/trace.out') });
  traces.push({ name: 'fixture after', file: join(repo, 'test/fixtures/after/trace.out') });
  // Real traces written by Go 1.22, 1.23 and 1.25 toolchains (and 1.26), several generations each.
  for (const v of ['122', '123', '125', '126']) {
    traces.push({
      name: `go${v} fixture`,
      file: join(repo, `test/unit/trace/fixtures/go${v}.trace`),
      expect: { generations: 1 },
    });
  }
  const all = join(dir, 'mix-all.out');
  await mktrace({
    out: all,
    duration: '800ms',
    workers: 1,
    cpuprofile: true,
    gomaxprocs: 3,
    advancePeriodNs: 100_000_000,
  });
  traces.push({
    name: 'mktrace all (short generations, CPU samples)',
    file: all,
    expect: { samples: true, generations: 4 },
  });
  const svc = join(dir, 'service.out');
  await mktrace({ out: svc, duration: '600ms', mix: 'service', workers: 4 });
  traces.push({ name: 'mktrace service', file: svc });
  // Cut copies: the reader keeps every complete generation, like Go's tools.
  const whole = readFileSync(before.files['trace.out']);
  for (const frac of [0.5, 0.85, 0.97]) {
    const cut = join(dir, `cut-${frac}.out`);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * frac)));
    traces.push({
      name: `orders before cut at ${frac * 100}%`,
      file: cut,
      expect: { truncated: true },
    });
  }
}, 900_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(
    `trace oracle: ${compared.traces} traces (${compared.truncated} cut short), ${compared.goroutines} goroutines, ${compared.events} events compared, all equal`,
  );
});

describe('trace reader vs Go oracle', () => {
  it('matches Go on every trace', async () => {
    expect(traces.length).toBeGreaterThanOrEqual(13);
    for (const t of traces) {
      const bytes = readFileSync(t.file);
      const oracle = await runOracle(t.file);
      const { eventCount, eventsSha256, error, ...want } = oracle;
      let model;
      try {
        model = parseTrace(bytes);
      } catch (err) {
        // Nothing complete to keep: Go kept only the first Sync, and reported the problem.
        expect(err, t.name).toBeInstanceOf(TraceError);
        expect(error, t.name).toBeDefined();
        expect(eventCount, t.name).toBeLessThanOrEqual(1);
        expect(t.expect?.truncated, `${t.name}: only cut traces may fail`).toBe(true);
        continue;
      }
      const totals = traceTotals(model);
      expect(totals, t.name).toEqual(want);
      const digest = canonicalDigest(bytes, createHash);
      expect(digest.count, `${t.name}: events`).toBe(eventCount);
      expect(digest.sha256, `${t.name}: event stream digest`).toBe(eventsSha256);
      expect(model.eventCount, `${t.name}: model event count`).toBe(eventCount);
      expect(model.warnings.length > 0, `${t.name}: warning iff Go reports an error`).toBe(
        error !== undefined,
      );
      if (t.expect?.samples)
        expect(model.samples.length, `${t.name}: CPU samples`).toBeGreaterThan(0);
      if (t.expect?.generations)
        expect(model.generations, `${t.name}: generations`).toBeGreaterThanOrEqual(
          t.expect.generations,
        );
      if (t.expect?.truncated) {
        expect(error, `${t.name}: Go sees the cut`).toBeDefined();
        expect(model.warnings[0].kind).toBe('truncated');
      }
      expect(totals.goroutines.length).toBeGreaterThan(5);
      expect(totals.goVersion).toBe(oracle.goVersion);
      compared.traces++;
      if (t.expect?.truncated) compared.truncated++;
      compared.goroutines += totals.goroutines.length;
      compared.events += eventCount;
    }
    expect(compared.truncated, 'cut traces with complete generations compared').toBeGreaterThan(0);
  }, 900_000);
});

// CPU profile samples in a trace: per-function flat and cum counts, over the whole trace and
// over windows, equal Go's reader (test/oracles/trace -cpu, golang.org/x/exp/trace), both as
// cpuSampleCounts gives them and as the windowed profile the flame graph opens holds them; the
// timeline's per-lane marks hold every sample of the window once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../core/pprof/model';
import { cpuSampleCounts, sampleMarks, samplesByGoroutine } from '../../../core/trace/cpu-samples';
import { parseTrace } from '../../../core/trace/parse';
import { cpuSampleProfile } from '../../../core/trace/profiles';
import { mktrace, oracleCpu } from './go-oracle';

const repo = resolve(__dirname, '..', '..', '..');
let dir = '';
const files: string[] = [
  join(repo, 'test/fixtures/before/trace.out'),
  join(repo, 'test/fixtures/after/trace.out'),
  join(repo, 'test/unit/trace/fixtures/go126.trace'),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-cpu-'));
  const out = join(dir, 'cpu.trace');
  // A busy workload traced with the CPU profiler on: hundreds of samples.
  await mktrace({ out, duration: '1500ms', mix: 'all', workers: 4, cpuprofile: true });
  files.push(out);
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Flat and cum per function of a pprof profile with one value per sample. */
function profileCounts(p: Profile): Record<string, { flat: number; cum: number }> {
  const out: Record<string, { flat: number; cum: number }> = {};
  for (let i = 0; i < p.samples.length; i++) {
    const v = p.samples.values[i];
    const seen = new Set<string>();
    let leaf = true;
    for (let s = p.samples.stack[i]; s >= 0; s = p.stacks.prefix[s]) {
      const loc = p.stacks.frame[s];
      const fn = p.lines.func[p.locations.lineStart[loc]];
      const name = p.strings[p.functions.name[fn]];
      const c = (out[name] ??= { flat: 0, cum: 0 });
      if (leaf) c.flat += v;
      leaf = false;
      if (!seen.has(name)) c.cum += v;
      seen.add(name);
    }
  }
  return out;
}

function asRecord(
  m: Map<string, { flat: number; cum: number }>,
): Record<string, { flat: number; cum: number }> {
  return Object.fromEntries(m);
}

describe("CPU samples equal Go's reader", () => {
  it('per function, over the whole trace and over windows', async () => {
    let windows = 0;
    let withSamples = 0;
    for (const f of files) {
      const model = parseTrace(new Uint8Array(readFileSync(f)));
      const d = model.durationNs;
      for (const [t0, t1] of [
        [0, -1],
        [0, Math.floor(d / 2)],
        [Math.floor(d / 3), Math.floor((2 * d) / 3)],
      ] as const) {
        const want = await oracleCpu(f, t0, t1);
        const end = t1 < 0 ? Number.POSITIVE_INFINITY : t1;
        const got = cpuSampleCounts(model, t0, end);
        expect(got.samples, `${f} [${t0}, ${t1})`).toBe(want.samples);
        expect(asRecord(got.functions)).toEqual(want.functions);
        const prof = cpuSampleProfile(model, undefined, { t0, t1: end });
        expect(profileCounts(prof)).toEqual(want.functions);
        windows++;
        if (want.samples > 0) withSamples++;
      }
    }
    expect(windows).toBe(files.length * 3);
    expect(withSamples).toBeGreaterThanOrEqual(6);
  });

  it('lane marks hold every sample of a goroutine in the window once', () => {
    const model = parseTrace(new Uint8Array(readFileSync(files[0])));
    const idx = samplesByGoroutine(model);
    const rows = Array.from({ length: model.goroutines.length }, (_, g) => g);
    const t0 = model.durationNs / 4;
    const t1 = (3 * model.durationNs) / 4;
    const marks = sampleMarks(model, idx, rows, t0, t1, 800);
    let want = 0;
    for (let i = 0; i < model.samples.length; i++) {
      const t = model.samples.time[i];
      if (model.samples.goroutine[i] >= 0 && t >= t0 && t < t1) want++;
    }
    expect(want).toBeGreaterThan(10);
    expect(marks.count.reduce((a, b) => a + b, 0)).toBe(want);
    for (let k = 0; k < marks.px.length; k++) {
      expect(marks.px[k]).toBeGreaterThanOrEqual(0);
      expect(marks.px[k]).toBeLessThan(800);
    }
  });
});

// Mutation fuzzing of the GC log reader from real gctrace output: every input must either be
// read or refused with a GcTraceError, quickly (a hang detector, not a speed test), and what
// is read must be well-formed. Deterministic: a seeded PRNG, so a failure names its case.
import { describe, expect, it } from 'vitest';
import { GcTraceError, looksLikeGcLog, readGcTrace } from '../../../core/gctrace';
import { prng } from '../../helpers/prng';
import { REAL_BEFORE } from './real-lines';

const CASES = 2500;
const SEED = 0x6c0c2026;
const HANG_MS = 1000;

const PIECES = [
  'gc ',
  'scav ',
  ' @',
  's ',
  '%: ',
  '+',
  '/',
  ' ms clock, ',
  ' ms cpu, ',
  '->',
  ' MB, ',
  ' MB goal, ',
  ' P',
  ' (forced)',
  '{"log":"',
  '"}',
  '\n',
  '\\n',
  '9'.repeat(30),
  '.',
  '',
  'GC forced',
  '\u00e9',
  '\r\n',
];

function mutate(base: Uint8Array, rnd: () => number): Uint8Array {
  const bytes = Array.from(base);
  const n = 1 + Math.floor(rnd() * 6);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    const op = Math.floor(rnd() * 5);
    if (op === 0) bytes[at] = Math.floor(rnd() * 256);
    else if (op === 1) bytes.splice(at, 1 + Math.floor(rnd() * 40));
    else if (op === 2)
      bytes.splice(at, 0, ...new TextEncoder().encode(PIECES[Math.floor(rnd() * PIECES.length)]));
    else if (op === 3) bytes.length = Math.max(0, at);
    else {
      const from = Math.floor(rnd() * bytes.length);
      bytes.splice(at, 0, ...bytes.slice(from, from + Math.floor(rnd() * 200)));
    }
  }
  return Uint8Array.from(bytes);
}

describe('gctrace fuzz', () => {
  it(`${CASES} mutations of real output are read or refused, never crash or hang`, () => {
    const rnd = prng(SEED);
    const base = new TextEncoder().encode(REAL_BEFORE);
    let read = 0;
    for (let i = 0; i < CASES; i++) {
      const input = mutate(base, rnd);
      const t0 = performance.now();
      try {
        const t = readGcTrace(input);
        read++;
        for (const s of t.streams) {
          const c = s.cycles;
          for (let j = 0; j < c.length; j++) {
            for (const col of [
              c.num,
              c.atS,
              c.sweepTermMs,
              c.markTermMs,
              c.heapLiveMB,
              c.heapGoalMB,
              c.procs,
            ])
              expect(Number.isFinite(col[j]) && col[j] >= 0, `case ${i}`).toBe(true);
          }
        }
        const cycles = t.streams.reduce((a, s) => a + s.cycles.length, 0);
        expect(cycles, `case ${i}`).toBeGreaterThan(0);
        expect(t.unreadable.count === 0 || t.unreadable.example !== null, `case ${i}`).toBe(true);
      } catch (e) {
        if (!(e instanceof GcTraceError)) throw new Error(`case ${i}: ${String(e)}`, { cause: e });
      }
      looksLikeGcLog(input);
      expect(performance.now() - t0, `case ${i}`).toBeLessThan(HANG_MS);
    }
    // Most mutations leave some lines intact: a reader refusing everything would fail here.
    expect(read).toBeGreaterThan(CASES / 2);
  });
});

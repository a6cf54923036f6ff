// The cases of the trace reader fuzz (fuzz.test.ts), run in a worker thread (fuzz-worker.ts)
// so the test can stop a case that hangs: mutations of real traces (bit flips, byte
// overwrites, truncations, splices, corrupted batch and string lengths, dropped, duplicated
// and swapped batches), seeded, and the exercise of every derived view on what parses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeGoroutines } from '../../../core/trace/analysis';
import { buildCountIndex, goroutineCountLod } from '../../../core/trace/counters';
import { TraceError } from '../../../core/trace/errors';
import { buildTimelineIndex, describeSpan } from '../../../core/trace/lanes';
import { schedulerLatency } from '../../../core/trace/latency';
import { goroutineLod, procLod } from '../../../core/trace/lod';
import { TraceParser, parseTrace } from '../../../core/trace/parse';
import { blockingProfile, cpuSampleProfile } from '../../../core/trace/profiles';
import { gcPhases, stopTheWorlds } from '../../../core/trace/ranges';
import { userRegions, userTasks } from '../../../core/trace/annotations';
import { traceTotals } from '../../../core/trace/totals';
import { cpuSampleCounts, sampleMarks, samplesByGoroutine } from '../../../core/trace/cpu-samples';
import { gcCycles, gcSummary } from '../../../core/trace/gc-cycles';
import { mmuCurve, mmuPlot, mutatorUtilization } from '../../../core/trace/mmu';
import { textTraceToBinary } from './trace-writer';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets and lengths of the batches of a trace (header at `at`, data at `data`). */
function batches(
  b: Uint8Array,
): Array<{ at: number; sizeAt: number; sizeLen: number; data: number; end: number }> {
  const out: Array<{ at: number; sizeAt: number; sizeLen: number; data: number; end: number }> = [];
  let p = 16;
  while (p < b.length) {
    const at = p;
    if (b[p] === 52) {
      p++;
      continue;
    }
    if (b[p] !== 1 && b[p] !== 49) break;
    p += b[p] === 49 ? 2 : 1;
    let sizeAt = p;
    let size = 0;
    for (let f = 0; f < 4; f++) {
      sizeAt = p;
      let v = 0;
      let mul = 1;
      while (p < b.length && b[p] & 0x80) {
        v += (b[p] & 0x7f) * mul;
        mul *= 128;
        p++;
      }
      v += (b[p] ?? 0) * mul;
      p++;
      size = v;
    }
    out.push({ at, sizeAt, sizeLen: p - sizeAt, data: p, end: p + size });
    p += size;
  }
  return out;
}

/** A hand-made Go 1.25 trace: sync batch, syscalls, creation, unblock. */
function smallSeeds(): Uint8Array[] {
  const text = `Trace Go1.25
EventBatch gen=1 m=18446744073709551615 time=9 size=16
Sync
Frequency freq=1000000000
ClockSnapshot dt=1 mono=99 sec=1740755049 nsec=123
EventBatch gen=1 m=1 time=15 size=31
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=18446744073709551615 gstatus=2
GoCreate dt=1 new_g=2 new_stack=1 stack=1
GoBlock dt=1 reason_string=1 stack=1
GoStart dt=1 g=2 g_seq=1
GoSyscallBegin dt=1 p_seq=1 stack=1
GoSyscallEnd dt=1
GoUnblock dt=1 g=1 g_seq=1 stack=0
GoDestroy dt=1
EventBatch gen=1 m=18446744073709551615 time=11 size=9
Stacks
Stack id=1 nframes=1
	pc=4096 func=2 file=3 line=7
EventBatch gen=1 m=18446744073709551615 time=12 size=27
Strings
String id=1
	data="chan receive"
String id=2
	data="main.f"
String id=3
	data="f.go"
`;
  return [textTraceToBinary(text)];
}

type Mutation = (b: Uint8Array, rnd: () => number, other: Uint8Array) => Uint8Array;
const INTERESTING = [0, 1, 2, 3, 0x7f, 0x80, 0xff, 49, 50, 52, 128];

const mutations: Record<string, Mutation> = {
  bitflip(b, rnd) {
    const c = Uint8Array.from(b);
    const n = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < n; i++) c[Math.floor(rnd() * c.length)] ^= 1 << Math.floor(rnd() * 8);
    return c;
  },
  overwrite(b, rnd) {
    const c = Uint8Array.from(b);
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++)
      c[16 + Math.floor(rnd() * (c.length - 16))] =
        INTERESTING[Math.floor(rnd() * INTERESTING.length)];
    return c;
  },
  truncate(b, rnd) {
    return b.slice(0, Math.floor(rnd() * b.length));
  },
  splice(b, rnd, other) {
    const at = 16 + Math.floor(rnd() * (b.length - 16));
    const len = Math.floor(rnd() * 2048);
    const from = Math.floor(rnd() * other.length);
    const piece = other.subarray(from, from + len);
    const keep = rnd() < 0.5 ? at + Math.floor(rnd() * 2048) : at;
    const out = new Uint8Array(at + piece.length + Math.max(0, b.length - keep));
    out.set(b.subarray(0, at));
    out.set(piece, at);
    out.set(b.subarray(Math.min(keep, b.length)), at + piece.length);
    return out;
  },
  batchLength(b, rnd) {
    const list = batches(b);
    if (list.length === 0) return b;
    const x = list[Math.floor(rnd() * list.length)];
    const c = Uint8Array.from(b);
    // Rewrite the size in the same number of bytes (the runtime pads it), so the rest stays put.
    let v = rnd() < 0.5 ? x.end - x.data + Math.floor(rnd() * 9) - 4 : Math.floor(rnd() * 200000);
    if (v < 0) v = 0;
    for (let i = 0; i < x.sizeLen; i++) {
      const last = i === x.sizeLen - 1;
      c[x.sizeAt + i] = (v & 0x7f) | (last ? 0 : 0x80);
      v = Math.floor(v / 128);
    }
    return c;
  },
  stringLength(b, rnd) {
    // Corrupt a length inside a string table batch (first byte 4).
    const list = batches(b).filter((x) => b[x.data] === 4);
    if (list.length === 0) return b;
    const x = list[Math.floor(rnd() * list.length)];
    const c = Uint8Array.from(b);
    const at = x.data + 1 + Math.floor(rnd() * Math.max(1, x.end - x.data - 1));
    c[at] = Math.floor(rnd() * 256);
    return c;
  },
  dropBatch(b, rnd) {
    const list = batches(b);
    if (list.length === 0) return b;
    const x = list[Math.floor(rnd() * list.length)];
    return Uint8Array.from([...b.subarray(0, x.at), ...b.subarray(Math.min(x.end, b.length))]);
  },
  duplicateBatch(b, rnd) {
    const list = batches(b);
    if (list.length === 0) return b;
    const x = list[Math.floor(rnd() * list.length)];
    const piece = b.subarray(x.at, Math.min(x.end, b.length));
    return Uint8Array.from([...b.subarray(0, x.at), ...piece, ...b.subarray(x.at)]);
  },
  swapBatches(b, rnd) {
    const list = batches(b).filter((x) => x.end <= b.length);
    if (list.length < 2) return b;
    const i = Math.floor(rnd() * (list.length - 1));
    const x = list[i];
    const y = list[i + 1];
    return Uint8Array.from([
      ...b.subarray(0, x.at),
      ...b.subarray(y.at, y.end),
      ...b.subarray(x.end, y.at),
      ...b.subarray(x.at, x.end),
      ...b.subarray(y.end),
    ]);
  },
  header(b, rnd) {
    const c = Uint8Array.from(b);
    c[Math.floor(rnd() * 16)] = Math.floor(rnd() * 256);
    return c;
  },
};

/** Parses and, on success, computes every derived view. Throws whatever escapes. */
export function exercise(bytes: Uint8Array, rnd: () => number): 'ok' | 'error' {
  let model;
  try {
    if (rnd() < 0.3) {
      const p = new TraceParser();
      for (let i = 0; i < bytes.length;) {
        const n = 1 + Math.floor(rnd() * 9000);
        p.push(bytes.subarray(i, i + n));
        i += n;
      }
      model = p.finish();
    } else {
      model = parseTrace(bytes);
    }
  } catch (err) {
    if (err instanceof TraceError) return 'error';
    throw err;
  }
  traceTotals(model);
  analyzeGoroutines(model);
  const index = buildTimelineIndex(model);
  const rows = Int32Array.from({ length: Math.min(model.goroutines.length, 50) }, (_, i) => i);
  const q = { t0: 0, t1: Math.max(1, model.durationNs), widthPx: 200 };
  const lod = goroutineLod(model, index, rows, q);
  for (let i = 0; i < lod.ref.length; i++)
    if (lod.ref[i] >= 0) describeSpan(model, index, lod.ref[i]);
  procLod(
    model,
    index,
    Int32Array.from({ length: model.procs.length }, (_, i) => i),
    q,
  );
  goroutineCountLod(model, buildCountIndex(model), q);
  gcPhases(model);
  stopTheWorlds(model);
  userTasks(model);
  userRegions(model);
  schedulerLatency(model);
  blockingProfile(model, 'sync');
  blockingProfile(model, 'sched');
  cpuSampleProfile(model);
  cpuSampleCounts(model, q.t0, q.t1);
  sampleMarks(model, samplesByGoroutine(model), rows, q.t0, q.t1, 100);
  gcCycles(model);
  gcSummary(model);
  for (const perProc of [false, true]) {
    const flags = { stw: true, background: true, assist: true, sweep: true, perProc };
    const curve = mmuCurve(mutatorUtilization(model, flags));
    mmuPlot(curve, 8);
  }
  return 'ok';
}

export const CASES = 3000;

export type Outcome = 'ok' | 'error';

/**
 * Runs the seeded cases (seeds read from the repository at `repo`) in order; `before(c, what)` is called as case c starts and
 * `after(c, outcome)` when it ends. Anything but a TraceError escapes, naming the case.
 */
export function runCases(
  repo: string,
  before: (c: number, what: string) => void,
  after: (c: number, outcome: Outcome) => void,
): void {
  const seeds = [
    readFileSync(join(repo, 'test/fixtures/after/trace.out')),
    readFileSync(join(repo, 'test/unit/trace/fixtures/go122.trace')),
    readFileSync(join(repo, 'test/unit/trace/fixtures/go126.trace')),
    ...smallSeeds(),
  ];
  const names = Object.keys(mutations);
  const rnd = mulberry32(20260115);
  // Compile the code paths once before the cases.
  for (const s of seeds) exercise(s, mulberry32(1));
  for (let c = 0; c < CASES; c++) {
    const seed = seeds[c % seeds.length];
    const other = seeds[Math.floor(rnd() * seeds.length)];
    const name = names[Math.floor(rnd() * names.length)];
    let bytes = mutations[name](seed, rnd, other);
    if (rnd() < 0.15) bytes = mutations[names[Math.floor(rnd() * names.length)]](bytes, rnd, other);
    const what = `case ${c} (${name} of seed ${c % seeds.length})`;
    before(c, what);
    let result: Outcome;
    try {
      result = exercise(bytes, rnd);
    } catch (err) {
      throw new Error(`${what} threw ${String(err)}`, { cause: err });
    }
    after(c, result);
  }
}

// Execution trace of ≥ 100 MB: our reader (core/trace) against Go's own (golang.org/x/exp/trace
// through test/oracles/trace) on the same file, side by side in one run.
//
// Figures: parse time (file already in memory) and its ratio to Go's time to read every event
// (target ≤ 2.0); peak memory (the process's peak RSS, measured in a fresh process) against the
// file size (target ≤ 5x), with the whole file in memory and with the file fed in 4 MB chunks
// (only the generation being read is buffered). The trace comes from
// test/oracles/trace/cmd/mktrace -mix service (an HTTP service on loopback) and is kept in
// bench/.data/ (git-ignored).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { buildTimelineIndex } from '../../core/trace/lanes';
import type { TraceModel } from '../../core/trace/model';
import { TraceParser, parseTrace } from '../../core/trace/parse';

const root = resolve(process.cwd());
const dataDir = join(root, 'bench', '.data');
const binDir = join(dataDir, 'bin');
const traceFile = join(dataDir, 'trace-service.out');
const oracleDir = join(root, 'test', 'oracles', 'trace');
const MIN_BYTES = 100 * 1024 * 1024;
const go = process.env.GO ?? 'go';

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** Peak resident memory of this process so far (Linux VmHWM; else the current RSS). */
function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss;
}

function modelBytes(m: TraceModel): number {
  let n = 0;
  const seen = new Set<ArrayBufferLike>();
  const visit = (o: unknown): void => {
    if (ArrayBuffer.isView(o)) {
      if (!seen.has(o.buffer)) n += o.byteLength;
      seen.add(o.buffer);
    } else if (Array.isArray(o)) o.forEach(visit);
    else if (o !== null && typeof o === 'object') Object.values(o).forEach(visit);
  };
  visit({ ...m, strings: [] });
  return n;
}

interface ChildResult {
  ms: number;
  baseRss: number;
  peakRss: number;
  events: number;
  transitions: number;
  modelBytes: number;
  indexMs: number;
  peakWithIndex: number;
}

/** Runs in a fresh process: parse once and report time and memory. */
function child(mode: 'whole' | 'stream'): void {
  const size = statSync(traceFile).size;
  let model: TraceModel;
  let base: number;
  let t0: number;
  const holder: { bytes: Buffer | null } = { bytes: null };
  if (mode === 'whole') {
    holder.bytes = readFileSync(traceFile);
    base = process.memoryUsage().rss - holder.bytes.length;
    t0 = performance.now();
    model = parseTrace(holder.bytes);
  } else {
    base = process.memoryUsage().rss;
    t0 = performance.now();
    const parser = new TraceParser({ totalBytes: size });
    const fd = openSync(traceFile, 'r');
    const chunk = Buffer.alloc(4 << 20);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      parser.push(chunk.subarray(0, n));
    }
    closeSync(fd);
    model = parser.finish();
  }
  const ms = performance.now() - t0;
  const peak = peakRss();
  // The app drops the file's bytes once parsed, before building the timeline index.
  holder.bytes = null;
  (globalThis as { gc?: () => void }).gc?.();
  t0 = performance.now();
  buildTimelineIndex(model);
  const indexMs = performance.now() - t0;
  const out: ChildResult = {
    ms,
    baseRss: base,
    peakRss: peak,
    events: model.eventCount,
    transitions: model.transitions.length,
    modelBytes: modelBytes(model),
    indexMs,
    peakWithIndex: peakRss(),
  };
  process.stdout.write(JSON.stringify(out));
}

function runChild(mode: 'whole' | 'stream'): ChildResult {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', __filename, 'child', mode],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`bench child (${mode}) failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildResult;
}

function buildTools(): { oracle: string; mktrace: string } {
  mkdirSync(binDir, { recursive: true });
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '' };
  const oracle = join(binDir, 'oracle');
  const mktrace = join(binDir, 'mktrace');
  // Go's build cache makes these quick when nothing changed.
  execFileSync(go, ['build', '-o', oracle, '.'], { cwd: oracleDir, env, stdio: 'inherit' });
  execFileSync(go, ['build', '-o', mktrace, './cmd/mktrace'], {
    cwd: oracleDir,
    env,
    stdio: 'inherit',
  });
  return { oracle, mktrace };
}

function ensureTrace(mktrace: string): void {
  if (existsSync(traceFile) && statSync(traceFile).size >= MIN_BYTES) return;
  console.log(
    'generating a ≥ 100 MB trace with mktrace -mix service (once; kept in bench/.data) ...',
  );
  const t0 = performance.now();
  execFileSync(
    mktrace,
    [
      '-mix',
      'service',
      '-workers',
      '8',
      '-size',
      '105',
      '-d',
      '5s',
      '-max',
      '20m',
      '-o',
      traceFile,
    ],
    {
      stdio: 'inherit',
    },
  );
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function goRead(oracle: string): number {
  const out = JSON.parse(execFileSync(oracle, ['-bench', traceFile], { encoding: 'utf8' })) as {
    readNs: number;
  };
  return out.readNs / 1e6;
}

function main(): void {
  const tools = buildTools();
  ensureTrace(tools.mktrace);
  const size = statSync(traceFile).size;
  console.log(`trace: ${traceFile} (${mb(size)})`);
  // Alternate Go and us: the machine's load shifts, so compare runs made next to each other.
  const pairs: Array<[number, ChildResult]> = [];
  for (let i = 0; i < 2; i++) pairs.push([goRead(tools.oracle), runChild('whole')]);
  const stream = runChild('stream');
  const first = pairs[0][1];
  console.log(
    `events: ${first.events} (${first.transitions} goroutine transitions), ${(size / first.events).toFixed(2)} bytes per event`,
  );
  for (const [goMs, ours] of pairs) {
    console.log(
      `Go reader ${goMs.toFixed(0)} ms, pprof Studio parse ${ours.ms.toFixed(0)} ms: ratio ${(ours.ms / goMs).toFixed(2)}`,
    );
  }
  const best = Math.min(...pairs.map(([g, o]) => o.ms / g));
  console.log(
    `parse time ratio (ours / Go, best pair): ${best.toFixed(2)} (target ≤ 2.0): ${best <= 2 ? 'ok' : 'OVER'}`,
  );
  console.log(
    `model: ${mb(first.modelBytes)} of typed arrays (${(first.modelBytes / size).toFixed(2)}x the file)`,
  );
  const whole = (first.peakRss - first.baseRss) / size;
  console.log(
    `peak memory, whole file in memory: ${mb(first.peakRss - first.baseRss)} above the bare process = ${whole.toFixed(2)}x the file, the file itself included (target ≤ 5x): ${whole <= 5 ? 'ok' : 'OVER'}`,
  );
  const streamed = (stream.peakRss - stream.baseRss) / size;
  console.log(
    `peak memory, file read in 4 MB chunks: ${mb(stream.peakRss - stream.baseRss)} = ${streamed.toFixed(2)}x the file (${stream.ms.toFixed(0)} ms with reading): ${streamed <= 5 ? 'ok' : 'OVER'}`,
  );
  console.log(
    `timeline index (built after the file's bytes are dropped): ${first.indexMs.toFixed(0)} ms; peak including it, whole file: ${((first.peakWithIndex - first.baseRss) / size).toFixed(2)}x, chunked: ${((stream.peakWithIndex - stream.baseRss) / size).toFixed(2)}x`,
  );
  if (stream.events !== first.events)
    console.log('WARNING: chunked parse read a different number of events');
}

if (process.argv[2] === 'child') child(process.argv[3] === 'stream' ? 'stream' : 'whole');
else main();

// Builds and runs the Go programs of test/oracles/trace: the oracle (Go's own trace reader,
// golang.org/x/exp/trace) and mktrace (a trace generator). Binaries are cached under the OS
// temp dir, keyed by a hash of the sources and the Go version.
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGo } from '../../helpers/go-target';

export const ORACLE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'oracles',
  'trace',
);

function goEnv(): NodeJS.ProcessEnv {
  // The module proxy fetches golang.org/x/exp (pinned in go.sum) the first time.
  return { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '' };
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.go$|^go\.(mod|sum)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<string> {
  return new Promise((res, rej) => {
    execFile(
      cmd,
      args,
      { ...opts, encoding: 'utf8', maxBuffer: 1 << 30 },
      (err, stdout, stderr) => {
        if (err)
          rej(
            new Error(`${cmd} ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`),
          );
        else res(String(stdout));
      },
    );
  });
}

const builds = new Map<string, Promise<string>>();

/**
 * Builds `pkg` (".": the oracle, "./cmd/mktrace": the generator, "./cmd/figures": annotation,
 * thread and summary figures) and returns the binary.
 */
export function buildGoTool(pkg: '.' | './cmd/mktrace' | './cmd/figures'): Promise<string> {
  let p = builds.get(pkg);
  if (p === undefined) {
    p = (async () => {
      const go = findGo();
      const h = createHash('sha256');
      h.update(execFileSync(go, ['env', 'GOVERSION', 'GOOS', 'GOARCH'], { env: goEnv() }));
      for (const f of sources(ORACLE_DIR)) {
        h.update(relative(ORACLE_DIR, f));
        h.update(readFileSync(f));
      }
      const dir = join(tmpdir(), 'pprofstudio-trace-oracle', h.digest('hex').slice(0, 16));
      const bin = join(dir, pkg === '.' ? 'oracle' : pkg.slice('./cmd/'.length));
      if (existsSync(bin)) return bin;
      mkdirSync(dir, { recursive: true });
      const tmp = `${bin}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await run(go, ['build', '-o', tmp, pkg], {
          cwd: ORACLE_DIR,
          env: goEnv(),
          timeout: 600_000,
        });
        try {
          renameSync(tmp, bin);
        } catch (err) {
          if (!existsSync(bin)) throw err;
        }
      } finally {
        rmSync(tmp, { force: true });
      }
      return bin;
    })();
    p.catch(() => builds.delete(pkg));
    builds.set(pkg, p);
  }
  return p;
}

export interface OracleGoroutine {
  id: number;
  startFunction: string;
  runningNs: number;
  runnableNs: number;
  blockedNs: number;
  syscallNs: number;
}

export interface OracleOutput {
  goVersion: string;
  durationNs: number;
  gcCount: number;
  stwNs: number;
  goroutines: OracleGoroutine[];
  eventCount: number;
  eventsSha256: string;
  error?: string;
}

export async function runOracle(file: string): Promise<OracleOutput> {
  const bin = await buildGoTool('.');
  return JSON.parse(await run(bin, [file], { timeout: 300_000 })) as OracleOutput;
}

export interface OracleFigures {
  tasks: {
    type: string;
    count: number;
    durations: number[];
    histogram: { minBucket: number; maxBucket: number; buckets: number[] };
  }[];
  regions: { type: string; durations: number[] }[];
  logs: number;
  logsByCategory: Record<string, number>;
  threads: {
    thread: number;
    execNs: number;
    slices: number;
    syscallNs: number;
    syscalls: number;
    goroutines: number;
  }[];
  peakLiveGoroutines: number;
  goroutinesCreated: number;
  stwMaxNs: number;
  stwCount: number;
  durationNs: number;
  error?: string;
}

/** Task, region, log, thread and summary figures from Go's reader (cmd/figures). */
export async function oracleFigures(file: string): Promise<OracleFigures> {
  const bin = await buildGoTool('./cmd/figures');
  return JSON.parse(await run(bin, [file], { timeout: 300_000 })) as OracleFigures;
}

export async function oracleDump(file: string): Promise<string> {
  const bin = await buildGoTool('.');
  return run(bin, ['-dump', file], { timeout: 300_000 });
}

export interface OracleCpu {
  samples: number;
  functions: Record<string, { flat: number; cum: number }>;
}

/** The trace's CPU samples in [from, to) ns since the first event, per function (Go's reader). */
export async function oracleCpu(file: string, from = 0, to = -1): Promise<OracleCpu> {
  const bin = await buildGoTool('.');
  const args = ['-cpu', '-from', String(from), '-to', String(to), file];
  return JSON.parse(await run(bin, args, { timeout: 300_000 })) as OracleCpu;
}

/** Time Go's reader takes to read every event of a file already in memory. */
export async function oracleReadNs(file: string): Promise<{ events: number; readNs: number }> {
  const bin = await buildGoTool('.');
  return JSON.parse(await run(bin, ['-bench', file], { timeout: 600_000 })) as {
    events: number;
    readNs: number;
  };
}

export interface MktraceOptions {
  out: string;
  duration?: string;
  mix?: 'all' | 'service';
  workers?: number;
  cpuprofile?: boolean;
  gomaxprocs?: number;
  sizeMB?: number;
  /** GODEBUG traceadvanceperiod in ns: shorter generations. */
  advancePeriodNs?: number;
}

export async function mktrace(o: MktraceOptions): Promise<void> {
  const bin = await buildGoTool('./cmd/mktrace');
  const args = [
    '-o',
    o.out,
    '-d',
    o.duration ?? '1s',
    '-mix',
    o.mix ?? 'all',
    '-workers',
    String(o.workers ?? 4),
  ];
  if (o.cpuprofile) args.push('-cpuprofile');
  if (o.gomaxprocs) args.push('-gomaxprocs', String(o.gomaxprocs));
  if (o.sizeMB) args.push('-size', String(o.sizeMB));
  const env = { ...process.env };
  if (o.advancePeriodNs) env.GODEBUG = `traceadvanceperiod=${o.advancePeriodNs}`;
  await run(bin, args, { env, timeout: 900_000 });
}

/**
 * The real Go test program (test/targets/orders) for integration tests: find Go, build the
 * target once per source hash, run it as a live pprof server or in write mode.
 * The facts the target guarantees are in TARGET_FACTS and test/targets/README.md.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the Go module of the test targets lives. */
export const TARGETS_DIR = join(repoRoot, 'test', 'targets');

export type TargetMode = 'before' | 'after';

/** A Go duration such as '1s', '1500ms' or '2.5s'. */
export type GoDuration = `${number}${'ms' | 's' | 'm'}`;

/** Facts about the target that tests may assert on (see test/targets/README.md). */
export const TARGET_FACTS = {
  /** Goroutines blocked forever in LEAK_FUNCTION in "before" mode (0 in "after"). */
  leakedGoroutines: 37,
  leakFunction: 'main.(*notifier).awaitAck',
  /** The state those goroutines show in a goroutine?debug=2 dump. */
  leakState: 'chan receive',
  /** Worker goroutines, always parked in main.(*service).worker when idle. */
  workers: 8,
  workerFunction: 'main.(*service).worker',
  auditDrainFunction: 'main.(*auditLog).drain',
  /** Functions that dominate "before" CPU: schema re-parsing and naive pricing. */
  cpuHotBefore: ['main.parseSchema', 'main.unitPriceNaive'],
  /** Unchanged CPU work present in both modes. */
  cpuCommon: 'main.scoreFraud',
  /** Recursive functions (appear several times in one stack). */
  recursive: ['main.validateNode', 'main.walkSchema'],
  /** Inlined into their callers: Locations with several Lines. */
  inlined: ['main.hashSKU', 'main.fnvStep', 'main.riskWeight', 'main.lineTotal', 'main.applyTax'],
  mutexContended: 'main.(*inventory).reserve',
  blockContended: 'main.(*auditLog).record',
  retainedAllocator: 'main.renderReceipt',
  churnAllocator: 'main.buildLineItems',
  /** pprof labels on order work (CPU and goroutine profiles). */
  labels: { route: '/orders', tenants: ['acme', 'globex', 'initech'], pool: 'orders' },
  /** Label on the leaked goroutines. */
  leakLabels: { component: 'outbox' },
  /** Value of the label "note" with -hostile-labels. */
  hostileLabel: `<img src=x onerror="alert(1)"></script><script>alert(2)</script>`,
  mutexProfileFraction: 5,
  blockProfileRateNs: 10_000,
} as const;

/** Files written by write mode, in this order of kinds. */
export const WRITTEN_FILES = [
  'cpu.pb.gz',
  'heap.pb.gz',
  'allocs.pb.gz',
  'mutex.pb.gz',
  'block.pb.gz',
  'goroutine.pb.gz',
  'threadcreate.pb.gz',
  'goroutine-debug1.txt',
  'goroutine-debug2.txt',
  'trace.out',
] as const;

export type WrittenFile = (typeof WRITTEN_FILES)[number];

let goPath: string | undefined;

/**
 * The path of the `go` command. Throws an Error naming what to install when Go is missing.
 * Honors $GO, then PATH, then the usual install locations.
 */
export function findGo(): string {
  if (goPath) return goPath;
  const candidates = [
    process.env.GO,
    'go',
    '/usr/local/go/bin/go',
    '/usr/lib/go/bin/go',
    join(process.env.HOME ?? '', 'go', 'bin', 'go'),
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      execFileSync(c, ['version'], { stdio: 'pipe', timeout: 30_000 });
      goPath = c;
      return c;
    } catch {
      // not this one
    }
  }
  throw new Error(
    'Go toolchain not found: the integration tests build the Go program in test/targets. ' +
      'Install Go 1.22 or newer (https://go.dev/dl/) and put `go` on PATH, or set GO=/path/to/go.',
  );
}

/** The Go 1.27 toolchain the go command takes from the module proxy (GOTOOLCHAIN). */
export const GO127 = 'go1.27.3';

function goEnv(toolchain = 'local'): NodeJS.ProcessEnv {
  // 'local': never download a toolchain; no cgo so no C compiler is needed.
  return { ...process.env, GOTOOLCHAIN: toolchain, CGO_ENABLED: '0', GOFLAGS: '' };
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}

function sourceHash(go: string, toolchain?: string): string {
  const h = createHash('sha256');
  h.update(execFileSync(go, ['env', 'GOVERSION', 'GOOS', 'GOARCH'], { env: goEnv(toolchain) }));
  for (const f of sourceFiles(TARGETS_DIR)) {
    h.update(relative(TARGETS_DIR, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function execFileAsync(cmd: string, args: string[], opts: Parameters<typeof execFile>[2]) {
  return new Promise<{ stdout: string; stderr: string }>((resolvePromise, reject) => {
    execFile(cmd, args, { ...opts, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const e = new Error(
          `${cmd} ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`,
        );
        reject(e);
        return;
      }
      resolvePromise({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const buildPromises = new Map<string, Promise<string>>();

/**
 * Builds test/targets/orders once into a cache directory under os.tmpdir(), keyed by a
 * hash of the Go sources and the Go version, and returns the binary's path. Safe when
 * several test files build at once: each builds to a temporary name, then renames.
 */
export function buildTarget(toolchain = 'local'): Promise<string> {
  let buildPromise = buildPromises.get(toolchain);
  if (buildPromise) return buildPromise;
  buildPromise = (async () => {
    const go = findGo();
    const dir = join(tmpdir(), 'pprofstudio-targets', sourceHash(go, toolchain));
    const bin = join(dir, process.platform === 'win32' ? 'orders.exe' : 'orders');
    if (existsSync(bin)) return bin;
    mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await execFileAsync(go, ['build', '-trimpath', '-o', tmp, './orders'], {
        cwd: TARGETS_DIR,
        env: goEnv(toolchain),
        timeout: 300_000,
      });
      try {
        renameSync(tmp, bin);
      } catch (err) {
        // Another process won the race (Windows refuses to rename over a file).
        if (!existsSync(bin)) throw err;
      }
    } finally {
      rmSync(tmp, { force: true });
    }
    return bin;
  })();
  buildPromises.set(toolchain, buildPromise);
  buildPromise.catch(() => {
    buildPromises.delete(toolchain); // let a later call retry
  });
  return buildPromise;
}

export interface StartTargetOptions {
  mode: TargetMode;
  /** Listen address (default 127.0.0.1:0, a free port); give a fixed one to restart in place. */
  addr?: string;
  /** Require `Authorization: Bearer <token>` on the pprof endpoints. */
  token?: string;
  /** Require HTTP basic auth "user:pass" on the pprof endpoints. */
  basicAuth?: string;
  /** PEM files; both given means the target serves HTTPS (see generateCerts). */
  tlsCert?: string;
  tlsKey?: string;
  /** Path prefix of the pprof handlers (default /debug/pprof). */
  prefix?: string;
  /** Do not set the mutex and block profile rates (their profiles stay empty). */
  noContentionRates?: boolean;
  /** Any further flags, e.g. ['-leak-interval', '1s'] or ['-rate', '20']. */
  extraArgs?: string[];
  /** How long to wait for the "listening on" line (default 20 s). */
  startTimeoutMs?: number;
  /** GOTOOLCHAIN to build with, e.g. GO127 (default: the local Go). */
  toolchain?: string;
  /** Extra environment of the target process, e.g. { GODEBUG: 'tracebacklabels=1' }. */
  env?: Record<string, string>;
}

/** A process of the target binary that this test process started. */
export interface TargetProcess {
  pid: number;
  /** Resolves with the exit code (or null when killed by a signal) once the process ends. */
  exited: Promise<number | null>;
  /** What the process wrote to stderr so far (last 64 KiB). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface RunningTarget extends TargetProcess {
  /** e.g. http://127.0.0.1:40123 (https when TLS is on); no path. */
  baseUrl: string;
  /** baseUrl plus the pprof prefix, e.g. http://127.0.0.1:40123/debug/pprof */
  pprofUrl: string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/**
 * Spawns the target binary with -watch-stdin (it exits when this process goes away) and
 * resolves with the first capture group of `firstLine` once its first stdout line matches.
 */
async function spawnUntilLine(
  args: string[],
  firstLine: RegExp,
  timeoutMs: number,
  build: { toolchain?: string; env?: Record<string, string> } = {},
): Promise<{ proc: TargetProcess; match: string }> {
  const bin = await buildTarget(build.toolchain);
  installExitHook();
  const child = spawn(bin, [...args, '-watch-stdin'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...build.env },
  });
  live.add(child);
  let stderrText = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrText = (stderrText + chunk).slice(-65536);
  });
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolveExit(code);
    });
  });
  // A spawn failure (e.g. ENOENT) arrives as 'error' and no 'exit'.
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const match = await new Promise<string>((resolveLine, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `the Go target printed no first line within ${timeoutMs} ms; stderr: ${stderrText.trim()}`,
          ),
        ),
      timeoutMs,
    );
    child.stdout?.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      const line = buffered.slice(0, nl).trim();
      child.stdout?.off('data', onData);
      child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
      clearTimeout(timer);
      const m = firstLine.exec(line);
      if (m) resolveLine(m[1]);
      else reject(new Error(`unexpected first line from the Go target: ${JSON.stringify(line)}`));
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the Go target exited with code ${code} before it was ready; stderr: ${stderrText.trim()}`,
        ),
      );
    });
    spawnError.catch((err: unknown) => {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });

  return { proc: { pid: child.pid ?? -1, exited, stderr: () => stderrText, stop }, match };
}

function targetArgs(opts: StartTargetOptions): string[] {
  const args = ['-mode', opts.mode, '-addr', opts.addr ?? '127.0.0.1:0'];
  if (opts.token) args.push('-token', opts.token);
  if (opts.basicAuth) args.push('-basic-auth', opts.basicAuth);
  if (opts.tlsCert || opts.tlsKey) {
    args.push('-tls-cert', opts.tlsCert ?? '', '-tls-key', opts.tlsKey ?? '');
  }
  if (opts.prefix) args.push('-prefix', opts.prefix);
  if (opts.noContentionRates) args.push('-no-contention-rates');
  args.push(...(opts.extraArgs ?? []));
  return args;
}

/**
 * Starts the target as a live server on 127.0.0.1 (a free port unless `addr` is given) and
 * resolves once it printed its listening line, i.e. after start-up (the leak exists by
 * then). The process is killed when the test process exits, and it exits by itself when
 * its stdin closes or after -max-lifetime (10 min).
 */
export async function startTarget(opts: StartTargetOptions): Promise<RunningTarget> {
  const { proc, match } = await spawnUntilLine(
    targetArgs(opts),
    /^listening on (https?:\/\/\S+)$/,
    opts.startTimeoutMs ?? 20_000,
    { toolchain: opts.toolchain, env: opts.env },
  );
  const prefix = '/' + (opts.prefix ?? '/debug/pprof').replace(/^\/+|\/+$/g, '');
  return { ...proc, baseUrl: match, pprofUrl: match + prefix };
}

export interface RunningForwarder extends TargetProcess {
  /** host:port the forwarder listens on. */
  addr: string;
}

/**
 * Starts the target binary as a loopback TCP forwarder (`-forward LISTEN -to ADDR`), the
 * stand-in for `kubectl port-forward` in tunnel tests. As a tunnel command string for the
 * app: `${await buildTarget()} -forward 127.0.0.1:PORT -to 127.0.0.1:TARGETPORT`.
 */
export async function startForwarder(
  to: string,
  listen = '127.0.0.1:0',
): Promise<RunningForwarder> {
  const { proc, match } = await spawnUntilLine(
    ['-forward', listen, '-to', to],
    /^Forwarding from (\S+) -> /,
    20_000,
  );
  return { ...proc, addr: match };
}

export interface WriteProfilesOptions {
  mode: TargetMode;
  /** How long the workload runs while CPU profiling and tracing (default '1s'). */
  duration?: GoDuration;
  /** Stop the execution tracer after this long (default: the whole duration). */
  traceFor?: GoDuration;
  noContentionRates?: boolean;
  /** Any further flags, e.g. ['-rate', '20']. */
  extraArgs?: string[];
  /** Build the target with this toolchain (GO127), default the local Go. */
  toolchain?: string;
}

export interface WrittenProfiles {
  dir: string;
  /** Absolute path of every written file. */
  files: Record<WrittenFile, string>;
  /** The target's summary line, e.g. "wrote DIR: mode=before orders=33 duration=2s". */
  summary: string;
}

/**
 * Runs the target in write mode: the workload runs for `duration` with CPU profiling and
 * the execution tracer on, then every profile kind, two goroutine text dumps and the trace
 * are written into dir (created if needed).
 */
export async function writeProfiles(
  dir: string,
  opts: WriteProfilesOptions,
): Promise<WrittenProfiles> {
  const bin = await buildTarget(opts.toolchain);
  const args = ['-mode', opts.mode, '-write', dir, '-duration', opts.duration ?? '1s'];
  if (opts.traceFor) args.push('-trace-for', opts.traceFor);
  if (opts.noContentionRates) args.push('-no-contention-rates');
  args.push(...(opts.extraArgs ?? []));
  const { stdout } = await execFileAsync(bin, args, { timeout: 180_000 });
  const files = Object.fromEntries(WRITTEN_FILES.map((f) => [f, join(dir, f)])) as Record<
    WrittenFile,
    string
  >;
  return { dir, files, summary: stdout.trim() };
}

export interface TestCerts {
  /** The throwaway CA to trust. */
  ca: string;
  /** Server certificate for 127.0.0.1, ::1 and localhost, signed by the CA. */
  cert: string;
  key: string;
}

/** Writes a throwaway CA and a loopback server certificate signed by it into dir. */
export async function generateCerts(dir: string): Promise<TestCerts> {
  const bin = await buildTarget();
  await execFileAsync(bin, ['-gen-certs', dir], { timeout: 60_000 });
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
}

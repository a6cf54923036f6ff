// Runs test/targets/orders under GODEBUG=gctrace=1 with a chosen Go toolchain (the installed
// one, or go1.27.3 through GOTOOLCHAIN and the module proxy) and returns its stderr and the
// runtime's own MemStats it printed at exit (-memstats-at-exit).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGo, TARGETS_DIR, type GoDuration, type TargetMode } from './go-target';

export interface ExitMemStats {
  NumGC: number;
  NumForcedGC: number;
  PauseTotalNs: number;
  HeapAlloc: number;
  NextGC: number;
}

export interface GcTraceRun {
  goVersion: string;
  stderr: string;
  memstats: ExitMemStats;
}

/** 'local' for the installed Go, or a toolchain name such as 'go1.27.3'. */
export type Toolchain = 'local' | `go1.${number}.${number}`;

const built = new Map<Toolchain, Promise<{ bin: string; goVersion: string }>>();

function env(toolchain: Toolchain): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: toolchain, CGO_ENABLED: '0', GOFLAGS: '' };
}

/** Builds orders with `toolchain` (once per test process) into a fresh temporary folder. */
export function buildWith(toolchain: Toolchain): Promise<{ bin: string; goVersion: string }> {
  let p = built.get(toolchain);
  if (!p) {
    p = new Promise((resolve, reject) => {
      const go = findGo();
      let goVersion: string;
      try {
        goVersion = execFileSync(go, ['env', 'GOVERSION'], {
          cwd: TARGETS_DIR,
          env: env(toolchain),
          timeout: 300_000,
        })
          .toString()
          .trim();
      } catch (e) {
        reject(
          new Error(
            `Go toolchain ${toolchain} is not available (GOTOOLCHAIN=${toolchain} go env failed: ${String(e)})`,
          ),
        );
        return;
      }
      const dir = join(tmpdir(), 'pprofstudio-gctrace', `${goVersion}-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const bin = join(dir, 'orders');
      execFile(
        go,
        ['build', '-trimpath', '-o', bin, './orders'],
        { cwd: TARGETS_DIR, env: env(toolchain), timeout: 300_000 },
        (err, _o, stderr) => {
          if (err)
            reject(
              new Error(
                `go build with ${toolchain} failed: ${String(stderr).trim() || err.message}`,
              ),
            );
          else resolve({ bin, goVersion });
        },
      );
    });
    built.set(toolchain, p);
  }
  return p;
}

const MEMSTATS = 'orders memstats: ';

/** Runs the target in write mode under GODEBUG=gctrace=1 (plus `godebug`) and parses its exit line. */
export async function runWithGcTrace(opts: {
  toolchain: Toolchain;
  mode: TargetMode;
  dir: string;
  duration?: GoDuration;
  godebug?: string;
}): Promise<GcTraceRun> {
  const { bin, goVersion } = await buildWith(opts.toolchain);
  const args = [
    '-mode',
    opts.mode,
    '-write',
    opts.dir,
    '-duration',
    opts.duration ?? '2s',
    '-memstats-at-exit',
  ];
  const godebug = ['gctrace=1', ...(opts.godebug ? [opts.godebug] : [])].join(',');
  const stderr = await new Promise<string>((resolve, reject) => {
    execFile(
      bin,
      args,
      { env: { ...process.env, GODEBUG: godebug }, timeout: 180_000, maxBuffer: 64 << 20 },
      (err, _o, se) => {
        if (err) reject(new Error(`orders failed: ${String(se).slice(-2000) || err.message}`));
        else resolve(String(se));
      },
    );
  });
  const last = stderr.split('\n').find((l) => l.startsWith(MEMSTATS));
  if (!last)
    throw new Error(`orders printed no "${MEMSTATS}" line; stderr ends: ${stderr.slice(-500)}`);
  return { goVersion, stderr, memstats: JSON.parse(last.slice(MEMSTATS.length)) as ExitMemStats };
}

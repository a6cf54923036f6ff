// `pprof-studio serve` as a user runs it: the bundled command in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const ROOT = resolve(__dirname, '../..');

/** One CommonJS file for Node from a TypeScript entry (as the builds make them). */
export async function bundleForNode(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
    external: ['electron', 'chokidar', 'playwright-core'],
  });
  return outfile;
}

/**
 * The same bundle `npm run build` makes (scripts/build-cli.mjs), built into `dir` so a test
 * does not depend on a stale out/. Returns its path.
 */
export function buildCli(dir: string): Promise<string> {
  return bundleForNode('electron/cli/index.ts', join(dir, 'cli.cjs'));
}

/** A work folder with the bundled command and a minimal renderer to serve. */
export async function prepareServe(
  tag: string,
): Promise<{ work: string; cli: string; renderer: string }> {
  const work = mkdtempSync(join(tmpdir(), `pprof-${tag}-`));
  const cli = await buildCli(work);
  const renderer = join(work, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>pprof Studio</title>');
  return { work, cli, renderer };
}

export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function runCli(cli: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  // cwd = the repository: the command finds resources/demo and out/ from its install root.
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

export async function waitForUrl(r: Run): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const m = /^pprof Studio serving at (http:\/\/\S+)$/m.exec(r.stdout());
    if (m) return m[1];
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`serve printed no URL: ${r.stdout()} ${r.stderr()}`);
}

/** Peak resident set size of a Linux process so far (VmHWM), in bytes. */
export function peakRssBytes(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmHWM for process ${pid}`);
  return Number(m[1]) * 1024;
}

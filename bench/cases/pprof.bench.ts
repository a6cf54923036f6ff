// Large-profile benchmark, side by side in one run, for two shapes (bench/gen-profile.ts: the
// 'shared' call tree and the 'deep' one of unique stacks): decode speed in process, then
// `pprof-studio top FILE` against `go tool pprof -top FILE` as child processes (wall time
// and peak RSS from /usr/bin/time -v, or /proc polling when it is missing); on the deep shape
// also diff, check, merge and filter against the same `go tool pprof -top` time.
// The profile is synthetic, made by our encoder (bench/gen-profile.ts) and cached in
// bench/.data. Figures are printed; nothing here fails on timing.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeProfile, decodeProfileBody } from '../../core/pprof/decode';
import { inflateGzip } from '../../core/pprof/inflate';
import { DEEP, LARGE, ensureProfile, type GenOptions } from '../gen-profile';

const ROOT = process.cwd();
const DATA = join(ROOT, 'bench', '.data');
const CLI = join(ROOT, 'bin', 'pprof-studio.cjs');
const MB = 1e6;

/** Child mode when `top` is not there yet: what it would do before aggregating. */
function decodeOnly(file: string): void {
  const t0 = performance.now();
  const gz = readFileSync(file);
  const raw = gunzipSync(gz);
  const p = decodeProfileBody(raw);
  const ms = performance.now() - t0;
  process.stdout.write(
    `decoded ${p.samples.length} samples, ${p.stacks.length} stacks in ${ms.toFixed(0)} ms\n`,
  );
}

interface Run {
  wallMs: number;
  /** user + system CPU time (GNU time only), telling contention apart from work. */
  cpuMs: number;
  maxRssKb: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const HAVE_GNU_TIME = existsSync('/usr/bin/time');

function measure(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const argv = HAVE_GNU_TIME ? ['-v', cmd, ...args] : args;
    const t0 = performance.now();
    const child = spawn(HAVE_GNU_TIME ? '/usr/bin/time' : cmd, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1 << 16) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Without GNU time: poll the child's high-water mark (VmHWM is a peak, so polling loses
    // at most the growth of its last interval).
    let polledKb = 0;
    const poll = HAVE_GNU_TIME
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledKb = Math.max(polledKb, Number(m[1]));
          } catch {
            // exited between polls
          }
        }, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const wallMs = performance.now() - t0;
      let maxRssKb = polledKb;
      let cpuMs = NaN;
      if (HAVE_GNU_TIME) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        maxRssKb = m ? Number(m[1]) : 0;
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (user && sys) cpuMs = (Number(user[1]) + Number(sys[1])) * 1000;
        stderr = stderr.replace(/\n?\s*Command being timed:[\s\S]*$/, '');
      }
      resolve({ wallMs, cpuMs, maxRssKb, exitCode: code, stdout, stderr });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function topAvailable(): boolean {
  if (!existsSync(join(ROOT, 'out', 'cli', 'index.cjs'))) return false;
  try {
    const help = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    return /^\s+top\s/m.test(help);
  } catch {
    return false;
  }
}

function goPprof(): string | null {
  try {
    // The tool binary itself, so the `go` wrapper's start-up is not counted against Go.
    return execFileSync('go', ['tool', '-n', 'pprof'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const head = (s: string, n = 4) => s.split('\n').slice(0, n).join('\n    ');
const secs = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const onlyShape = process.env.BENCH_SHAPE;
  for (const [name, opts] of [
    ['shared', LARGE],
    ['deep', DEEP],
  ] as const) {
    if (onlyShape && onlyShape !== name) continue;
    console.log(`\n-- shape: ${name}`);
    await benchShape(opts, name === 'deep');
  }
}

async function benchShape(opts: GenOptions, allCommands: boolean): Promise<void> {
  const { path: file, bytes: gzBytes } = ensureProfile(DATA, opts);
  const gz = new Uint8Array(readFileSync(file));

  let t = performance.now();
  const raw = new Uint8Array(gunzipSync(gz));
  const zlibMs = performance.now() - t;
  const rawBytes = raw.length;
  t = performance.now();
  inflateGzip(gz, 4 * 1024 ** 3);
  const pakoMs = performance.now() - t;

  console.log(`file: ${file}`);
  console.log(
    `  ${(gzBytes / MB).toFixed(1)} MB gzipped, ${(rawBytes / MB).toFixed(1)} MB uncompressed`,
  );

  const decodeMs: number[] = [];
  const decodeCpuMs: number[] = [];
  let summary = '';
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    t = performance.now();
    const c0 = process.cpuUsage();
    const p = decodeProfileBody(raw);
    const cpu = process.cpuUsage(c0);
    decodeMs.push(performance.now() - t);
    decodeCpuMs.push((cpu.user + cpu.system) / 1000);
    let frames = 0;
    for (let s = 0; s < p.samples.length; s++) {
      for (let x = p.samples.stack[s]; x >= 0; x = p.stacks.prefix[x]) frames++;
    }
    summary = `${p.samples.length} samples, ${p.locations.length} locations, ${p.lines.length} lines, ${p.stacks.length} stack entries, ${(frames / p.samples.length).toFixed(1)} frames per sample`;
  }
  t = performance.now();
  decodeProfile(gz, { maxInflatedBytes: 4 * 1024 ** 3 });
  const fullPakoMs = performance.now() - t;
  console.log(`  ${summary}`);
  console.log('in process:');
  console.log(
    `  gunzip, Node zlib          ${secs(zlibMs)}  ${(rawBytes / MB / (zlibMs / 1000)).toFixed(0)} MB/s`,
  );
  console.log(
    `  gunzip, pako (core)        ${secs(pakoMs)}  ${(rawBytes / MB / (pakoMs / 1000)).toFixed(0)} MB/s`,
  );
  console.log(
    `  decode (protobuf -> tables) ${secs(median(decodeMs))} median of ${decodeMs.map((x) => x.toFixed(0)).join('/')} ms  ${(rawBytes / MB / (median(decodeMs) / 1000)).toFixed(0)} MB/s (best ${(rawBytes / MB / (Math.min(...decodeMs) / 1000)).toFixed(0)} MB/s)`,
  );
  console.log(
    `  decode, CPU time            ${secs(median(decodeCpuMs))} median  ${(rawBytes / MB / (median(decodeCpuMs) / 1000)).toFixed(0)} MB/s (the machine is shared: CPU time excludes waiting for a core)`,
  );
  console.log(`  decodeProfile(gz) via pako ${secs(fullPakoMs)}`);

  const go = goPprof();
  const top = topAvailable();
  const ours = top
    ? await measure(process.execPath, [CLI, 'top', file])
    : await measure(process.execPath, [process.argv[1], '--decode-only', file]);
  const label = top ? 'pprof-studio top' : 'pprof-studio decode only (no `top` command yet)';
  console.log('side by side:');
  console.log(
    `  ${label}: ${secs(ours.wallMs)} wall, ${secs(ours.cpuMs)} CPU, peak RSS ${mib(ours.maxRssKb)}, exit ${ours.exitCode}`,
  );
  console.log(`    ${head(ours.stdout)}`);
  if (ours.exitCode !== 0) console.log(`    stderr: ${head(ours.stderr)}`);
  const rssRatio = (ours.maxRssKb * 1024) / rawBytes;
  console.log(`  peak RSS / uncompressed size: ${rssRatio.toFixed(2)} (target < 3)`);
  if (!go) {
    console.log('  go tool pprof: not available (is Go installed?)');
    return;
  }
  const theirs = await measure(go, ['-top', file]);
  console.log(
    `  go tool pprof -top: ${secs(theirs.wallMs)} wall, ${secs(theirs.cpuMs)} CPU, peak RSS ${mib(theirs.maxRssKb)}, exit ${theirs.exitCode}`,
  );
  console.log(`    ${head(theirs.stdout)}`);
  console.log(
    `  ratio wall time ${top ? 'top' : 'decode-only'}/go: ${(ours.wallMs / theirs.wallMs).toFixed(3)} (target < 0.2)${top ? '' : ' [top not available yet: decode only]'}`,
  );
  if (HAVE_GNU_TIME) {
    console.log(`  ratio CPU time ours/go: ${(ours.cpuMs / theirs.cpuMs).toFixed(3)}`);
  }
  console.log(`  ratio peak RSS ours/go: ${(ours.maxRssKb / theirs.maxRssKb).toFixed(3)}`);
  if (!allCommands || !top) return;
  // The other profile commands on the same file, against the same go tool pprof -top run.
  // diff and check read the file twice (before and after), so their RSS is over 2x the size.
  const out = join(DATA, `bench-out-${process.pid}.pb.gz`);
  const others: [string, string[], number][] = [
    ['diff', ['diff', file, file, '--nodecount', '20'], 2],
    ['check', ['check', file, file, '--max-increase', '10%'], 2],
    ['merge', ['merge', file, '-o', out], 1],
    ['filter', ['filter', file, '--focus', 'encoding/json', '-o', out], 1],
  ];
  for (const [name, args, inputs] of others) {
    const r = await measure(process.execPath, [CLI, ...args]);
    console.log(
      `  pprof-studio ${name}: ${secs(r.wallMs)} wall (${(r.wallMs / theirs.wallMs).toFixed(3)} of go -top), peak RSS ${mib(r.maxRssKb)} = ${((r.maxRssKb * 1024) / (rawBytes * inputs)).toFixed(2)}x the uncompressed input${inputs > 1 ? 's' : ''}, exit ${r.exitCode}${r.exitCode !== 0 ? `: ${head(r.stderr, 2)}` : ''}`,
    );
  }
  rmSync(out, { force: true });
}

if (process.argv[2] === '--decode-only') {
  decodeOnly(process.argv[3]);
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

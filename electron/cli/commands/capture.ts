// `pprof-studio capture`: one capture from a /debug/pprof endpoint to a file, with the same
// service code as the app (HTTP client, validation, kinds). The file appears only when the
// capture is complete and valid (temp file + rename); on failure nothing is left behind.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UsageError, optionValue, parseArgs, type ParsedArgs } from '../args';
import type { CliIO, Command } from '../command';
import {
  BUNDLE_FILES,
  BUNDLE_MANIFEST_FILE,
  bundleWarnings,
  DEFAULT_BUNDLE_SECONDS,
  runBundle,
  type BundleManifest,
  type CapturedManifest,
} from '../../services/capture/bundle';
import {
  CaptureService,
  type CaptureOutcome,
  type CaptureTarget,
} from '../../services/capture/capture-service';
import {
  DEFAULT_WAIT_START_MS,
  MAX_WAIT_START_MS,
  waitForStart,
} from '../../services/capture/cold-start';
import {
  isCaptureKind,
  planCapture,
  type CaptureKind,
  type CaptureSpec,
} from '../../services/capture/kinds';
import type { SinkMeta, SinkResult, SnapshotSink } from '../../services/capture/snapshot-sink';
import { writeFileAtomic } from '../../services/atomic-file';
import { readCaFile } from '../../services/targets/connection';
import { LiveError } from '../../services/targets/errors';
import { normalizeBaseUrl } from '../../services/targets/target-validate';
import { DEFAULT_PATH_PREFIX } from '../../services/targets/target-types';

const KINDS = 'cpu|heap|allocs|goroutine|mutex|block|threadcreate|trace|goroutineleak';
/** Request headers for `capture`, one 'Name: value' per line: secrets stay off the command line. */
export const HEADERS_ENV = 'PPROF_STUDIO_HEADERS';
/** A header file is a few lines; anything larger is refused. */
const MAX_HEADER_FILE_BYTES = 64 * 1024;

const usage = `Usage: pprof-studio capture URL --kind ${KINDS} [options] -o FILE
       pprof-studio capture URL --bundle [--seconds N] [--note TEXT] [options] -o DIR

Captures one profile or execution trace from a Go service's net/http/pprof endpoint.
URL is the service (http://localhost:6060), its pprof prefix
(http://localhost:6060/debug/pprof) or the endpoint itself (.../debug/pprof/heap).

With --bundle, captures everything into DIR (created; must be empty): a CPU profile and an
execution trace over the same N seconds at once (the trace then carries CPU samples), then
heap, allocs, goroutine, goroutine-debug2.txt, mutex, block, threadcreate, goroutineleak
(where the Go version serves it) and memstats.txt (the heap profile's runtime.MemStats
block); one file per part, named by kind, plus bundle.json listing the parts, the window,
the build info read from the profiles and any failures. A failed part prints a warning line
and the others are kept.

Options:
  --kind K                  what to capture (required without --bundle); goroutineleak is
                            served by Go 1.27, or Go 1.26 built with
                            GOEXPERIMENT=goroutineleakprofile
  --bundle                  capture everything into the folder -o DIR (see above)
  --note TEXT               --bundle: a note stored in bundle.json
  --seconds N               cpu and trace: duration (default 30 and 1; --bundle: the window,
                            default ${DEFAULT_BUNDLE_SECONDS}); heap, allocs, goroutine, mutex, block,
                            threadcreate: a server-side delta over N s
  --wait-start              cold start: wait for the service to answer (polling with
                            backoff), then capture at once; prints the time from its first
                            answer to the capture's start
  --gc                      heap: run a GC first (gc=1)
  --debug 2                 goroutine: the text dump with states and wait times
  --header 'K: V'           extra request header (repeatable), e.g. 'X-Tenant: blue'; a
                            secret here shows in the process list and shell history, so:
  --header-file FILE        headers from FILE, one 'Name: value' per line ('#' comments and
                            blank lines skipped), e.g. 'Authorization: Bearer T'
Headers are also read from the environment variable ${HEADERS_ENV} (one 'Name: value' per
line), e.g. ${HEADERS_ENV}="Authorization: Bearer $(cat token)".
  --cacert FILE             PEM CA certificate(s) to trust for https
  --insecure-skip-verify    accept any https certificate (unsafe: says so on stderr)
  --timeout S               request timeout in seconds (default 1.5 x duration + 5, or 65);
                            with --wait-start: how long to wait for the service instead,
                            a duration such as 90s, 2m or 500ms (default 60s)
  -o, --output FILE|DIR     where to write (required); written only when complete and valid

Exit codes: 0 written (with --bundle: at least one part; a warning line per failed part),
1 capture failed (one line on stderr says why; --bundle: every part failed), 2 usage.
`;

const ENDPOINT_KIND: Record<string, CaptureKind> = {
  profile: 'cpu',
  heap: 'heap',
  allocs: 'allocs',
  goroutine: 'goroutine',
  mutex: 'mutex',
  block: 'block',
  threadcreate: 'threadcreate',
  trace: 'trace',
  goroutineleak: 'goroutineleak',
};

/** Splits URL into base URL and pprof prefix, dropping an endpoint name at its end. */
export function splitCaptureUrl(raw: string): {
  baseUrl: string;
  prefix: string;
  endpointKind: CaptureKind | null;
} {
  let url: URL;
  try {
    url = normalizeBaseUrl(raw);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let path = url.pathname.replace(/\/+$/, '');
  let endpointKind: CaptureKind | null = null;
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last in ENDPOINT_KIND && path.length > last.length + 1) {
    endpointKind = ENDPOINT_KIND[last];
    path = path.slice(0, path.length - last.length - 1);
  }
  return { baseUrl: url.origin, prefix: path === '' ? DEFAULT_PATH_PREFIX : path, endpointKind };
}

function parseHeader(h: string): [string, string] {
  const i = h.indexOf(':');
  const name = i > 0 ? h.slice(0, i).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    throw new UsageError(`--header '${h}' is not 'Name: value'`);
  const value = h.slice(i + 1).trim();
  if (/[\r\n\0]/.test(value))
    throw new UsageError(`--header ${name} has a line break in its value`);
  return [name, value];
}

/** 'Name: value' lines (blank lines and '#' comments skipped) from a file or the environment. */
export function parseHeaderLines(text: string, where: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      out.push(parseHeader(line));
    } catch {
      // Never echo the line: it may hold the secret.
      throw new UsageError(`${where}: a line is not 'Name: value'`);
    }
  }
  return out;
}

async function readHeaderFile(path: string): Promise<string> {
  let text: Buffer;
  try {
    const st = await fs.stat(path);
    if (!st.isFile() || st.size > MAX_HEADER_FILE_BYTES)
      throw new InputError(`--header-file ${path} is not a file of at most 64 KiB`);
    text = await fs.readFile(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      `--header-file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  return text.toString('utf8');
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' | ').trim();
}

/** Writes the capture to FILE atomically; the only sink the CLI needs. */
class FileSink implements SnapshotSink {
  constructor(private readonly path: string) {}
  async import(bytes: Uint8Array, meta: SinkMeta): Promise<SinkResult> {
    await writeFileAtomic(this.path, bytes);
    return { id: meta.sha256.slice(0, 16), outcome: 'added' };
  }
}

/** A duration for --timeout with --wait-start: 90s, 2m, 500ms, 1h or plain seconds. */
export function parseWaitDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const unit = units[m?.[2] ?? 's'];
  const ms = m ? Number(m[1]) * unit : NaN;
  if (!(ms > 0 && ms <= MAX_WAIT_START_MS))
    throw new UsageError(`--timeout needs a duration from 1ms to 1h such as 90s or 2m, got '${s}'`);
  return ms;
}

/** Writes each bundle part into DIR under its kind's file name. */
class FolderSink implements SnapshotSink {
  constructor(private readonly dir: string) {}
  async import(bytes: Uint8Array, meta: SinkMeta): Promise<SinkResult> {
    if (!('kind' in meta)) throw new Error('a bundle folder takes captures only');
    await writeFileAtomic(join(this.dir, BUNDLE_FILES[meta.kind]), bytes);
    return { id: meta.sha256.slice(0, 16), outcome: 'added' };
  }
}

async function ensureEmptyFolder(dir: string, shown: string): Promise<void> {
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory())
      throw new InputError(`${shown} is a file: give a folder with -o for --bundle`);
    if ((await fs.readdir(dir)).length > 0)
      throw new InputError(`${shown} is not empty: give a new or empty folder for --bundle`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    await fs.mkdir(dir, { recursive: true });
  }
}

function describeCapture(m: CaptureOutcome['meta']): string {
  const what =
    m.kind === 'goroutine-text'
      ? 'goroutine dump (debug=2)'
      : m.kind === 'trace'
        ? 'execution trace'
        : `${m.kind} profile`;
  const dur =
    m.seconds !== null ? (m.delta ? `, delta over ${m.seconds} s` : `, ${m.seconds} s`) : '';
  return `${what}${dur}, ${m.size} bytes`;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    kind: { value: true },
    bundle: {},
    note: { value: true },
    'wait-start': {},
    seconds: { value: true },
    gc: {},
    debug: { value: true },
    header: { value: true, repeat: true },
    'header-file': { value: true },
    cacert: { value: true },
    'insecure-skip-verify': {},
    timeout: { value: true },
    output: { value: true, short: 'o' },
  });
  if (args.positionals.length !== 1)
    throw new UsageError(
      args.positionals.length === 0 ? 'the URL is missing' : 'give exactly one URL',
    );
  const { baseUrl, prefix, endpointKind } = splitCaptureUrl(args.positionals[0]);
  const bundle = args.flags.has('bundle');
  const waitStart = args.flags.has('wait-start');
  const kindArg = optionValue(args, 'kind');
  if (bundle) {
    if (kindArg !== undefined || endpointKind !== null)
      throw new UsageError('--bundle captures every kind: give no --kind and no endpoint URL');
    if (args.flags.has('gc') || optionValue(args, 'debug') !== undefined)
      throw new UsageError('--gc and --debug apply to single captures, not --bundle');
  } else if (optionValue(args, 'note') !== undefined) {
    throw new UsageError('--note applies to --bundle only');
  }
  if (!bundle && kindArg === undefined && endpointKind === null)
    throw new UsageError(`--kind is required (${KINDS}), or --bundle`);
  if (kindArg !== undefined && !(isCaptureKind(kindArg) && kindArg !== 'goroutine-text')) {
    throw new UsageError(`--kind must be one of ${KINDS}, got '${kindArg}'`);
  }
  let kind: CaptureKind = (kindArg as CaptureKind | undefined) ?? endpointKind ?? 'cpu';
  if (kindArg !== undefined && endpointKind !== null && endpointKind !== kind) {
    throw new UsageError(`the URL names the ${endpointKind} endpoint but --kind is ${kind}`);
  }
  const debug = optionValue(args, 'debug');
  if (debug !== undefined) {
    if (debug !== '2')
      throw new UsageError(`--debug takes 2 (the goroutine text dump), got '${debug}'`);
    if (kind !== 'goroutine') throw new UsageError('--debug 2 applies to --kind goroutine only');
    kind = 'goroutine-text';
  }
  const spec: CaptureSpec = { kind };
  const seconds = optionValue(args, 'seconds');
  if (seconds !== undefined) {
    if (!/^\d+$/.test(seconds))
      throw new UsageError(`--seconds needs a whole number, got '${seconds}'`);
    spec.seconds = Number(seconds);
  }
  if (args.flags.has('gc')) spec.gc = true;
  try {
    planCapture(bundle ? { kind: 'cpu', seconds: spec.seconds ?? DEFAULT_BUNDLE_SECONDS } : spec);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const out = optionValue(args, 'output');
  if (!out) throw new UsageError(bundle ? '-o DIR is required' : '-o FILE is required');
  const timeout = optionValue(args, 'timeout');
  let timeoutSeconds: number | null = null;
  let waitMs = DEFAULT_WAIT_START_MS;
  if (timeout !== undefined && waitStart) {
    waitMs = parseWaitDuration(timeout);
  } else if (timeout !== undefined) {
    timeoutSeconds = Number(timeout);
    if (!/^\d+(\.\d+)?$/.test(timeout) || !(timeoutSeconds > 0))
      throw new UsageError(`--timeout needs a positive number of seconds, got '${timeout}'`);
  }
  const headers: Record<string, string> = {};
  const fromEnv = process.env[HEADERS_ENV];
  if (fromEnv) for (const [n, v] of parseHeaderLines(fromEnv, HEADERS_ENV)) headers[n] = v;
  const headerFile = optionValue(args, 'header-file');
  if (headerFile !== undefined)
    for (const [n, v] of parseHeaderLines(
      await readHeaderFile(headerFile),
      `--header-file ${headerFile}`,
    ))
      headers[n] = v;
  for (const h of args.options.get('header') ?? []) {
    const [n, v] = parseHeader(h);
    headers[n] = v;
  }
  const insecure = args.flags.has('insecure-skip-verify');
  const cacert = optionValue(args, 'cacert');
  if ((insecure || cacert) && !baseUrl.startsWith('https:'))
    throw new UsageError('--cacert and --insecure-skip-verify apply to https:// URLs only');
  if (insecure)
    io.stderr(
      'pprof-studio capture: warning: certificate verification is OFF (--insecure-skip-verify)\n',
    );

  const outPath = resolve(out);
  if (bundle) {
    await ensureEmptyFolder(outPath, out);
  } else {
    try {
      const st = await fs.stat(outPath);
      if (st.isDirectory()) throw new InputError(`${out} is a folder: give a file name with -o`);
    } catch (err) {
      if (err instanceof InputError) throw err;
    }
  }
  try {
    const ca = cacert ? await readCaFile(cacert) : undefined;
    const service = new CaptureService({
      sink: bundle ? new FolderSink(outPath) : new FileSink(outPath),
      progressIntervalMs: 1000,
    });
    const target: CaptureTarget = {
      id: null,
      name: baseUrl,
      baseUrl,
      connection: {
        pprofBase: `${baseUrl}${prefix}`,
        conn: { headers, ...(ca !== undefined ? { ca } : {}), insecureSkipVerify: insecure },
        timeoutSeconds,
      },
      maxConcurrentCaptures: bundle ? 2 : 1,
    };
    let coldStart: BundleManifest['coldStart'] = null;
    if (waitStart) {
      io.stderr(`waiting up to ${waitMs / 1000} s for ${baseUrl}${prefix}/ to answer\n`);
      const w = await waitForStart(target, { timeoutMs: waitMs });
      const msToCapture = Date.now() - w.firstAnswerAt.getTime();
      coldStart = { firstAnswerAt: w.firstAnswerAt.toISOString(), msToCapture };
      io.stderr(
        `the service answered after ${(w.waitedMs / 1000).toFixed(1)} s (${w.attempts} attempts); capture started ${msToCapture} ms after its first answer\n`,
      );
    }
    if (bundle)
      return await writeBundle(service, target, outPath, out, spec.seconds, args, coldStart, io);
    const result = await service.start(target, spec).done;
    io.stdout(`wrote ${out}: ${describeCapture(result.meta)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) throw err;
    const msg = err instanceof LiveError || err instanceof Error ? err.message : String(err);
    throw new InputError(oneLine(msg));
  }
}

async function writeBundle(
  service: CaptureService,
  target: CaptureTarget,
  dir: string,
  shown: string,
  seconds: number | undefined,
  args: ParsedArgs,
  coldStart: BundleManifest['coldStart'],
  io: CliIO,
): Promise<number> {
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  let m: CapturedManifest;
  try {
    m = await runBundle(service, target, {
      seconds,
      note: optionValue(args, 'note') ?? '',
      coldStart,
      signal: abort.signal,
      onMemStatsText: (text) => writeFileAtomic(join(dir, BUNDLE_FILES.memstats), text),
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
  await writeFileAtomic(join(dir, BUNDLE_MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
  for (const line of bundleWarnings(m))
    io.stderr(`pprof-studio capture: warning: ${oneLine(line)}\n`);
  const done = m.parts.filter((p) => p.state === 'done');
  if (done.length === 0)
    throw new InputError(`every part of the bundle failed; see ${shown}/bundle.json`);
  io.stdout(
    `wrote ${shown}: bundle of ${done.length} of ${m.parts.length} parts over ${m.window.seconds} s (${done.map((p) => p.file).join(', ')}, bundle.json)\n`,
  );
  return 0;
}

export const captureCommand: Command = {
  name: 'capture',
  summary: 'capture a profile or trace from a /debug/pprof endpoint to a file',
  usage,
  run,
};

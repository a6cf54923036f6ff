// `pprof-studio capture`: one capture from a /debug/pprof endpoint to a file, with the same
// service code as the app (HTTP client, validation, kinds). The file appears only when the
// capture is complete and valid (temp file + rename); on failure nothing is left behind.
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError, optionValue, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import { CaptureService } from '../../services/capture/capture-service';
import {
  isCaptureKind,
  planCapture,
  type CaptureKind,
  type CaptureSpec,
} from '../../services/capture/kinds';
import type { SinkMeta, SinkResult, SnapshotSink } from '../../services/capture/snapshot-sink';
import { writeFileAtomic } from '../../services/targets/atomic-file';
import { readCaFile } from '../../services/targets/connection';
import { LiveError } from '../../services/targets/errors';
import { normalizeBaseUrl } from '../../services/targets/target-validate';
import { DEFAULT_PATH_PREFIX } from '../../services/targets/target-types';

const KINDS = 'cpu|heap|allocs|goroutine|mutex|block|threadcreate|trace';
/** Request headers for `capture`, one 'Name: value' per line: secrets stay off the command line. */
export const HEADERS_ENV = 'PPROF_STUDIO_HEADERS';
/** A header file is a few lines; anything larger is refused. */
const MAX_HEADER_FILE_BYTES = 64 * 1024;

const usage = `Usage: pprof-studio capture URL --kind ${KINDS} [options] -o FILE

Captures one profile or execution trace from a Go service's net/http/pprof endpoint.
URL is the service (http://localhost:6060), its pprof prefix
(http://localhost:6060/debug/pprof) or the endpoint itself (.../debug/pprof/heap).

Options:
  --kind K                  what to capture (required)
  --seconds N               cpu and trace: duration (default 30 and 1); heap, allocs,
                            goroutine, mutex, block, threadcreate: a server-side delta over N s
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
  --timeout S               request timeout in seconds (default 1.5 x duration + 5, or 65)
  -o, --output FILE         where to write (required); written only when complete and valid

Exit codes: 0 written, 1 capture failed (one line on stderr says why), 2 usage.
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
    endpointKind = ENDPOINT_KIND[last]!;
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

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    kind: { value: true },
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
  const { baseUrl, prefix, endpointKind } = splitCaptureUrl(args.positionals[0]!);
  const kindArg = optionValue(args, 'kind');
  if (kindArg === undefined && endpointKind === null)
    throw new UsageError(`--kind is required (${KINDS})`);
  if (kindArg !== undefined && !(isCaptureKind(kindArg) && kindArg !== 'goroutine-text')) {
    throw new UsageError(`--kind must be one of ${KINDS}, got '${kindArg}'`);
  }
  let kind: CaptureKind = (kindArg as CaptureKind | undefined) ?? endpointKind!;
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
    planCapture(spec);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const out = optionValue(args, 'output');
  if (!out) throw new UsageError('-o FILE is required');
  const timeout = optionValue(args, 'timeout');
  let timeoutSeconds: number | null = null;
  if (timeout !== undefined) {
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
  try {
    const st = await fs.stat(outPath);
    if (st.isDirectory()) throw new InputError(`${out} is a folder: give a file name with -o`);
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
  try {
    const ca = cacert ? await readCaFile(cacert) : undefined;
    const service = new CaptureService({ sink: new FileSink(outPath), progressIntervalMs: 1000 });
    const { done } = service.start(
      {
        id: null,
        name: baseUrl,
        baseUrl,
        connection: {
          pprofBase: `${baseUrl}${prefix}`,
          conn: { headers, ...(ca !== undefined ? { ca } : {}), insecureSkipVerify: insecure },
          timeoutSeconds,
        },
        maxConcurrentCaptures: 1,
      },
      spec,
    );
    const result = await done;
    const m = result.meta;
    const what =
      m.kind === 'goroutine-text'
        ? 'goroutine dump (debug=2)'
        : m.kind === 'trace'
          ? 'execution trace'
          : `${m.kind} profile`;
    const dur =
      m.seconds !== null ? (m.delta ? `, delta over ${m.seconds} s` : `, ${m.seconds} s`) : '';
    io.stdout(`wrote ${out}: ${what}${dur}, ${m.size} bytes\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const msg = err instanceof LiveError || err instanceof Error ? err.message : String(err);
    throw new InputError(oneLine(msg));
  }
}

export const captureCommand: Command = {
  name: 'capture',
  summary: 'capture a profile or trace from a /debug/pprof endpoint to a file',
  usage,
  run,
};

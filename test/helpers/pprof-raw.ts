// The oracle side of the semantics tests: run `go tool pprof`, parse its `-raw` output (the
// profile after pprof's own drop_frames, merge, diff and filters, as profile.String prints it)
// and compute flat and cum per node from its samples with the textbook rule: per sample, cum
// once per node on the path, flat to the innermost Line of the leaf location.
// Deliberately simple and independent of core/pprof.
//
// Prefer Go's printed reports (test/helpers/pprof-printed.ts: -top, -traces, -peek with an
// exact unit). This re-derivation is left only where Go prints nothing equivalent: the
// per-side (pprof::base) values of a -diff_base profile (oracle-diff, compare-oracle,
// heap-diff-oracle), the per-sample values of the CLI's rewritten profiles (cli-pprof,
// check-cli) and the e2e checks of single functions; runPprof and fixturePath serve all.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGo } from './go-target';

export interface RawLine {
  func: string;
  file: string;
  line: number;
  column: number;
  startLine: number;
}

export interface RawLocation {
  id: number;
  address: bigint;
  mapping: number;
  /** Leaf (innermost) first, the last one the real caller: as in the profile. */
  lines: Array<RawLine | null>;
}

export interface RawSample {
  values: number[];
  /** Location ids, leaf first. */
  locations: number[];
  /** The label lines as printed, e.g. "route:[/orders] tenant:[acme]". */
  labelLines: string[];
}

export interface RawProfile {
  sampleTypes: Array<{ type: string; unit: string; dflt: boolean }>;
  samples: RawSample[];
  locations: Map<number, RawLocation>;
  mappings: Map<number, { file: string; buildId: string }>;
}

let oracleToolchain = 'local';

/**
 * The Go toolchain whose `go tool pprof` runPprof (and the printed-report helpers over it)
 * runs in this test file: 'local' (the installed Go) unless a file checks another Go
 * (GO127), which the go command then takes from the module proxy.
 */
export function useOracleToolchain(toolchain: string): void {
  oracleToolchain = toolchain;
}

/** Runs `go tool pprof ARGS` (in UTC, so the Time header is stable) and returns stdout. */
export function runPprof(args: string[]): string {
  return execFileSync(findGo(), ['tool', 'pprof', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', GOTOOLCHAIN: oracleToolchain },
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

const LOC_RE = /^\s*(\d+): (0x[0-9a-f]+) (?:M=(\d+) )?(?:\[F\] )?(.*)$/;
const LINE_RE = /^(.*) (\S*):(-?\d+):(-?\d+) s=(-?\d+)(?:\(.*\))?$/;

function parseLineText(text: string): RawLine | null {
  if (text === '??' || text === '') return null;
  const m = LINE_RE.exec(text);
  if (!m) throw new Error(`cannot parse -raw line: ${JSON.stringify(text)}`);
  return {
    func: m[1],
    file: m[2],
    line: Number(m[3]),
    column: Number(m[4]),
    startLine: Number(m[5]),
  };
}

export function parseRaw(text: string): RawProfile {
  const lines = text.split('\n');
  let i = lines.indexOf('Samples:');
  if (i < 0) throw new Error('-raw output has no "Samples:" section');
  const sampleTypes = lines[i + 1]
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map((s) => {
      const dflt = s.endsWith('[dflt]');
      const t = dflt ? s.slice(0, -'[dflt]'.length) : s;
      const slash = t.indexOf('/');
      return { type: t.slice(0, slash), unit: t.slice(slash + 1), dflt };
    });
  const samples: RawSample[] = [];
  for (i += 2; i < lines.length && lines[i] !== 'Locations'; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const colon = line.indexOf(': ');
    const head = colon >= 0 ? line.slice(0, colon) : '';
    if (colon >= 0 && /^[\s\d-]+$/.test(head) && head.trim() !== '') {
      const values = head.trim().split(/\s+/).map(Number);
      const locations = line
        .slice(colon + 2)
        .trim()
        .split(/\s+/)
        .filter((s) => s !== '')
        .map(Number);
      samples.push({ values, locations, labelLines: [] });
    } else {
      samples[samples.length - 1].labelLines.push(line.trim());
    }
  }
  const locations = new Map<number, RawLocation>();
  let current: RawLocation | null = null;
  for (i++; i < lines.length && lines[i] !== 'Mappings'; i++) {
    const line = lines[i];
    if (line === '') continue;
    const m = LOC_RE.exec(line);
    if (m && !/^\s{13}\S/.test(line)) {
      current = {
        id: Number(m[1]),
        address: BigInt(m[2]),
        mapping: m[3] ? Number(m[3]) : 0,
        lines: [],
      };
      locations.set(current.id, current);
      // The Line text starts right after "M=n " (a nameless function starts with a space).
      const rest = m[4].trimEnd();
      if (rest !== '') current.lines.push(parseLineText(rest));
    } else {
      current!.lines.push(parseLineText(line.slice(13).trimEnd()));
    }
  }
  const mappings = new Map<number, { file: string; buildId: string }>();
  for (i++; i < lines.length; i++) {
    const m = /^(\d+): 0x[0-9a-f]+\/0x[0-9a-f]+\/0x[0-9a-f]+ (.*)$/.exec(lines[i]);
    if (!m) continue;
    const parts = m[2].split(' ');
    mappings.set(Number(m[1]), { file: parts[0] ?? '', buildId: parts[1] ?? '' });
  }
  return { sampleTypes, samples, locations, mappings };
}

export type RawGranularity = 'functions' | 'filefunctions' | 'files' | 'lines';

function clean(path: string): string {
  // Go's filepath.Clean for the relative/absolute paths Go profiles contain.
  if (path === '') return '';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && rooted) continue;
    else out.push(seg);
  }
  const j = out.join('/');
  return rooted ? `/${j}` : j || '.';
}

/** A node: its identity (what pprof merges on) and printable name. */
function nodeOf(
  raw: RawProfile,
  loc: RawLocation,
  line: RawLine | null,
  g: RawGranularity,
): { id: string; name: string } {
  const objfile = raw.mappings.get(loc.mapping)?.file ?? '';
  const base = objfile.split('/').pop()!;
  if (!line) {
    const name = objfile !== '' ? `[${base}]` : '<unknown>';
    return { id: `obj:${objfile}`, name };
  }
  const file = clean(line.file);
  const fn = g === 'files' ? '' : line.func;
  if (fn === '') {
    // Nameless: pprof keeps start line and object file in the identity.
    const shown =
      g !== 'functions' && file !== '' ? file : objfile !== '' ? `[${base}]` : '<unknown>';
    const withLine = g === 'lines' && line.line !== 0 ? `${file}:${line.line}` : shown;
    return {
      id: `noname:${g === 'functions' ? '' : file}:${line.startLine}:${objfile}:${g === 'lines' ? line.line : 0}`,
      name: withLine,
    };
  }
  switch (g) {
    case 'functions':
      return { id: `f:${fn}`, name: fn };
    case 'filefunctions':
      return { id: `ff:${fn}:${file}`, name: file !== '' ? `${fn} ${file}` : fn };
    case 'lines':
      return {
        id: `l:${fn}:${file}:${line.line}`,
        name: line.line !== 0 ? `${fn} ${file}:${line.line}` : file !== '' ? `${fn} ${file}` : fn,
      };
    default:
      return { id: `x:${fn}`, name: fn };
  }
}

export interface OracleNode {
  name: string;
  flat: number;
  cum: number;
}

/**
 * flat and cum per node for sample type `index`, from the samples of a -raw dump.
 * `select` picks samples (e.g. only the pprof::base ones of a -diff_base dump).
 * Nodes whose flat and cum are both 0 are left out, as pprof leaves them out.
 */
export function oracleNodes(
  raw: RawProfile,
  index: number,
  g: RawGranularity = 'functions',
  opts: { noInlines?: boolean; select?: (s: RawSample) => boolean } = {},
): Map<string, OracleNode> {
  const out = new Map<string, OracleNode>();
  const get = (id: string, name: string): OracleNode => {
    let n = out.get(id);
    if (!n) {
      n = { name, flat: 0, cum: 0 };
      out.set(id, n);
    }
    return n;
  };
  for (const s of raw.samples) {
    if (opts.select && !opts.select(s)) continue;
    const w = s.values[index];
    if (w === 0) continue;
    const seen = new Set<string>();
    let last: { id: string; name: string } | null = null;
    // Root to leaf; within a location, outermost Line first.
    for (let li = s.locations.length - 1; li >= 0; li--) {
      const loc = raw.locations.get(s.locations[li]);
      if (!loc) throw new Error(`-raw sample refers to unknown location ${s.locations[li]}`);
      let lines = loc.lines.length === 0 ? [null] : loc.lines;
      if (opts.noInlines) lines = lines.slice(-1);
      for (let k = lines.length - 1; k >= 0; k--) {
        const node = nodeOf(raw, loc, lines[k], g);
        if (!seen.has(node.id)) {
          seen.add(node.id);
          get(node.id, node.name).cum += w;
        }
        last = node;
      }
    }
    if (last) get(last.id, last.name).flat += w;
  }
  for (const [id, n] of out) if (n.flat === 0 && n.cum === 0) out.delete(id);
  return out;
}

/** Sum of |value| over the samples (pprof's total without mean or diff base). */
export function rawTotal(
  raw: RawProfile,
  index: number,
  select?: (s: RawSample) => boolean,
): number {
  let t = 0;
  for (const s of raw.samples) if (!select || select(s)) t += Math.abs(s.values[index]);
  return t;
}

export const isBaseSample = (s: RawSample): boolean =>
  s.labelLines.some((l) => /(^|\s)pprof::base:\[true\]/.test(l));

export const FIXTURE_KINDS = [
  'cpu',
  'heap',
  'allocs',
  'mutex',
  'block',
  'goroutine',
  'threadcreate',
] as const;

export type FixtureKind = (typeof FIXTURE_KINDS)[number];

let snapshot: string | undefined;

/**
 * test/fixtures/{before,after}/KIND.pb.gz, copied once per test process into a temporary
 * folder, so our reader and `go tool pprof` see the same bytes even if the fixtures are
 * regenerated while the tests run.
 */
export function fixturePath(side: 'before' | 'after', kind: FixtureKind): string {
  if (!snapshot) {
    const src = new URL('../fixtures/', import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), 'pprof-oracle-'));
    for (const s of ['before', 'after']) {
      mkdirSync(join(dir, s));
      for (const k of FIXTURE_KINDS) {
        const from = join(src, s, `${k}.pb.gz`);
        if (!existsSync(from)) {
          throw new Error(`missing fixture ${from}: run \`npm run fixtures\` to regenerate them`);
        }
        copyFileSync(from, join(dir, s, `${k}.pb.gz`));
      }
    }
    snapshot = dir;
  }
  return join(snapshot, side, `${kind}.pb.gz`);
}

/** Removes this test file's fixture copy (call from afterAll). */
export function removeFixtureSnapshot(): void {
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  snapshot = undefined;
}

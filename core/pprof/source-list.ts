// Line-level costs of the functions a regexp matches: pprof's `list` report
// (internal/report/source.go printSource), and the inlined calls under each call line that
// its weblist shows.
//
// pprof builds the report graph at line granularity with ObjNames (a node is name, file,
// function start line, line and object file), after rewriting every function's file name
// with -trim_path/-source_path. The functions whose NAME matches are listed in name order;
// each file of a function in file order, with its flat and cum summed over the file's
// nodes; the lines from the function's start line (else the first sampled line - 5) to the
// last sampled line + 5, cut where the file ends. Values are the raw sums (pprof prints
// n.Flat and n.Cum, not the mean, even under -mean). Files are read by the caller.
import { aggregateNodes, stackWalk } from './aggregate';
import { percentage, scaledLabel } from './format';
import { cleanPath } from './go-path';
import { computeFrameKeys, type FrameKeys } from './granularity';
import type { ValueType } from './model';
import { compileGoRegex } from './regex';
import type { PreparedProfile } from './report';
import { pprofTrimPath } from './source-path';
import { compareGoStrings } from './top';

export interface ListOptions {
  /** pprof's -noinlines: inlined frames count as their real caller. */
  noInlines?: boolean;
  /** pprof's -trim_path: prefixes (':'-separated) removed from recorded file names. */
  trimPath?: string;
  /** pprof's -source_path as given ('' when not given: then no base-name heuristic). */
  sourcePath?: string;
}

export interface ListLine {
  line: number;
  flat: number;
  cum: number;
}

export interface ListFile {
  /** The file as pprof's report names it (trimmed, cleaned). */
  file: string;
  /** The file name recorded in the profile (the first function naming `file`). */
  recorded: string;
  /** Sums over the file's nodes: the routine's "(flat, cum)". */
  flat: number;
  cum: number;
  /** pprof's line window (inclusive); reading also stops at the end of the file. */
  start: number;
  end: number;
  /** Sampled lines (nodes of one line summed), by line. */
  lines: ListLine[];
}

export interface ListFunction {
  name: string;
  /** Empty: pprof prints "No source information for NAME". */
  files: ListFile[];
}

export interface Listing {
  sampleType: ValueType;
  /** pprof's report total, the base of the percentage. */
  total: number;
  functions: ListFunction[];
}

/** The lines margin pprof shows around the sampled ones. */
const MARGIN = 5;

function listKeys(prep: PreparedProfile, opts: ListOptions): FrameKeys {
  const trim = opts.trimPath ?? '';
  const search = opts.sourcePath ?? '';
  return computeFrameKeys(prep.profile, {
    granularity: 'lines',
    noInlines: opts.noInlines ?? false,
    objNames: true,
    fileName: (f) => (f === '' ? '' : cleanPath(pprofTrimPath(f, trim, search))),
  });
}

/**
 * getSourceFromFile's window. Its loop moves `start` down OR `end` up per node (an
 * else-if), so it is replayed node by node in the order given.
 */
function lineWindow(keys: FrameKeys, nodes: number[]): { start: number; end: number } {
  const first = nodes[0];
  let start = keys.startLines[first] !== 0 ? keys.startLines[first] : keys.lines[first] - MARGIN;
  let end = keys.lines[first] + MARGIN;
  for (const n of nodes) {
    const lineno = keys.lines[n];
    const nodeStart = keys.startLines[n] !== 0 ? keys.startLines[n] : lineno - MARGIN;
    const nodeEnd = lineno + MARGIN;
    if (nodeStart < start) start = nodeStart;
    else if (nodeEnd > end) end = nodeEnd;
  }
  return { start: Math.max(1, start), end };
}

/** The listing of every function whose name matches `symbol` (a Go regexp). */
export function sourceListing(
  prep: PreparedProfile,
  symbol: string | RegExp | ((name: string) => boolean),
  opts: ListOptions = {},
): Listing {
  const re =
    typeof symbol === 'function'
      ? { test: symbol }
      : typeof symbol === 'string'
        ? compileGoRegex(symbol)
        : symbol;
  const p = prep.profile;
  const keys = listKeys(prep, opts);
  const v = aggregateNodes(p, keys, prep.choice, stackWalk(p, prep.choice));

  const recorded = new Map<string, string>();
  for (let f = 0; f < p.functions.length; f++) {
    const raw = p.strings[p.functions.filename[f]] ?? '';
    if (raw === '') continue;
    const shown = cleanPath(pprofTrimPath(raw, opts.trimPath ?? '', opts.sourcePath ?? ''));
    if (!recorded.has(shown)) recorded.set(shown, raw);
  }

  const byName = new Map<string, number[]>();
  for (let k = 0; k < keys.count; k++) {
    if (v.flat[k] === 0 && v.cum[k] === 0) continue;
    const name = keys.funcNames[k];
    if (!re.test(name)) continue;
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(k);
  }
  const functions: ListFunction[] = [];
  for (const name of [...byName.keys()].sort(compareGoStrings)) {
    const byFile = new Map<string, number[]>();
    for (const k of byName.get(name)!) {
      const file = keys.files[k];
      if (file === '') continue;
      let list = byFile.get(file);
      if (!list) byFile.set(file, (list = []));
      list.push(k);
    }
    const files: ListFile[] = [];
    for (const file of [...byFile.keys()].sort(compareGoStrings)) {
      const nodes = byFile.get(file)!;
      let flat = 0;
      let cum = 0;
      const perLine = new Map<number, ListLine>();
      for (const k of nodes) {
        flat += v.flat[k];
        cum += v.cum[k];
        const line = keys.lines[k];
        const row = perLine.get(line) ?? { line, flat: 0, cum: 0 };
        row.flat += v.flat[k];
        row.cum += v.cum[k];
        perLine.set(line, row);
      }
      files.push({
        file,
        recorded: recorded.get(file) ?? file,
        flat,
        cum,
        ...lineWindow(keys, nodes),
        lines: [...perLine.values()].sort((a, b) => a.line - b.line),
      });
    }
    functions.push({ name, files });
  }
  return { sampleType: prep.choice.sampleType, total: prep.total, functions };
}

/** A source file's lines (line 1 first), or why it could not be read. */
export type SourceText = { lines: string[] } | { error: string };

/**
 * The text of `go tool pprof -list`. `read` gives the lines of a file named as the report
 * names it (see source-path's sourceLookup and splitSourceLines for pprof's way).
 */
export function formatListText(listing: Listing, read: (file: string) => SourceText): string {
  const unit = listing.sampleType.unit;
  const fmt = (x: number): string => scaledLabel(x, unit, 'minimum');
  const dot = (x: number): string => listValue(x, unit);
  const out: string[] = [`Total: ${fmt(listing.total)}`];
  const cache = new Map<string, SourceText>();
  for (const fn of listing.functions) {
    if (fn.files.length === 0) {
      out.push(`No source information for ${fn.name}`);
      continue;
    }
    for (const f of fn.files) {
      out.push(`ROUTINE ======================== ${fn.name} in ${f.file}`);
      out.push(
        `${fmt(f.flat).padStart(10)} ${fmt(f.cum).padStart(10)} (flat, cum) ${percentage(f.cum, listing.total)} of Total`,
      );
      let src = cache.get(f.file);
      if (!src) cache.set(f.file, (src = read(f.file)));
      if ('error' in src) {
        out.push(` Error: ${src.error}`);
        continue;
      }
      const byLine = new Map(f.lines.map((l) => [l.line, l]));
      for (let n = f.start; n <= f.end && n <= src.lines.length; n++) {
        const l = byLine.get(n);
        out.push(
          `${dot(l?.flat ?? 0).padStart(10)} ${dot(l?.cum ?? 0).padStart(10)} ${String(n).padStart(6)}:${src.lines[n - 1]}`,
        );
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** A line's value as the listing prints it: auto-scaled, "." for zero. */
export function listValue(value: number, unit: string): string {
  return value === 0 ? '.' : scaledLabel(value, unit, 'minimum');
}

export interface InlinedCall {
  /** The line of the listed function where the call was inlined. */
  callLine: number;
  /** 1 for a function inlined at the call line, 2 for one inlined into that, ... */
  depth: number;
  name: string;
  /** The callee's file as the report names it, and its line. */
  file: string;
  line: number;
  flat: number;
  cum: number;
}

/**
 * The calls inlined into `name` (in `file`): what weblist shows under a call line. Each
 * location whose outermost frame of `name` has frames inlined into it contributes one
 * entry per inlined frame; cum counts a sample once per entry, flat goes to the innermost
 * frame of the sample's leaf location.
 */
export function inlinedCalls(
  prep: PreparedProfile,
  name: string,
  file: string,
  opts: ListOptions = {},
): InlinedCall[] {
  if (opts.noInlines) return [];
  const p = prep.profile;
  const keys = listKeys(prep, opts);
  const { locations } = p;
  // Entry 0 collects everything that is not an inlined call of `name`.
  const entries: InlinedCall[] = [
    { callLine: 0, depth: 0, name: '', file: '', line: 0, flat: 0, cum: 0 },
  ];
  const ids = new Map<string, number>();
  const frameStart = new Uint32Array(locations.length + 1);
  const frames: number[] = [];
  for (let loc = 0; loc < locations.length; loc++) {
    frameStart[loc] = frames.length;
    const start = locations.lineStart[loc];
    const end = locations.lineStart[loc + 1];
    let caller = -1;
    for (let r = end - 1; r > start; r--) {
      const k = keys.lineKey[r];
      if (keys.funcNames[k] === name && keys.files[k] === file) {
        caller = r;
        break;
      }
    }
    if (caller < 0) {
      frames.push(0);
      continue;
    }
    const callLine = keys.lines[keys.lineKey[caller]];
    for (let r = caller - 1; r >= start; r--) {
      const k = keys.lineKey[r];
      const depth = caller - r;
      const id = `${callLine}\u0000${depth}\u0000${k}`;
      let e = ids.get(id);
      if (e === undefined) {
        e = entries.length;
        ids.set(id, e);
        entries.push({
          callLine,
          depth,
          name: keys.funcNames[k],
          file: keys.files[k],
          line: keys.lines[k],
          flat: 0,
          cum: 0,
        });
      }
      frames.push(e);
    }
  }
  frameStart[locations.length] = frames.length;
  if (entries.length === 1) return [];
  const entryKeys: FrameKeys = {
    ...keys,
    count: entries.length,
    frameStart,
    frames: Int32Array.from(frames),
    frameInlined: new Uint8Array(frames.length),
  };
  const v = aggregateNodes(p, entryKeys, prep.choice, stackWalk(p, prep.choice));
  const out: InlinedCall[] = [];
  for (let e = 1; e < entries.length; e++) {
    if (v.flat[e] === 0 && v.cum[e] === 0) continue;
    out.push({ ...entries[e], flat: v.flat[e], cum: v.cum[e] });
  }
  return out.sort((a, b) => a.callLine - b.callLine || a.depth - b.depth || b.cum - a.cum);
}

// Report nodes at a granularity: which frames pprof merges into one node, and its name.
//
// pprof blanks fields of the profile (profile.Aggregate) and then merges frames whose
// NodeInfo {address, name, file, start line, line, column, object file} is equal
// (graph.nodeInfo). This module computes that identity once per Line row (and per location
// without lines) as a small integer key, plus the node's printable name.
//   functions      name                    (files blanked, lines 0, address 0)
//   filefunctions  name + file
//   files          file; with names blanked pprof also keys on the function's start line
//                  and object file, so two functions of one file stay separate rows
//   lines          name + file + line
//   addresses      address + name + file + line (+ column when inlines are kept)
// `noInlines` keeps only the last (real caller) Line of each location.
import { basePath, reportFileName } from './go-path';
import type { Profile } from './model';
import { PairMap } from './pair-map';
import { ReportError } from './report-error';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

export const GRANULARITIES: readonly Granularity[] = [
  'functions',
  'filefunctions',
  'files',
  'lines',
  'addresses',
];

export function parseGranularity(text: string | undefined): Granularity {
  if (text === undefined || text === '') return 'functions';
  if ((GRANULARITIES as readonly string[]).includes(text)) return text as Granularity;
  throw new ReportError(
    'bad-option',
    `unknown granularity '${text}': use one of ${GRANULARITIES.join(', ')}`,
  );
}

export interface FrameKeys {
  /** Number of distinct nodes. */
  count: number;
  /** Node key of each LineTable row. */
  lineKey: Int32Array;
  /** Node key of each location that has no Lines (-1 for locations with Lines). */
  bareKey: Int32Array;
  /**
   * The frames of each location, outermost (real caller) first, as node keys:
   * frames[frameStart[loc] .. frameStart[loc + 1] - 1]. With noInlines only the last Line.
   */
  frameStart: Uint32Array;
  frames: Int32Array;
  /** For each entry of `frames`: 1 when it is an inlined Line (not the location's last). */
  frameInlined: Uint8Array;
  /** Printable name of each node, as pprof prints it (NodeInfo.PrintableName). */
  names: string[];
  /** Function name of each node ('' when the granularity drops it or it is unknown). */
  funcNames: string[];
  /** File of each node's (first seen) function, trimmed and cleaned like pprof. */
  files: string[];
  /** Source line of each node, 0 when the granularity has no lines. */
  lines: Float64Array;
  /** Start line of each node's function when it is part of the identity (objNames), else 0. */
  startLines: Float64Array;
  /** Address of each node (0 unless the granularity is addresses). */
  addresses: Float64Array;
  /** Go's fmt.Sprint of the node's NodeInfo: pprof's last-resort sort key. */
  infoText: string[];
}

export interface KeyOptions {
  granularity?: Granularity;
  noInlines?: boolean;
  /**
   * pprof's graph option ObjNames (its list, weblist, disasm and raw reports): every node
   * also keys on its object file and its function's start line.
   */
  objNames?: boolean;
  /** The file name a node shows, from the recorded one (default: reportFileName). */
  fileName?: (recorded: string) => string;
}

function hex16(address: number | bigint): string {
  return (typeof address === 'bigint' ? address : Math.trunc(address))
    .toString(16)
    .padStart(16, '0');
}

/** NodeInfo.PrintableName. */
function printableName(
  address: number | bigint,
  name: string,
  file: string,
  lineno: number,
  column: number,
  objfile: string,
): string {
  const parts: string[] = [];
  if (address !== 0 && address !== 0n) parts.push(hex16(address));
  if (name !== '') parts.push(name);
  if (lineno !== 0) parts.push(column !== 0 ? `${file}:${lineno}:${column}` : `${file}:${lineno}`);
  else if (file !== '') parts.push(file);
  else if (name !== '') {
    // the function name alone
  } else if (objfile !== '') parts.push(`[${basePath(objfile)}]`);
  else parts.push('<unknown>');
  return parts.join(' ');
}

export function computeFrameKeys(profile: Profile, opts: KeyOptions = {}): FrameKeys {
  const g = opts.granularity ?? 'functions';
  const noInlines = opts.noInlines ?? false;
  const useName = g !== 'files';
  const useFile = g !== 'functions';
  const useLine = g === 'lines' || g === 'addresses';
  const useAddr = g === 'addresses';
  const useColumn = g === 'addresses' && !noInlines;
  const objNames = opts.objNames ?? false;
  const fileName = opts.fileName ?? reportFileName;

  const { strings, functions, locations, lines, mappings } = profile;
  const exactAddr = profile.exact?.address;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const funcNames: string[] = [];
  const files: string[] = [];
  const nodeLines: number[] = [];
  const nodeStarts: number[] = [];
  const nodeAddrs: number[] = [];
  const infoText: string[] = [];
  const fileCache = new Map<number, string>();
  const cleanFile = (s: number): string => {
    let f = fileCache.get(s);
    if (f === undefined) {
      f = fileName(strings[s] ?? '');
      fileCache.set(s, f);
    }
    return f;
  };

  const intern = (
    address: number | bigint,
    name: string,
    file: string,
    startLine: number,
    lineno: number,
    column: number,
    objfile: string,
    realFile: string,
  ): number => {
    const k = `${address}\u0000${name}\u0000${file}\u0000${startLine}\u0000${lineno}\u0000${column}\u0000${objfile}`;
    let id = ids.get(k);
    if (id === undefined) {
      id = names.length;
      ids.set(k, id);
      names.push(printableName(address, name, file, lineno, column, objfile));
      funcNames.push(name);
      files.push(realFile);
      nodeLines.push(lineno);
      nodeStarts.push(startLine);
      nodeAddrs.push(Number(address));
      infoText.push(`{${name}  ${address} ${file} ${startLine} ${lineno} ${column} ${objfile}}`);
    }
    return id;
  };

  const lineKey = new Int32Array(lines.length);
  const bareKey = new Int32Array(locations.length).fill(-1);
  const frameStart = new Uint32Array(locations.length + 1);
  let frameCount = 0;
  for (let loc = 0; loc < locations.length; loc++) {
    const n = locations.lineStart[loc + 1] - locations.lineStart[loc];
    frameCount += n === 0 ? 1 : noInlines ? 1 : n;
  }
  const frames = new Int32Array(frameCount);
  const frameInlined = new Uint8Array(frameCount);

  // Without lines and addresses a frame's node depends only on its function and mapping:
  // compute it once per (function, mapping) pair instead of once per Line.
  const perFunction = !useLine && !useAddr;
  const cacheIds = new PairMap(perFunction ? functions.length : 16);
  let cache = new Int32Array(perFunction ? functions.length : 0);

  let fp = 0;
  for (let loc = 0; loc < locations.length; loc++) {
    const m = locations.mapping[loc];
    const objfile = m >= 0 ? (strings[mappings.filename[m]] ?? '') : '';
    // Addresses above 2^53 (Go writes 0xffffffffffffffff) keep their exact value.
    const address = useAddr ? (exactAddr?.get(loc) ?? locations.address[loc]) : 0;
    const start = locations.lineStart[loc];
    const end = locations.lineStart[loc + 1];
    frameStart[loc] = fp;
    if (start === end) {
      const k = intern(address, '', '', 0, 0, 0, objfile, '');
      bareKey[loc] = k;
      frames[fp++] = k;
      continue;
    }
    for (let r = start; r < end; r++) {
      const f = lines.func[r];
      if (f < 0) {
        lineKey[r] = intern(address, '', '', 0, 0, 0, objfile, '');
        continue;
      }
      let slot = -1;
      if (perFunction) {
        const before = cacheIds.size;
        slot = cacheIds.intern(f, m);
        if (slot < before) {
          lineKey[r] = cache[slot];
          continue;
        }
        if (slot >= cache.length) {
          const c = new Int32Array(cache.length * 2 + 16);
          c.set(cache);
          cache = c;
        }
      }
      const name = useName ? (strings[functions.name[f]] ?? '') : '';
      const realFile = cleanFile(functions.filename[f]);
      const file = useFile ? realFile : '';
      // pprof keeps the object file and start line in the identity of nameless frames
      // (and of every frame under ObjNames).
      const withObj = name === '' || objNames;
      lineKey[r] = intern(
        address,
        name,
        file,
        withObj ? functions.startLine[f] : 0,
        useLine ? lines.line[r] : 0,
        useColumn ? lines.column[r] : 0,
        withObj ? objfile : '',
        realFile,
      );
      if (slot >= 0) cache[slot] = lineKey[r];
    }
    if (noInlines) {
      frames[fp++] = lineKey[end - 1];
    } else {
      for (let r = end - 1; r >= start; r--) {
        frames[fp] = lineKey[r];
        frameInlined[fp] = r === end - 1 ? 0 : 1;
        fp++;
      }
    }
  }
  frameStart[locations.length] = fp;
  return {
    count: names.length,
    lineKey,
    bareKey,
    frameStart,
    frames,
    frameInlined,
    names,
    funcNames,
    files,
    lines: Float64Array.from(nodeLines),
    startLines: Float64Array.from(nodeStarts),
    addresses: Float64Array.from(nodeAddrs),
    infoText,
  };
}

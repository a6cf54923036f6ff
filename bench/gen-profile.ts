// A large synthetic CPU profile for the benchmarks, written by the project's own encoder:
// Go-like package, function and file names; a call tree grown by a random process so stacks
// share prefixes the way real services do (a few entry points, many leaves); stack depth 20
// to 60; some recursion; some locations with inlined lines; pprof labels on some samples.
// Deterministic (seeded), and cached on disk because gzipping 100+ MB takes a while.

import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeProfile } from '../core/pprof/encode';
import type { Profile } from '../core/pprof/model';

export interface GenOptions {
  samples: number;
  functions: number;
  seed: number;
  /**
   * 'shared' (default): a grown call tree whose paths are shared down to the last frames.
   * 'deep': what a merged continuous-profiling export or a long-running service with deep,
   * varied paths looks like: random walks over the call graph below a shared top, so most
   * stacks are unique below depth ~13 (issue #13).
   */
  shape?: 'shared' | 'deep';
}

export const LARGE: GenOptions = { samples: 1_100_000, functions: 30_000, seed: 20260726 };

/** 1M samples, stacks 20..60 deep, random walks over a 50,000-function call graph. */
export const DEEP: GenOptions = {
  samples: 1_000_000,
  functions: 50_000,
  seed: 20261207,
  shape: 'deep',
};

/** Depth from which the 'deep' shape's walks stop following shared paths. */
const DEEP_SHARED_DEPTH = 13;

/** Bump when the generator changes, so cached files are rebuilt. */
const VERSION = 3;

/** Small, fast, seedable PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = [
  'orders',
  'payments',
  'inventory',
  'catalog',
  'users',
  'auth',
  'cart',
  'shipping',
  'pricing',
  'search',
  'notifications',
  'reporting',
  'checkout',
  'returns',
  'reviews',
];
const LAYERS = ['api', 'service', 'store', 'cache', 'events', 'validate'];
const STDLIB = [
  'net/http',
  'encoding/json',
  'database/sql',
  'bufio',
  'sync',
  'reflect',
  'strconv',
  'strings',
  'bytes',
  'fmt',
  'sort',
  'time',
  'context',
  'crypto/tls',
  'compress/gzip',
  'io',
  'os',
  'syscall',
  'internal/poll',
  'net',
  'math/big',
  'regexp',
  'unicode/utf8',
  'slices',
  'maps',
  'encoding/binary',
  'crypto/sha256',
  'log/slog',
  'text/template',
  'html/template',
];
const THIRD_PARTY = [
  'google.golang.org/grpc',
  'google.golang.org/grpc/internal/transport',
  'google.golang.org/protobuf/proto',
  'google.golang.org/protobuf/internal/impl',
  'github.com/jackc/pgx/v5/pgconn',
  'github.com/jackc/pgx/v5/pgtype',
  'go.uber.org/zap',
  'go.uber.org/zap/zapcore',
  'github.com/redis/go-redis/v9',
  'github.com/redis/go-redis/v9/internal/pool',
  'github.com/prometheus/client_golang/prometheus',
  'github.com/go-chi/chi/v5',
  'github.com/segmentio/kafka-go',
  'go.opentelemetry.io/otel/sdk/trace',
];
const TYPES = [
  'Service',
  'Handler',
  'Repository',
  'Cache',
  'Client',
  'Server',
  'Codec',
  'Encoder',
  'Decoder',
  'Pool',
  'Conn',
  'Router',
  'Worker',
  'Batcher',
  'Store',
  'Tx',
  'Rows',
  'Writer',
  'Reader',
  'Validator',
  'Publisher',
  'Consumer',
  'Scheduler',
  'Limiter',
];
const VERBS = [
  'handle',
  'create',
  'get',
  'list',
  'update',
  'delete',
  'validate',
  'encode',
  'decode',
  'serve',
  'query',
  'exec',
  'scan',
  'marshal',
  'unmarshal',
  'process',
  'flush',
  'write',
  'read',
  'apply',
  'compute',
  'load',
  'save',
  'publish',
  'consume',
  'retry',
  'merge',
  'build',
];
const NOUNS = [
  'Order',
  'Item',
  'Payment',
  'Invoice',
  'User',
  'Session',
  'Token',
  'Cart',
  'Price',
  'Discount',
  'Shipment',
  'Address',
  'Review',
  'Query',
  'Batch',
  'Event',
  'Record',
  'Row',
  'Message',
  'Header',
  'Body',
  'Frame',
  'Stream',
  'Schema',
  'Index',
  'Snapshot',
  'Report',
];
/** Hot leaves a Go CPU profile is full of. */
const RUNTIME_LEAVES = [
  'runtime.mallocgc',
  'runtime.memmove',
  'runtime.memclrNoHeapPointers',
  'runtime.futex',
  'runtime.nanotime',
  'runtime.scanobject',
  'runtime.findObject',
  'runtime.mapaccess2_faststr',
  'runtime.mapassign_faststr',
  'runtime.growslice',
  'runtime.usleep',
  'runtime.epollwait',
  'runtime.procyield',
  'runtime.lock2',
  'runtime.unlock2',
  'runtime.greyobject',
  'runtime.heapBitsSetType',
  'syscall.Syscall6',
  'runtime.(*mspan).nextFreeIndex',
  'runtime.aeshashbody',
  'runtime.cmpbody',
  'runtime.memequal',
  'runtime.stringtoslicebyte',
];
const RECURSIVE = [
  'encoding/json.(*decodeState).value',
  'encoding/json.(*decodeState).object',
  'encoding/json.(*decodeState).array',
  'text/template.(*state).walk',
  'sort.quickSort',
  'github.com/acme/shop/internal/catalog/service.(*Tree).walk',
];

interface Funcs {
  name: string[];
  file: string[];
  startLine: number[];
  recursive: boolean[];
}

function makeFunctions(n: number, rnd: () => number): Funcs {
  const f: Funcs = { name: [], file: [], startLine: [], recursive: [] };
  const seen = new Set<string>();
  const add = (name: string, file: string, recursive = false): void => {
    if (seen.has(name)) return;
    seen.add(name);
    f.name.push(name);
    f.file.push(file);
    f.startLine.push(10 + Math.floor(rnd() * 900));
    f.recursive.push(recursive);
  };
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  const goroot = '/usr/local/go/src';
  const modroot = '/home/build/go/pkg/mod';
  // Fixed frames every Go stack has near the root or the leaf.
  add('runtime.goexit', `${goroot}/runtime/asm_amd64.s`);
  add('runtime.main', `${goroot}/runtime/proc.go`);
  add('runtime.mstart', `${goroot}/runtime/proc.go`);
  add('runtime.gcBgMarkWorker', `${goroot}/runtime/mgc.go`);
  add('net/http.(*conn).serve', `${goroot}/net/http/server.go`);
  add(
    'google.golang.org/grpc.(*Server).serveStreams.func1.1',
    `${modroot}/google.golang.org/grpc@v1.66.0/server.go`,
  );
  add('main.main', '/src/shop/cmd/shop/main.go');
  for (const leaf of RUNTIME_LEAVES) {
    const pkg = leaf.slice(0, leaf.indexOf('.'));
    add(leaf, `${goroot}/${pkg}/${pkg === 'syscall' ? 'syscall_linux.go' : 'malloc.go'}`);
  }
  for (const r of RECURSIVE) {
    const pkg = r.slice(0, r.lastIndexOf('/') + r.slice(r.lastIndexOf('/')).indexOf('.'));
    const file = r.startsWith('github.com')
      ? `/src/shop/internal/catalog/service/tree.go`
      : `${goroot}/${pkg}/${pkg.split('/').pop()}.go`;
    add(r, file, true);
  }
  while (f.name.length < n) {
    const kind = rnd();
    let pkg: string;
    let dir: string;
    if (kind < 0.55) {
      const d = pick(DOMAINS);
      const l = pick(LAYERS);
      pkg = `github.com/acme/shop/internal/${d}/${l}`;
      dir = `/src/shop/internal/${d}/${l}`;
    } else if (kind < 0.8) {
      pkg = pick(STDLIB);
      dir = `${goroot}/${pkg}`;
    } else {
      pkg = pick(THIRD_PARTY);
      const mod = pkg.split('/').slice(0, 3).join('/');
      dir = `${modroot}/${mod}@v1.${Math.floor(rnd() * 20)}.${Math.floor(rnd() * 9)}${pkg.slice(mod.length)}`;
    }
    const noun = pick(NOUNS);
    const verb = pick(VERBS);
    const shape = rnd();
    let name: string;
    if (shape < 0.5)
      name = `${pkg}.(*${pick(TYPES)}).${verb[0].toUpperCase()}${verb.slice(1)}${noun}`;
    else if (shape < 0.75) name = `${pkg}.${verb}${noun}`;
    else if (shape < 0.9)
      name = `${pkg}.(*${pick(TYPES)}).${verb}${noun}.func${1 + Math.floor(rnd() * 4)}`;
    else name = `${pkg}.${verb}${noun}[go.shape.*uint8,go.shape.int]`;
    if (seen.has(name)) name = `${name}${f.name.length % 97}`;
    add(name, `${dir}/${noun.toLowerCase()}.go`);
  }
  return f;
}

/** Builds the profile in memory (as model tables) from `opts`. */
export function generateProfile(opts: GenOptions): Profile {
  const rnd = prng(opts.seed);
  const funcs = makeFunctions(opts.functions, rnd);
  const nf = funcs.name.length;
  const leafStart = 7;
  const leafEnd = leafStart + RUNTIME_LEAVES.length;
  const recStart = leafEnd;
  const recEnd = recStart + RECURSIVE.length;

  // Strings: interned here, entry 0 ''.
  const strings: string[] = [''];
  const strIndex = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = strIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      strIndex.set(s, i);
    }
    return i;
  };

  // Each function owns 1..7 locations (call sites at different lines); 1 in 9 has inlined
  // lines: small helpers inlined into it, listed before it as pprof requires.
  const locFunc: number[] = [];
  const locLines: number[][] = []; // [func, line] pairs, innermost first
  const funcLocs: number[][] = [];
  for (let fi = 0; fi < nf; fi++) {
    const k = 1 + Math.floor(rnd() * 7);
    const mine: number[] = [];
    for (let j = 0; j < k; j++) {
      const lines: number[] = [];
      if (rnd() < 1 / 9) {
        const depth = 1 + Math.floor(rnd() * 2);
        for (let d = 0; d < depth; d++) {
          const g = Math.floor(rnd() * nf);
          lines.push(g, funcs.startLine[g] + 1 + Math.floor(rnd() * 12));
        }
      }
      lines.push(fi, funcs.startLine[fi] + 2 + Math.floor(rnd() * 80));
      mine.push(locFunc.length);
      locFunc.push(fi);
      locLines.push(lines);
    }
    funcLocs.push(mine);
  }
  const nLoc = locFunc.length;

  // Each function calls from a fixed list of callees, so paths repeat as in a real program.
  const callees: Int32Array[] = [];
  for (let fi = 0; fi < nf; fi++) {
    const c = new Int32Array(3 + Math.floor(rnd() * 6));
    // Skewed: a minority of functions is called from everywhere (helpers, codecs, clients).
    for (let j = 0; j < c.length; j++) c[j] = leafEnd + Math.floor(rnd() ** 2 * (nf - leafEnd));
    callees.push(c);
  }

  // The call tree, grown by sampling: a walk follows an existing child or opens a new one
  // (more often deeper down), so upper paths are shared and leaves fan out.
  let cap = 1 << 20;
  let nodeLoc = new Int32Array(cap);
  let nodeParent = new Int32Array(cap);
  let nodeFirst = new Int32Array(cap).fill(-1);
  let nodeNext = new Int32Array(cap).fill(-1);
  let nodeKids = new Uint16Array(cap);
  let nNodes = 0;
  const newNode = (parent: number, loc: number): number => {
    if (nNodes === cap) {
      cap *= 2;
      const g32 = (a: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(cap).fill(fill);
        b.set(a);
        return b;
      };
      nodeLoc = g32(nodeLoc, 0);
      nodeParent = g32(nodeParent, 0);
      nodeFirst = g32(nodeFirst, -1);
      nodeNext = g32(nodeNext, -1);
      const k = new Uint16Array(cap);
      k.set(nodeKids);
      nodeKids = k;
    }
    const n = nNodes++;
    nodeLoc[n] = loc;
    nodeParent[n] = parent;
    if (parent >= 0) {
      nodeNext[n] = nodeFirst[parent];
      nodeFirst[parent] = n;
      nodeKids[parent]++;
    }
    return n;
  };
  /** A node nobody descends into again (the 'deep' shape's unshared part). */
  const newLeafward = (parent: number, loc: number): number => {
    const n = newNode(-1, loc);
    nodeParent[n] = parent;
    return n;
  };
  const locOf = (fi: number): number => {
    const l = funcLocs[fi];
    return l[Math.floor(rnd() * l.length)];
  };
  // runtime.goexit -> {net/http serve, grpc stream, GC worker}; runtime.main -> main.main.
  const goexit = newNode(-1, locOf(0));
  const httpRoot = newNode(goexit, locOf(4));
  const grpcRoot = newNode(goexit, locOf(5));
  const gcRoot = newNode(goexit, locOf(3));
  const mainRoot = newNode(newNode(-1, locOf(1)), locOf(6));

  const nTypes = 2;
  const values = new Float64Array(opts.samples * nTypes);
  const sampleNode = new Int32Array(opts.samples);
  const labelStart = new Uint32Array(opts.samples + 1);
  const labelKey: number[] = [];
  const labelStr: number[] = [];
  const endpoints = [
    '/api/orders',
    '/api/cart',
    '/api/checkout',
    '/api/search',
    '/api/users/{id}',
    '/grpc/Inventory/Reserve',
  ];
  const endpointKey = str('endpoint');
  const endpointIdx = endpoints.map(str);
  const tenantKey = str('tenant');
  const tenantIdx = Array.from({ length: 40 }, (_, i) =>
    str(`tenant-${String(i).padStart(3, '0')}`),
  );

  const deep = opts.shape === 'deep';
  for (let s = 0; s < opts.samples; s++) {
    if (deep) {
      // Depth 20..60 at random. Above DEEP_SHARED_DEPTH the walk prefers frames it has been
      // through before (hot entry paths); below it, each step is a fresh random edge of the
      // call graph, so paths diverge and a sample's lower frames are its own.
      const target = 20 + Math.floor(rnd() * 41);
      const r0 = rnd();
      let node = r0 < 0.55 ? httpRoot : r0 < 0.9 ? grpcRoot : r0 < 0.95 ? mainRoot : gcRoot;
      for (let depth = 2; depth < target; depth++) {
        const kids = nodeKids[node];
        const shared = depth < DEEP_SHARED_DEPTH;
        if (shared && kids > 0 && rnd() >= 0.02 / (kids + 0.02)) {
          const k = Math.floor(kids * rnd() * rnd());
          let c = nodeFirst[node];
          for (let i = kids - 1; i > k; i--) c = nodeNext[c];
          node = c;
          continue;
        }
        const fi = locFunc[nodeLoc[node]];
        const rr = rnd();
        let callee: number;
        if (fi >= recStart && fi < recEnd && rr < 0.3) callee = fi;
        else if (depth === target - 1 && rr < 0.5)
          callee = leafStart + Math.floor(rnd() * RUNTIME_LEAVES.length);
        else callee = callees[fi][Math.floor(rnd() * callees[fi].length)];
        // Below the shared top a node is never looked up again: no child links needed.
        node = shared ? newNode(node, locOf(callee)) : newLeafward(node, locOf(callee));
      }
      sampleNode[s] = node;
      const count = rnd() < 0.92 ? 1 : 2 + Math.floor(rnd() * 5);
      values[s * 2] = count;
      values[s * 2 + 1] = count * 10_000_000;
      labelStart[s] = labelKey.length;
      if (rnd() < 0.3) {
        labelKey.push(endpointKey);
        labelStr.push(endpointIdx[Math.floor(rnd() * endpointIdx.length)]);
      }
      continue;
    }
    // Depth 20..60, set by the code path: fixed once the walk has entered a handler (depth
    // 8), with a little jitter, as the same request type runs at about the same depth.
    let target = 60;
    const jr = rnd();
    const jitter = jr < 0.8 ? 0 : jr < 0.9 ? -1 : 1;
    const r0 = rnd();
    let node = r0 < 0.55 ? httpRoot : r0 < 0.9 ? grpcRoot : r0 < 0.95 ? mainRoot : gcRoot;
    let depth = 2;
    while (depth < target) {
      if (depth === 8)
        target = Math.min(
          60,
          Math.max(20, 20 + ((Math.imul(node, 0x9e3779b1) >>> 0) % 41) + jitter),
        );
      const kids = nodeKids[node];
      // Chance of a new callee: tiny until the last frames of the walk, so upper paths are
      // shared and stacks differ near their leaves, mostly in the leaf itself (another pc).
      const left = target - depth;
      const conc = left > 3 ? 0.0005 : left > 1 ? 0.3 : 16;
      if (kids === 0 || rnd() < conc / (kids + conc)) {
        const fi = locFunc[nodeLoc[node]];
        let callee: number;
        const rr = rnd();
        if (fi >= recStart && fi < recEnd && rr < 0.6)
          callee = rr < 0.4 ? fi : recStart + Math.floor(rnd() * RECURSIVE.length);
        else if (rr < 0.01) callee = recStart + Math.floor(rnd() * RECURSIVE.length);
        else if (depth >= target - 1 && rr < 0.5)
          callee = leafStart + Math.floor(rnd() * RUNTIME_LEAVES.length);
        else callee = callees[fi][Math.floor(rnd() * callees[fi].length)];
        node = newNode(node, locOf(callee));
      } else {
        // Follow an existing child, preferring the oldest (skewed like real hot paths).
        const k = Math.floor(kids * rnd() * rnd());
        let c = nodeFirst[node];
        for (let i = kids - 1; i > k; i--) c = nodeNext[c];
        node = c;
      }
      depth++;
    }
    sampleNode[s] = node;
    const count = rnd() < 0.92 ? 1 : 2 + Math.floor(rnd() * 5);
    values[s * 2] = count;
    values[s * 2 + 1] = count * 10_000_000;
    labelStart[s] = labelKey.length;
    if (rnd() < 0.3) {
      labelKey.push(endpointKey);
      labelStr.push(endpointIdx[Math.floor(rnd() * endpointIdx.length)]);
      if (rnd() < 0.5) {
        labelKey.push(tenantKey);
        labelStr.push(tenantIdx[Math.floor(rnd() * tenantIdx.length)]);
      }
    }
  }
  labelStart[opts.samples] = labelKey.length;

  // Tree nodes become the stack table as they are (parents are created before children).
  const stackFrame = nodeLoc.slice(0, nNodes);
  const stackPrefix = nodeParent.slice(0, nNodes);

  const lineStart = new Uint32Array(nLoc + 1);
  let nLines = 0;
  for (let i = 0; i < nLoc; i++) {
    lineStart[i] = nLines;
    nLines += locLines[i].length / 2;
  }
  lineStart[nLoc] = nLines;
  const lineFunc = new Int32Array(nLines);
  const lineNo = new Float64Array(nLines);
  for (let i = 0, k = 0; i < nLoc; i++) {
    const l = locLines[i];
    for (let j = 0; j < l.length; j += 2, k++) {
      lineFunc[k] = l[j];
      lineNo[k] = l[j + 1];
    }
  }
  const address = new Float64Array(nLoc);
  for (let i = 0; i < nLoc; i++) address[i] = 0x401000 + i * 24 + (i % 7);
  const ids = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);

  return {
    strings,
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    defaultSampleType: '',
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: 10_000_000,
    timeNanos: 1_780_000_000_000_000_000,
    durationNanos: 1_800_000_000_000,
    dropFrames: '',
    keepFrames: '',
    comments: [],
    mappings: {
      length: 1,
      id: ids(1),
      memoryStart: Float64Array.of(0x400000),
      memoryLimit: Float64Array.of(0x400000 + nLoc * 24 + 0x10000),
      fileOffset: Float64Array.of(0),
      filename: Int32Array.of(str('/app/shop')),
      buildId: Int32Array.of(str('4f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a')),
      flags: Uint8Array.of(1 | 2 | 4 | 8),
    },
    functions: {
      length: nf,
      id: ids(nf),
      name: Int32Array.from(funcs.name, str),
      systemName: Int32Array.from(funcs.name, str),
      filename: Int32Array.from(funcs.file, str),
      startLine: Float64Array.from(funcs.startLine),
    },
    locations: {
      length: nLoc,
      id: ids(nLoc),
      mapping: new Int32Array(nLoc),
      address,
      isFolded: new Uint8Array(nLoc),
      lineStart,
    },
    lines: { length: nLines, func: lineFunc, line: lineNo, column: new Float64Array(nLines) },
    stacks: { length: nNodes, frame: stackFrame, prefix: stackPrefix },
    samples: {
      length: opts.samples,
      stack: sampleNode,
      values,
      labelStart,
      labelKey: Int32Array.from(labelKey),
      labelStr: Int32Array.from(labelStr),
      labelNum: new Float64Array(labelKey.length),
      labelUnit: new Int32Array(labelKey.length),
    },
  };
}

export interface GeneratedFile {
  path: string;
  /** Size of the gzipped file. */
  bytes: number;
}

/** The cached `.pb.gz` for `opts` under `dir`, generated (atomically) when missing. */
export function ensureProfile(
  dir: string,
  opts: GenOptions = LARGE,
  log = console.log,
): GeneratedFile {
  mkdirSync(dir, { recursive: true });
  const path = join(
    dir,
    `synthetic-v${VERSION}${opts.shape === 'deep' ? '-deep' : ''}-${opts.samples}-${opts.functions}-${opts.seed}.pb.gz`,
  );
  if (!existsSync(path)) {
    const t0 = performance.now();
    log(`generating ${path} ...`);
    const p = generateProfile(opts);
    const gz = encodeProfile(p, { gzip: true, level: 6 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, gz);
    renameSync(tmp, path);
    log(
      `generated ${p.samples.length} samples, ${p.locations.length} locations, ${p.stacks.length} stack nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  return { path, bytes: statSync(path).size };
}

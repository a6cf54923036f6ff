// Attribution to the service's own code.
//
// "Own code" is every function whose package is not in Go's standard library or runtime
// (core/goroutines isStdlibFrame: the first element of the import path is a standard
// library root such as runtime, sync, encoding or net, or `vendor`), and not under one of
// the `thirdParty` prefixes the user lists in the settings (e.g. `github.com/jackc/pgx`,
// `google.golang.org/grpc`). `main.*` is always own code. Names without a package (a
// symbol-less frame) are never own code.
//
// A sample's cost is charged to its leaf-most own frame: the first own function met when
// walking from the leaf towards the root, looking at inlined frames innermost first. So
// `sync.(*Mutex).Unlock`, `runtime.chanrecv1` or `crypto/sha256.block` are never named;
// their own-code caller is. Samples without any own frame (runtime background work, GC
// workers) stay unattributed.
import { funcPackage, isStdlibFrame } from '../goroutines/frames';
import { stackSums } from '../pprof/aggregate';
import { computeFrameKeys, type FrameKeys } from '../pprof/granularity';
import type { Profile } from '../pprof/model';
import type { SampleChoice } from '../pprof/sample-index';

export interface OwnCodeOptions {
  /** Module or package prefixes treated as third-party, not own code. */
  thirdParty?: readonly string[];
}

export function isOwnCode(func: string, options: OwnCodeOptions = {}): boolean {
  if (func === '') return false;
  const pkg = funcPackage(func);
  if (pkg === '') return false;
  if (isStdlibFrame(func)) return false;
  for (const raw of options.thirdParty ?? []) {
    const p = raw.trim().replace(/\/+$/, '');
    if (p !== '' && (pkg === p || pkg.startsWith(p + '/') || pkg.startsWith(p + '.'))) {
      return false;
    }
  }
  return true;
}

/** Package initialization: runtime.doInit*, `pkg.init`, `pkg.init.0`, `pkg.init.func1`. */
export function isInitFunction(func: string): boolean {
  return /^runtime\.doInit\d*$/.test(func) || /\.init(\.\d+)?(\.func\d+(\.\d+)*)?$/.test(func);
}

export function isOnceDo(func: string): boolean {
  return (
    func === 'sync.(*Once).Do' ||
    func === 'sync.(*Once).doSlow' ||
    /^sync\.OnceValues?\b|^sync\.OnceFunc\b/.test(func)
  );
}

/** Per stack entry: the own-code frame charged for samples ending there, and its context. */
export interface OwnLeaves {
  keys: FrameKeys;
  /** Node key (function) of the leaf-most own frame of each stack entry, -1 when none. */
  own: Int32Array;
  /** 1 when that own frame runs under package initialization (an init frame at or above it). */
  underInit: Uint8Array;
  /** 1 when that own frame runs inside sync.(*Once).Do. */
  underOnce: Uint8Array;
}

export function ownLeaves(p: Profile, options: OwnCodeOptions = {}): OwnLeaves {
  const keys = computeFrameKeys(p, { granularity: 'functions' });
  const n = p.stacks.length;
  const own = new Int32Array(n).fill(-1);
  const underInit = new Uint8Array(n);
  const underOnce = new Uint8Array(n);
  // Context of each stack entry itself (any init / Once frame from the root to here).
  const initHere = new Uint8Array(n);
  const onceHere = new Uint8Array(n);
  const ownKey = new Int8Array(keys.count).fill(-1);
  const isOwnKey = (k: number): boolean => {
    let v = ownKey[k];
    if (v < 0) ownKey[k] = v = isOwnCode(keys.funcNames[k] ?? '', options) ? 1 : 0;
    return v === 1;
  };
  for (let s = 0; s < n; s++) {
    const pre = p.stacks.prefix[s];
    const loc = p.stacks.frame[s];
    let init = pre >= 0 ? initHere[pre] : 0;
    let once = pre >= 0 ? onceHere[pre] : 0;
    let found = -1;
    let foundInit = 0;
    let foundOnce = 0;
    // Frames outermost first: context flows inwards, the innermost own frame wins.
    for (let f = keys.frameStart[loc]; f < keys.frameStart[loc + 1]; f++) {
      const k = keys.frames[f];
      const name = keys.funcNames[k] ?? '';
      if (isInitFunction(name)) init = 1;
      if (isOnceDo(name)) once = 1;
      if (isOwnKey(k)) {
        found = k;
        foundInit = init;
        foundOnce = once;
      }
    }
    initHere[s] = init;
    onceHere[s] = once;
    if (found >= 0) {
      own[s] = found;
      underInit[s] = foundInit;
      underOnce[s] = foundOnce;
    } else if (pre >= 0) {
      own[s] = own[pre];
      underInit[s] = underInit[pre];
      underOnce[s] = underOnce[pre];
    }
  }
  return { keys, own, underInit, underOnce };
}

export interface OwnCharge {
  func: string;
  value: number;
  /** The part charged while under package initialization / inside sync.(*Once).Do. */
  initValue: number;
  onceValue: number;
}

export interface OwnCharges {
  /** Sum of the chosen value over all samples (pprof's total without -diff_base). */
  total: number;
  /** Value of samples with no own frame. */
  unattributed: number;
  /** Largest first. */
  rows: OwnCharge[];
}

/** Charges each sample's value (sample type `choice`) to its leaf-most own frame. */
export function chargeOwnCode(p: Profile, choice: SampleChoice, leaves: OwnLeaves): OwnCharges {
  const { self } = stackSums(p, choice);
  const byKey = new Map<number, OwnCharge>();
  let total = 0;
  let unattributed = 0;
  for (let s = 0; s < self.length; s++) {
    const v = self[s];
    if (v === 0) continue;
    total += v;
    const k = leaves.own[s];
    if (k < 0) {
      unattributed += v;
      continue;
    }
    let row = byKey.get(k);
    if (!row) {
      row = { func: leaves.keys.funcNames[k] ?? '', value: 0, initValue: 0, onceValue: 0 };
      byKey.set(k, row);
    }
    row.value += v;
    if (leaves.underInit[s]) row.initValue += v;
    if (leaves.underOnce[s]) row.onceValue += v;
  }
  // Samples without a stack count in the total too.
  const nt = p.sampleTypes.length;
  for (let i = 0; i < p.samples.length; i++) {
    if (p.samples.stack[i] < 0) {
      const v = p.samples.values[i * nt + choice.index];
      total += v;
      unattributed += v;
    }
  }
  const rows = [...byKey.values()].sort(
    (a, b) => b.value - a.value || (a.func < b.func ? -1 : a.func > b.func ? 1 : 0),
  );
  return { total, unattributed, rows };
}

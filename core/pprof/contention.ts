// Mutex and block profiles by call site: contentions, total delay and mean delay per
// contention for the function (or line) that waited or that held the lock, a joint view
// pairing the two profiles by site, a diff, and a plain statement of why a profile is empty.
//
// A sample's call site is its innermost frame outside the synchronisation machinery (runtime,
// sync, internal/sync...): for mutex profiles the function that called Unlock, for block
// profiles the function that called Lock, sent, received or selected.

import { funcPackage } from '../goroutines/frames';
import { computeFrameKeys } from './granularity';
import type { Profile } from './model';

export type ContentionKind = 'mutex' | 'block';

export interface ContentionOptions {
  /** 'functions' (default) or 'lines' (one row per function and line). */
  granularity?: 'functions' | 'lines';
  /** What the profile is, when the caller knows (capture metadata); else it is guessed. */
  kind?: ContentionKind;
}

export interface ContentionCell {
  contentions: number;
  delayNanos: number;
  /** delayNanos / contentions, 0 when there were no contentions. */
  meanDelayNanos: number;
}

export interface ContentionRow extends ContentionCell {
  /** Site identity: the function name, or `function file:line` at line granularity. */
  site: string;
  func: string;
  file: string;
  /** 0 at function granularity. */
  line: number;
  /** Share of the profile's total delay, 0..1. */
  delayShare: number;
  /** The primitive the site called (e.g. `sync.(*Mutex).Unlock`, `runtime.chansend1`), by most delay. */
  primitive: string;
  samples: number;
}

export type ContentionStatus =
  | { state: 'ok' }
  /** No samples or all-zero values: most likely the rate was never set. */
  | { state: 'empty'; message: string; fixes: string[] }
  /** The profile is not a mutex or block profile. */
  | { state: 'not-contention'; message: string };

export interface ContentionTable {
  kind: ContentionKind | 'unknown';
  /** How `kind` was found. */
  kindSource: 'given' | 'stacks' | 'unknown';
  status: ContentionStatus;
  totalContentions: number;
  totalDelayNanos: number;
  /** Largest total delay first. */
  rows: ContentionRow[];
}

/** Packages whose frames are the waiting or unlocking machinery, never the call site. */
function isSyncMachinery(func: string): boolean {
  const pkg = funcPackage(func);
  return (
    pkg === 'runtime' ||
    pkg === 'sync' ||
    pkg === 'sync/atomic' ||
    pkg === 'internal/sync' ||
    pkg.startsWith('internal/runtime/')
  );
}

const MUTEX_LEAF = /(^|\.)(\(\*(RW)?Mutex\)\.(R)?Unlock|unlock\w*|_LostContendedRuntimeLock)$/i;
const BLOCK_LEAF =
  /(\.\(\*(RW)?Mutex\)\.R?Lock|\.\(\*WaitGroup\)\.Wait|\.\(\*Cond\)\.Wait|^runtime\.(chansend1|chanrecv[12]|selectgo|semacquire\w*))$/;

function typeIndex(p: Profile, type: string): number {
  return p.sampleTypes.findIndex((t) => t.type === type);
}

export const MUTEX_FIX = 'runtime.SetMutexProfileFraction';
export const BLOCK_FIX = 'runtime.SetBlockProfileRate';

function emptyMessage(kind: ContentionKind | 'unknown', p: Profile): ContentionStatus {
  return {
    state: 'empty',
    message: contentionEmptyMessage(kind, p.durationNanos),
    fixes: kind === 'mutex' ? [MUTEX_FIX] : kind === 'block' ? [BLOCK_FIX] : [MUTEX_FIX, BLOCK_FIX],
  };
}

/** Why a mutex or block profile has no samples, and the call that turns its recording on. */
export function contentionEmptyMessage(
  kind: ContentionKind | 'unknown',
  durationNanos: number,
): string {
  const window =
    durationNanos > 0
      ? ` in this ${(durationNanos / 1e9).toFixed(durationNanos < 1e10 ? 1 : 0)} s capture`
      : '';
  const mutex =
    'Go records mutex contention only after the program calls ' +
    `${MUTEX_FIX}(n) with n > 0 (1 records every contention event, 5 about one in five)`;
  const block =
    'Go records blocking only after the program calls ' +
    `${BLOCK_FIX}(rate) with rate > 0 (1 records every blocking event; larger rates sample about one event per rate nanoseconds blocked)`;
  const what = kind === 'unknown' ? 'mutex or block' : kind;
  const how = kind === 'mutex' ? mutex : kind === 'block' ? block : `${mutex}; ${block}`;
  return (
    `This ${what} profile has no samples${window}: the rate was most likely never set. ${how}. ` +
    'If it was set, nothing contended during the capture.'
  );
}

/** Whether a profile is a mutex/block profile, and whether it has anything in it. */
export function contentionStatus(
  p: Profile,
  kind: ContentionKind | 'unknown' = 'unknown',
): ContentionStatus {
  const ci = typeIndex(p, 'contentions');
  const di = typeIndex(p, 'delay');
  if (ci < 0 || di < 0) {
    const types = p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ') || 'none';
    return {
      state: 'not-contention',
      message: `this profile's sample types are ${types}, not contentions/count and delay/nanoseconds: open a mutex or block profile`,
    };
  }
  const n = p.sampleTypes.length;
  for (let i = 0; i < p.samples.length; i++) {
    if (p.samples.values[i * n + ci] !== 0 || p.samples.values[i * n + di] !== 0)
      return { state: 'ok' };
  }
  return emptyMessage(kind, p);
}

/**
 * Per call site: contentions, total and mean delay, sorted by total delay. An empty profile
 * gives no rows and a status that names the missing rate setting.
 */
export function contentionBySite(p: Profile, options: ContentionOptions = {}): ContentionTable {
  const granularity = options.granularity ?? 'functions';
  const keys = computeFrameKeys(p, { granularity });
  const ci = typeIndex(p, 'contentions');
  const di = typeIndex(p, 'delay');
  const n = p.sampleTypes.length;

  interface Acc {
    key: number;
    contentions: number;
    delay: number;
    samples: number;
    primitives: Map<string, number>;
  }
  const bySite = new Map<number, Acc>();
  let votesMutex = 0;
  let votesBlock = 0;
  let totalC = 0;
  let totalD = 0;

  if (ci >= 0 && di >= 0) {
    // Leaf-first frame keys of a stack, cached per stack (prefixes are shared).
    const frameBuf: number[] = [];
    for (let i = 0; i < p.samples.length; i++) {
      const c = p.samples.values[i * n + ci];
      const d = p.samples.values[i * n + di];
      if (c === 0 && d === 0) continue;
      totalC += c;
      totalD += d;
      frameBuf.length = 0;
      for (let s = p.samples.stack[i]; s >= 0; s = p.stacks.prefix[s]) {
        const loc = p.stacks.frame[s];
        for (let f = keys.frameStart[loc + 1] - 1; f >= keys.frameStart[loc]; f--) {
          frameBuf.push(keys.frames[f]);
        }
      }
      if (frameBuf.length === 0) continue;
      const leafName = keys.funcNames[frameBuf[0]];
      if (MUTEX_LEAF.test(leafName)) votesMutex += d || c;
      else if (BLOCK_LEAF.test(leafName)) votesBlock += d || c;
      let at = frameBuf.findIndex((k) => !isSyncMachinery(keys.funcNames[k]));
      // All machinery (runtime-internal locks): the caller of the lock primitive.
      if (at < 0) at = Math.min(frameBuf.length - 1, 1);
      const site = frameBuf[at];
      const primitive = at > 0 ? keys.funcNames[frameBuf[at - 1]] : '';
      let acc = bySite.get(site);
      if (!acc) {
        acc = { key: site, contentions: 0, delay: 0, samples: 0, primitives: new Map() };
        bySite.set(site, acc);
      }
      acc.contentions += c;
      acc.delay += d;
      acc.samples++;
      acc.primitives.set(primitive, (acc.primitives.get(primitive) ?? 0) + (d || c));
    }
  }

  let kind: ContentionKind | 'unknown' = options.kind ?? 'unknown';
  let kindSource: ContentionTable['kindSource'] = options.kind ? 'given' : 'unknown';
  if (!options.kind && votesMutex + votesBlock > 0) {
    kind = votesMutex >= votesBlock ? 'mutex' : 'block';
    kindSource = 'stacks';
  }

  const rows: ContentionRow[] = [];
  for (const a of bySite.values()) {
    let primitive = '';
    let best = -1;
    for (const [name, v] of a.primitives) if (v > best) [primitive, best] = [name, v];
    const func = keys.funcNames[a.key];
    const line = granularity === 'lines' ? keys.lines[a.key] : 0;
    const file = keys.files[a.key];
    rows.push({
      site: granularity === 'lines' ? `${func} ${file}:${line}` : func,
      func,
      file,
      line,
      contentions: a.contentions,
      delayNanos: a.delay,
      meanDelayNanos: a.contentions > 0 ? a.delay / a.contentions : 0,
      delayShare: totalD > 0 ? a.delay / totalD : 0,
      primitive,
      samples: a.samples,
    });
  }
  rows.sort(
    (x, y) =>
      y.delayNanos - x.delayNanos || y.contentions - x.contentions || (x.site < y.site ? -1 : 1),
  );

  return {
    kind,
    kindSource,
    status: contentionStatus(p, kind),
    totalContentions: totalC,
    totalDelayNanos: totalD,
    rows,
  };
}

export interface JointContentionRow {
  site: string;
  func: string;
  file: string;
  line: number;
  /** The unlocking side: delay other goroutines spent waiting for this site to unlock. */
  mutex: ContentionCell | null;
  /** The waiting side: delay this site spent blocked. */
  block: ContentionCell | null;
}

function cell(r: ContentionRow | undefined): ContentionCell | null {
  return r
    ? { contentions: r.contentions, delayNanos: r.delayNanos, meanDelayNanos: r.meanDelayNanos }
    : null;
}

/**
 * Pairs a mutex table (unlock side) with a block table (wait side) by call site: the rows of
 * both, matched by site, sorted by the larger of the two delays.
 */
export function jointContention(
  mutex: ContentionTable,
  block: ContentionTable,
): JointContentionRow[] {
  const m = new Map(mutex.rows.map((r) => [r.site, r]));
  const b = new Map(block.rows.map((r) => [r.site, r]));
  const sites = new Set([...m.keys(), ...b.keys()]);
  const out: JointContentionRow[] = [];
  for (const site of sites) {
    const r = (m.get(site) ?? b.get(site)) as ContentionRow;
    out.push({
      site,
      func: r.func,
      file: r.file,
      line: r.line,
      mutex: cell(m.get(site)),
      block: cell(b.get(site)),
    });
  }
  const key = (r: JointContentionRow): number =>
    Math.max(r.mutex?.delayNanos ?? 0, r.block?.delayNanos ?? 0);
  return out.sort((x, y) => key(y) - key(x) || (x.site < y.site ? -1 : 1));
}

/** How a site's contention changed between two profiles. */
export type ContentionChange =
  | 'new'
  | 'gone'
  | 'unchanged'
  /** More contentions, each shorter on average. */
  | 'more-but-cheaper'
  | 'more-and-longer'
  | 'fewer-but-longer'
  | 'fewer-and-shorter'
  /** Same number of contentions, longer waits. */
  | 'same-count-longer'
  | 'same-count-shorter';

export interface ContentionDiffRow {
  site: string;
  base: ContentionCell | null;
  next: ContentionCell | null;
  deltaContentions: number;
  deltaDelayNanos: number;
  deltaMeanDelayNanos: number;
  change: ContentionChange;
}

function changeOf(a: ContentionCell | null, b: ContentionCell | null): ContentionChange {
  if (!a) return 'new';
  if (!b) return 'gone';
  const dc = Math.sign(b.contentions - a.contentions);
  const dm = Math.sign(b.meanDelayNanos - a.meanDelayNanos);
  if (dc === 0) return dm > 0 ? 'same-count-longer' : dm < 0 ? 'same-count-shorter' : 'unchanged';
  if (dc > 0) return dm > 0 ? 'more-and-longer' : 'more-but-cheaper';
  return dm > 0 ? 'fewer-but-longer' : 'fewer-and-shorter';
}

/** Site-by-site change between two tables of the same kind, largest |Δ delay| first. */
export function diffContention(base: ContentionTable, next: ContentionTable): ContentionDiffRow[] {
  const a = new Map(base.rows.map((r) => [r.site, r]));
  const b = new Map(next.rows.map((r) => [r.site, r]));
  const out: ContentionDiffRow[] = [];
  for (const site of new Set([...a.keys(), ...b.keys()])) {
    const x = cell(a.get(site));
    const y = cell(b.get(site));
    out.push({
      site,
      base: x,
      next: y,
      deltaContentions: (y?.contentions ?? 0) - (x?.contentions ?? 0),
      deltaDelayNanos: (y?.delayNanos ?? 0) - (x?.delayNanos ?? 0),
      deltaMeanDelayNanos: (y?.meanDelayNanos ?? 0) - (x?.meanDelayNanos ?? 0),
      change: changeOf(x, y),
    });
  }
  return out.sort(
    (p, q) =>
      Math.abs(q.deltaDelayNanos) - Math.abs(p.deltaDelayNanos) || (p.site < q.site ? -1 : 1),
  );
}

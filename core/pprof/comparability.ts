// The comparability guard: before a diff is shown, say what makes two profiles unlike.
//
// A diff of unlike profiles is the classic way to "prove" a fix that did nothing (a 10 s CPU
// profile against a 30 s one, a delta heap capture against a cumulative one, a mutex profile
// that is empty because the rate was never set). Each finding is a value with a kind, a
// severity and a message a user can act on; the UI shows them as a visible warning.
import type { Profile, ValueType } from './model';

/** What the guard needs to know of one side; built from a Profile plus library metadata. */
export interface ComparableSide {
  sampleTypes: ValueType[];
  periodType: ValueType | null;
  period: number;
  durationNanos: number;
  /** pprof time_nanos: when the profile was taken (0 when unknown). */
  timeNanos?: number;
  /** Sum of each sample type's values, in sampleTypes order. */
  totals: number[];
  /** Build ids of the mappings (main binary first when known), '' entries dropped. */
  buildIds: string[];
  /** The profile kind when known: cpu, heap, allocs, mutex, block, goroutine, threadcreate. */
  kind?: string;
  /** True for a server-side delta capture (`seconds=N` on a cumulative kind). */
  isDelta?: boolean;
  /** Go version of the target when known (from capture metadata). */
  goVersion?: string;
}

export type ComparabilityKind =
  | 'sample-types'
  | 'period'
  | 'duration'
  | 'delta-vs-cumulative'
  | 'empty-contention'
  | 'empty'
  | 'build'
  | 'go-version'
  | 'restart';

export interface ComparabilityFinding {
  kind: ComparabilityKind;
  severity: 'warning' | 'error';
  /** Which side the finding is about, when it is about one side. */
  side?: 'base' | 'new';
  message: string;
}

/** Durations that differ by more than this fraction of the longer one are flagged. */
export const DURATION_TOLERANCE = 0.1;

/** "30 s vs 10 s (3×; the after profile is longer)": the longer first, as a ratio. */
function durationMessage(before: number, after: number): string {
  const [long, short] = after >= before ? [after, before] : [before, after];
  const ratio = Number((long / short).toPrecision(long / short >= 10 ? 3 : 2));
  const which = after >= before ? 'after' : 'before';
  return (
    `The durations differ: ${fmtSeconds(long)} vs ${fmtSeconds(short)} (${ratio}×; the ${which} profile is longer): ` +
    'use the per-second normalization, or capture both for the same time.'
  );
}

export function comparableSide(
  p: Profile,
  meta: Pick<ComparableSide, 'kind' | 'isDelta' | 'goVersion'> = {},
): ComparableSide {
  const n = p.sampleTypes.length;
  const totals = new Array<number>(n).fill(0);
  const v = p.samples.values;
  for (let i = 0; i < p.samples.length; i++) {
    for (let t = 0; t < n; t++) totals[t] += v[i * n + t];
  }
  const buildIds: string[] = [];
  for (let m = 0; m < p.mappings.length; m++) {
    const id = p.strings[p.mappings.buildId[m]] ?? '';
    if (id !== '' && !buildIds.includes(id)) buildIds.push(id);
  }
  return {
    sampleTypes: p.sampleTypes,
    periodType: p.periodType,
    period: p.period,
    durationNanos: p.durationNanos,
    timeNanos: p.timeNanos,
    totals,
    buildIds,
    kind: meta.kind ?? guessKind(p.sampleTypes),
    isDelta: meta.isDelta,
    goVersion: meta.goVersion,
  };
}

/** The kind of a Go profile from its sample types, or undefined when they are not Go's. */
export function guessKind(types: ValueType[]): string | undefined {
  const names = types.map((t) => `${t.type}/${t.unit}`).join(',');
  switch (names) {
    case 'samples/count,cpu/nanoseconds':
      return 'cpu';
    case 'alloc_objects/count,alloc_space/bytes,inuse_objects/count,inuse_space/bytes':
      return 'heap';
    case 'contentions/count,delay/nanoseconds':
      return 'contention';
    case 'goroutine/count':
      return 'goroutine';
    case 'threadcreate/count':
      return 'threadcreate';
    default:
      return undefined;
  }
}

/** 30 s, 1.5 s, 0.25 s: three significant digits at most, no trailing zeros. */
const fmtSeconds = (ns: number): string => `${Number((ns / 1e9).toPrecision(3))} s`;
const typeList = (t: ValueType[]): string => t.map((x) => `${x.type}/${x.unit}`).join(', ');

export function checkComparability(
  base: ComparableSide,
  next: ComparableSide,
): ComparabilityFinding[] {
  const out: ComparabilityFinding[] = [];

  if (typeList(base.sampleTypes) !== typeList(next.sampleTypes)) {
    out.push({
      kind: 'sample-types',
      severity: 'error',
      message: `The sample types differ (before: ${typeList(base.sampleTypes) || 'none'}; after: ${
        typeList(next.sampleTypes) || 'none'
      }): these are different kinds of profile, only the shared types can be compared.`,
    });
  }

  const bp = base.periodType ? `${base.period} ${base.periodType.unit}` : `${base.period}`;
  const np = next.periodType ? `${next.period} ${next.periodType.unit}` : `${next.period}`;
  if (base.period !== next.period || base.periodType?.unit !== next.periodType?.unit) {
    out.push({
      kind: 'period',
      severity: 'warning',
      message: `The sampling periods differ (before ${bp}, after ${np}): sample counts are not comparable; compare values (time, bytes) instead.`,
    });
  }

  if (base.durationNanos > 0 && next.durationNanos > 0) {
    const longer = Math.max(base.durationNanos, next.durationNanos);
    const diff = Math.abs(base.durationNanos - next.durationNanos);
    if (diff > DURATION_TOLERANCE * longer) {
      out.push({
        kind: 'duration',
        severity: 'warning',
        message: durationMessage(base.durationNanos, next.durationNanos),
      });
    }
  }

  if (base.isDelta !== undefined && next.isDelta !== undefined && base.isDelta !== next.isDelta) {
    const delta = base.isDelta ? 'base' : 'new';
    out.push({
      kind: 'delta-vs-cumulative',
      severity: 'error',
      side: delta,
      message: `The ${delta === 'base' ? 'before' : 'after'} profile is a delta capture (seconds=N) and the other is cumulative since the process started: capture both the same way.`,
    });
  }

  for (const [side, s] of [
    ['base', base],
    ['new', next],
  ] as const) {
    const total = s.totals.reduce((a, b) => a + Math.abs(b), 0);
    if (total !== 0) continue;
    if (s.kind === 'mutex' || s.kind === 'block' || s.kind === 'contention') {
      const fix =
        s.kind === 'mutex'
          ? 'runtime.SetMutexProfileFraction'
          : s.kind === 'block'
            ? 'runtime.SetBlockProfileRate'
            : 'runtime.SetMutexProfileFraction (mutex) or runtime.SetBlockProfileRate (block)';
      out.push({
        kind: 'empty-contention',
        severity: 'warning',
        side,
        message: `The ${side === 'base' ? 'before' : 'after'} ${s.kind === 'contention' ? 'contention' : s.kind} profile is empty: its rate was probably never set. Call ${fix} in the program before capturing.`,
      });
    } else {
      out.push({
        kind: 'empty',
        severity: 'warning',
        side,
        message: `The ${side === 'base' ? 'before' : 'after'} profile has no samples: every change will show as added or removed.`,
      });
    }
  }

  if (base.buildIds.length > 0 && next.buildIds.length > 0) {
    const [b, n] = [base.buildIds[0], next.buildIds[0]];
    if (b !== n) {
      out.push({
        kind: 'build',
        severity: 'warning',
        message: `The binaries differ (build id ${b} vs ${n}): expected when comparing before and after a fix, but line numbers and inlining may have changed.`,
      });
    }
  }

  if (base.goVersion && next.goVersion && base.goVersion !== next.goVersion) {
    out.push({
      kind: 'go-version',
      severity: 'warning',
      message: `The Go versions differ (${base.goVersion} vs ${next.goVersion}): runtime costs may differ for reasons unrelated to your change.`,
    });
  }

  const restart = restartBetween(base, next);
  if (restart) out.push(restart);

  return out;
}

/** The cumulative-since-start sample type of each cumulative kind. */
const CUMULATIVE: Record<string, string> = {
  heap: 'alloc_space',
  allocs: 'alloc_space',
  mutex: 'contentions',
  block: 'contentions',
  contention: 'contentions',
  threadcreate: 'threadcreate',
};

/**
 * A restart between two cumulative captures: the later one counts less than the earlier one,
 * which a running process cannot do (its counters only grow). Delta captures are exempt.
 */
function restartBetween(base: ComparableSide, next: ComparableSide): ComparabilityFinding | null {
  // A Go delta capture carries its window as duration_nanos; a cumulative one has none.
  const delta = (s: ComparableSide): boolean => s.isDelta ?? s.durationNanos > 0;
  if (delta(base) || delta(next) || !base.kind || base.kind !== next.kind) return null;
  const type = CUMULATIVE[base.kind];
  const tb = base.timeNanos ?? 0;
  const tn = next.timeNanos ?? 0;
  if (!type || !(tb > 0) || !(tn > 0) || tb === tn) return null;
  const ib = base.sampleTypes.findIndex((t) => t.type === type);
  const inx = next.sampleTypes.findIndex((t) => t.type === type);
  if (ib < 0 || inx < 0) return null;
  const [earlier, later, e, l] =
    tb < tn
      ? ['before', 'after', base.totals[ib], next.totals[inx]]
      : ['after', 'before', next.totals[inx], base.totals[ib]];
  if (!(l < e)) return null;
  const unit = base.sampleTypes[ib].unit;
  const fmt = (v: number): string =>
    unit === 'bytes' ? `${Number((v / 2 ** 20).toPrecision(3))} MB` : `${v}`;
  return {
    kind: 'restart',
    severity: 'warning',
    message:
      `The target restarted between the two captures: cumulative ${type} fell from ${fmt(e)} ` +
      `(${earlier}) to ${fmt(l)} (${later}), which a running process cannot do. The ${later} ` +
      `profile counts only since the restart: compare in-use figures, or delta captures ` +
      `(seconds=N) taken on each side, not the cumulative totals.`,
  };
}

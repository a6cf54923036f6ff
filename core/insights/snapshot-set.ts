// A snapshot set: every member read from its bytes and classified (a pprof profile of some
// kind, goroutines from a dump or a goroutine/goroutineleak profile, or an execution trace).
// Members that cannot be read are kept aside with the reason, never dropped silently.
import { looksLikeGcLog } from '../gctrace/detect';
import { readGcTrace } from '../gctrace/read';
import { goroutineDumpFromProfile } from '../goroutines/from-profile';
import { parseGoroutineDump } from '../goroutines/parse';
import { contentionBySite } from '../pprof/contention';
import { decodeProfile, isGzip } from '../pprof/decode';
import { profileKindOf } from '../pprof/kind';
import type { Profile } from '../pprof/model';
import { parseTrace } from '../trace/parse';
import type { LoadedSnapshot, SetSnapshotKind, SnapshotInput, SnapshotSet } from './model';

const TRACE_MAGIC = 'go 1.';

function asciiPrefix(bytes: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < Math.min(n, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * The kind of a decoded profile (goroutineleak by its type). Mutex vs block comes from the
 * stacks; a profile without samples has none, so its file name decides (`mutex.pb.gz`).
 */
export function profileKind(p: Profile, fileName = ''): SetSnapshotKind {
  const kind = profileKindOf(p, () => {
    const k = contentionBySite(p).kind;
    if (k !== 'unknown') return k;
    return /(^|[^a-z])mutex([^a-z]|$)/i.test(fileName) ? 'mutex' : 'block';
  });
  if (kind === 'goroutine' && p.sampleTypes[0]?.type === 'goroutineleak') return 'goroutineleak';
  return kind;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readOne(input: SnapshotInput, order: number): LoadedSnapshot {
  const base = { id: input.id, name: input.name, timeMs: input.capturedAtMs ?? null, order };
  const bytes = input.bytes;
  if (asciiPrefix(bytes, TRACE_MAGIC.length) === TRACE_MAGIC) {
    return { ...base, type: 'trace', kind: 'trace', trace: parseTrace(bytes) };
  }
  const head = asciiPrefix(bytes, 64).trimStart();
  if (!isGzip(bytes) && head.startsWith('goroutine')) {
    const dump = parseGoroutineDump(bytes);
    const kind = dump.profileName === 'goroutineleak' ? 'goroutineleak' : 'goroutine';
    return {
      ...base,
      type: 'goroutines',
      kind,
      dump,
      source: `goroutine dump (${dump.format === 'debug1' ? 'debug=1' : 'debug=2'})`,
    };
  }
  if (!isGzip(bytes) && (input.kind === 'gc-log' || looksLikeGcLog(bytes)))
    return { ...base, type: 'gc-log', kind: 'gc-log', gc: readGcTrace(bytes) };
  let profile: Profile;
  try {
    profile = decodeProfile(bytes);
  } catch (err) {
    if (isGzip(bytes)) throw err;
    throw new Error(
      `not a pprof profile, goroutine dump or Go execution trace, nor a GC log (GODEBUG=gctrace=1) (read as a profile: ${message(err)})`,
      { cause: err },
    );
  }
  const kind =
    input.kind &&
    input.kind !== 'unknown' &&
    input.kind !== 'goroutine-text' &&
    input.kind !== 'trace'
      ? input.kind
      : profileKind(profile, input.name);
  const time = profile.timeNanos > 0 ? profile.timeNanos / 1e6 : base.timeMs;
  if (kind === 'goroutine' || kind === 'goroutineleak') {
    return {
      ...base,
      timeMs: time,
      type: 'goroutines',
      kind,
      dump: goroutineDumpFromProfile(profile),
      source: `${kind} profile`,
    };
  }
  return {
    ...base,
    timeMs: time,
    type: 'profile',
    kind: kind as Extract<LoadedSnapshot, { type: 'profile' }>['kind'],
    profile,
  };
}

/** Reads every member; `label` names the set (a folder, "3 selected snapshots", a group). */
export function loadSnapshotSet(label: string, inputs: readonly SnapshotInput[]): SnapshotSet {
  const set: SnapshotSet = { label, snapshots: [], skipped: [] };
  inputs.forEach((input, i) => {
    try {
      set.snapshots.push(readOne(input, i));
    } catch (err) {
      set.skipped.push({ id: input.id, name: input.name, reason: message(err) });
    }
  });
  return set;
}

/** Members of one type and kind, oldest first (unknown times keep the input order). */
export function membersOf<K extends LoadedSnapshot['kind']>(
  set: SnapshotSet,
  kinds: readonly K[],
): (LoadedSnapshot & { kind: K })[] {
  return set.snapshots
    .filter((s): s is LoadedSnapshot & { kind: K } => (kinds as readonly string[]).includes(s.kind))
    .sort((a, b) =>
      a.timeMs !== null && b.timeMs !== null && a.timeMs !== b.timeMs
        ? a.timeMs - b.timeMs
        : a.order - b.order,
    );
}

/** The newest member of the kinds, or null. */
export function latestOf<K extends LoadedSnapshot['kind']>(
  set: SnapshotSet,
  kinds: readonly K[],
): (LoadedSnapshot & { kind: K }) | null {
  const all = membersOf(set, kinds);
  return all.length ? all[all.length - 1] : null;
}

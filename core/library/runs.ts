// Which snapshot pairs with which: recipe runs (snapshots sharing a groupId, one per step key)
// pair step by step with the previous run of the same recipe on the same target; other
// snapshots pair with the latest earlier one of their kind and target. Pure functions over
// the library's metadata, used by Compare's ⇆, its run pickers and "compare runs".
import { SNAPSHOT_KINDS, type SnapshotMeta } from '../contract/snapshots';

const GOROUTINE_KINDS = new Set(['goroutine', 'goroutine-text']);

/** The time a snapshot is ordered by: the profile's own time, else when it was stored. */
export function timeOf(s: SnapshotMeta): string {
  return s.capturedAt ?? s.createdAt;
}

/** Oldest first; ties broken by id so the order is total. */
export function byTime(a: SnapshotMeta, b: SnapshotMeta): number {
  return timeOf(a) < timeOf(b) ? -1 : timeOf(a) > timeOf(b) ? 1 : a.id < b.id ? -1 : 1;
}

/** Goroutine profiles and goroutine text dumps compare with each other. */
export function kindFamily(kind: string): string {
  return GOROUTINE_KINDS.has(kind) ? 'goroutine' : kind;
}

export function sameTarget(a: SnapshotMeta, b: SnapshotMeta): boolean {
  if (a.target && b.target) {
    if (a.target.id && b.target.id) return a.target.id === b.target.id;
    return a.target.baseUrl === b.target.baseUrl && a.target.name === b.target.name;
  }
  return !a.target && !b.target;
}

/** One recipe run as the library holds it. */
export interface RecipeRunInfo {
  groupId: string;
  /** The run's name ("before", "after", or what the user typed). */
  group: string;
  /** The target's name, '' when none. */
  targetName: string;
  /** The earliest snapshot time of the run. */
  startedAt: string;
  /** The run's snapshots, oldest first. */
  snapshots: SnapshotMeta[];
}

/** Every recipe run in the library, newest first. */
export function listRuns(all: readonly SnapshotMeta[]): RecipeRunInfo[] {
  const by = new Map<string, SnapshotMeta[]>();
  for (const s of all) {
    if (!s.groupId || s.trashedAt) continue;
    const list = by.get(s.groupId);
    if (list) list.push(s);
    else by.set(s.groupId, [s]);
  }
  const runs: RecipeRunInfo[] = [];
  for (const [groupId, list] of by) {
    list.sort(byTime);
    const first = list[0];
    runs.push({
      groupId,
      group: first.group ?? groupId,
      targetName: first.target?.name ?? '',
      startedAt: timeOf(first),
      snapshots: list,
    });
  }
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}

function stepKeys(run: RecipeRunInfo): string {
  return run.snapshots
    .map((s) => s.stepKey ?? '')
    .sort()
    .join('\n');
}

/**
 * The run before `s`'s run of the same recipe on the same target: the latest earlier run
 * with the same set of steps, else the latest earlier run that has `s`'s step.
 */
export function previousRun(s: SnapshotMeta, all: readonly SnapshotMeta[]): RecipeRunInfo | null {
  if (!s.groupId || !s.stepKey) return null;
  const runs = listRuns(all);
  const own = runs.find((r) => r.groupId === s.groupId);
  if (!own) return null;
  const earlier = runs.filter(
    (r) =>
      r.groupId !== s.groupId &&
      r.startedAt < own.startedAt &&
      sameTarget(r.snapshots[0], s) &&
      r.snapshots.some((x) => x.stepKey === s.stepKey),
  );
  const keys = stepKeys(own);
  return earlier.find((r) => stepKeys(r) === keys) ?? earlier[0] ?? null;
}

/**
 * What `s` compares with: the same step of the previous run of its recipe on its target;
 * else the latest earlier snapshot of its kind and target (never one of its own run).
 */
export function previousOf(s: SnapshotMeta, all: readonly SnapshotMeta[]): SnapshotMeta | null {
  const run = previousRun(s, all);
  const step = run?.snapshots.find((x) => x.stepKey === s.stepKey);
  if (step) return step;
  const earlier = all
    .filter(
      (x) =>
        x.id !== s.id &&
        !x.trashedAt &&
        (!s.groupId || x.groupId !== s.groupId) &&
        kindFamily(x.kind) === kindFamily(s.kind) &&
        sameTarget(x, s) &&
        byTime(x, s) < 0,
    )
    .sort(byTime);
  return earlier[earlier.length - 1] ?? null;
}

export interface StepPair<T> {
  stepKey: string;
  before: T | null;
  after: T | null;
}

/** Pairs two runs' snapshots by step key, in the before run's order, then after-only steps. */
export function pairByStep<T extends { stepKey?: string | null }>(
  before: T[],
  after: T[],
): StepPair<T>[] {
  const out: StepPair<T>[] = [];
  const afterBy = new Map<string, T>();
  for (const a of after) if (a.stepKey) afterBy.set(a.stepKey, a);
  const used = new Set<string>();
  for (const b of before) {
    if (!b.stepKey) continue;
    out.push({ stepKey: b.stepKey, before: b, after: afterBy.get(b.stepKey) ?? null });
    used.add(b.stepKey);
  }
  for (const a of after)
    if (a.stepKey && !used.has(a.stepKey)) out.push({ stepKey: a.stepKey, before: null, after: a });
  return out;
}

/** Every step pair of two runs, in a fixed order (by kind as the library lists kinds, then step). */
export function pairRuns(before: RecipeRunInfo, after: RecipeRunInfo): StepPair<SnapshotMeta>[] {
  const rank = (p: StepPair<SnapshotMeta>): number =>
    SNAPSHOT_KINDS.indexOf((p.before ?? p.after)!.kind);
  return pairByStep(before.snapshots, after.snapshots).sort(
    (x, y) => rank(x) - rank(y) || (x.stepKey < y.stepKey ? -1 : x.stepKey > y.stepKey ? 1 : 0),
  );
}

// Insights over a snapshot set: every rule run on every member it applies to, duplicates
// (the same kind at the same function from several snapshots) folded into the most severe,
// ranked by severity. Deterministic: the same set gives the same findings in the same order.
import { resolveSampleIndex } from '../pprof/sample-index';
import { FINDING_KINDS, type Finding, type SnapshotSet } from './model';
import { chargeOwnCode, ownLeaves, type OwnCodeOptions } from './own-code';
import { contentionRules, cpuRules, memoryRules } from './rules-profile';
import { goroutineRules } from './rules-goroutines';
import { traceRules } from './rules-trace';
import { gcLogRules } from './rules-gclog';
import { latestOf, membersOf } from './snapshot-set';

export type InsightsOptions = OwnCodeOptions;

const RANK = { high: 0, medium: 1, low: 2 } as const;

/** The own function allocating the most bytes in the set's newest heap/allocs profile. */
export function topAllocator(set: SnapshotSet, own: OwnCodeOptions): string {
  const s = latestOf(set, ['heap', 'allocs']);
  if (!s) return '';
  const i = s.profile.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  if (i < 0) return '';
  return (
    chargeOwnCode(s.profile, resolveSampleIndex(s.profile, i), ownLeaves(s.profile, own)).rows[0]
      ?.func ?? ''
  );
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
    (a.function < b.function ? -1 : a.function > b.function ? 1 : 0) ||
    (a.title < b.title ? -1 : a.title > b.title ? 1 : 0)
  );
}

/** Identity of a finding across snapshots and across before/after sets. */
export function findingKey(f: Pick<Finding, 'kind' | 'function'>): string {
  return `${f.kind}|${f.function}`;
}

export function runInsights(set: SnapshotSet, options: InsightsOptions = {}): Finding[] {
  const raw: Finding[] = [];
  for (const s of membersOf(set, ['cpu'])) raw.push(...cpuRules(s, options));
  // heap and allocs profiles of one process hold the same data: read one of each capture.
  for (const s of membersOf(set, ['heap', 'allocs'])) raw.push(...memoryRules(s, options));
  for (const s of membersOf(set, ['mutex', 'block'])) raw.push(...contentionRules(s, options));
  raw.push(...goroutineRules(set, options));
  const allocator = topAllocator(set, options);
  for (const s of membersOf(set, ['trace'])) raw.push(...traceRules(s, options, allocator));
  for (const s of membersOf(set, ['gc-log'])) raw.push(...gcLogRules(s, allocator));

  const byKey = new Map<string, { best: Finding; others: string[] }>();
  for (const f of raw) {
    const key = findingKey(f);
    const e = byKey.get(key);
    if (!e) {
      byKey.set(key, { best: f, others: [] });
      continue;
    }
    if (RANK[f.severity] < RANK[e.best.severity]) {
      e.others.push(e.best.evidence.snapshot);
      e.best = f;
    } else e.others.push(f.evidence.snapshot);
  }
  const out: Finding[] = [];
  for (const { best, others } of byKey.values()) {
    const more = [...new Set(others)].filter((n) => n !== best.evidence.snapshot);
    const notes = [...best.evidence.notes];
    if (others.length > 0) {
      notes.push(
        more.length > 0
          ? `also found in ${more.join(', ')}`
          : `${others.length} weaker rule${others.length === 1 ? '' : 's'} agreed in this snapshot`,
      );
    }
    out.push({ ...best, evidence: { ...best.evidence, notes } });
  }
  return out.sort(compareFindings);
}

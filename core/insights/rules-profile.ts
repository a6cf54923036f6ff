// Rules over pprof profiles: CPU hot spots, package-init cost, GC work seen in CPU,
// allocation churn, heap retention, mutex contention and blocking by reason. Costs are
// charged to the leaf-most own frame (own-code.ts); thresholds come from thresholds.ts.
import { aggregateNodes } from '../pprof/aggregate';
import { contentionBySite } from '../pprof/contention';
import { computeFrameKeys } from '../pprof/granularity';
import { formatValue } from '../pprof/format';
import type { Profile } from '../pprof/model';
import { resolveSampleIndex, type SampleChoice } from '../pprof/sample-index';
import type { Finding, FindingKind, LoadedSnapshot, ViewLink } from './model';
import { chargeOwnCode, ownLeaves, type OwnCodeOptions, type OwnCharges } from './own-code';
import { describeThreshold, severityOf, THRESHOLDS, type ThresholdName } from './thresholds';

type ProfileSnapshot = Extract<LoadedSnapshot, { type: 'profile' }>;

export function pct(x: number): string {
  return `${(x * 100).toFixed(x >= 0.1 ? 0 : 1)}%`;
}

/** An anchored, escaped pprof focus regex for exactly one function name. */
export function focusFor(func: string): string {
  return `^${func.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

function choiceOf(p: Profile, type: string): SampleChoice | null {
  const i = p.sampleTypes.findIndex((t) => t.type === type);
  return i < 0 ? null : resolveSampleIndex(p, i);
}

function flameLink(s: ProfileSnapshot, sampleType: string, func: string): ViewLink {
  return { tab: 'flame', snapshot: s.id, sampleType, focus: focusFor(func) };
}

interface FindingDraft {
  kind: FindingKind;
  func: string;
  title: string;
  threshold: ThresholdName;
  value: number;
  s: LoadedSnapshot;
  source: string;
  figures: Finding['evidence']['figures'];
  notes?: string[];
  link: ViewLink;
}

/** A finding when `value` crosses its threshold, else null. */
export function draft(d: FindingDraft): Finding | null {
  const sev = severityOf(THRESHOLDS[d.threshold], d.value);
  if (sev === null) return null;
  return {
    kind: d.kind,
    severity: sev,
    function: d.func,
    title: d.title,
    evidence: {
      snapshot: d.s.name,
      snapshotId: d.s.id,
      source: d.source,
      figures: d.figures,
      threshold: describeThreshold(d.threshold, d.value),
      notes: d.notes ?? [],
    },
    link: d.link,
  };
}

function seconds(p: Profile): number {
  return p.durationNanos > 0 ? p.durationNanos / 1e9 : 0;
}

/** cpu-hotspot, init-hotspot (CPU), gc-pressure (CPU). */
export function cpuRules(s: ProfileSnapshot, own: OwnCodeOptions): Finding[] {
  const p = s.profile;
  const choice = choiceOf(p, 'cpu') ?? resolveSampleIndex(p);
  const unit = choice.sampleType.unit;
  const charges = chargeOwnCode(p, choice, ownLeaves(p, own));
  const out: (Finding | null)[] = [];
  if (charges.total <= 0) return [];
  const src = `${choice.sampleType.type}/${unit}`;
  const dur = seconds(p);
  for (const r of charges.rows) {
    const share = r.value / charges.total;
    out.push(
      draft({
        kind: 'cpu-hotspot',
        func: r.func,
        title: `${r.func} uses ${pct(share)} of CPU (${formatValue(r.value, unit)}${dur ? ` in ${dur.toFixed(1)} s` : ''}), counting the library and runtime code it calls.`,
        threshold: 'cpuHotspotShare',
        value: share,
        s,
        source: src,
        figures: [
          { label: 'charged CPU', value: r.value, unit },
          { label: 'share of CPU', value: share, unit: 'ratio' },
          { label: 'profile CPU total', value: charges.total, unit },
        ],
        link: flameLink(s, choice.sampleType.type, r.func),
      }),
    );
    const initCpu = Math.max(r.initValue, r.onceValue);
    if (initCpu > 0) {
      const initShare = initCpu / charges.total;
      const where = r.initValue >= r.onceValue ? 'package initialization' : 'sync.(*Once).Do';
      out.push(
        draft({
          kind: 'init-hotspot',
          func: r.func,
          title: `${r.func} runs under ${where} and uses ${pct(initShare)} of CPU (${formatValue(initCpu, unit)}).`,
          threshold: 'initCpuShare',
          value: initShare,
          s,
          source: src,
          figures: [
            { label: `CPU under ${where}`, value: initCpu, unit },
            { label: 'share of CPU', value: initShare, unit: 'ratio' },
          ],
          link: flameLink(s, choice.sampleType.type, r.func),
        }),
      );
    }
  }
  // GC work seen in CPU samples: cum of the GC entry points, as pprof -top shows them.
  const keys = computeFrameKeys(p, { granularity: 'functions' });
  const nodes = aggregateNodes(p, keys, choice);
  const cumOf = (names: string[]): number => {
    let v = 0;
    for (let k = 0; k < keys.count; k++) if (names.includes(keys.funcNames[k])) v += nodes.cum[k];
    return v;
  };
  const workers = cumOf(['runtime.gcBgMarkWorker']);
  const assists = cumOf(['runtime.gcAssistAlloc']);
  const malloc = cumOf(['runtime.mallocgc']);
  const allocator = allocatorUnder(p, choice, own, 'runtime.mallocgc');
  const gcShare = (workers + assists) / charges.total;
  out.push(
    draft({
      kind: 'gc-pressure',
      func: allocator,
      title: `GC work takes ${pct(gcShare)} of CPU: background mark workers ${formatValue(workers, unit)}, mark assists ${formatValue(assists, unit)}.`,
      threshold: 'gcCpuShare',
      value: gcShare,
      s,
      source: src,
      figures: [
        { label: 'runtime.gcBgMarkWorker (cum)', value: workers, unit },
        { label: 'runtime.gcAssistAlloc (cum)', value: assists, unit },
        { label: 'share of CPU', value: gcShare, unit: 'ratio' },
      ],
      notes: [
        'function: the own code that allocates the most (runtime.mallocgc callers), the place to cut allocation',
      ],
      link: flameLink(s, choice.sampleType.type, 'runtime.gcBgMarkWorker'),
    }),
  );
  const mallocShare = malloc / charges.total;
  out.push(
    draft({
      kind: 'gc-pressure',
      func: allocator,
      title: `Allocation (runtime.mallocgc) takes ${pct(mallocShare)} of CPU${allocator ? `, most of it called from ${allocator}` : ''}.`,
      threshold: 'mallocCpuShare',
      value: mallocShare,
      s,
      source: src,
      figures: [
        { label: 'runtime.mallocgc (cum)', value: malloc, unit },
        { label: 'share of CPU', value: mallocShare, unit: 'ratio' },
      ],
      link: flameLink(s, choice.sampleType.type, allocator || 'runtime.mallocgc'),
    }),
  );
  return out.filter((f): f is Finding => f !== null);
}

/** The own function charged the most for samples through `func` (e.g. runtime.mallocgc). */
function allocatorUnder(
  p: Profile,
  choice: SampleChoice,
  own: OwnCodeOptions,
  func: string,
): string {
  const leaves = ownLeaves(p, own);
  const keys = leaves.keys;
  // Per stack entry: does the path from the root to it pass through `func`?
  const through = new Uint8Array(p.stacks.length);
  for (let s = 0; s < p.stacks.length; s++) {
    const pre = p.stacks.prefix[s];
    let t = pre >= 0 ? through[pre] : 0;
    const loc = p.stacks.frame[s];
    for (let f = keys.frameStart[loc]; f < keys.frameStart[loc + 1] && !t; f++) {
      if (keys.funcNames[keys.frames[f]] === func) t = 1;
    }
    through[s] = t;
  }
  const masked = { ...leaves, own: leaves.own.map((k, s) => (through[s] ? k : -1)) };
  return chargeOwnCode(p, choice, masked).rows[0]?.func ?? '';
}

/** alloc-churn, heap-retention, init-hotspot (allocation) from a heap or allocs profile. */
export function memoryRules(s: ProfileSnapshot, own: OwnCodeOptions): Finding[] {
  const p = s.profile;
  const allocC = choiceOf(p, 'alloc_space');
  const inuseC = choiceOf(p, 'inuse_space');
  if (!allocC || !inuseC) return [];
  const leaves = ownLeaves(p, own);
  const alloc = chargeOwnCode(p, allocC, leaves);
  const inuse = chargeOwnCode(p, inuseC, leaves);
  const inuseBy = new Map(inuse.rows.map((r) => [r.func, r]));
  const out: (Finding | null)[] = [];
  const bytes = (v: number) => formatValue(v, 'bytes');
  for (const r of alloc.rows) {
    const share = alloc.total > 0 ? r.value / alloc.total : 0;
    const kept = inuseBy.get(r.func)?.value ?? 0;
    const retained = r.value > 0 ? kept / r.value : 0;
    if (retained <= THRESHOLDS.churnMaxRetained.low) {
      out.push(
        draft({
          kind: 'alloc-churn',
          func: r.func,
          title: `${r.func} allocates ${pct(share)} of all bytes (${bytes(r.value)}) and keeps only ${pct(retained)} of it in use: short-lived garbage that drives GC.`,
          threshold: 'allocChurnShare',
          value: share,
          s,
          source: `alloc_space/bytes and inuse_space/bytes (${s.kind} profile)`,
          figures: [
            { label: 'allocated bytes', value: r.value, unit: 'bytes' },
            { label: 'share of allocated bytes', value: share, unit: 'ratio' },
            { label: 'still in use', value: kept, unit: 'bytes' },
          ],
          notes: [
            `counts as churn when at most ${pct(THRESHOLDS.churnMaxRetained.low)} of what it allocated is still in use`,
          ],
          link: flameLink(s, 'alloc_space', r.func),
        }),
      );
    }
  }
  for (const r of inuse.rows) {
    const share = inuse.total > 0 ? r.value / inuse.total : 0;
    const allocated = alloc.rows.find((a) => a.func === r.func)?.value ?? 0;
    const keptRatio = allocated > 0 ? r.value / allocated : 0;
    const byShare = draft({
      kind: 'heap-retention',
      func: r.func,
      title: `${r.func} holds ${pct(share)} of the heap in use (${bytes(r.value)}).`,
      threshold: 'heapRetentionShare',
      value: share,
      s,
      source: `inuse_space/bytes (${s.kind} profile)`,
      figures: [
        { label: 'in-use bytes', value: r.value, unit: 'bytes' },
        { label: 'share of the heap in use', value: share, unit: 'ratio' },
      ],
      link: flameLink(s, 'inuse_space', r.func),
    });
    const byKept =
      keptRatio >= 0.9
        ? draft({
            kind: 'heap-retention',
            func: r.func,
            title: `${r.func} still holds ${pct(keptRatio)} of the ${bytes(allocated)} it allocated (${bytes(r.value)} in use): nothing it allocates is released.`,
            threshold: 'heapKeptBytes',
            value: r.value,
            s,
            source: `inuse_space/bytes and alloc_space/bytes (${s.kind} profile)`,
            figures: [
              { label: 'in-use bytes', value: r.value, unit: 'bytes' },
              { label: 'allocated bytes', value: allocated, unit: 'bytes' },
              { label: 'share of the heap in use', value: share, unit: 'ratio' },
            ],
            link: flameLink(s, 'inuse_space', r.func),
          })
        : null;
    out.push(strongest(byShare, byKept));
  }
  // Package initialization / sync.Once: allocated bytes and their in-use share.
  for (const r of alloc.rows) {
    const initAlloc = Math.max(r.initValue, r.onceValue);
    if (initAlloc <= 0) continue;
    const where = r.initValue >= r.onceValue ? 'package initialization' : 'sync.(*Once).Do';
    const ir = inuseBy.get(r.func);
    const initInuse = ir ? Math.max(ir.initValue, ir.onceValue) : 0;
    const inuseShare = inuse.total > 0 ? initInuse / inuse.total : 0;
    const title = `${r.func} runs under ${where}: it allocates ${bytes(initAlloc)} there and ${bytes(initInuse)} of it (${pct(inuseShare)} of the heap in use) is still held.`;
    const figures = [
      { label: `allocated under ${where}`, value: initAlloc, unit: 'bytes' },
      { label: `in use, allocated under ${where}`, value: initInuse, unit: 'bytes' },
      { label: 'share of the heap in use', value: inuseShare, unit: 'ratio' },
    ];
    const common = {
      kind: 'init-hotspot' as const,
      func: r.func,
      title,
      s,
      figures,
      link: flameLink(s, 'alloc_space', r.func),
    };
    out.push(
      strongest(
        draft({
          ...common,
          threshold: 'initAllocBytes',
          value: initAlloc,
          source: `alloc_space/bytes (${s.kind} profile)`,
        }),
        draft({
          ...common,
          threshold: 'initInuseShare',
          value: inuseShare,
          source: `inuse_space/bytes (${s.kind} profile)`,
        }),
      ),
    );
  }
  return out.filter((f): f is Finding => f !== null);
}

const RANK = { high: 3, medium: 2, low: 1 } as const;

/** The more severe of two findings (the first on a tie), null when both are null. */
export function strongest(a: Finding | null, b: Finding | null): Finding | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[b.severity] > RANK[a.severity] ? b : a;
}

/** Block reasons that make findings; receives, selects and WaitGroup/Cond waits are where idle goroutines park. */
function blockReason(primitive: string): 'channel-wait' | 'lock-wait' | null {
  if (/^runtime\.chansend1?$/.test(primitive)) return 'channel-wait';
  if (
    /\.\(\*(RW)?Mutex\)\.R?Lock$/.test(primitive) ||
    /^runtime\.semacquire(Mutex|RWMutexR?)?$/.test(primitive)
  )
    return 'lock-wait';
  return null;
}

/** lock-contention (mutex profile), channel-wait and lock-wait (block profile). */
export function contentionRules(s: ProfileSnapshot, own: OwnCodeOptions): Finding[] {
  const p = s.profile;
  const kind = s.kind === 'mutex' ? 'mutex' : 'block';
  const table = contentionBySite(p, { kind });
  if (table.status.state !== 'ok') return [];
  const dc = choiceOf(p, 'delay');
  if (!dc) return [];
  const charges: OwnCharges = chargeOwnCode(p, dc, ownLeaves(p, own));
  const dur = seconds(p);
  const out: (Finding | null)[] = [];
  const ns = (v: number) => formatValue(v, 'nanoseconds');
  if (kind === 'mutex') {
    for (const r of charges.rows) {
      const site = table.rows.find((t) => t.func === r.func);
      const rate = dur > 0 ? r.value / dur : 0;
      const share = table.totalDelayNanos > 0 ? r.value / table.totalDelayNanos : 0;
      const held = site?.primitive ? ` (waiters were released by its ${site.primitive})` : '';
      out.push(
        draft({
          kind: 'lock-contention',
          func: r.func,
          title:
            dur > 0
              ? `Goroutines waited ${ns(rate)} per second for locks held by ${r.func}${held}, ${pct(share)} of all mutex delay.`
              : `Goroutines waited ${ns(r.value)} in total since the process started for locks held by ${r.func}${held}, ${pct(share)} of all mutex delay.`,
          threshold: dur > 0 ? 'mutexDelayPerSecond' : 'mutexDelayTotal',
          value: dur > 0 ? rate : r.value,
          s,
          source: 'delay/nanoseconds (mutex profile)',
          figures: [
            { label: 'mutex delay', value: r.value, unit: 'nanoseconds' },
            ...(dur > 0 ? [{ label: 'per second', value: rate, unit: 'ns-per-second' }] : []),
            { label: 'contentions', value: site?.contentions ?? 0, unit: 'count' },
            { label: 'share of mutex delay', value: share, unit: 'ratio' },
          ],
          notes:
            dur > 0
              ? []
              : [
                  'the profile is cumulative (no duration): the delay counts from the process start',
                ],
          link: { tab: 'contention', snapshot: s.id, site: site?.site ?? r.func },
        }),
      );
    }
    return out.filter((f): f is Finding => f !== null);
  }
  // Block profile: per own caller and reason, from the call-site rows.
  const byKey = new Map<
    string,
    {
      func: string;
      reason: 'channel-wait' | 'lock-wait';
      delay: number;
      contentions: number;
      primitive: string;
      site: string;
    }
  >();
  for (const row of table.rows) {
    const reason = blockReason(row.primitive);
    if (!reason) continue;
    const key = `${reason}|${row.func}`;
    const e = byKey.get(key) ?? {
      func: row.func,
      reason,
      delay: 0,
      contentions: 0,
      primitive: row.primitive,
      site: row.site,
    };
    e.delay += row.delayNanos;
    e.contentions += row.contentions;
    byKey.set(key, e);
  }
  for (const e of byKey.values()) {
    const rate = dur > 0 ? e.delay / dur : 0;
    const what =
      e.reason === 'channel-wait' ? 'blocked sending on a channel' : 'blocked waiting for a lock';
    out.push(
      draft({
        kind: e.reason,
        func: e.func,
        title:
          dur > 0
            ? `${e.func} was ${what} (${e.primitive}) ${ns(rate)} per second, ${e.contentions} times.`
            : `${e.func} was ${what} (${e.primitive}) ${ns(e.delay)} in total since the process started, ${e.contentions} times.`,
        threshold: dur > 0 ? 'blockDelayPerSecond' : 'blockDelayTotal',
        value: dur > 0 ? rate : e.delay,
        s,
        source: 'delay/nanoseconds (block profile)',
        figures: [
          { label: 'blocked time', value: e.delay, unit: 'nanoseconds' },
          ...(dur > 0 ? [{ label: 'per second', value: rate, unit: 'ns-per-second' }] : []),
          { label: 'events', value: e.contentions, unit: 'count' },
        ],
        notes: [
          ...(dur > 0
            ? []
            : ['the profile is cumulative (no duration): the time counts from the process start']),
          'receives, selects and WaitGroup/Cond waits are left out: idle goroutines park there',
        ],
        link: { tab: 'contention', snapshot: s.id, site: e.site },
      }),
    );
  }
  return out.filter((f): f is Finding => f !== null);
}

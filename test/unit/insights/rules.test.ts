// Insight rules at their threshold edges, own-code attribution and the report's
// comparability notes, on hand-built profiles and dumps.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatThresholdValue } from '../../../core/insights/thresholds';
import { encodeProfile } from '../../../core/pprof/encode';
import type { Profile } from '../../../core/pprof/model';
import { resolveSampleIndex } from '../../../core/pprof/sample-index';
import {
  buildReport,
  chargeOwnCode,
  isOwnCode,
  loadSnapshotSet,
  ownLeaves,
  profileKind,
  reportHtml,
  reportMarkdown,
  runInsights,
  THRESHOLDS,
  type Finding,
  type SnapshotInput,
} from '../../../core/insights';
import { compareTraces, traceSummary } from '../../../core/trace/compare';
import { parseTrace } from '../../../core/trace/parse';
import { buildProfile, type SampleSpec } from '../pprof/build-profile';

const enc = new TextEncoder();

function input(name: string, p: Profile | string): SnapshotInput {
  return { id: name, name, bytes: typeof p === 'string' ? enc.encode(p) : encodeProfile(p) };
}

function insightsOf(...inputs: SnapshotInput[]): Finding[] {
  return runInsights(loadSnapshotSet('test', inputs));
}

/** A CPU profile: `own` ms in main.hot (calling into encoding/json), the rest in main.rest. */
function cpuProfile(hotShare: number, total = 1000): Profile {
  const hot = Math.round(total * hotShare);
  return buildProfile({
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    periodType: ['cpu', 'nanoseconds'],
    period: 1e7,
    durationNanos: 1e9,
    samples: [
      {
        stack: [
          'runtime.main',
          'main.main',
          'main.hot',
          'encoding/json.Unmarshal',
          'runtime.mallocgc',
        ],
        values: [hot, hot * 1e6],
      },
      {
        stack: ['runtime.main', 'main.main', 'main.rest'],
        values: [total - hot, (total - hot) * 1e6],
      },
    ],
  });
}

describe('own code', () => {
  it('is everything outside the standard library, minus third-party prefixes', () => {
    expect(isOwnCode('main.contend')).toBe(true);
    expect(isOwnCode('github.com/acme/orders/store.(*DB).Get')).toBe(true);
    expect(isOwnCode('sync.(*Mutex).Unlock')).toBe(false);
    expect(isOwnCode('runtime.chanrecv1')).toBe(false);
    expect(isOwnCode('crypto/sha256.block')).toBe(false);
    expect(
      isOwnCode('github.com/jackc/pgx/v5.(*Conn).Query', { thirdParty: ['github.com/jackc/pgx'] }),
    ).toBe(false);
    expect(
      isOwnCode('github.com/jackc/pgxpool.New', { thirdParty: ['github.com/jackc/pgx'] }),
    ).toBe(true);
  });

  it('charges each sample to its leaf-most own frame, inlined frames innermost first', () => {
    const p = buildProfile({
      sampleTypes: [['delay', 'nanoseconds']],
      samples: [
        { stack: ['runtime.goexit', 'main.contend', 'sync.(*Mutex).Unlock'], values: [5] },
        { stack: ['runtime.goexit', 'main.blockOnChan', 'runtime.chanrecv1'], values: [7] },
        // One location: crypto/sha256.block inlined into main.hashWork inlined into main.caller.
        {
          stack: ['runtime.goexit', ['crypto/sha256.block', 'main.hashWork', 'main.caller']],
          values: [11],
        },
        { stack: ['runtime.gcBgMarkWorker'], values: [13] },
      ],
    });
    const c = chargeOwnCode(p, resolveSampleIndex(p, 0), ownLeaves(p));
    expect(c.rows.map((r) => [r.func, r.value])).toEqual([
      ['main.hashWork', 11],
      ['main.blockOnChan', 7],
      ['main.contend', 5],
    ]);
    expect(c.unattributed).toBe(13);
    expect(c.total).toBe(36);
  });
});

describe('cpu-hotspot thresholds', () => {
  const lowBound = THRESHOLDS.cpuHotspotShare.low;
  it(`reports nothing just below ${lowBound * 100}% and low at exactly the bound`, () => {
    expect(
      insightsOf(input('cpu', cpuProfile(0.099))).filter(
        (f) => f.kind === 'cpu-hotspot' && f.function === 'main.hot',
      ),
    ).toEqual([]);
    const at = insightsOf(input('cpu', cpuProfile(0.1))).find(
      (f) => f.kind === 'cpu-hotspot' && f.function === 'main.hot',
    );
    expect(at?.severity).toBe('low');
    expect(at?.title).toContain('10% of CPU');
    expect(at?.evidence.threshold).toContain('cpuHotspotShare');
    expect(at?.link).toEqual({
      tab: 'flame',
      snapshot: 'cpu',
      sampleType: 'cpu',
      focus: '^main\\.hot$',
    });
  });
  it('is medium and high at the upper bounds', () => {
    const sev = (share: number) =>
      insightsOf(input('cpu', cpuProfile(share))).find(
        (f) => f.kind === 'cpu-hotspot' && f.function === 'main.hot',
      )?.severity;
    expect(sev(0.199)).toBe('low');
    expect(sev(0.2)).toBe('medium');
    expect(sev(0.4)).toBe('high');
  });
  it('never names library or runtime functions', () => {
    for (const f of insightsOf(input('cpu', cpuProfile(0.9)))) {
      expect(isOwnCode(f.function), f.function).toBe(true);
    }
  });
});

function mutexProfile(delayNs: number, durationNanos: number): Profile {
  const samples: SampleSpec[] = [
    { stack: ['runtime.goexit', 'main.contend', 'sync.(*Mutex).Unlock'], values: [3, delayNs] },
  ];
  return buildProfile({
    sampleTypes: [
      ['contentions', 'count'],
      ['delay', 'nanoseconds'],
    ],
    periodType: ['contentions', 'count'],
    period: 1,
    durationNanos,
    samples,
  });
}

describe('lock-contention thresholds', () => {
  const find = (p: Profile) =>
    insightsOf(input('mutex', p)).find((f) => f.kind === 'lock-contention');
  it('uses delay per second when the profile has a duration', () => {
    expect(find(mutexProfile(999_999, 1e9))).toBeUndefined();
    const f = find(mutexProfile(1_000_000, 1e9));
    expect(f?.severity).toBe('low');
    expect(f?.function).toBe('main.contend');
    expect(f?.link).toEqual({ tab: 'contention', snapshot: 'mutex', site: 'main.contend' });
    expect(find(mutexProfile(200_000_000, 2e9))?.severity).toBe('high'); // 100 ms/s
  });
  it('uses the total since start for a cumulative profile and says so', () => {
    expect(find(mutexProfile(9_999_999, 0))).toBeUndefined();
    const f = find(mutexProfile(10_000_000, 0));
    expect(f?.severity).toBe('low');
    expect(f?.title).toContain('since the process started');
  });
});

function debug2(n: number, minutes: number, leaked = false): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const attrs = `chan receive${leaked ? ' (leaked)' : ''}${minutes > 0 ? `, ${minutes} minutes` : ''}`;
    s += `goroutine ${i + 10} [${attrs}]:\nmain.(*notifier).awaitAck(...)\n\t/app/notifier.go:40 +0x1d\ncreated by main.start in goroutine 1\n\t/app/main.go:9 +0x2f\n\n`;
  }
  return `goroutine 1 [running]:\nmain.main()\n\t/app/main.go:3 +0x1\n\n${s}`;
}

describe('goroutine-leak', () => {
  const leaks = (text: string) =>
    insightsOf(input('goroutines.txt', text)).filter((f) => f.kind === 'goroutine-leak');
  it('needs 10 goroutines blocked for 10 minutes in a debug=2 dump', () => {
    expect(leaks(debug2(9, 12))).toEqual([]);
    expect(leaks(debug2(10, 9))).toEqual([]);
    const [f] = leaks(debug2(10, 10));
    expect(f?.function).toBe('main.(*notifier).awaitAck');
    expect(f?.severity).toBe('medium');
    expect(f?.link).toEqual({
      tab: 'goroutines',
      snapshot: 'goroutines.txt',
      func: 'main.(*notifier).awaitAck',
    });
  });
  it('takes goroutines the runtime marked (leaked) as proven, whatever their number', () => {
    const [f] = leaks(debug2(1, 0, true));
    expect(f?.severity).toBe('high');
    expect(f?.evidence.notes.join(' ')).toContain('strongest evidence');
  });
  it('reports a stack group that grows in every snapshot by the growth threshold', () => {
    const series = (counts: number[]) =>
      runInsights(
        loadSnapshotSet(
          'series',
          counts.map((n, i) => ({
            ...input(`g${i}.txt`, debug2(n, 0)),
            capturedAtMs: 1_000 * (i + 1),
          })),
        ),
      ).filter((f) => f.kind === 'goroutine-leak');
    expect(series([2, 4, 6])).toEqual([]);
    expect(series([2, 9, 3])).toEqual([]);
    const [f] = series([2, 4, 7]);
    expect(f?.function).toBe('main.(*notifier).awaitAck');
    expect(f?.title).toContain('2 → 4 → 7 (+5)');
    expect(f?.evidence.snapshot).toBe('g2.txt');
  });

  it('takes every goroutine of a goroutineleak profile as proven leaked, and says so', () => {
    const p = buildProfile({
      sampleTypes: [['goroutineleak', 'count']],
      periodType: ['goroutineleak', 'count'],
      period: 1,
      samples: [
        { stack: ['runtime.goexit', 'main.(*notifier).awaitAck', 'runtime.gopark'], values: [3] },
      ],
    });
    const set = loadSnapshotSet('leak', [input('goroutineleak.pb.gz', p)]);
    expect(set.snapshots[0]?.kind).toBe('goroutineleak');
    const [f] = runInsights(set).filter((x) => x.kind === 'goroutine-leak');
    expect(f?.severity).toBe('high');
    expect(f?.title).toContain('The GC proved 3 goroutines in main.(*notifier).awaitAck leaked');
    expect(f?.evidence.notes.join(' ')).toContain('goroutineleak profile');
  });

  it('finds no leak in a dump of busy goroutines', () => {
    expect(leaks(debug2(0, 0))).toEqual([]);
  });
});

describe('before/after report', () => {
  it('lists fixed findings as resolved and normalises totals of different durations per second', () => {
    const before = loadSnapshotSet('before', [input('cpu.pb.gz', cpuProfile(0.6))]);
    const afterProfile = cpuProfile(0.05, 500);
    afterProfile.durationNanos = 2e9;
    const after = loadSnapshotSet('after', [input('cpu.pb.gz', afterProfile)]);
    const r = buildReport(before, after);
    expect(r.findings.resolved.map((f) => `${f.kind} ${f.function}`)).toContain(
      'cpu-hotspot main.hot',
    );
    const cpu = r.rows.find((x) => x.metric === 'cpu-time')!;
    expect(cpu.note).toMatch(/normalised per second/);
    expect(cpu.unit).toBe('nanoseconds/s');
    expect(cpu.before).toBe(1e9);
    expect(cpu.after).toBe(0.25e9);
    expect(cpu.change).toBeCloseTo(-0.75);
    const heap = r.rows.find((x) => x.metric === 'heap-inuse-bytes')!;
    expect(heap.before).toBeNull();
    expect(heap.note).toBe('cannot compare: no heap profile in either set');
  });

  it('escapes profile strings in Markdown and HTML and the HTML has no script', () => {
    const hostile = 'main.<img src=x onerror=alert(1)>|`x`';
    const p = buildProfile({
      sampleTypes: [['cpu', 'nanoseconds']],
      periodType: ['cpu', 'nanoseconds'],
      period: 1e7,
      durationNanos: 1e9,
      samples: [{ stack: ['runtime.main', hostile], values: [1e8] }],
    });
    const set = loadSnapshotSet('<script>alert(3)</script>', [input('cpu', p)]);
    const r = buildReport(set, set);
    const html = reportHtml(r);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const md = reportMarkdown(r);
    // Names go in code spans (shown literally, pipes escaped); prose has HTML escaped.
    expect(md).toContain('`` main.<img src=x onerror=alert(1)>\\|`x` ``');
    expect(md).toContain(': main.&lt;img src=x onerror=alert(1)&gt;');
    expect(md.replace(/`` main\.<img src=x onerror=alert\(1\)>\\\|`x` ``/g, '')).not.toContain(
      '<img',
    );
  });
});

describe('snapshot sets', () => {
  it('keeps members that cannot be read aside, with the reason', () => {
    const set = loadSnapshotSet('mixed', [
      input('cpu', cpuProfile(0.5)),
      { id: 'notes.txt', name: 'notes.txt', bytes: enc.encode('hello, not a profile') },
      { id: 'trace.out', name: 'trace.out', bytes: enc.encode('go 1.26 trace\0\0\0garbage') },
    ]);
    expect(set.snapshots.map((s) => s.kind)).toEqual(['cpu']);
    expect(set.skipped.map((s) => s.name)).toEqual(['notes.txt', 'trace.out']);
    expect(set.skipped[0]?.reason).toMatch(
      /^not a pprof profile, goroutine dump or Go execution trace/,
    );
  });
});

describe('profile kinds', () => {
  it('tells an empty mutex profile from a block profile by its file name', () => {
    const empty = buildProfile({
      sampleTypes: [
        ['contentions', 'count'],
        ['delay', 'nanoseconds'],
      ],
      periodType: ['contentions', 'count'],
      period: 1,
      samples: [],
    });
    const set = loadSnapshotSet('x', [
      input('svc-mutex.pb.gz', empty),
      input('block.pb.gz', empty),
    ]);
    expect(set.snapshots.map((s) => s.kind)).toEqual(['mutex', 'block']);
    expect(profileKind(mutexProfile(5, 0))).toBe('mutex');
  });
});

describe('docs/insights.md', () => {
  it('prints the threshold table the rules use', () => {
    const doc = readFileSync(new URL('../../../docs/insights.md', import.meta.url), 'utf8');
    for (const [name, t] of Object.entries(THRESHOLDS)) {
      const f = (v: number) => formatThresholdValue(t.unit, v);
      expect(doc, name).toContain(
        `| \`${name}\` | ${t.measure} | ${f(t.low)} | ${f(t.medium)} | ${f(t.high)} |`,
      );
    }
  });
});

describe('before/after report on two traces', () => {
  it("gives the Compare tab's trace figures (compareTraces), durations alike", () => {
    const repo = resolve(__dirname, '..', '..', '..');
    const file = (side: string) =>
      new Uint8Array(readFileSync(join(repo, `test/fixtures/${side}/trace.out`)));
    const set = (side: string) =>
      loadSnapshotSet(side, [{ id: side, name: 'trace.out', bytes: file(side) }]);
    const r = buildReport(set('before'), set('after'));
    const c = compareTraces(
      traceSummary(parseTrace(file('before'))),
      traceSummary(parseTrace(file('after'))),
    );
    // The fixture traces last 1.5 s each (within the report's tolerance): no per-second rescaling.
    for (const metric of [
      'gc-per-second',
      'stw-total',
      'stw-max',
      'trace-peak-goroutines',
      'goroutines-created-per-second',
      'sched-latency-p50',
      'sched-latency-p99',
    ]) {
      const row = r.rows.find((x) => x.metric === metric);
      const want = c.rows.find((x) => x.metric === metric)!;
      expect(row, metric).toBeDefined();
      expect([row!.before, row!.after], metric).toEqual([want.before, want.after]);
    }
  });
});

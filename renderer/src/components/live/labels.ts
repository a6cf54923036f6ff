// Words the Live tab uses for health states and capture kinds.
import type {
  BundlePartState,
  CaptureKind,
  CaptureSpec,
  TargetHealthState,
} from '../../../../core/contract';

export const HEALTH_LABELS: Record<TargetHealthState, string> = {
  unknown: 'not checked',
  ok: 'ok',
  unreachable: 'unreachable',
  'auth-failed': 'auth failed',
  'not-pprof': 'not pprof',
  'wrong-prefix': 'wrong prefix',
  'tls-error': 'TLS',
  timeout: 'timeout',
  error: 'error',
};

export interface KindInfo {
  kind: CaptureKind;
  label: string;
  /** The index-page name whose count is shown next to the kind. */
  indexName: string;
  /** cpu, trace: a duration; cumulative kinds: an optional delta window. */
  seconds: 'duration' | 'delta' | 'none';
  help: string;
}

export const KINDS: KindInfo[] = [
  {
    kind: 'cpu',
    label: 'CPU',
    indexName: 'profile',
    seconds: 'duration',
    help: 'profile?seconds=N: samples on-CPU stacks for N seconds',
  },
  {
    kind: 'heap',
    label: 'Heap',
    indexName: 'heap',
    seconds: 'delta',
    help: 'heap: live memory at the last GC (gc=1 runs a GC first); seconds=N gives a delta',
  },
  {
    kind: 'allocs',
    label: 'Allocs',
    indexName: 'allocs',
    seconds: 'delta',
    help: 'allocs: every allocation since start; seconds=N gives the allocations during N s',
  },
  {
    kind: 'goroutine',
    label: 'Goroutine',
    indexName: 'goroutine',
    seconds: 'delta',
    help: 'goroutine: stacks of all goroutines (pprof proto)',
  },
  {
    kind: 'goroutine-text',
    label: 'Goroutine dump (debug=2)',
    indexName: 'goroutine',
    seconds: 'none',
    help: 'goroutine?debug=2: every goroutine with its state and wait time, as text',
  },
  {
    kind: 'mutex',
    label: 'Mutex',
    indexName: 'mutex',
    seconds: 'delta',
    help: 'mutex: holders of contended mutexes (needs runtime.SetMutexProfileFraction)',
  },
  {
    kind: 'block',
    label: 'Block',
    indexName: 'block',
    seconds: 'delta',
    help: 'block: where goroutines blocked (needs runtime.SetBlockProfileRate)',
  },
  {
    kind: 'threadcreate',
    label: 'Threadcreate',
    indexName: 'threadcreate',
    seconds: 'delta',
    help: 'threadcreate: stacks that created OS threads',
  },
  {
    kind: 'trace',
    label: 'Execution trace',
    indexName: 'trace',
    seconds: 'duration',
    help: 'trace?seconds=N: the Go execution tracer for N seconds',
  },
  {
    kind: 'goroutineleak',
    label: 'Goroutine leaks',
    indexName: 'goroutineleak',
    seconds: 'none',
    help: 'goroutineleak: goroutines a GC proved leaked (Go 1.27, or Go 1.26 with GOEXPERIMENT=goroutineleakprofile)',
  },
];

export function kindInfo(kind: CaptureKind): KindInfo {
  return KINDS.find((k) => k.kind === kind) ?? KINDS[0]!;
}

/** "CPU 30 s", "Allocs Δ30 s", "Heap gc=1", "Goroutine dump (debug=2)". */
export function describeSpec(s: CaptureSpec): string {
  const k = kindInfo(s.kind);
  if (k.seconds === 'duration') return `${k.label} ${s.seconds ?? (s.kind === 'cpu' ? 30 : 1)} s`;
  if (s.seconds !== undefined) return `${k.label} Δ${s.seconds} s`;
  return s.gc ? `${k.label} gc=1` : k.label;
}

/** A bundle part's state in words (the Live tab's runs and the library's bundle details). */
export const PART_STATE_LABELS: Record<BundlePartState, string> = {
  queued: 'queued',
  running: 'running',
  storing: 'storing',
  done: 'stored',
  failed: 'failed',
  'not-served': 'not served',
  cancelled: 'cancelled',
};

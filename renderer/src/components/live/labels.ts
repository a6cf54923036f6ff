// Words the Live tab uses for health states and capture kinds.
import type {
  BundlePartState,
  CaptureKind,
  CaptureSpec,
  TargetHealthState,
  TunnelState,
  WatchEvent,
  WatchFolder,
} from '../../../../core/contract';
import { t } from '../../i18n';

/** In the UI's language: getters, so a language switch re-renders them. */
export const HEALTH_LABELS: Readonly<Record<TargetHealthState, string>> = {
  get unknown() {
    return t('live.health.unknown');
  },
  get ok() {
    return t('live.health.ok');
  },
  get unreachable() {
    return t('live.health.unreachable');
  },
  get 'auth-failed'() {
    return t('live.health.authFailed');
  },
  get 'not-pprof'() {
    return t('live.health.notPprof');
  },
  get 'wrong-prefix'() {
    return t('live.health.wrongPrefix');
  },
  get 'tls-error'() {
    return t('live.health.tls');
  },
  get timeout() {
    return t('live.health.timeout');
  },
  get error() {
    return t('live.health.error');
  },
};

export const TUNNEL_LABELS: Readonly<Record<TunnelState, string>> = {
  get starting() {
    return t('live.tunnelState.starting');
  },
  get ready() {
    return t('live.tunnelState.ready');
  },
  get restarting() {
    return t('live.tunnelState.restarting');
  },
  get stopped() {
    return t('live.tunnelState.stopped');
  },
  get failed() {
    return t('live.tunnelState.failed');
  },
};

export const WATCH_STATE_LABELS: Readonly<Record<WatchFolder['state'], string>> = {
  get watching() {
    return t('live.watch.state.watching');
  },
  get missing() {
    return t('live.watch.state.missing');
  },
  get error() {
    return t('live.watch.state.error');
  },
};

export const WATCH_EVENT_LABELS: Readonly<Record<WatchEvent['type'], string>> = {
  get imported() {
    return t('live.watch.event.imported');
  },
  get duplicate() {
    return t('live.watch.event.duplicate');
  },
  get ignored() {
    return t('live.watch.event.ignored');
  },
  get error() {
    return t('live.watch.event.error');
  },
  get 'folder-missing'() {
    return t('live.watch.event.folderMissing');
  },
  get 'folder-restored'() {
    return t('live.watch.event.folderRestored');
  },
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
  return KINDS.find((k) => k.kind === kind) ?? KINDS[0];
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

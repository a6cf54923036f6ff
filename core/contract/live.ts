// Live targets, capture, recipes and folder watching: types and validators. The back end is electron/services/targets (createLiveBackend). Validators
// are strict: every field the back end sends is declared here.
import { type ApiErrorValue } from './errors-validator';
import { ERROR_KINDS } from './result';
import { arr, bool, nullable, num, obj, oneOf, opt, str, tagged, type Validator } from './validate';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH, SNAPSHOT_ID } from './snapshots';

export const LIVE_ID = str({
  min: 1,
  max: 64,
  pattern: /^[A-Za-z0-9_-]+$/,
  patternHint: 'must be an id (letters, digits, - and _)',
});
const url = str({
  min: 1,
  max: 8192,
  pattern: /^https?:\/\/[^\s]+$/i,
  patternHint: 'must be an http:// or https:// URL',
});
const isoTime = str({ min: 10, max: 40, pattern: /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/ });
const seconds = num({ int: true, min: 1, max: 3600 });
const apiErrorKind = oneOf(ERROR_KINDS);

// Targets.

export interface HeaderEntry {
  name: string;
  /**
   * A secret header's value lives in the back end's secret store: shown to the renderer as
   * '', and sent as '' to keep the stored one (like a token).
   */
  value: string;
  /** Kept in the secret store, never in targets.json nor shown again. */
  secret?: boolean;
}
const headerEntry = obj<HeaderEntry>({
  name: str({ min: 1, max: 256, pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/ }),
  value: str({ max: 8192, pattern: /^[^\r\n]*$/, patternHint: 'must be one line' }),
  secret: opt(bool),
});

/** Auth as shown to the renderer: secrets never leave the back end. */
export type TargetAuth =
  | { type: 'none' }
  | { type: 'bearer'; hasToken: boolean }
  | { type: 'basic'; username: string; hasPassword: boolean };
const targetAuth: Validator<TargetAuth> = tagged<TargetAuth>('type', {
  none: obj<{ type: 'none' }>({ type: oneOf(['none'] as const) }),
  bearer: obj<{ type: 'bearer'; hasToken: boolean }>({
    type: oneOf(['bearer'] as const),
    hasToken: bool,
  }),
  basic: obj<{ type: 'basic'; username: string; hasPassword: boolean }>({
    type: oneOf(['basic'] as const),
    username: str({ max: 256 }),
    hasPassword: bool,
  }),
});

/** Auth as sent by the renderer: an omitted secret keeps the stored one. */
export type TargetAuthInput =
  | { type: 'none' }
  | { type: 'bearer'; token?: string }
  | { type: 'basic'; username: string; password?: string };
const targetAuthInput: Validator<TargetAuthInput> = tagged<TargetAuthInput>('type', {
  none: obj<{ type: 'none' }>({ type: oneOf(['none'] as const) }),
  bearer: obj<{ type: 'bearer'; token?: string }>({
    type: oneOf(['bearer'] as const),
    token: opt(str({ min: 1, max: 8192, pattern: /^[^\r\n]*$/ })),
  }),
  basic: obj<{ type: 'basic'; username: string; password?: string }>({
    type: oneOf(['basic'] as const),
    username: str({ max: 256, pattern: /^[^:\r\n]*$/, patternHint: 'must not contain ":"' }),
    password: opt(str({ max: 8192, pattern: /^[^\r\n]*$/ })),
  }),
});

export interface TargetTls {
  /** PEM file with extra CA certificates; null for the system roots only. */
  caFile: string | null;
  /** Accept any certificate. Shown as a warning wherever the target appears. */
  skipVerify: boolean;
}
const targetTls = obj<TargetTls>({
  caFile: nullable(str({ min: 1, max: MAX_PATH_LENGTH })),
  skipVerify: bool,
});

export interface TunnelSpec {
  /** e.g. `kubectl port-forward svc/orders 6060:6060` or `ssh -N -L 6060:localhost:6060 host`. */
  command: string;
  /** The local port the tunnel opens; ready when it accepts connections. */
  localPort: number;
}
const tunnelSpec = obj<TunnelSpec>({
  command: str({ min: 1, max: 4096 }),
  localPort: num({ int: true, min: 1, max: 65535 }),
});

export interface Target {
  id: string;
  name: string;
  baseUrl: string;
  /** Default '/debug/pprof'. */
  pathPrefix: string;
  headers: HeaderEntry[];
  auth: TargetAuth;
  tls: TargetTls;
  /** null: 1.5 × the capture duration, or 60 s. */
  timeoutSeconds: number | null;
  tunnel: TunnelSpec | null;
  /**
   * Whether the user has confirmed this exact tunnel command (by its hash) to run. A new or
   * changed command is confirmed before its first run: confirmTunnel.
   */
  tunnelApproved?: boolean;
  /** Captures running at once against this target (default 2). */
  maxConcurrentCaptures: number;
  /** Shown next to the target, never hidden (e.g. certificate checks are off). */
  warnings: string[];
}
const maxConcurrentCaptures = num({ int: true, min: 1, max: 16 });
const pathPrefix = str({ max: 1024, pattern: /^(\/[^\s?#]*)?$/, patternHint: 'must start with /' });
export const target: Validator<Target> = obj<Target>({
  id: LIVE_ID,
  name: str({ min: 1, max: MAX_NAME_LENGTH }),
  baseUrl: url,
  pathPrefix,
  headers: arr(headerEntry, 64),
  auth: targetAuth,
  tls: targetTls,
  timeoutSeconds: nullable(seconds),
  tunnel: nullable(tunnelSpec),
  tunnelApproved: opt(bool),
  maxConcurrentCaptures,
  warnings: arr(str({ max: 4096 }), 32),
});

export interface TargetInput {
  /** Absent: create a new target. */
  id?: string;
  name: string;
  baseUrl: string;
  pathPrefix?: string;
  headers?: HeaderEntry[];
  auth?: TargetAuthInput;
  tls?: TargetTls;
  timeoutSeconds?: number | null;
  tunnel?: TunnelSpec | null;
  maxConcurrentCaptures?: number;
}
export interface SaveTargetRequest {
  target: TargetInput;
}
export const saveTargetRequest: Validator<SaveTargetRequest> = obj<SaveTargetRequest>({
  target: obj<TargetInput>({
    id: opt(LIVE_ID),
    name: str({ min: 1, max: MAX_NAME_LENGTH }),
    baseUrl: url,
    pathPrefix: opt(pathPrefix),
    headers: opt(arr(headerEntry, 64)),
    auth: opt(targetAuthInput),
    tls: opt(targetTls),
    timeoutSeconds: opt(nullable(seconds)),
    tunnel: opt(nullable(tunnelSpec)),
    maxConcurrentCaptures: opt(maxConcurrentCaptures),
  }),
});

export interface LiveIdRequest {
  id: string;
}
export const liveIdRequest = obj<LiveIdRequest>({ id: LIVE_ID });
export const liveIdResult = liveIdRequest;

export const TARGET_HEALTH = [
  'unknown',
  'ok',
  'unreachable',
  'auth-failed',
  'not-pprof',
  'wrong-prefix',
  'tls-error',
  'timeout',
  'error',
] as const;
export type TargetHealthState = (typeof TARGET_HEALTH)[number];

export const TUNNEL_STATES = ['starting', 'ready', 'restarting', 'stopped', 'failed'] as const;
export type TunnelState = (typeof TUNNEL_STATES)[number];

export interface TargetStatus {
  targetId: string;
  /** Connected: tunnel (if any) started and the dashboard polling. */
  connected: boolean;
  health: TargetHealthState;
  /** A sentence a user can act on ("401 from /debug/pprof/: check the bearer token"). */
  message: string;
  checkedAt: string | null;
  tunnel: TunnelState | null;
}
export const targetStatus: Validator<TargetStatus> = obj<TargetStatus>({
  targetId: LIVE_ID,
  connected: bool,
  health: oneOf(TARGET_HEALTH),
  message: str({ max: 8192 }),
  checkedAt: nullable(isoTime),
  tunnel: nullable(oneOf(TUNNEL_STATES)),
});

export interface OfferedProfile {
  /** As listed on the index page: allocs, block, cmdline, goroutine, heap, ... */
  name: string;
  /** The count shown on the index page; null for profile/trace/cmdline. */
  count: number | null;
}
export interface ProbeResult {
  status: TargetStatus;
  profiles: OfferedProfile[];
  /** The target's command line (`cmdline`), null when it could not be read. */
  cmdline: string[] | null;
}
export const probeResult: Validator<ProbeResult> = obj<ProbeResult>({
  status: targetStatus,
  profiles: arr(
    obj<OfferedProfile>({ name: str({ min: 1, max: 256 }), count: nullable(num({ min: 0 })) }),
    256,
  ),
  cmdline: nullable(arr(str({ max: 65536 }), 4096)),
});

/**
 * One poll of the live dashboard: the goroutine count (goroutine?debug=1 header) and the
 * MemStats block of heap?debug=1. A figure the target did not report is null.
 */
export interface MetricsSample {
  targetId: string;
  at: string;
  goroutines: number | null;
  heapInuse: number | null;
  heapAlloc: number | null;
  heapSys: number | null;
  numGC: number | null;
  /** Exact while the target has run ≤ 256 GCs, then kept exact by adding each pauseNs. */
  pauseTotalNs: number | null;
  heapIdle: number | null;
  heapReleased: number | null;
  heapObjects: number | null;
  sys: number | null;
  totalAlloc: number | null;
  mallocs: number | null;
  frees: number | null;
  nextGC: number | null;
  numForcedGC: number | null;
  /** Fraction of CPU time used by the GC since the program started (0..1). */
  gcCPUFraction: number | null;
  stackInuse: number | null;
  maxRSS: number | null;
  /** End of the last GC (ISO 8601), null before the first GC. */
  lastGC: string | null;
  /** GC pause time since the previous sample; null for the first (or after > 256 GCs). */
  pauseNs: number | null;
  /**
   * The first sample of a new process (a restart): its cmdline differs from the previous
   * poll's, or its cumulative counters went backwards.
   */
  restart?: boolean;
}
const metricNum = nullable(num({ min: 0 }));
export const metricsSample: Validator<MetricsSample> = obj<MetricsSample>({
  targetId: LIVE_ID,
  at: isoTime,
  goroutines: metricNum,
  heapInuse: metricNum,
  heapAlloc: metricNum,
  heapSys: metricNum,
  numGC: metricNum,
  pauseTotalNs: metricNum,
  heapIdle: metricNum,
  heapReleased: metricNum,
  heapObjects: metricNum,
  sys: metricNum,
  totalAlloc: metricNum,
  mallocs: metricNum,
  frees: metricNum,
  nextGC: metricNum,
  numForcedGC: metricNum,
  gcCPUFraction: metricNum,
  stackInuse: metricNum,
  maxRSS: metricNum,
  lastGC: nullable(isoTime),
  pauseNs: metricNum,
  restart: opt(bool),
});

// Capture.

export const CAPTURE_KINDS = [
  'cpu',
  'heap',
  'allocs',
  'goroutine',
  'goroutine-text',
  'mutex',
  'block',
  'threadcreate',
  'trace',
  'goroutineleak',
] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

export interface CaptureSpec {
  kind: CaptureKind;
  /** cpu and trace: duration; cumulative kinds: a server-side delta over N seconds. */
  seconds?: number;
  /** heap: run a GC first (`gc=1`). */
  gc?: boolean;
}
const captureSpec = obj<CaptureSpec>({
  kind: oneOf(CAPTURE_KINDS),
  seconds: opt(seconds),
  gc: opt(bool),
});

export interface StartCaptureRequest extends CaptureSpec {
  targetId: string;
  /** Group name shared by the snapshots of one recipe run. */
  group?: string;
}
export const startCaptureRequest = obj<StartCaptureRequest>({
  targetId: LIVE_ID,
  kind: oneOf(CAPTURE_KINDS),
  seconds: opt(seconds),
  gc: opt(bool),
  group: opt(str({ min: 1, max: MAX_NAME_LENGTH })),
});

export interface StartCaptureResult {
  captureId: string;
}
export const startCaptureResult = obj<StartCaptureResult>({ captureId: LIVE_ID });

export interface StartRecipeRequest {
  targetId: string;
  /** The group name given to every snapshot of this run ("before", "after fix"). */
  group: string;
  items: CaptureSpec[];
}
export const startRecipeRequest = obj<StartRecipeRequest>({
  targetId: LIVE_ID,
  group: str({ min: 1, max: MAX_NAME_LENGTH }),
  items: arr(captureSpec, 32),
});
export interface StartRecipeResult {
  /** Unique per run: cancelRecipe takes it; every snapshot of the run carries it. */
  groupId: string;
  group: string;
  captureIds: string[];
}
export const startRecipeResult = obj<StartRecipeResult>({
  groupId: LIVE_ID,
  group: str({ min: 1, max: MAX_NAME_LENGTH }),
  captureIds: arr(LIVE_ID, 32),
});

export interface CancelRecipeRequest {
  groupId: string;
}
export const cancelRecipeRequest = obj<CancelRecipeRequest>({ groupId: LIVE_ID });
export interface CancelRecipeResult {
  groupId: string;
  /** Captures of the run that were still running or queued and are now cancelled. */
  cancelled: number;
}
export const cancelRecipeResult = obj<CancelRecipeResult>({
  groupId: LIVE_ID,
  cancelled: num({ int: true, min: 0 }),
});

/** A named set of captures run as one group (built-in ones cannot be edited or deleted). */
export interface CaptureRecipe {
  id: string;
  name: string;
  steps: CaptureSpec[];
  builtIn: boolean;
}
export const captureRecipe: Validator<CaptureRecipe> = obj<CaptureRecipe>({
  id: LIVE_ID,
  name: str({ min: 1, max: MAX_NAME_LENGTH }),
  steps: arr(captureSpec, 32),
  builtIn: bool,
});

export interface SaveRecipeRequest {
  /** Absent id: create a new recipe. */
  recipe: { id?: string; name: string; steps: CaptureSpec[] };
}
export const saveRecipeRequest = obj<SaveRecipeRequest>({
  recipe: obj<SaveRecipeRequest['recipe']>({
    id: opt(LIVE_ID),
    name: str({ min: 1, max: MAX_NAME_LENGTH }),
    steps: arr(captureSpec, 32),
  }),
});

export interface CancelCaptureRequest {
  captureId: string;
}
export const cancelCaptureRequest = obj<CancelCaptureRequest>({ captureId: LIVE_ID });

export const CAPTURE_STATES = [
  'queued',
  'running',
  'storing',
  'done',
  'failed',
  'cancelled',
] as const;
export type CaptureState = (typeof CAPTURE_STATES)[number];

/** A failed capture's error: the contract's error value plus what the target answered. */
export interface CaptureError extends ApiErrorValue {
  /** HTTP status, when the target answered. */
  status?: number;
  /** The target's own error body (Go's text/plain + X-Go-Pprof), verbatim: show as text. */
  targetText?: string;
}
export const captureError: Validator<CaptureError> = obj<CaptureError>({
  kind: apiErrorKind,
  message: str({ max: 65536 }),
  status: opt(num({ int: true, min: 100, max: 999 })),
  targetText: opt(str({ max: 65536 })),
});

export interface CaptureStatus {
  captureId: string;
  targetId: string;
  kind: CaptureKind;
  /** The URL requested (no credentials: they travel in headers). */
  url: string;
  group: string | null;
  /** The recipe run's id, null for a single capture. */
  groupId: string | null;
  state: CaptureState;
  elapsedSeconds: number;
  /** null for kinds without a duration. */
  totalSeconds: number | null;
  bytes: number;
  /** Set when state is 'done'. */
  snapshotId: string | null;
  /** Set when state is 'failed' or 'cancelled'. */
  error: CaptureError | null;
}
export const captureStatus: Validator<CaptureStatus> = obj<CaptureStatus>({
  captureId: LIVE_ID,
  targetId: LIVE_ID,
  kind: oneOf(CAPTURE_KINDS),
  url: str({ min: 1, max: 8192 }),
  group: nullable(str({ min: 1, max: MAX_NAME_LENGTH })),
  groupId: nullable(LIVE_ID),
  state: oneOf(CAPTURE_STATES),
  elapsedSeconds: num({ min: 0 }),
  totalSeconds: nullable(num({ min: 0 })),
  bytes: num({ int: true, min: 0 }),
  snapshotId: nullable(SNAPSHOT_ID),
  error: nullable(captureError),
});

// Folder watching.

export const WATCH_STATES = ['watching', 'missing', 'error'] as const;
export interface WatchFolder {
  id: string;
  path: string;
  state: (typeof WATCH_STATES)[number];
  message: string;
}
export const watchFolder: Validator<WatchFolder> = obj<WatchFolder>({
  id: LIVE_ID,
  path: str({ min: 1, max: MAX_PATH_LENGTH }),
  state: oneOf(WATCH_STATES),
  message: str({ max: 4096 }),
});

export interface AddWatchFolderRequest {
  path: string;
}
export const addWatchFolderRequest = obj<AddWatchFolderRequest>({
  path: str({ min: 1, max: MAX_PATH_LENGTH }),
});

export const WATCH_EVENT_TYPES = [
  'imported',
  'duplicate',
  'ignored',
  'error',
  'folder-missing',
  'folder-restored',
] as const;
export interface WatchEvent {
  folderId: string;
  /** The file (or the folder for folder-* events). */
  path: string;
  type: (typeof WATCH_EVENT_TYPES)[number];
  snapshotId: string | null;
  message: string;
}
export const watchEvent: Validator<WatchEvent> = obj<WatchEvent>({
  folderId: LIVE_ID,
  path: str({ min: 1, max: MAX_PATH_LENGTH }),
  type: oneOf(WATCH_EVENT_TYPES),
  snapshotId: nullable(SNAPSHOT_ID),
  message: str({ max: 4096 }),
});

export const TUNNEL_STREAMS = ['stdout', 'stderr', 'event'] as const;
/** One line of a tunnel command's output; 'event' lines are the app's own notes (restarts). */
export interface TunnelOutput {
  targetId: string;
  at: string;
  stream: (typeof TUNNEL_STREAMS)[number];
  text: string;
}
export const tunnelOutput: Validator<TunnelOutput> = obj<TunnelOutput>({
  targetId: LIVE_ID,
  at: isoTime,
  stream: oneOf(TUNNEL_STREAMS),
  text: str({ max: 65536 }),
});

// Capture bundles and cold-start capture (issue 15): "capture everything" from a target as one
// group, optionally armed to start the moment a target that is not up yet first answers.
import { LIVE_ID } from './live';
import { MAX_NAME_LENGTH, SNAPSHOT_ID } from './snapshots';
import {
  arr,
  bool,
  nullable,
  num,
  obj,
  oneOf,
  opt,
  record,
  str,
  tagged,
  type Validator,
} from './validate';

export const BUNDLE_WHATS = ['bundle', 'cpu'] as const;
export type BundleWhat = (typeof BUNDLE_WHATS)[number];

export interface StartBundleRequest {
  targetId: string;
  /** 'bundle': everything; 'cpu': one CPU profile (cold start's short form). */
  what?: BundleWhat;
  /** The CPU profile and trace window (default 10). */
  seconds?: number;
  note?: string;
  /** Cold start: wait up to this long for the target to answer first. */
  waitStartSeconds?: number;
}
export const startBundleRequest = obj<StartBundleRequest>({
  targetId: LIVE_ID,
  what: opt(oneOf(BUNDLE_WHATS)),
  seconds: opt(num({ int: true, min: 1, max: 3600 })),
  note: opt(str({ max: 4096 })),
  waitStartSeconds: opt(num({ min: 1, max: 3600 })),
});
export interface StartBundleResult {
  bundleId: string;
}
export const startBundleResult = obj<StartBundleResult>({ bundleId: LIVE_ID });
export interface BundleIdRequest {
  bundleId: string;
}
export const bundleIdRequest = obj<BundleIdRequest>({ bundleId: LIVE_ID });

export const BUNDLE_PART_STATES = [
  'queued',
  'running',
  'storing',
  'done',
  'failed',
  'not-served',
  'cancelled',
] as const;
export interface BundlePartStatus {
  kind: string;
  state: (typeof BUNDLE_PART_STATES)[number];
  elapsedSeconds: number;
  totalSeconds: number | null;
  bytes: number;
  snapshotId: string | null;
  /** Why it failed or is not served. */
  error: string | null;
}
const bundlePartStatus = obj<BundlePartStatus>({
  kind: str({ min: 1, max: 64 }),
  state: oneOf(BUNDLE_PART_STATES),
  elapsedSeconds: num({ min: 0 }),
  totalSeconds: nullable(num({ min: 0 })),
  bytes: num({ int: true, min: 0 }),
  snapshotId: nullable(SNAPSHOT_ID),
  error: nullable(str({ max: 8192 })),
});

export interface BundleWait {
  attempts: number;
  elapsedMs: number;
  timeoutMs: number;
  lastError: string | null;
}

export interface BundleStatus {
  bundleId: string;
  targetId: string;
  what: BundleWhat;
  state: 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';
  name: string;
  /** The library group id of the parts (null while waiting). */
  groupId: string | null;
  /** Cold start: the wait so far; null when not armed. */
  wait: BundleWait | null;
  /** Cold start: milliseconds from the target's first answer to the capture's start. */
  msToCapture: number | null;
  parts: BundlePartStatus[];
  /** Why the whole run failed (the wait timed out, every part failed). */
  error: string | null;
}
export const bundleStatus: Validator<BundleStatus> = obj<BundleStatus>({
  bundleId: LIVE_ID,
  targetId: LIVE_ID,
  what: oneOf(BUNDLE_WHATS),
  state: oneOf(['waiting', 'running', 'done', 'failed', 'cancelled'] as const),
  name: str({ min: 1, max: MAX_NAME_LENGTH }),
  groupId: nullable(LIVE_ID),
  wait: nullable(
    obj<BundleWait>({
      attempts: num({ int: true, min: 0 }),
      elapsedMs: num({ min: 0 }),
      timeoutMs: num({ min: 0 }),
      lastError: nullable(str({ max: 8192 })),
    }),
  ),
  msToCapture: nullable(num({ min: 0 })),
  parts: arr(bundlePartStatus, 32),
  error: nullable(str({ max: 8192 })),
});

// Bundle manifests: what bundle.json in a bundle folder holds, and what the library keeps with
// a bundle's snapshots (library/bundles/<groupId>.json). One shape for the CLI's folders, the
// app's captures, exported and imported folders.

export const BUNDLE_MANIFEST_FORMAT = 'pprof-studio-bundle';
export const BUNDLE_PART_KINDS = [
  'cpu',
  'trace',
  'heap',
  'allocs',
  'goroutine',
  'goroutine-text',
  'mutex',
  'block',
  'threadcreate',
  'goroutineleak',
  'memstats',
] as const;
/**
 * A part of a bundle: a capture kind, or the MemStats block of heap?debug=1. A folder made a
 * bundle may also hold other files (a GC log): their part kind is the snapshot's kind.
 */
export type BundlePartKind = (typeof BUNDLE_PART_KINDS)[number];
export type BundlePartState = (typeof BUNDLE_PART_STATES)[number];

export interface BundlePart {
  kind: string;
  /** The file this part is written to in a bundle folder ("cpu.pb.gz", "trace.out"). */
  file: string;
  state: BundlePartState;
  /** Seconds the part has run, and its own duration (CPU and trace), for progress. */
  elapsedSeconds: number;
  totalSeconds: number | null;
  bytes: number;
  /** The library's snapshot of this part (in a folder's bundle.json: the one it came from). */
  snapshotId: string | null;
  captureId: string | null;
  /** Why it failed or is not served; null otherwise. */
  error: { kind: string; message: string } | null;
}

export interface BundleBuildInfo {
  /** The main binary as the CPU profile's first mapping names it. */
  binary: string | null;
  buildId: string | null;
  /** "go 1.N" from the execution trace header (the trace format's version). */
  traceFormat: string | null;
}

/** runtime.MemStats as heap?debug=1 prints it: numbers, and PauseNs as a list. */
export type BundleMemStats = Record<string, number | number[]>;

export interface BundleManifest {
  format: typeof BUNDLE_MANIFEST_FORMAT;
  version: 1;
  groupId: string;
  name: string;
  note: string;
  /** The target captured; null for a folder of files that says nothing about one. */
  target: { name: string; baseUrl: string } | null;
  /** The CPU profile and trace window, and when the last part finished; null when unknown. */
  window: { seconds: number; start: string; end: string | null } | null;
  finishedAt: string | null;
  build: BundleBuildInfo;
  parts: BundlePart[];
  failures: { kind: string; reason: string }[];
  memStats: BundleMemStats | null;
  /** Cold start: milliseconds from the target's first answer to the bundle's start. */
  coldStart: { firstAnswerAt: string; msToCapture: number } | null;
}

const isoTime = str({
  min: 10,
  max: 40,
  pattern: /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/,
  patternHint: 'must be an ISO 8601 UTC time',
});
const GROUP_ID = str({
  min: 1,
  max: 64,
  pattern: /^[A-Za-z0-9_-]+$/,
  patternHint: 'must be a group id (letters, digits, - and _)',
});
const text = (max: number) => nullable(str({ max }));

const memStatsValue: Validator<number | number[]> = {
  describe: 'number or list of numbers',
  check(value, path) {
    if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
    if (
      Array.isArray(value) &&
      value.length <= 1024 &&
      value.every((x) => typeof x === 'number' && Number.isFinite(x))
    )
      return { ok: true, value: value as number[] };
    return { ok: false, problems: [{ path, message: 'expected a number or a list of numbers' }] };
  },
};

const PART_KIND = str({ min: 1, max: 32, pattern: /^[a-z-]+$/, patternHint: 'must be a kind' });
/** A file name in a bundle folder: one path component, no control characters. */
export const BUNDLE_FILE_NAME = str({
  min: 1,
  max: MAX_NAME_LENGTH,
  // eslint-disable-next-line no-control-regex
  pattern: /^(?!\.\.?$)[^\\/\x00-\x1f]+$/,
  patternHint: 'must be a file name in the folder (no / or \\)',
});

export const bundlePart = obj<BundlePart>({
  kind: PART_KIND,
  file: BUNDLE_FILE_NAME,
  state: oneOf(BUNDLE_PART_STATES),
  elapsedSeconds: num({ min: 0 }),
  totalSeconds: nullable(num({ min: 0 })),
  bytes: num({ int: true, min: 0 }),
  snapshotId: nullable(SNAPSHOT_ID),
  captureId: text(64),
  error: nullable(
    obj<{ kind: string; message: string }>({
      kind: str({ max: 64 }),
      message: str({ max: 8192 }),
    }),
  ),
});

export const bundleManifest: Validator<BundleManifest> = obj<BundleManifest>({
  format: oneOf([BUNDLE_MANIFEST_FORMAT] as const),
  version: num({ int: true, min: 1, max: 1 }) as unknown as Validator<1>,
  groupId: GROUP_ID,
  name: str({ min: 1, max: MAX_NAME_LENGTH }),
  note: str({ max: 4096 }),
  target: nullable(
    obj<{ name: string; baseUrl: string }>({
      name: str({ max: MAX_NAME_LENGTH }),
      baseUrl: str({ max: 8192 }),
    }),
  ),
  window: nullable(
    obj<{ seconds: number; start: string; end: string | null }>({
      seconds: num({ min: 0, max: 3600 }),
      start: isoTime,
      end: nullable(isoTime),
    }),
  ),
  finishedAt: nullable(isoTime),
  build: obj<BundleBuildInfo>({
    binary: text(4096),
    buildId: text(1024),
    traceFormat: text(32),
  }),
  parts: arr(bundlePart, 64),
  failures: arr(
    obj<{ kind: string; reason: string }>({
      kind: PART_KIND,
      reason: str({ max: 8192 }),
    }),
    64,
  ),
  memStats: nullable(record(str({ min: 1, max: 64 }), memStatsValue, 64)),
  coldStart: nullable(
    obj<{ firstAnswerAt: string; msToCapture: number }>({
      firstAnswerAt: isoTime,
      msToCapture: num({ min: 0 }),
    }),
  ),
});

/** A bundle as the library keeps it: its manifest (snapshot ids of this library) and more. */
export interface LibraryBundle {
  manifest: BundleManifest;
  /** The `# runtime.MemStats` block as the target printed it (memstats.txt); null if none. */
  memStatsText: string | null;
  /** How it came: captured here, or imported from a folder (its name). */
  origin: { type: 'capture' } | { type: 'folder'; name: string };
  storedAt: string;
}
export const MAX_MEMSTATS_TEXT = 64 * 1024;
export const libraryBundle: Validator<LibraryBundle> = obj<LibraryBundle>({
  manifest: bundleManifest,
  memStatsText: text(MAX_MEMSTATS_TEXT),
  origin: tagged<LibraryBundle['origin']>('type', {
    capture: obj<{ type: 'capture' }>({ type: oneOf(['capture'] as const) }),
    folder: obj<{ type: 'folder'; name: string }>({
      type: oneOf(['folder'] as const),
      name: str({ min: 1, max: MAX_NAME_LENGTH }),
    }),
  }),
  storedAt: isoTime,
});

export interface GroupIdRequest {
  groupId: string;
}
export const groupIdRequest = obj<GroupIdRequest>({ groupId: GROUP_ID });

/**
 * Makes a bundle of a folder's files. The files themselves arrive first, each through
 * importSnapshot (so uploads keep their byte limits and dedupe); this names what each became.
 * bundle.json and memstats.txt come as text; a folder without bundle.json is a bundle too.
 */
export interface ImportBundleRequest {
  /** The folder's name (a bundle's name when it has no bundle.json). */
  folder: string;
  manifestText: string | null;
  memStatsText: string | null;
  files: {
    file: string;
    /** The snapshot the file became, or null with the reason it was refused. */
    snapshotId: string | null;
    error: string | null;
  }[];
}
export const MAX_MANIFEST_TEXT = 256 * 1024;
export const importBundleRequest = obj<ImportBundleRequest>({
  folder: str({ min: 1, max: MAX_NAME_LENGTH }),
  manifestText: text(MAX_MANIFEST_TEXT),
  memStatsText: text(MAX_MEMSTATS_TEXT),
  files: arr(
    obj<ImportBundleRequest['files'][number]>({
      file: BUNDLE_FILE_NAME,
      snapshotId: nullable(SNAPSHOT_ID),
      error: text(8192),
    }),
    256,
  ),
});

/** The files of a bundle folder as an export writes them (for a browser writing the folder). */
export interface BundleFolderFile {
  file: string;
  /** The library snapshot whose bytes the file holds; null: `text` is the content. */
  snapshotId: string | null;
  text: string | null;
}
export const bundleFolderFile = obj<BundleFolderFile>({
  file: BUNDLE_FILE_NAME,
  snapshotId: nullable(SNAPSHOT_ID),
  text: text(MAX_MANIFEST_TEXT),
});

// The leaked-goroutine count on the live dashboard (goroutineleak, Go 1.27).

export interface LeakCheckRequest {
  targetId: string;
  /**
   * false: only whether the target serves goroutineleak (read from its pprof index, free);
   * true: the leaked count too, which makes the target run a full GC.
   */
  count: boolean;
}
export const leakCheckRequest = obj<LeakCheckRequest>({ targetId: LIVE_ID, count: bool });
export interface LeakCheck {
  targetId: string;
  at: string;
  /** null: not known (no index page to read, or the request failed). */
  served: boolean | null;
  /** Goroutines the last leak-finding GC proved leaked; null when not counted. */
  leaked: number | null;
  /** Why there is no count (not served, the request failed); null otherwise. */
  message: string | null;
}
export const leakCheck = obj<LeakCheck>({
  targetId: LIVE_ID,
  at: isoTime,
  served: nullable(bool),
  leaked: nullable(num({ int: true, min: 0 })),
  message: text(8192),
});

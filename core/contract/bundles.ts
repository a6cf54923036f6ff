// Capture bundles and cold-start capture (issue 15): "capture everything" from a target as one
// group, optionally armed to start the moment a target that is not up yet first answers.
import { LIVE_ID } from './live';
import { MAX_NAME_LENGTH, SNAPSHOT_ID } from './snapshots';
import { arr, nullable, num, obj, oneOf, opt, str, type Validator } from './validate';

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

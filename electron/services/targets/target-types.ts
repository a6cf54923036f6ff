// A live target: the contract's shapes (core/contract/live.ts) plus what the service keeps
// on disk. Secrets are never part of these objects.
import type {
  HeaderEntry,
  Target,
  TargetInput,
  TargetTls,
  TunnelSpec,
} from '../../../core/contract/live';

export type { HeaderEntry, Target, TargetInput, TargetTls, TunnelSpec };

/** Auth as stored in targets.json: the secret itself lives in the SecretStore. */
export type StoredAuth =
  { type: 'none' } | { type: 'bearer' } | { type: 'basic'; username: string };

export interface StoredTarget {
  id: string;
  name: string;
  /** http(s)://host:port, optionally with a path when behind a reverse proxy; no trailing slash. */
  baseUrl: string;
  /** Where the pprof handlers are mounted, default `/debug/pprof`; no trailing slash. */
  pathPrefix: string;
  headers: HeaderEntry[];
  auth: StoredAuth;
  tls: TargetTls;
  /** A fixed request timeout in seconds; null for the default (1.5 × duration, or 60 s). */
  timeoutSeconds: number | null;
  tunnel: TunnelSpec | null;
  /** Captures running at once against this target (default 2). */
  maxConcurrentCaptures: number;
  createdAt: string;
  updatedAt: string;
}

/** The contract's input plus the service's own optional settings. */
export interface TargetSaveInput extends TargetInput {
  maxConcurrentCaptures?: number;
}

/** A target as shown to the UI: the contract's Target plus visible warnings. */
export interface TargetView extends Target {
  maxConcurrentCaptures: number;
  /** e.g. certificate checks are off: show next to the target, never hidden. */
  warnings: string[];
}

export const DEFAULT_PATH_PREFIX = '/debug/pprof';
export const DEFAULT_POLL_SECONDS = 5;
export const DEFAULT_CONCURRENCY = 2;
export const TUNNEL_READY_TIMEOUT_MS = 20_000;

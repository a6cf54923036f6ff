// What each capture kind asks of net/http/pprof (golang/go src/net/http/pprof/pprof.go):
// `profile?seconds=N` for CPU, `trace?seconds=N`, `seconds=N` on the cumulative kinds for a
// server-side delta, `gc=1` on heap, `goroutine?debug=2` for the text dump.
import { CAPTURE_KINDS, type CaptureKind, type CaptureSpec } from '../../../core/contract/live';
import { LiveError } from '../targets/errors';

export { CAPTURE_KINDS };
export type { CaptureKind, CaptureSpec };

export type CaptureFormat = 'pprof' | 'trace' | 'goroutine-text';

export interface CapturePlan {
  kind: CaptureKind;
  /** Path under the pprof prefix. */
  endpoint: string;
  query: Record<string, string>;
  /** How long the server works before answering (CPU/trace duration or delta window). */
  durationSeconds: number | null;
  /** A server-side delta of a cumulative profile. */
  delta: boolean;
  gc: boolean;
  format: CaptureFormat;
}

/** Kinds whose endpoint accepts `seconds=N` as a delta (profileSupportsDelta in Go). */
const deltaKinds = new Set<CaptureKind>([
  'heap',
  'allocs',
  'goroutine',
  'mutex',
  'block',
  'threadcreate',
]);

export const DEFAULT_CPU_SECONDS = 30;
export const DEFAULT_TRACE_SECONDS = 1;
export const MAX_CAPTURE_SECONDS = 3600;

export function isCaptureKind(s: string): s is CaptureKind {
  return (CAPTURE_KINDS as readonly string[]).includes(s);
}

export function planCapture(spec: CaptureSpec): CapturePlan {
  const { kind } = spec;
  if (!isCaptureKind(kind)) throw new LiveError('config', `unknown capture kind '${String(kind)}'`);
  const seconds = spec.seconds;
  if (
    seconds !== undefined &&
    !(Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_CAPTURE_SECONDS)
  ) {
    throw new LiveError(
      'config',
      `seconds must be a whole number from 1 to ${MAX_CAPTURE_SECONDS}, got ${seconds}`,
    );
  }
  if (spec.gc && kind !== 'heap')
    throw new LiveError('config', 'gc=1 applies to heap captures only');
  if (spec.gc && seconds !== undefined)
    throw new LiveError('config', 'gc=1 cannot be combined with a delta (seconds) heap capture');
  switch (kind) {
    case 'cpu': {
      const s = seconds ?? DEFAULT_CPU_SECONDS;
      return {
        kind,
        endpoint: 'profile',
        query: { seconds: String(s) },
        durationSeconds: s,
        delta: false,
        gc: false,
        format: 'pprof',
      };
    }
    case 'trace': {
      const s = seconds ?? DEFAULT_TRACE_SECONDS;
      return {
        kind,
        endpoint: 'trace',
        query: { seconds: String(s) },
        durationSeconds: s,
        delta: false,
        gc: false,
        format: 'trace',
      };
    }
    case 'goroutine-text':
      if (seconds !== undefined)
        throw new LiveError(
          'config',
          'the goroutine text dump (debug=2) cannot be a delta: Go refuses seconds with debug',
        );
      return {
        kind,
        endpoint: 'goroutine',
        query: { debug: '2' },
        durationSeconds: null,
        delta: false,
        gc: false,
        format: 'goroutine-text',
      };
    case 'goroutineleak':
      // Served by every Go 1.27 program and by Go 1.26 built with
      // GOEXPERIMENT=goroutineleakprofile; each request runs a leak-finding GC cycle, so a
      // delta over a window means nothing here.
      if (seconds !== undefined)
        throw new LiveError('config', 'a goroutineleak capture cannot be a delta (seconds)');
      return {
        kind,
        endpoint: 'goroutineleak',
        query: {},
        durationSeconds: null,
        delta: false,
        gc: false,
        format: 'pprof',
      };
    default: {
      if (!deltaKinds.has(kind)) throw new LiveError('config', `unknown capture kind '${kind}'`);
      const query: Record<string, string> = {};
      if (seconds !== undefined) query.seconds = String(seconds);
      if (spec.gc) query.gc = '1';
      return {
        kind,
        endpoint: kind,
        query,
        durationSeconds: seconds ?? null,
        delta: seconds !== undefined,
        gc: spec.gc === true,
        format: 'pprof',
      };
    }
  }
}

/** A file name for a capture, like pprof's `pprof.<kind>.<time>.pb.gz`. */
export function captureFileName(plan: CapturePlan, at: Date, host: string): string {
  const stamp = at
    .toISOString()
    .replace(/[:-]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const safeHost = host.replace(/[^A-Za-z0-9_.-]/g, '_');
  const what =
    plan.kind === 'goroutine-text'
      ? 'goroutine-debug2'
      : plan.delta
        ? `${plan.kind}-delta${plan.durationSeconds}s`
        : plan.kind;
  const ext =
    plan.format === 'trace' ? 'trace' : plan.format === 'goroutine-text' ? 'txt' : 'pb.gz';
  return `${safeHost}.${what}.${stamp}.${ext}`;
}

/**
 * The name a capture is listed under: the target's name, what was captured and the local
 * time it started, e.g. "orders (production) · cpu 30 s · 14:53".
 */
export function captureDisplayName(plan: CapturePlan, at: Date, targetName: string): string {
  const s = plan.durationSeconds;
  const what =
    plan.kind === 'goroutine-text'
      ? 'goroutine dump'
      : plan.kind === 'cpu' || plan.kind === 'trace'
        ? `${plan.kind} ${s} s`
        : plan.delta
          ? `${plan.kind} Δ${s} s`
          : plan.gc
            ? `${plan.kind} after GC`
            : plan.kind;
  const hh = String(at.getHours()).padStart(2, '0');
  const mm = String(at.getMinutes()).padStart(2, '0');
  return `${targetName} · ${what} · ${hh}:${mm}`;
}

// Capture bundles: "capture everything" from one target as one group. A CPU profile and an
// execution trace run over the same N seconds at once (so the trace carries CPU samples),
// then heap, allocs, the goroutine profile and its debug=2 dump, mutex, block, threadcreate
// and goroutineleak (where the Go version serves it), and the heap profile's MemStats block.
// Every profile goes through the capture service (its limiter, validation and sink), so the
// app and the CLI store bundles exactly as single captures. A failed part is listed with its
// reason; the others are kept.
import { randomUUID } from 'node:crypto';
import {
  BUNDLE_PART_KINDS,
  type BundleBuildInfo,
  type BundleManifest,
  type BundleMemStats,
  type BundlePart,
  type BundlePartKind,
} from '../../../core/contract/bundles';
import { decodeProfile } from '../../../core/pprof/decode';
import { parseHeader } from '../../../core/trace/header';
import { parseMemStats, type MemStats } from '../poll/memstats';
import { endpointUrl, requestTimeoutMs } from '../targets/connection';
import { asLiveError, LiveError } from '../targets/errors';
import { describeUrl, httpGet } from '../targets/http-client';
import type {
  CaptureOutcome,
  CaptureProgress,
  CaptureService,
  CaptureTarget,
} from './capture-service';
import { stepKey } from './recipes';
import { responseError } from './response';
import type { CaptureKind, CaptureSpec } from './kinds';

export type {
  BundleBuildInfo,
  BundleManifest,
  BundlePart,
  BundlePartKind,
  BundlePartState,
} from '../../../core/contract/bundles';

/** A bundle captured here: it always names its target and window. */
export type CapturedManifest = BundleManifest & {
  target: NonNullable<BundleManifest['target']>;
  window: NonNullable<BundleManifest['window']>;
};

export const BUNDLE_FILES: Record<BundlePartKind, string> = {
  cpu: 'cpu.pb.gz',
  trace: 'trace.out',
  heap: 'heap.pb.gz',
  allocs: 'allocs.pb.gz',
  goroutine: 'goroutine.pb.gz',
  'goroutine-text': 'goroutine-debug2.txt',
  mutex: 'mutex.pb.gz',
  block: 'block.pb.gz',
  threadcreate: 'threadcreate.pb.gz',
  goroutineleak: 'goroutineleak.pb.gz',
  memstats: 'memstats.txt',
};

export const BUNDLE_MANIFEST_FILE = 'bundle.json';

/** Captured after the CPU/trace window, in this order. */
const AFTER_WINDOW = BUNDLE_PART_KINDS.filter(
  (k): k is CaptureKind => k !== 'cpu' && k !== 'trace' && k !== 'memstats',
);

export const DEFAULT_BUNDLE_SECONDS = 10;

export interface BundleOptions {
  seconds?: number;
  name?: string;
  note?: string;
  signal?: AbortSignal;
  /** Called on every part's change with the whole manifest (a copy). */
  onProgress?: (m: CapturedManifest) => void;
  /** Receives the raw MemStats block (heap?debug=1 from `# runtime.MemStats` on). */
  onMemStatsText?: (text: string) => Promise<void>;
  coldStart?: BundleManifest['coldStart'];
  now?: () => Date;
}

function emptyPart(kind: BundlePartKind, totalSeconds: number | null): BundlePart {
  return {
    kind,
    file: BUNDLE_FILES[kind],
    state: 'queued',
    elapsedSeconds: 0,
    totalSeconds,
    bytes: 0,
    snapshotId: null,
    captureId: null,
    error: null,
  };
}

/** Main binary and build id from a CPU profile; nulls when it has no mapping. */
export function buildInfoFromProfile(
  bytes: Uint8Array,
): Pick<BundleBuildInfo, 'binary' | 'buildId'> {
  try {
    const p = decodeProfile(bytes);
    if (p.mappings.length === 0) return { binary: null, buildId: null };
    const s = (i: number): string | null => (i > 0 ? (p.strings[i] ?? null) : null);
    return { binary: s(p.mappings.filename[0]), buildId: s(p.mappings.buildId[0]) };
  } catch {
    return { binary: null, buildId: null };
  }
}

/** The MemStats comment block heap?debug=1 ends with, or null. */
export function memStatsBlock(text: string): string | null {
  const i = text.indexOf('# runtime.MemStats');
  return i < 0 ? null : text.slice(i).trimEnd() + '\n';
}

/**
 * Runs a bundle. Never rejects for a part's failure: the manifest lists it. Rejects only
 * for bad options (a 'config' LiveError). Cancel through `signal`: running parts stop,
 * parts not started are marked cancelled, and nothing more is stored.
 */
export async function runBundle(
  service: CaptureService,
  target: CaptureTarget,
  opts: BundleOptions = {},
): Promise<CapturedManifest> {
  const seconds = opts.seconds ?? DEFAULT_BUNDLE_SECONDS;
  // Validates seconds the way single captures do.
  stepKey({ kind: 'cpu', seconds });
  const now = opts.now ?? (() => new Date());
  const started = now();
  const groupId = randomUUID();
  const name = opts.name ?? `${target.name} · bundle ${seconds} s`;
  const m: CapturedManifest = {
    format: 'pprof-studio-bundle',
    version: 1,
    groupId,
    name,
    note: opts.note ?? '',
    target: { name: target.name, baseUrl: target.baseUrl },
    window: { seconds, start: started.toISOString(), end: null },
    finishedAt: null,
    build: { binary: null, buildId: null, traceFormat: null },
    parts: [
      emptyPart('cpu', seconds),
      emptyPart('trace', seconds),
      ...AFTER_WINDOW.map((k) => emptyPart(k, null)),
      emptyPart('memstats', null),
    ],
    failures: [],
    memStats: null,
    coldStart: opts.coldStart ?? null,
  };
  const signal = opts.signal;
  const byCapture = new Map<string, BundlePart>();
  const report = (): void => {
    if (opts.onProgress) opts.onProgress(structuredClone(m));
  };
  const off = service.on((s: CaptureProgress) => {
    const part = byCapture.get(s.captureId);
    if (!part || part.state === 'done' || part.state === 'failed') return;
    if (s.state === 'queued' || s.state === 'running' || s.state === 'storing') {
      part.state = s.state;
      part.elapsedSeconds = s.elapsedSeconds;
      part.bytes = s.bytes;
      report();
    }
  });
  // The CPU profile and the trace need two slots at once.
  const t: CaptureTarget = {
    ...target,
    maxConcurrentCaptures: Math.max(2, target.maxConcurrentCaptures),
  };
  const part = (kind: BundlePartKind): BundlePart => m.parts.find((p) => p.kind === kind)!;
  const settle = (p: BundlePart, err: unknown): void => {
    const e = signal?.aborted
      ? new LiveError('cancelled', 'the bundle was cancelled')
      : asLiveError(err);
    p.state =
      e.kind === 'cancelled' ? 'cancelled' : e.kind === 'not-served' ? 'not-served' : 'failed';
    p.error = { kind: e.kind, message: e.message };
    report();
  };
  const capture = async (spec: CaptureSpec): Promise<CaptureOutcome | null> => {
    const p = part(spec.kind);
    if (signal?.aborted) {
      settle(p, new LiveError('cancelled', 'cancelled'));
      return null;
    }
    let captureId: string | undefined;
    const onAbort = (): void => {
      if (captureId) service.cancel(captureId);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const run = service.start(t, {
        ...spec,
        groupId,
        group: name,
        stepKey: spec.kind,
        note: m.note,
      });
      captureId = run.captureId;
      p.captureId = captureId;
      byCapture.set(captureId, p);
      const o = await run.done;
      p.state = 'done';
      p.snapshotId = o.snapshotId;
      p.bytes = o.meta.size;
      if (p.totalSeconds !== null) p.elapsedSeconds = p.totalSeconds;
      report();
      return o;
    } catch (err) {
      settle(p, err);
      return null;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };
  try {
    report();
    const [cpu, trace] = await Promise.all([
      capture({ kind: 'cpu', seconds }),
      capture({ kind: 'trace', seconds }),
    ]);
    if (cpu) Object.assign(m.build, buildInfoFromProfile(cpu.body));
    if (trace) {
      try {
        m.build.traceFormat = `go ${parseHeader(trace.body).goVersion}`;
      } catch {
        // validated already; a header that does not parse leaves the field null
      }
    }
    // A cancelled window never completed: it has no end.
    m.window.end = signal?.aborted ? null : now().toISOString();
    await Promise.all([
      ...AFTER_WINDOW.map((kind) => capture({ kind })),
      fetchMemStats(t, part('memstats'), signal, opts.onMemStatsText).then(
        (ms) => {
          m.memStats = ms as BundleMemStats;
          report();
        },
        (err: unknown) => settle(part('memstats'), err),
      ),
    ]);
  } finally {
    off();
  }
  m.finishedAt = now().toISOString();
  m.failures = m.parts
    .filter((p) => p.state === 'failed' || p.state === 'cancelled')
    .map((p) => ({ kind: p.kind, reason: p.error?.message ?? p.state }));
  report();
  return m;
}

async function fetchMemStats(
  target: CaptureTarget,
  p: BundlePart,
  signal: AbortSignal | undefined,
  sink: BundleOptions['onMemStatsText'],
): Promise<MemStats> {
  if (signal?.aborted) throw new LiveError('cancelled', 'cancelled');
  p.state = 'running';
  const url = endpointUrl(target.connection, 'heap', { debug: 1 });
  const res = await httpGet(url, target.connection.conn, {
    timeoutMs: requestTimeoutMs(target.connection.timeoutSeconds, undefined),
    maxBytes: 64 * 1024 * 1024,
    signal,
  });
  if (res.status !== 200) throw responseError(res, describeUrl(url));
  const block = memStatsBlock(res.body.toString('utf8'));
  const ms = block ? parseMemStats(block) : null;
  if (!block || !ms)
    throw new LiveError(
      'invalid-body',
      `${describeUrl(url)} has no # runtime.MemStats block: is this a Go heap profile?`,
    );
  if (sink) await sink(block);
  p.state = 'done';
  p.bytes = Buffer.byteLength(block);
  return ms;
}

/** One line per part that failed, for the CLI and logs. */
export function bundleWarnings(m: BundleManifest): string[] {
  return m.parts
    .filter((p) => p.state !== 'done')
    .map((p) => `${p.kind}: ${p.state}: ${p.error?.message ?? p.state}`);
}

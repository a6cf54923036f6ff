// The Timeline tab's trace: its Worker (kept while the trace stays selected, so switching tabs
// does not parse it again), load state, and the view options kept across tab switches. The
// model and every index stay in the Worker; this store holds only small summaries. It also
// owns the profile Workers of the profiles shown (Profiles and CPU samples panels).
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { SnapshotMeta } from '../../../core/contract';
import { snapshotBytesUrl, useApi } from '../api';
import { ProfileWorker } from '../worker/client';
import { TraceWorker, TraceWorkerFailure } from '../worker/trace-client';
import type {
  AnalysisBy,
  AnalysisSort,
  LaneMode,
  OpenRequest,
  TraceInfo,
} from '../worker/trace-protocol';
import { useProfileStore } from './profile';

export function isTrace(meta: SnapshotMeta): boolean {
  return meta.kind === 'trace' || meta.format === 'go-trace';
}

/** Why the Timeline tab cannot show a snapshot, or null when it can. */
export function timelineUnavailable(meta: SnapshotMeta | null): string | null {
  return meta === null || isTrace(meta) ? null : `${meta.name} is not an execution trace`;
}

/**
 * What the Worker opens: a URL it streams the bytes from when the transport has one (serve
 * mode, and the app's app:// protocol), so the file is never held in one piece; otherwise the
 * bytes, read here in one piece and transferred.
 */
export async function traceOpenRequest(
  meta: SnapshotMeta,
): Promise<{ open: OpenRequest } | { error: { kind: string; message: string } }> {
  const url = snapshotBytesUrl(meta.id);
  if (url !== null) return { open: { url, size: meta.size } };
  const r = await useApi().readSnapshotBytes({ id: meta.id });
  if (!r.ok)
    return {
      error: { kind: r.error.kind, message: `Could not read the snapshot: ${r.error.message}` },
    };
  const bytes = r.value;
  const buf =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.slice().buffer as ArrayBuffer);
  return { open: { bytes: buf } };
}

export type TimelineStatus = 'idle' | 'loading' | 'ready' | 'error';
export type TimelinePanel =
  'goroutines' | 'functions' | 'latency' | 'profiles' | 'tasks' | 'gc' | 'cpu';
/** The panels that show a profile built from the trace in a profile Worker. */
export type TraceProfilePanel = 'profiles' | 'cpu';

export const useTimelineStore = defineStore('timeline', () => {
  const snapshotId = ref<string | null>(null);
  const status = ref<TimelineStatus>('idle');
  const phase = ref('');
  const progress = ref(0);
  const error = shallowRef<{ kind: string; message: string } | null>(null);
  const info = shallowRef<TraceInfo | null>(null);
  /** Bumped whenever a trace is ready: views reload on it. */
  const generation = ref(0);

  // View options, kept across tab switches.
  const filter = ref('');
  const panel = ref<TimelinePanel>('goroutines');
  /** Lanes by goroutine (with P lanes) or by thread (M). */
  const laneMode = ref<LaneMode>('goroutines');
  const sortBy = ref<Record<AnalysisBy, { sort: AnalysisSort; desc: boolean }>>({
    goroutine: { sort: 'exec', desc: true },
    function: { sort: 'exec', desc: true },
  });
  /** The window and scroll position, per trace, restored when the tab comes back. */
  const view = shallowRef<{ id: string; t0: number; t1: number; scrollTop: number } | null>(null);

  // Not reactive on purpose: a Worker handle is not data.
  let worker: TraceWorker | null = null;
  let seq = 0;

  function client(): TraceWorker | null {
    return worker;
  }

  // The profile Workers of the profiles the panels show (built from the trace): one per panel
  // (the blocking profile, the CPU samples of the visible window), each one at a time.
  const profileWorkers = new Map<TraceProfilePanel, ProfileWorker>();

  /** A new profile Worker for a panel's profile; that panel's previous one closes. */
  function profileWorker(panel: TraceProfilePanel): ProfileWorker {
    closeProfileWorker(panel);
    const w = new ProfileWorker();
    profileWorkers.set(panel, w);
    return w;
  }

  function closeProfileWorker(panel: TraceProfilePanel): void {
    profileWorkers.get(panel)?.close();
    profileWorkers.delete(panel);
  }

  function close(): void {
    seq++;
    worker?.close();
    worker = null;
    for (const panel of [...profileWorkers.keys()]) closeProfileWorker(panel);
    snapshotId.value = null;
    info.value = null;
    error.value = null;
    status.value = 'idle';
    view.value = null;
  }

  /** Opens the trace unless it is already open (or opening). */
  async function open(meta: SnapshotMeta): Promise<void> {
    if (snapshotId.value === meta.id && status.value !== 'error') return;
    close();
    const my = ++seq;
    snapshotId.value = meta.id;
    filter.value = '';
    laneMode.value = 'goroutines';
    status.value = 'loading';
    phase.value = 'reading';
    progress.value = 0;
    const req = await traceOpenRequest(meta);
    if (my !== seq) return;
    if ('error' in req) {
      status.value = 'error';
      error.value = req.error;
      return;
    }
    // The bench measures from here to the first timeline paint: bytes available (or, when
    // streamed, the request sent: the download then overlaps the parse).
    performance.mark('pprof-studio:trace-bytes');
    const w = new TraceWorker();
    worker = w;
    try {
      const transfer = 'bytes' in req.open ? [req.open.bytes] : [];
      const i = await w.call('open', req.open, transfer, (ph, done, total) => {
        if (my !== seq) return;
        phase.value = ph;
        progress.value = total > 0 ? done / total : 0;
      });
      if (my !== seq) return;
      performance.mark('pprof-studio:trace-parsed');
      info.value = i;
      status.value = 'ready';
      generation.value++;
    } catch (e) {
      if (my !== seq) return;
      status.value = 'error';
      error.value =
        e instanceof TraceWorkerFailure
          ? { kind: e.kind, message: e.message }
          : { kind: 'internal', message: String(e) };
      worker?.close();
      worker = null;
    }
  }

  // A different snapshot selected: free the trace's memory.
  const profile = useProfileStore();
  watch(
    () => profile.snapshot,
    (m) => {
      if (snapshotId.value !== null && m?.id !== snapshotId.value) close();
    },
  );

  return {
    snapshotId,
    status,
    phase,
    progress,
    error,
    info,
    generation,
    filter,
    panel,
    laneMode,
    sortBy,
    view,
    client,
    profileWorker,
    closeProfileWorker,
    open,
    close,
  };
});

// Where captured and watched bytes go: the snapshot library satisfies this (an adapter maps
// the metadata onto its import call). Kept small so the services do not depend on the
// library's internals.
import type { CaptureKind } from '../../../core/contract/live';
import type { CaptureFormat } from './kinds';

export interface CaptureMeta {
  source: { type: 'capture'; url: string };
  /** Suggested file name, e.g. `127.0.0.1_6060.cpu.20260101T120000Z.pb.gz`. */
  fileName: string;
  /** The name it is listed under, e.g. "orders (production) · cpu 30 s · 14:53". */
  name: string;
  kind: CaptureKind;
  format: CaptureFormat;
  target: { id: string | null; name: string; baseUrl: string };
  /** When the request was sent (ISO 8601 UTC). */
  capturedAt: string;
  /** The requested duration (CPU/trace) or delta window, in seconds; null for instant kinds. */
  seconds: number | null;
  /** A server-side delta of a cumulative profile (`seconds=N` on heap/allocs/...). */
  delta: boolean;
  /** heap with gc=1. */
  gc: boolean;
  size: number;
  sha256: string;
  /** Recipe group: a unique id per run and the user's name for it ("before"). */
  groupId: string | null;
  group: string | null;
  /** Identifies the recipe step so two runs of a recipe pair up kind by kind. */
  stepKey: string | null;
  /** The snapshot's note (a bundle's note, on every part). */
  note?: string;
}

export interface WatchMeta {
  source: { type: 'watch'; path: string };
  fileName: string;
  size: number;
  sha256: string;
  /** File modification time (ISO 8601 UTC). */
  modifiedAt: string;
}

export type SinkMeta = CaptureMeta | WatchMeta;

export interface SinkResult {
  id: string;
  /** added: stored now; duplicate: identical bytes were already stored (nothing written). */
  outcome: 'added' | 'duplicate' | 'restored';
}

export interface SnapshotSink {
  import(bytes: Uint8Array, meta: SinkMeta): Promise<SinkResult>;
}

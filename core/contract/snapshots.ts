// Snapshot library types and their validators.
import {
  arr,
  bool,
  bytes,
  nullable,
  num,
  obj,
  oneOf,
  opt,
  str,
  tagged,
  type Validator,
} from './validate';

/** Largest snapshot accepted by import (and by serve mode's upload body limit). */
export const MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024;
export const MAX_NAME_LENGTH = 256;
export const MAX_NOTE_LENGTH = 10_000;
export const MAX_PATH_LENGTH = 4096;

export const SNAPSHOT_KINDS = [
  'cpu',
  'heap',
  'allocs',
  'goroutine',
  'mutex',
  'block',
  'threadcreate',
  'trace',
  'goroutine-text',
  'gc-log',
  'unknown',
] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/** How the bytes are encoded on disk (they are stored untouched). */
export const SNAPSHOT_FORMATS = [
  'pprof-gzip',
  'pprof',
  'go-trace',
  'goroutine-text',
  /** Log text with GODEBUG=gctrace=1 lines (core/gctrace). */
  'gc-log',
] as const;
export type SnapshotFormat = (typeof SNAPSHOT_FORMATS)[number];

export interface ValueTypeInfo {
  type: string;
  unit: string;
}

/** Where the bytes came from. */
export type SnapshotSource =
  /** Opened from disk in the app: dialog, command line, OS "open with", recent files. */
  | { type: 'file'; path: string }
  /** Sent by the renderer: drag and drop or a file chooser (the path is not known). */
  | { type: 'upload' }
  /** Captured from a live target. */
  | { type: 'capture'; url: string }
  /** Imported by a watched folder (live-targets work). */
  | { type: 'watch'; path: string }
  /** Shipped with the app in resources/demo and seeded on first run. */
  | { type: 'demo'; file: string };

export interface SnapshotTarget {
  /** The target's id in the targets list, null when it was deleted or never saved. */
  id: string | null;
  name: string;
  baseUrl: string;
}

export interface SnapshotMeta {
  id: string;
  /** Display name; starts as the imported file name, changed by rename. */
  name: string;
  /** The file name the bytes arrived with. */
  fileName: string;
  kind: SnapshotKind;
  format: SnapshotFormat;
  source: SnapshotSource;
  target: SnapshotTarget | null;
  /** When the library stored it (ISO 8601). */
  createdAt: string;
  /** The profile's own time (pprof time_nanos) or the capture time; null when unknown. */
  capturedAt: string | null;
  /** pprof sample types in file order; empty for traces and text dumps. */
  sampleTypes: ValueTypeInfo[];
  /** pprof default_sample_type, '' when unset. */
  defaultSampleType: string;
  periodType: ValueTypeInfo | null;
  period: number;
  /** pprof duration_nanos, or the capture's seconds; null when unknown. */
  durationNanos: number | null;
  /** Go version named in a trace header ("go 1.23"); null otherwise. */
  goVersion: string | null;
  size: number;
  /** Lower-case hex sha256 of the bytes. */
  sha256: string;
  note: string;
  /** Capture-recipe group name, null when not part of a group. */
  group: string | null;
  /** Live captures only: the recipe run's id (null for a single capture). */
  groupId?: string | null;
  /** Live captures only: the recipe step ('cpu:30s', 'allocs:delta30s') pairing two runs. */
  stepKey?: string | null;
  /** Live captures only: a server-side delta (`seconds=N` on a cumulative kind). */
  delta?: boolean;
  /** Live captures only: the requested duration or delta window in seconds. */
  seconds?: number | null;
  /** pprof profiles: how many samples it holds (0: empty); absent or null when not known. */
  sampleCount?: number | null;
  /**
   * Why the bytes are damaged (cut short or corrupt), when they start as a profile or trace but
   * do not decode to the end. Stored anyway, so nothing the user had is lost; absent or null: whole.
   */
  damaged?: string | null;
  /** When it was moved to the trash; null while in the library. */
  trashedAt: string | null;
}

export const SNAPSHOT_ID = str({
  min: 1,
  max: 64,
  pattern: /^[A-Za-z0-9_-]+$/,
  patternHint: 'must be a snapshot id (letters, digits, - and _)',
});
const name = str({ min: 1, max: MAX_NAME_LENGTH });
const path = str({ min: 1, max: MAX_PATH_LENGTH });
const isoTime = str({
  min: 10,
  max: 40,
  pattern: /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/,
  patternHint: 'must be an ISO 8601 UTC time',
});

export const valueTypeInfo: Validator<ValueTypeInfo> = obj<ValueTypeInfo>({
  type: str({ max: 1024 }),
  unit: str({ max: 1024 }),
});

export const snapshotSource: Validator<SnapshotSource> = tagged<SnapshotSource>('type', {
  file: obj<{ type: 'file'; path: string }>({ type: oneOf(['file'] as const), path }),
  upload: obj<{ type: 'upload' }>({ type: oneOf(['upload'] as const) }),
  capture: obj<{ type: 'capture'; url: string }>({
    type: oneOf(['capture'] as const),
    url: str({ min: 1, max: 8192 }),
  }),
  watch: obj<{ type: 'watch'; path: string }>({ type: oneOf(['watch'] as const), path }),
  demo: obj<{ type: 'demo'; file: string }>({ type: oneOf(['demo'] as const), file: name }),
});

export const snapshotTarget: Validator<SnapshotTarget> = obj<SnapshotTarget>({
  id: nullable(str({ min: 1, max: 64 })),
  name: str({ max: MAX_NAME_LENGTH }),
  baseUrl: str({ max: 8192 }),
});

export const snapshotMeta: Validator<SnapshotMeta> = obj<SnapshotMeta>({
  id: SNAPSHOT_ID,
  name,
  fileName: name,
  kind: oneOf(SNAPSHOT_KINDS),
  format: oneOf(SNAPSHOT_FORMATS),
  source: snapshotSource,
  target: nullable(snapshotTarget),
  createdAt: isoTime,
  capturedAt: nullable(isoTime),
  sampleTypes: arr(valueTypeInfo, 64),
  defaultSampleType: str({ max: 1024 }),
  periodType: nullable(valueTypeInfo),
  period: num(),
  durationNanos: nullable(num({ min: 0 })),
  goVersion: nullable(str({ max: 32 })),
  size: num({ int: true, min: 0 }),
  sha256: str({ min: 64, max: 64, pattern: /^[0-9a-f]{64}$/, patternHint: 'must be hex sha256' }),
  note: str({ max: MAX_NOTE_LENGTH }),
  group: nullable(str({ min: 1, max: MAX_NAME_LENGTH })),
  groupId: opt(nullable(str({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ }))),
  stepKey: opt(nullable(str({ min: 1, max: 128 }))),
  delta: opt(bool),
  seconds: opt(nullable(num({ int: true, min: 1, max: 3600 }))),
  sampleCount: opt(nullable(num({ int: true, min: 0 }))),
  damaged: opt(nullable(str({ min: 1, max: 1024 }))),
  trashedAt: nullable(isoTime),
});

// Requests and responses.

export interface IdRequest {
  id: string;
}
export const idRequest = obj<IdRequest>({ id: SNAPSHOT_ID });

export interface ListSnapshotsRequest {
  /** true: list the trash instead of the library. */
  trashed?: boolean;
}
export const listSnapshotsRequest = obj<ListSnapshotsRequest>({ trashed: opt(bool) });

export interface ImportSnapshotRequest {
  /** The file name the bytes came with (used as the display name and for the extension). */
  name: string;
  bytes: Uint8Array;
  note?: string;
  group?: string;
}
export const importSnapshotRequest = obj<ImportSnapshotRequest>({
  name,
  bytes: bytes(MAX_SNAPSHOT_BYTES),
  note: opt(str({ max: MAX_NOTE_LENGTH })),
  group: opt(str({ min: 1, max: MAX_NAME_LENGTH })),
});

export interface ImportSnapshotResult {
  snapshot: SnapshotMeta;
  /**
   * added: stored now; duplicate: identical bytes were already in the library (that entry is
   * returned, nothing stored); restored: identical bytes were in the trash and moved back.
   */
  outcome: 'added' | 'duplicate' | 'restored';
}
export const importSnapshotResult = obj<ImportSnapshotResult>({
  snapshot: snapshotMeta,
  outcome: oneOf(['added', 'duplicate', 'restored'] as const),
});

export interface RenameSnapshotRequest {
  id: string;
  name: string;
}
export const renameSnapshotRequest = obj<RenameSnapshotRequest>({ id: SNAPSHOT_ID, name });

export interface SetSnapshotNoteRequest {
  id: string;
  note: string;
}
export const setSnapshotNoteRequest = obj<SetSnapshotNoteRequest>({
  id: SNAPSHOT_ID,
  note: str({ max: MAX_NOTE_LENGTH }),
});

export interface DeleteSnapshotResult {
  id: string;
}
export const deleteSnapshotResult = obj<DeleteSnapshotResult>({ id: SNAPSHOT_ID });

export interface ExportSnapshotRequest {
  /**
   * The app asks where to save with its own save dialog (main process); there is no path in
   * the request, so no caller can write a file of its choosing. Serve mode answers
   * 'unsupported': browsers download GET /api/snapshots/<id>/bytes?download=1 instead.
   */
  id: string;
}
export const exportSnapshotRequest = obj<ExportSnapshotRequest>({
  id: SNAPSHOT_ID,
});

export interface ExportSnapshotResult {
  /** Where the bytes were written; null when the user cancelled the save dialog. */
  path: string | null;
}
export const exportSnapshotResult = obj<ExportSnapshotResult>({ path: nullable(path) });

export interface LibraryProblem {
  /** File name inside the library folder (or its trash). */
  file: string;
  /** Why it was skipped, in words a user can act on. Files are never deleted. */
  reason: string;
}
export const libraryProblem = obj<LibraryProblem>({
  file: str({ max: MAX_PATH_LENGTH }),
  reason: str({ max: 4096 }),
});

export interface LibraryInfo {
  /** Absolute path of the library folder. */
  dir: string;
  snapshotCount: number;
  trashCount: number;
  /** Bytes of the snapshots in the library (trash excluded). */
  totalBytes: number;
  /** Files that were skipped by the last scan, with reasons. */
  problems: LibraryProblem[];
}
export const libraryInfo = obj<LibraryInfo>({
  dir: str({ max: MAX_PATH_LENGTH }),
  snapshotCount: num({ int: true, min: 0 }),
  trashCount: num({ int: true, min: 0 }),
  totalBytes: num({ int: true, min: 0 }),
  problems: arr(libraryProblem),
});

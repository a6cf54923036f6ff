// The Api the renderer talks to. Two transports implement it: the preload (IPC, exposed as
// `window.pprofStudio`) and createHttpApi (serve mode). Every method resolves to a Result:
// errors are values, never exceptions.
import type {
  BundleFolderFile,
  BundleIdRequest,
  BundleStatus,
  GroupIdRequest,
  ImportBundleRequest,
  LeakCheck,
  LeakCheckRequest,
  LibraryBundle,
  StartBundleRequest,
  StartBundleResult,
} from './bundles';
import type { ApiEvents, EventName } from './events';
import type {
  AddWatchFolderRequest,
  CancelCaptureRequest,
  CancelRecipeRequest,
  CancelRecipeResult,
  CaptureRecipe,
  CaptureStatus,
  LiveIdRequest,
  MetricsSample,
  ProbeResult,
  SaveRecipeRequest,
  SaveTargetRequest,
  StartCaptureRequest,
  StartCaptureResult,
  StartRecipeRequest,
  StartRecipeResult,
  Target,
  TargetStatus,
  TunnelOutput,
  WatchFolder,
} from './live';
import type { OperationName, RequestOf, ResponseOf } from './operations';
import type { Result } from './result';
import type { AppInfo, Settings, SettingsPatch } from './settings';
import type { ReadSourceRequest, SourceResult, SourceSettings, SourceSettingsInfo } from './source';
import type {
  DeleteSnapshotResult,
  ExportSnapshotRequest,
  ExportSnapshotResult,
  IdRequest,
  ImportSnapshotRequest,
  ImportSnapshotResult,
  LibraryInfo,
  ListSnapshotsRequest,
  RenameSnapshotRequest,
  SetSnapshotNoteRequest,
  SnapshotMeta,
} from './snapshots';

export type Unsubscribe = () => void;
export type Listener<E extends EventName> = (payload: ApiEvents[E]) => void;

export interface Api {
  appInfo(): Promise<Result<AppInfo>>;
  getSettings(): Promise<Result<Settings>>;
  updateSettings(patch?: SettingsPatch): Promise<Result<Settings>>;

  libraryInfo(): Promise<Result<LibraryInfo>>;
  /** Scans the folder again (files added or removed by hand); emits library.changed. */
  rescanLibrary(): Promise<Result<LibraryInfo>>;
  /** Newest first. */
  listSnapshots(req?: ListSnapshotsRequest): Promise<Result<SnapshotMeta[]>>;
  getSnapshot(req: IdRequest): Promise<Result<SnapshotMeta>>;
  /** The stored bytes, untouched (gzip or not); checked against the recorded sha256. */
  readSnapshotBytes(req: IdRequest): Promise<Result<Uint8Array>>;
  importSnapshot(req: ImportSnapshotRequest): Promise<Result<ImportSnapshotResult>>;
  renameSnapshot(req: RenameSnapshotRequest): Promise<Result<SnapshotMeta>>;
  setSnapshotNote(req: SetSnapshotNoteRequest): Promise<Result<SnapshotMeta>>;
  /** Moves to the trash (restorable). */
  deleteSnapshot(req: IdRequest): Promise<Result<DeleteSnapshotResult>>;
  restoreSnapshot(req: IdRequest): Promise<Result<SnapshotMeta>>;
  exportSnapshot(req: ExportSnapshotRequest): Promise<Result<ExportSnapshotResult>>;

  /**
   * A source file the snapshot's profile names, found through the source settings; a
   * not-found answer lists every place tried. Only files under a root are ever read.
   */
  readSource(req: ReadSourceRequest): Promise<Result<SourceResult>>;
  getSourceSettings(): Promise<Result<SourceSettingsInfo>>;
  setSourceSettings(req: SourceSettings): Promise<Result<SourceSettingsInfo>>;

  // Live targets, captures and watched folders.
  listTargets(): Promise<Result<Target[]>>;
  saveTarget(req: SaveTargetRequest): Promise<Result<Target>>;
  deleteTarget(req: LiveIdRequest): Promise<Result<LiveIdRequest>>;
  connectTarget(req: LiveIdRequest): Promise<Result<TargetStatus>>;
  disconnectTarget(req: LiveIdRequest): Promise<Result<TargetStatus>>;
  /**
   * Confirms the target's tunnel command to run (remembered by the command's hash): the app
   * asks in a main-process dialog; in serve mode the browser asks before calling this.
   */
  confirmTunnel(req: LiveIdRequest): Promise<Result<Target>>;
  probeTarget(req: LiveIdRequest): Promise<Result<ProbeResult>>;
  getTargetMetrics(req: LiveIdRequest): Promise<Result<MetricsSample[]>>;
  startCapture(req: StartCaptureRequest): Promise<Result<StartCaptureResult>>;
  startRecipe(req: StartRecipeRequest): Promise<Result<StartRecipeResult>>;
  cancelCapture(req: CancelCaptureRequest): Promise<Result<CaptureStatus>>;
  listCaptures(): Promise<Result<CaptureStatus[]>>;
  listWatchFolders(): Promise<Result<WatchFolder[]>>;
  addWatchFolder(req: AddWatchFolderRequest): Promise<Result<WatchFolder>>;
  removeWatchFolder(req: LiveIdRequest): Promise<Result<LiveIdRequest>>;
  /** Every target's connection, health and tunnel state (after a reload, for instance). */
  listTargetStatuses(): Promise<Result<TargetStatus[]>>;
  /** The last lines the target's tunnel command printed (oldest first). */
  getTunnelOutput(req: LiveIdRequest): Promise<Result<TunnelOutput[]>>;
  cancelRecipe(req: CancelRecipeRequest): Promise<Result<CancelRecipeResult>>;
  /** Built-in recipes first, then the user's. */
  listRecipes(): Promise<Result<CaptureRecipe[]>>;
  saveRecipe(req: SaveRecipeRequest): Promise<Result<CaptureRecipe>>;
  deleteRecipe(req: LiveIdRequest): Promise<Result<LiveIdRequest>>;
  /** Capture everything from a target as one group, optionally once it first answers. */
  startBundle(req: StartBundleRequest): Promise<Result<StartBundleResult>>;
  cancelBundle(req: BundleIdRequest): Promise<Result<BundleStatus>>;
  /** Bundle runs of this session, newest first. */
  listBundles(): Promise<Result<BundleStatus[]>>;
  /** Whether the target serves goroutineleak, and (count: true, a full GC in it) the count. */
  checkGoroutineLeaks(req: LeakCheckRequest): Promise<Result<LeakCheck>>;
  /** The bundles the library holds (their manifests), newest first. */
  listLibraryBundles(): Promise<Result<LibraryBundle[]>>;
  /** The app: writes the bundle as a folder where its save dialog says; serve mode: unsupported. */
  exportBundle(req: GroupIdRequest): Promise<Result<ExportSnapshotResult>>;
  /** The files an exported folder holds, for a browser that writes the folder itself. */
  bundleFolderFiles(req: GroupIdRequest): Promise<Result<BundleFolderFile[]>>;
  /** Makes a bundle of a folder whose files were just imported. */
  importBundle(req: ImportBundleRequest): Promise<Result<LibraryBundle>>;

  /** Listens to one event; call the returned function to stop. */
  subscribe<E extends EventName>(event: E, listener: Listener<E>): Unsubscribe;
}

/** The Api's operation methods derived from the operations table. */
export type OperationMethods = {
  [K in OperationName]: Record<never, never> extends RequestOf<K>
    ? (req?: RequestOf<K>) => Promise<Result<ResponseOf<K>>>
    : (req: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;
};

// Compile-time proof that the hand-written Api and the operations table agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type ApiOperations = Omit<Api, 'subscribe'>;
const apiMatchesOperations: Same<ApiOperations, OperationMethods> = true;
void apiMatchesOperations;

/**
 * The back end of both transports: one async function per operation, taking a validated
 * request. It throws ServiceError for failures; dispatch() turns that into a Result.
 */
export type Backend = { [K in OperationName]: (req: RequestOf<K>) => Promise<ResponseOf<K>> };

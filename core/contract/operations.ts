// Every operation of the contract: its request and response validators. The operation's
// name is also the Api method name, the IPC channel suffix and the serve-mode path.
import {
  addWatchFolderRequest,
  cancelCaptureRequest,
  cancelRecipeRequest,
  cancelRecipeResult,
  captureRecipe,
  captureStatus,
  liveIdRequest,
  liveIdResult,
  metricsSample,
  probeResult,
  saveRecipeRequest,
  saveTargetRequest,
  startCaptureRequest,
  startCaptureResult,
  startRecipeRequest,
  startRecipeResult,
  target,
  targetStatus,
  tunnelOutput,
  watchFolder,
} from './live';
import { appInfo, settings, settingsPatch } from './settings';
import {
  bundleFolderFile,
  bundleIdRequest,
  bundleStatus,
  groupIdRequest,
  importBundleRequest,
  leakCheck,
  leakCheckRequest,
  libraryBundle,
  startBundleRequest,
  startBundleResult,
} from './bundles';
import {
  deleteSnapshotResult,
  exportSnapshotRequest,
  exportSnapshotResult,
  idRequest,
  importSnapshotRequest,
  importSnapshotResult,
  libraryInfo,
  listSnapshotsRequest,
  MAX_SNAPSHOT_BYTES,
  renameSnapshotRequest,
  setSnapshotNoteRequest,
  snapshotMeta,
} from './snapshots';
import { readSourceRequest, sourceResult, sourceSettings, sourceSettingsInfo } from './source';
import { arr, bytes, obj, type Shape, type Validator } from './validate';

export type Empty = Record<string, never>;
export const empty: Validator<Empty> = obj<Empty>({} as Shape<Empty>);

export interface OperationSpec<Req, Res> {
  request: Validator<Req>;
  response: Validator<Res>;
  /** Served by the live back end (targets, captures, watched folders), which may fail to start. */
  live: boolean;
}

function op<Req, Res>(request: Validator<Req>, response: Validator<Res>): OperationSpec<Req, Res> {
  return { request, response, live: false };
}
function live<Req, Res>(
  request: Validator<Req>,
  response: Validator<Res>,
): OperationSpec<Req, Res> {
  return { request, response, live: true };
}

export const operations = {
  // App and settings.
  appInfo: op(empty, appInfo),
  getSettings: op(empty, settings),
  updateSettings: op(settingsPatch, settings),

  // Snapshot library.
  libraryInfo: op(empty, libraryInfo),
  rescanLibrary: op(empty, libraryInfo),
  listSnapshots: op(listSnapshotsRequest, arr(snapshotMeta)),
  getSnapshot: op(idRequest, snapshotMeta),
  readSnapshotBytes: op(idRequest, bytes(MAX_SNAPSHOT_BYTES)),
  importSnapshot: op(importSnapshotRequest, importSnapshotResult),
  renameSnapshot: op(renameSnapshotRequest, snapshotMeta),
  setSnapshotNote: op(setSnapshotNoteRequest, snapshotMeta),
  deleteSnapshot: op(idRequest, deleteSnapshotResult),
  restoreSnapshot: op(idRequest, snapshotMeta),
  exportSnapshot: op(exportSnapshotRequest, exportSnapshotResult),
  // Bundles in the library (issue 15): manifests, a bundle exported as a folder (the app's
  // save dialog names it; a browser writes the files bundleFolderFiles lists), a folder as a bundle.
  listLibraryBundles: op(empty, arr(libraryBundle, 10_000)),
  exportBundle: op(groupIdRequest, exportSnapshotResult),
  bundleFolderFiles: op(groupIdRequest, arr(bundleFolderFile, 256)),
  importBundle: op(importBundleRequest, libraryBundle),

  // Source files named by a snapshot's profile, and where to look for them.
  readSource: op(readSourceRequest, sourceResult),
  getSourceSettings: op(empty, sourceSettingsInfo),
  setSourceSettings: op(sourceSettings, sourceSettingsInfo),

  // Live targets: targets, probe, capture, watch folders.
  listTargets: live(empty, arr(target, 1000)),
  saveTarget: live(saveTargetRequest, target),
  deleteTarget: live(liveIdRequest, liveIdResult),
  connectTarget: live(liveIdRequest, targetStatus),
  disconnectTarget: live(liveIdRequest, targetStatus),
  confirmTunnel: live(liveIdRequest, target),
  probeTarget: live(liveIdRequest, probeResult),
  getTargetMetrics: live(liveIdRequest, arr(metricsSample, 100_000)),
  startCapture: live(startCaptureRequest, startCaptureResult),
  startRecipe: live(startRecipeRequest, startRecipeResult),
  cancelCapture: live(cancelCaptureRequest, captureStatus),
  listCaptures: live(empty, arr(captureStatus, 10_000)),
  listWatchFolders: live(empty, arr(watchFolder, 1000)),
  addWatchFolder: live(addWatchFolderRequest, watchFolder),
  removeWatchFolder: live(liveIdRequest, liveIdResult),
  listTargetStatuses: live(empty, arr(targetStatus, 1000)),
  getTunnelOutput: live(liveIdRequest, arr(tunnelOutput, 1000)),
  cancelRecipe: live(cancelRecipeRequest, cancelRecipeResult),
  listRecipes: live(empty, arr(captureRecipe, 1000)),
  saveRecipe: live(saveRecipeRequest, captureRecipe),
  deleteRecipe: live(liveIdRequest, liveIdResult),
  // Capture bundles and cold-start capture (issue 15).
  startBundle: live(startBundleRequest, startBundleResult),
  cancelBundle: live(bundleIdRequest, bundleStatus),
  listBundles: live(empty, arr(bundleStatus, 1000)),
  checkGoroutineLeaks: live(leakCheckRequest, leakCheck),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type RequestOf<K extends OperationName> =
  Operations[K] extends OperationSpec<infer Req, unknown> ? Req : never;
export type ResponseOf<K extends OperationName> =
  Operations[K] extends OperationSpec<unknown, infer Res> ? Res : never;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}

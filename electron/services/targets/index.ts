// The live-targets back end: what the app and serve mode wire up (see live-backend.ts for
// the contract operations, live-service.ts for the service itself).
export {
  createLiveBackend,
  toCaptureStatus,
  toTarget,
  type LiveBackend,
  type LiveBackendOptions,
  type RemoteAllowances,
} from './live-backend';
export { LiveService, type LiveEvent, type LiveServiceOptions } from './live-service';
export { FileSecretStore, MemorySecretStore, type SecretStore } from './secret-store';
export { LiveError, liveApiError, type LiveErrorInfo, type LiveErrorKind } from './errors';
export type { TargetView, TargetSaveInput, StoredTarget } from './target-types';
export { librarySink } from '../capture/library-sink';

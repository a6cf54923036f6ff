// The contract between the UI and the back end (see api.ts for the Api itself).
export * from './api';
export * from './bundles';
export * from './dispatch';
export * from './errors-validator';
export * from './events';
export * from './http';
export * from './ipc';
export * from './live';
export * from './operations';
export * from './result';
export * from './settings';
export * from './snapshots';
export * from './source';
export * from './sse';
export * from './validate';
export * from './event-hub';

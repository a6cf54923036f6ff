// Events pushed from the back end to the renderer (IPC: one channel; serve mode: SSE).
import {
  captureStatus,
  metricsSample,
  targetStatus,
  tunnelOutput,
  watchEvent,
  type CaptureStatus,
  type MetricsSample,
  type TargetStatus,
  type TunnelOutput,
  type WatchEvent,
} from './live';
import { settings, type Settings } from './settings';
import { bundleStatus, type BundleStatus } from './bundles';
import {
  libraryInfo,
  snapshotMeta,
  SNAPSHOT_ID,
  type LibraryInfo,
  type SnapshotMeta,
} from './snapshots';
import { bool, obj, oneOf, type Validator } from './validate';

/** The renderer's tabs, as named by the View menu. */
export const VIEWS = [
  'flame',
  'top',
  'compare',
  'contention',
  'goroutines',
  'timeline',
  'live',
  'gc',
  'insights',
] as const;
export type ViewName = (typeof VIEWS)[number];

export interface ApiEvents {
  /** A snapshot entered the library: import, capture, watcher, demo seed, or restore from trash. */
  'snapshot.added': { snapshot: SnapshotMeta };
  /** Renamed or note changed. */
  'snapshot.changed': { snapshot: SnapshotMeta };
  /** Left the library; trashed: true when it went to the trash (restorable). */
  'snapshot.removed': { id: string; trashed: boolean };
  /** After a rescan: counts and the list of skipped files changed. */
  'library.changed': { info: LibraryInfo };
  'settings.changed': { settings: Settings };
  /** App menu: View → a tab. */
  'app.showView': { view: ViewName };
  /** App: a file arrived (dialog, command line, open-with) and was imported; show it. */
  'app.openSnapshot': { id: string };
  /** Live-targets work: capture progress and completion. */
  'capture.progress': CaptureStatus;
  /** Live-targets work: folder watcher activity. */
  'watch.event': WatchEvent;
  /** Live-targets work: a target's health or tunnel changed. */
  'target.health': TargetStatus;
  /** Live-targets work: one dashboard poll. */
  'target.metrics': MetricsSample;
  /** Live-targets work: a line of tunnel command output. */
  'tunnel.output': TunnelOutput;
  /** A capture bundle or cold-start capture: waiting, part progress, the end. */
  'bundle.progress': BundleStatus;
}

export type EventName = keyof ApiEvents;

export type AnyEvent = { [E in EventName]: { name: E; payload: ApiEvents[E] } }[EventName];

export const eventValidators: { [E in EventName]: Validator<ApiEvents[E]> } = {
  'snapshot.added': obj<ApiEvents['snapshot.added']>({ snapshot: snapshotMeta }),
  'snapshot.changed': obj<ApiEvents['snapshot.changed']>({ snapshot: snapshotMeta }),
  'snapshot.removed': obj<ApiEvents['snapshot.removed']>({ id: SNAPSHOT_ID, trashed: bool }),
  'library.changed': obj<ApiEvents['library.changed']>({ info: libraryInfo }),
  'settings.changed': obj<ApiEvents['settings.changed']>({ settings }),
  'app.showView': obj<ApiEvents['app.showView']>({ view: oneOf(VIEWS) }),
  'app.openSnapshot': obj<ApiEvents['app.openSnapshot']>({ id: SNAPSHOT_ID }),
  'capture.progress': captureStatus,
  'watch.event': watchEvent,
  'target.health': targetStatus,
  'target.metrics': metricsSample,
  'tunnel.output': tunnelOutput,
  'bundle.progress': bundleStatus,
};

export const EVENT_NAMES = Object.keys(eventValidators) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventValidators, name);
}

/** Validates an event arriving over a transport; null when the name or payload is wrong. */
export function checkEvent(name: unknown, payload: unknown): AnyEvent | null {
  if (!isEventName(name)) return null;
  const r = (eventValidators[name] as Validator<unknown>).check(payload, name);
  return r.ok ? ({ name, payload: r.value } as AnyEvent) : null;
}

// Each snapshot kind's home tab: where Open (Live), a double-click in the library and the
// first screen show a snapshot. A new kind or a new tab adds its line to HOME_TABS; a kind
// whose home tab cannot show a given snapshot falls back to the first snapshot tab that can
// (never a standalone tab such as Compare or Live, which do not show the snapshot itself).
import type { SnapshotKind, SnapshotMeta, ViewName } from '../../../core/contract';
import { useLibraryStore } from '../stores/library';
import { useUiStore } from '../stores/ui';
import { TABS } from './tabs';

export const HOME_TABS: Record<SnapshotKind, ViewName> = {
  cpu: 'flame',
  heap: 'flame',
  allocs: 'flame',
  threadcreate: 'flame',
  goroutine: 'goroutines',
  'goroutine-text': 'goroutines',
  mutex: 'contention',
  block: 'contention',
  trace: 'timeline',
  'gc-log': 'gc',
  unknown: 'flame',
};

/** The tab a snapshot opens in: its kind's home tab when that tab can show it. */
export function homeTab(meta: SnapshotMeta): string {
  const can = (id: string): boolean =>
    TABS.some((t) => t.id === id && !t.standalone && t.unavailable(meta) === null);
  const home = HOME_TABS[meta.kind];
  if (home && can(home)) return home;
  return TABS.find((t) => !t.standalone && t.unavailable(meta) === null)?.id ?? 'flame';
}

/** Selects a snapshot and shows it in its home tab (a choice that sticks, like a tab click). */
export function openInHomeTab(meta: SnapshotMeta): void {
  useLibraryStore().select(meta.id);
  useUiStore().pickTab(homeTab(meta));
}

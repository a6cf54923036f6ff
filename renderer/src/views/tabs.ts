// The tab registry. A tab is a view of the selected snapshot; other work adds its tab by
// appending one entry here (Compare, Contention, Goroutines, Timeline, Live, GC). Only
// registered tabs are listed; a tab that cannot show the selected snapshot is disabled
// with the reason as its tooltip.
import { defineAsyncComponent, type Component } from 'vue';
import type { SnapshotMeta, ViewName } from '../../../core/contract';
import { isPprof } from '../stores/profile';
import { contentionUnavailable } from '../stores/contention';
import { goroutinesUnavailable } from '../stores/goroutines';
import { timelineUnavailable } from '../stores/timeline';
import { gcLogUnavailable } from '../stores/gclog';

export interface TabDef {
  /** Also the name the View menu uses (core/contract VIEWS). */
  id: ViewName;
  title: string;
  component: Component;
  /** Why the tab cannot show this snapshot, or null when it can. */
  unavailable(meta: SnapshotMeta | null): string | null;
  /** Needs no snapshot at all (Live): shown whatever is selected, or when nothing is. */
  standalone?: boolean;
}

const needsPprof = (meta: SnapshotMeta | null): string | null =>
  meta === null || isPprof(meta) ? null : `${meta.name} is not a pprof profile`;

const loadFlame = () => import('./FlameView.vue');
const loadTop = () => import('./TopView.vue');

/** Loads the main views' code while the app is idle, so opening a profile does not wait. */
export function preloadTabs(): void {
  void loadFlame().catch(() => undefined);
  void loadTop().catch(() => undefined);
}

export const TABS: TabDef[] = [
  {
    id: 'flame',
    title: 'Flame graph',
    component: defineAsyncComponent(loadFlame),
    unavailable: needsPprof,
  },
  {
    id: 'top',
    title: 'Top',
    component: defineAsyncComponent(loadTop),
    unavailable: needsPprof,
  },
  {
    id: 'compare',
    title: 'Compare',
    component: defineAsyncComponent(() => import('./CompareView.vue')),
    // Reads its own before/after snapshots (the slots), whatever is selected.
    unavailable: () => null,
    standalone: true,
  },
  {
    id: 'contention',
    title: 'Contention',
    component: defineAsyncComponent(() => import('./ContentionView.vue')),
    unavailable: contentionUnavailable,
  },
  {
    id: 'goroutines',
    title: 'Goroutines',
    component: defineAsyncComponent(() => import('./GoroutinesView.vue')),
    unavailable: goroutinesUnavailable,
  },
  {
    id: 'timeline',
    title: 'Timeline',
    component: defineAsyncComponent(() => import('./TimelineView.vue')),
    unavailable: timelineUnavailable,
  },
  {
    id: 'live',
    title: 'Live',
    component: defineAsyncComponent(() => import('./LiveView.vue')),
    unavailable: () => null,
    standalone: true,
  },
  {
    id: 'gc',
    title: 'GC',
    component: defineAsyncComponent(() => import('./GcView.vue')),
    unavailable: gcLogUnavailable,
  },
  {
    id: 'insights',
    title: 'Insights',
    component: defineAsyncComponent(() => import('./InsightsView.vue')),
    // Reads its own snapshot sets (the selected snapshot, a group, ticked snapshots).
    unavailable: () => null,
    standalone: true,
  },
];

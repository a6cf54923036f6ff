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
import { t } from '../i18n';

export interface TabDef {
  /** Also the name the View menu uses (core/contract VIEWS). */
  id: ViewName;
  /** In the UI's language (a getter, so it follows a language switch). */
  readonly title: string;
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
    get title() {
      return t('tabs.flame');
    },
    component: defineAsyncComponent(loadFlame),
    unavailable: needsPprof,
  },
  {
    id: 'top',
    get title() {
      return t('tabs.top');
    },
    component: defineAsyncComponent(loadTop),
    unavailable: needsPprof,
  },
  {
    id: 'compare',
    get title() {
      return t('tabs.compare');
    },
    component: defineAsyncComponent(() => import('./CompareView.vue')),
    // Reads its own before/after snapshots (the slots), whatever is selected.
    unavailable: () => null,
    standalone: true,
  },
  {
    id: 'contention',
    get title() {
      return t('tabs.contention');
    },
    component: defineAsyncComponent(() => import('./ContentionView.vue')),
    unavailable: contentionUnavailable,
  },
  {
    id: 'goroutines',
    get title() {
      return t('tabs.goroutines');
    },
    component: defineAsyncComponent(() => import('./GoroutinesView.vue')),
    unavailable: goroutinesUnavailable,
  },
  {
    id: 'timeline',
    get title() {
      return t('tabs.timeline');
    },
    component: defineAsyncComponent(() => import('./TimelineView.vue')),
    unavailable: timelineUnavailable,
  },
  {
    id: 'live',
    get title() {
      return t('tabs.live');
    },
    component: defineAsyncComponent(() => import('./LiveView.vue')),
    unavailable: () => null,
    standalone: true,
  },
  {
    id: 'gc',
    get title() {
      return t('tabs.gc');
    },
    component: defineAsyncComponent(() => import('./GcView.vue')),
    unavailable: gcLogUnavailable,
  },
  {
    id: 'insights',
    get title() {
      return t('tabs.insights');
    },
    component: defineAsyncComponent(() => import('./InsightsView.vue')),
    // Reads its own snapshot sets (the selected snapshot, a group, ticked snapshots).
    unavailable: () => null,
    standalone: true,
  },
];

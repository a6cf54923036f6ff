// A pprof profile the trace Worker built (blocking profiles, CPU samples in a window) shown in
// the common flame pane: a profile Worker (the timeline store's, one per panel) opens the bytes
// and builds the main tree for one sample type; the pane's source is flame-source's
// profileSource and its zoom is useFlameZoom (with its guard against late node answers), so
// each panel is only wiring.
import { computed, onBeforeUnmount, shallowRef } from 'vue';
import { nodeZoomAnswer, profileSource } from '../flame/flame-source';
import { useFlameZoom } from '../../composables/useFlameZoom';
import { fullWindow } from '../../../../core/view/flame/window';
import { useTimelineStore, type TraceProfilePanel } from '../../stores/timeline';
import type { ProfileWorker } from '../../worker/client';
import { NO_FILTERS, type TreeSummary } from '../../worker/protocol';

export function useTraceProfileFlame(panel: TraceProfilePanel) {
  const timeline = useTimelineStore();
  const tree = shallowRef<TreeSummary | null>(null);
  const pw = shallowRef<ProfileWorker | null>(null);
  const zoom = useFlameZoom({
    full: () => fullWindow(tree.value?.total ?? 0),
    answer: nodeZoomAnswer(() => pw.value, 'main'),
  });
  const source = computed(() =>
    tree.value && pw.value ? profileSource(pw.value, 'main', tree.value) : null,
  );
  let seq = 0;

  /** Drops what is shown; a load still running is ignored when it ends. */
  function clear(): number {
    tree.value = null;
    pw.value = null;
    timeline.closeProfileWorker(panel);
    return ++seq;
  }

  /**
   * Opens the profile and builds its tree for sample type `sampleIndex`. Returns false when a
   * later clear() or open() superseded it; throws what the profile Worker failed with.
   */
  async function open(bytes: ArrayBuffer, sampleIndex: number): Promise<boolean> {
    const my = clear();
    const w = timeline.profileWorker(panel);
    pw.value = w;
    await w.call('open', { bytes }, [bytes]);
    const t = await w.call('tree', {
      slot: 'main',
      params: { sampleIndex, granularity: 'functions', filters: { ...NO_FILTERS } },
    });
    if (my !== seq) return false;
    tree.value = t;
    zoom.reset();
    return true;
  }

  onBeforeUnmount(() => void clear());

  /** A sequence number: a caller's late answer is stale when it no longer matches. */
  const current = (): number => seq;

  return { tree, pw, zoom, source, clear, open, current };
}

export type TraceProfileFlame = ReturnType<typeof useTraceProfileFlame>;

// A pprof profile the trace Worker built (blocking profiles, CPU samples in a window) shown in
// the common flame pane: a profile Worker opens the bytes, builds the main tree for one sample
// type, and the pane's zoom window and clicks are handled here, so each panel is only wiring.
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue';
import type { FlameItem, FlameWindow } from '../FlamePane.vue';
import { ProfileWorker } from '../../worker/client';
import { NO_FILTERS, type TreeSummary } from '../../worker/protocol';

export function useTraceProfileFlame() {
  const tree = shallowRef<TreeSummary | null>(null);
  const pw = shallowRef<ProfileWorker | null>(null);
  const win = ref<FlameWindow>({ x0: 0, x1: 1 });
  const fullWidth = computed(() => Math.max(Math.abs(tree.value?.total ?? 0), Number.MIN_VALUE));
  const zoomed = computed(() => win.value.x0 !== 0 || win.value.x1 !== fullWidth.value);
  let seq = 0;

  /** Drops what is shown; a load still running is ignored when it ends. */
  function clear(): number {
    tree.value = null;
    pw.value?.close();
    pw.value = null;
    return ++seq;
  }

  /**
   * Opens the profile and builds its tree for sample type `sampleIndex`. Returns false when a
   * later clear() or open() superseded it; throws what the profile Worker failed with.
   */
  async function open(bytes: ArrayBuffer, sampleIndex: number): Promise<boolean> {
    const my = clear();
    const w = new ProfileWorker();
    pw.value = w;
    await w.call('open', { bytes }, [bytes]);
    const t = await w.call('tree', {
      slot: 'main',
      params: { sampleIndex, granularity: 'functions', filters: { ...NO_FILTERS } },
    });
    if (my !== seq) return false;
    win.value = { x0: 0, x1: Math.max(Math.abs(t.total), Number.MIN_VALUE) };
    tree.value = t;
    return true;
  }

  function setWindow(w: FlameWindow): void {
    win.value = w;
  }

  function resetZoom(): void {
    win.value = { x0: 0, x1: fullWidth.value };
  }

  async function onActivate(item: FlameItem): Promise<void> {
    const w = pw.value;
    if (item.merged || !w) {
      win.value = { x0: item.x, x1: item.x + item.width };
      return;
    }
    if (item.node === 0) return resetZoom();
    const info = await w.call('node', { slot: 'main', id: item.node });
    if (info.width > 0) win.value = { x0: info.x, x1: info.x + info.width };
  }

  onBeforeUnmount(() => void clear());

  /** A sequence number: a caller's late answer is stale when it no longer matches. */
  const current = (): number => seq;

  return { tree, pw, win, zoomed, clear, open, setWindow, resetZoom, onActivate, current };
}

export type TraceProfileFlame = ReturnType<typeof useTraceProfileFlame>;

// The zoom of one flame graph: its window, the breadcrumb path of the frame zoomed to, and the
// guard against late answers. A click zooms at once to the frame's extent; its path (and the
// exact extent) come from the Worker later, and must not undo an Esc or another zoom made
// meanwhile: every zoom action takes a ticket, and an answer applies only while its ticket is
// the latest. Every window goes through core/view/flame/window's clamp, so no view can zoom
// out past the graph or pan beyond its end.
import { computed, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import {
  clampWindow,
  isZoomed,
  sameWindow,
  type ValueWindow,
} from '../../../core/view/flame/window';

/** What the Worker says of a node a click zoomed to: its extent and root-first path. */
export interface ZoomAnswer<P> {
  window: ValueWindow;
  path: P[];
}

/** A frame clicked in a pane (FlameItem carries these). */
export interface ZoomItem {
  node: number;
  merged: boolean;
  x: number;
  width: number;
}

export interface FlameZoom<P> {
  /** The window shown. */
  window: Ref<ValueWindow>;
  /** Root-first path of the frame zoomed to (empty at the top). */
  path: ShallowRef<P[]>;
  /** The window is a range, not a frame's extent (a merged run, a link's window). */
  narrow: Ref<boolean>;
  zoomed: Readonly<Ref<boolean>>;
  /** A window made by the user (wheel, pan): clamped; the path stays. */
  set(w: ValueWindow): void;
  /** A range that is not a frame (a merged run of narrow frames, a link's window). */
  setRange(w: ValueWindow): void;
  /** The whole graph (Esc, "all", a new tree). */
  reset(): void;
  /** Back to the i-th breadcrumb, whose window is `w`. */
  toCrumb(i: number, w: ValueWindow): void;
  /** To a node: at once to `extent` when known, then to the Worker's answer if still latest. */
  toNode(node: number, extent?: ValueWindow): Promise<void>;
  /** A click on a frame of the pane. */
  activate(item: ZoomItem): Promise<void>;
}

/**
 * Tickets of zoom actions: `take()` starts an action and returns whether it is still the
 * latest, asked when its answer arrives (the one late-answer guard of every flame view).
 */
export function zoomTickets(): { take(): () => boolean } {
  let n = 0;
  return {
    take() {
      const mine = ++n;
      return () => mine === n;
    },
  };
}

export function useFlameZoom<P = never>(opts: {
  /** The whole graph of the tree shown now. */
  full: () => ValueWindow;
  /** Asks the Worker for a node's window and path (null: the node has no width). */
  answer: (node: number) => Promise<ZoomAnswer<P> | null>;
}): FlameZoom<P> {
  const window = ref<ValueWindow>(opts.full());
  const path = shallowRef<P[]>([]);
  const narrow = ref(false);
  const zoomed = computed(() => isZoomed(window.value, opts.full()));
  /** Every zoom action takes one; a late answer applies only to the latest action. */
  const tickets = zoomTickets();

  function show(w: ValueWindow): void {
    const c = clampWindow(w, opts.full());
    if (!sameWindow(c, window.value)) window.value = c;
  }

  function set(w: ValueWindow): void {
    tickets.take();
    show(w);
  }

  function setRange(w: ValueWindow): void {
    set(w);
    narrow.value = true;
  }

  function reset(): void {
    set(opts.full());
    path.value = [];
    narrow.value = false;
  }

  function toCrumb(i: number, w: ValueWindow): void {
    set(w);
    path.value = path.value.slice(0, i + 1);
    narrow.value = false;
  }

  async function toNode(node: number, extent?: ValueWindow): Promise<void> {
    if (node === 0) return reset();
    if (extent && extent.x1 > extent.x0) {
      set(extent);
      narrow.value = false;
    }
    const latest = tickets.take();
    let a: ZoomAnswer<P> | null;
    try {
      a = await opts.answer(node);
    } catch {
      // The tree was replaced or the profile closed: the next tree resets the zoom.
      return;
    }
    if (!latest() || !a || !(a.window.x1 > a.window.x0)) return;
    show(a.window);
    path.value = a.path;
    narrow.value = false;
  }

  function activate(item: ZoomItem): Promise<void> {
    if (item.merged) {
      setRange({ x0: item.x, x1: item.x + item.width });
      return Promise.resolve();
    }
    return toNode(item.node, { x0: item.x, x1: item.x + item.width });
  }

  return { window, path, narrow, zoomed, set, setRange, reset, toCrumb, toNode, activate };
}

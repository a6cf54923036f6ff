// Virtual rows: a scrolled list renders only the rows in view (plus a few either side),
// whatever the number of rows. Rows share one height, except a few taller ones (a leak
// reason line, an expanded stack) that are listed with their extra height, so the position of
// any row, and the row at any scroll offset, cost a walk over those few, not over every row.
// Every table and long list of the renderer scrolls through this one composable.
import {
  computed,
  getCurrentInstance,
  onBeforeUnmount,
  onMounted,
  ref,
  toValue,
  type ComputedRef,
  type MaybeRefOrGetter,
  type Ref,
} from 'vue';

export interface TallRow {
  /** Position in the list. */
  index: number;
  /** Height beyond the normal row height, px. */
  extra: number;
}

/** Sorted by index, one entry per index (extras of the same row added up). */
export function normalizeTall(rows: TallRow[]): TallRow[] {
  const by = new Map<number, number>();
  for (const r of rows)
    if (r.index >= 0 && r.extra > 0) by.set(r.index, (by.get(r.index) ?? 0) + r.extra);
  return [...by.entries()]
    .map(([index, extra]) => ({ index, extra }))
    .sort((a, b) => a.index - b.index);
}

export function rowTop(i: number, rowH: number, tall: readonly TallRow[]): number {
  let y = i * rowH;
  for (const t of tall) {
    if (t.index >= i) break;
    y += t.extra;
  }
  return y;
}

export function rowHeight(i: number, rowH: number, tall: readonly TallRow[]): number {
  const t = tall.find((x) => x.index === i);
  return rowH + (t ? t.extra : 0);
}

export function listHeight(count: number, rowH: number, tall: readonly TallRow[]): number {
  let h = count * rowH;
  for (const t of tall) if (t.index < count) h += t.extra;
  return h;
}

/** The row under offset y (clamped to the list). */
export function rowAt(y: number, count: number, rowH: number, tall: readonly TallRow[]): number {
  if (count <= 0) return 0;
  let acc = 0;
  for (const t of tall) {
    const top = t.index * rowH + acc;
    if (y < top) break;
    if (y < top + rowH + t.extra) return Math.min(t.index, count - 1);
    acc += t.extra;
  }
  return Math.max(0, Math.min(count - 1, Math.floor((y - acc) / rowH)));
}

/**
 * The rows [first, last) to render for a viewport of `viewH` px scrolled to `scrollTop`:
 * those in view plus `overscan` either side, clamped to [0, count).
 */
export function rowRange(
  scrollTop: number,
  viewH: number,
  count: number,
  rowH: number,
  tall: readonly TallRow[] = [],
  overscan = 0,
): { first: number; last: number } {
  if (count <= 0) return { first: 0, last: 0 };
  const a = rowAt(Math.max(0, scrollTop), count, rowH, tall);
  const b = rowAt(Math.max(0, scrollTop + viewH - 1), count, rowH, tall) + 1;
  return { first: Math.max(0, a - overscan), last: Math.min(count, b + overscan) };
}

/** What the composable reads of the scrolled element (an HTMLElement in the app). */
export interface ScrollBox {
  scrollTop: number;
  clientHeight: number;
}

export interface VirtualRowsOptions {
  count: MaybeRefOrGetter<number>;
  /** Height of a normal row, px. */
  rowHeight: number;
  /** Taller rows, normalized (see normalizeTall); none by default. */
  tall?: MaybeRefOrGetter<readonly TallRow[]>;
  /** Rows rendered beyond each edge of the view, so a fast scroll shows no gap. */
  overscan?: number;
  /** The view's height until the element is measured. */
  initialHeight?: number;
}

export interface VirtualRows {
  first: ComputedRef<number>;
  last: ComputedRef<number>;
  /** The indexes first..last-1, for v-for. */
  indexes: ComputedRef<number[]>;
  /** Height of the whole list, px (the spacer's height). */
  height: ComputedRef<number>;
  scrollTop: Ref<number>;
  viewHeight: Ref<number>;
  top: (i: number) => number;
  heightOf: (i: number) => number;
  /** Reads the element's scroll offset (bind to its scroll event) and height. */
  onScroll: () => void;
  scrollToTop: () => void;
  /** Scrolls so row i is at the top of the view, less `pad` px. */
  scrollToIndex: (i: number, pad?: number) => void;
}

export function useVirtualRows(body: Ref<ScrollBox | null>, opts: VirtualRowsOptions): VirtualRows {
  const rowH = opts.rowHeight;
  const overscan = opts.overscan ?? 4;
  const scrollTop = ref(0);
  const viewHeight = ref(opts.initialHeight ?? 400);
  const count = computed(() => Math.max(0, toValue(opts.count)));
  const tall = computed<readonly TallRow[]>(() => (opts.tall ? toValue(opts.tall) : []));
  const range = computed(() =>
    rowRange(scrollTop.value, viewHeight.value, count.value, rowH, tall.value, overscan),
  );
  const first = computed(() => range.value.first);
  const last = computed(() => range.value.last);
  const indexes = computed(() => {
    const out: number[] = [];
    for (let i = first.value; i < last.value; i++) out.push(i);
    return out;
  });
  const height = computed(() => listHeight(count.value, rowH, tall.value));

  function measure(): void {
    const el = body.value;
    if (!el) return;
    scrollTop.value = el.scrollTop;
    if (el.clientHeight > 0) viewHeight.value = el.clientHeight;
  }
  function scrollTo(y: number): void {
    const el = body.value;
    if (el) el.scrollTop = y;
    scrollTop.value = el ? el.scrollTop : y;
  }

  if (getCurrentInstance()) {
    let ro: ResizeObserver | null = null;
    onMounted(() => {
      measure();
      const el = body.value;
      if (el && typeof ResizeObserver !== 'undefined' && el instanceof Element) {
        ro = new ResizeObserver(measure);
        ro.observe(el);
      }
    });
    onBeforeUnmount(() => ro?.disconnect());
  }

  return {
    first,
    last,
    indexes,
    height,
    scrollTop,
    viewHeight,
    top: (i) => rowTop(i, rowH, tall.value),
    heightOf: (i) => rowHeight(i, rowH, tall.value),
    onScroll: measure,
    scrollToTop: () => scrollTo(0),
    scrollToIndex: (i, pad = 0) => scrollTo(Math.max(0, rowTop(i, rowH, tall.value) - pad)),
  };
}

// Fixed-height row virtualization for the contention tables: only the rows in view (plus a
// margin) are rendered, whatever the number of call sites.
import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export const ROW_HEIGHT = 24;
const MARGIN = 20;

export function useRowWindow(
  body: Ref<HTMLElement | null>,
  count: Ref<number>,
): {
  first: Ref<number>;
  last: Ref<number>;
  onScroll: () => void;
  scrollToTop: () => void;
} {
  const scrollTop = ref(0);
  const viewH = ref(400);
  const first = computed(() => Math.max(0, Math.floor(scrollTop.value / ROW_HEIGHT) - MARGIN));
  const last = computed(() =>
    Math.min(count.value, Math.ceil((scrollTop.value + viewH.value) / ROW_HEIGHT) + MARGIN),
  );
  let ro: ResizeObserver | null = null;
  onMounted(() => {
    if (!body.value) return;
    viewH.value = body.value.clientHeight || viewH.value;
    ro = new ResizeObserver(() => (viewH.value = body.value?.clientHeight || viewH.value));
    ro.observe(body.value);
  });
  onBeforeUnmount(() => ro?.disconnect());
  return {
    first,
    last,
    onScroll: () => (scrollTop.value = body.value?.scrollTop ?? 0),
    scrollToTop: () => {
      if (body.value) body.value.scrollTop = 0;
      scrollTop.value = 0;
    },
  };
}

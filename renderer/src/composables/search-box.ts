// The text of a search or filter box against the value actually applied (a store's search, a
// Worker's filter). Two rules hold for every box:
// - the box shows the applied value: when it changes from elsewhere (a row click sets a
//   filter, a link opens a search), a pending typed update is dropped and the text follows;
// - Enter (and the pause after typing) applies what the box shows, even when the text is
//   unchanged, so a box never reads one filter while another is in force.
import { getCurrentScope, onScopeDispose, ref, watch, type Ref } from 'vue';

/** The pause after the last keystroke before a typed search applies, ms. */
export const SEARCH_DEBOUNCE_MS = 250;

export interface SearchText {
  /** What the box shows. */
  text: Ref<string>;
  /** The user typed `value`: apply it after the pause. */
  typed: (value: string) => void;
  /** Apply `value` (what the box shows by default) now. */
  commit: (value?: string) => void;
  /** Empty the box and apply that. */
  clear: () => void;
  /** Whether a typed value waits for the pause. */
  pending: () => boolean;
}

export function useSearchText(
  applied: () => string,
  apply: (value: string) => void,
  delay = SEARCH_DEBOUNCE_MS,
): SearchText {
  const text = ref(applied());
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const commit = (value: string = text.value): void => {
    cancel();
    text.value = value;
    apply(value);
  };
  watch(applied, (v) => {
    cancel();
    // A filter applied trimmed still reads as typed ("worker " stays, it is "worker").
    if (v.trim() !== text.value.trim()) text.value = v;
  });
  if (getCurrentScope()) onScopeDispose(cancel);
  return {
    text,
    typed: (value) => {
      text.value = value;
      cancel();
      timer = setTimeout(() => commit(), delay);
    },
    commit,
    clear: () => commit(''),
    pending: () => timer !== null,
  };
}

// The rules every search and filter box keeps (composables/search-box.ts, used by SearchBox.vue):
// the box shows the applied value, and Enter applies what the box shows, even unchanged. The
// "store" here is a plain ref, as the views' Pinia stores are; timers are Vitest's fake ones.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { SEARCH_DEBOUNCE_MS, useSearchText } from '../../../renderer/src/composables/search-box';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(initial = '', normalize: (v: string) => string = (v) => v) {
  const store = ref(initial);
  const applied: string[] = [];
  const scope = effectScope();
  const box = scope.run(() =>
    useSearchText(
      () => store.value,
      (v) => {
        applied.push(v);
        store.value = normalize(v);
      },
    ),
  )!;
  return { store, applied, box, scope };
}

describe('a search box', () => {
  it('starts with the applied value and applies typing after one pause', async () => {
    const { store, applied, box } = setup('main');
    expect(box.text.value).toBe('main');
    box.typed('m');
    box.typed('ma');
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
    expect(applied).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(applied).toEqual(['ma']);
    await nextTick();
    expect(store.value).toBe('ma');
    expect(box.text.value).toBe('ma');
  });

  it('re-applies on Enter when the text is unchanged', () => {
    const { applied, box } = setup('reserveAll');
    box.commit();
    box.commit();
    expect(applied).toEqual(['reserveAll', 'reserveAll']);
  });

  it('shows a value applied elsewhere, and drops the typed one still waiting', async () => {
    const { store, applied, box } = setup('');
    box.typed('wor');
    expect(box.pending()).toBe(true);
    store.value = 'main.(*service).reserveAll.func1'; // a row click sets the filter
    await nextTick();
    expect(box.text.value).toBe('main.(*service).reserveAll.func1');
    expect(box.pending()).toBe(false);
    vi.advanceTimersByTime(10 * SEARCH_DEBOUNCE_MS);
    expect(applied).toEqual([]);
    expect(store.value).toBe('main.(*service).reserveAll.func1');
  });

  it('clears: the box was set by a click, the user empties it and presses Enter (issue 11)', async () => {
    const { store, box } = setup('');
    store.value = 'main.(*service).reserveAll.func1';
    await nextTick();
    // fill('') then Enter: the input event, then the key, before any pause.
    box.typed('');
    box.commit('');
    await nextTick();
    expect(store.value).toBe('');
    expect(box.text.value).toBe('');
    vi.advanceTimersByTime(10 * SEARCH_DEBOUNCE_MS);
    expect(store.value).toBe('');
  });

  it('applies a value set through the box even when the store already holds it', async () => {
    const { store, applied, box } = setup('worker');
    box.typed('work'); // waiting for its pause
    box.commit('worker'); // a row click asks for the filter the store already has
    await nextTick();
    expect(box.text.value).toBe('worker');
    vi.advanceTimersByTime(10 * SEARCH_DEBOUNCE_MS);
    expect(applied).toEqual(['worker']);
    expect(store.value).toBe('worker');
  });

  it('keeps what was typed when the store trims it', async () => {
    const { store, box } = setup('', (v) => v.trim());
    box.typed('worker ');
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    await nextTick();
    expect(store.value).toBe('worker');
    expect(box.text.value).toBe('worker ');
    box.clear();
    await nextTick();
    expect(store.value).toBe('');
    expect(box.text.value).toBe('');
  });

  it('stops its timer with its component', () => {
    const { applied, box, scope } = setup('');
    box.typed('x');
    scope.stop();
    vi.advanceTimersByTime(10 * SEARCH_DEBOUNCE_MS);
    expect(applied).toEqual([]);
  });
});

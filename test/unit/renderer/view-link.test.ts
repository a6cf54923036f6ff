// A view as a link (issue 12 item 10): the hash round-trips the view's state, and a hostile
// or foreign hash gives no state rather than a broken one.
import { describe, expect, it } from 'vitest';
import { decodeViewState, encodeViewState } from '../../../renderer/src/view-link';

describe('view links', () => {
  it('round-trips snapshot, tab, sample type, granularity, filters, search and zoom', () => {
    const state = {
      snapshot: 'abc_123',
      tab: 'flame',
      sampleType: 'alloc_space',
      granularity: 'lines' as const,
      filters: { focus: 'main\\.(run|serve)', hide: 'runtime\\..*' },
      search: 'json & co',
      zoom: { x0: 1024, x1: 65536.5 },
    };
    expect(decodeViewState(encodeViewState(state))).toEqual(state);
  });

  it('leaves defaults out of the link', () => {
    expect(encodeViewState({ snapshot: 'a', tab: 'top', granularity: 'functions' })).toBe(
      '#s=a&t=top',
    );
  });

  it('gives no state for a hash that is not a view link or is malformed', () => {
    expect(decodeViewState('')).toBeNull();
    expect(decodeViewState('#section-2')).toBeNull();
    expect(decodeViewState('#s=../../etc&t=flame')).toBeNull();
    const odd = decodeViewState('#s=a&t=flame&g=bogus&z=5,1');
    expect(odd).toEqual({ snapshot: 'a', tab: 'flame' });
  });
});

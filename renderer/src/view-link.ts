// A view as a link (pprof's web UI does the same): the snapshot, tab, sample type,
// granularity, filters, flame zoom and search, kept in the URL's hash so a pasted link opens
// the same view. Never the serve token: a link is for people, the token is per browser.
import { FILTER_KINDS, type FilterKind, type Filters, type Granularity } from './worker/protocol';
import { GRANULARITIES } from '../../core/pprof/granularity';

export interface ViewState {
  snapshot: string;
  tab: string;
  sampleType?: string;
  granularity?: Granularity;
  filters?: Partial<Filters>;
  search?: string;
  /** The flame graph's window in profile units, when zoomed. */
  zoom?: { x0: number; x1: number };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function encodeViewState(s: ViewState): string {
  const q = new URLSearchParams();
  q.set('s', s.snapshot);
  q.set('t', s.tab);
  if (s.sampleType) q.set('st', s.sampleType);
  if (s.granularity && s.granularity !== 'functions') q.set('g', s.granularity);
  for (const k of FILTER_KINDS) {
    const v = s.filters?.[k];
    if (v) q.set(`f.${k}`, v);
  }
  if (s.search) q.set('q', s.search);
  if (s.zoom) q.set('z', `${s.zoom.x0},${s.zoom.x1}`);
  return `#${q.toString()}`;
}

/** The state in a hash, or null when the hash holds none (or nothing valid). */
export function decodeViewState(hash: string): ViewState | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const snapshot = q.get('s') ?? '';
  const tab = q.get('t') ?? '';
  if (!ID.test(snapshot) || !/^[a-z-]{1,32}$/.test(tab)) return null;
  const out: ViewState = { snapshot, tab };
  const st = q.get('st');
  if (st) out.sampleType = st.slice(0, 200);
  const g = q.get('g');
  if (g && (GRANULARITIES as readonly string[]).includes(g)) out.granularity = g as Granularity;
  const filters: Partial<Filters> = {};
  for (const k of FILTER_KINDS) {
    const v = q.get(`f.${k}`);
    if (v) filters[k as FilterKind] = v.slice(0, 4096);
  }
  if (Object.keys(filters).length) out.filters = filters;
  const search = q.get('q');
  if (search) out.search = search.slice(0, 4096);
  const z = (q.get('z') ?? '').split(',').map(Number);
  if (z.length === 2 && z.every(Number.isFinite) && z[0] < z[1]) out.zoom = { x0: z[0], x1: z[1] };
  return out;
}

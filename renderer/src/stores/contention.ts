// The Contention tab's options (kept across tab switches) and the partner snapshot of the joint
// view: a mutex snapshot pairs with a block snapshot of the same target and time, and back. The
// partner opens in a profile Worker this store owns.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SnapshotMeta } from '../../../core/contract';
import { useApi } from '../api';
import type {
  ContentionColumn,
  ContentionGranularity,
  ContentionKind,
  ContentionRequest,
  ContentionTable,
} from '../worker/analysis-protocol';
import { ProfileWorker } from '../worker/client';
import { isPprof } from './profile';

export type ContentionMode = 'sites' | 'joint';
export type ContentionMetric = 'delay' | 'contentions';
export type { ContentionColumn };

/** Two captures closer than this are "the same time" (a capture recipe takes a few seconds). */
const SAME_TIME_MS = 10 * 60 * 1000;

function hasContentionTypes(meta: SnapshotMeta): boolean {
  const types = meta.sampleTypes.map((t) => t.type);
  return types.includes('contentions') && types.includes('delay');
}

/** Why the Contention tab cannot show a snapshot, or null when it can. */
export function contentionUnavailable(meta: SnapshotMeta | null): string | null {
  if (meta === null) return null;
  if (meta.kind === 'mutex' || meta.kind === 'block') return null;
  if (isPprof(meta) && hasContentionTypes(meta)) return null;
  return `${meta.name} is not a mutex or block profile`;
}

/** mutex or block as the library knows it, else undefined (the Worker guesses from stacks). */
export function contentionKindOf(meta: SnapshotMeta | null): ContentionKind | undefined {
  return meta?.kind === 'mutex' || meta?.kind === 'block' ? meta.kind : undefined;
}

export interface PartnerChoice {
  meta: SnapshotMeta;
  /** Same target and captured within minutes of each other (or one capture recipe run). */
  sameCapture: boolean;
  /** |time difference| in ms, Infinity when a time is unknown. */
  apart: number;
}

function timeOf(s: SnapshotMeta): number {
  return Date.parse(s.capturedAt ?? s.createdAt);
}

function sameTarget(a: SnapshotMeta, b: SnapshotMeta): boolean {
  if (!a.target || !b.target) return !a.target && !b.target;
  return a.target.baseUrl === b.target.baseUrl || a.target.name === b.target.name;
}

/**
 * Snapshots of the other contention kind, best partner first: the same recipe run, then the
 * same target and group captured closest in time.
 */
export function partnerChoices(
  meta: SnapshotMeta,
  own: ContentionKind | 'unknown',
  all: readonly SnapshotMeta[],
): PartnerChoice[] {
  const want: ContentionKind | null = own === 'mutex' ? 'block' : own === 'block' ? 'mutex' : null;
  if (!want) return [];
  const t = timeOf(meta);
  const out = all
    .filter((s) => s.kind === want && s.id !== meta.id && !s.trashedAt && isPprof(s))
    .map((s) => {
      const apart = Math.abs(timeOf(s) - t);
      const sameRun = !!meta.groupId && s.groupId === meta.groupId;
      const sameCapture =
        sameRun ||
        (sameTarget(meta, s) &&
          (meta.group ?? null) === (s.group ?? null) &&
          Number.isFinite(apart) &&
          apart <= SAME_TIME_MS);
      return { meta: s, sameCapture, apart: Number.isFinite(apart) ? apart : Infinity };
    });
  return out.sort((a, b) => Number(b.sameCapture) - Number(a.sameCapture) || a.apart - b.apart);
}

export const useContentionStore = defineStore('contention', () => {
  const mode = ref<ContentionMode>('sites');
  const granularity = ref<ContentionGranularity>('functions');
  const metric = ref<ContentionMetric>('delay');
  const sort = ref<ContentionColumn>('delay');
  const dir = ref<'asc' | 'desc'>('desc');
  /** Partner picked by the user, per snapshot id (else the best choice is used). */
  const partnerFor = ref<Record<string, string>>({});
  /** A call site to select when the tab opens (from an Insights finding). */
  const focusSite = ref<string | null>(null);

  // Not reactive on purpose: a Worker handle is not data.
  let partner: { id: string; worker: ProfileWorker; opened: Promise<void> } | null = null;

  /** The partner snapshot's contention table, from its own Worker (opened once per partner). */
  async function partnerTable(id: string, req: ContentionRequest): Promise<ContentionTable> {
    if (!partner || partner.id !== id) {
      closePartner();
      const w = new ProfileWorker();
      const opened = (async () => {
        const r = await useApi().readSnapshotBytes({ id });
        if (!r.ok) throw new Error(`could not read the snapshot: ${r.error.message}`);
        const buf = r.value.slice().buffer as ArrayBuffer;
        await w.call('open', { bytes: buf }, [buf]);
      })();
      partner = { id, worker: w, opened };
    }
    const p = partner;
    await p.opened;
    return (await p.worker.call('contention.table', req)).table;
  }

  function closePartner(): void {
    partner?.worker.close();
    partner = null;
  }

  return {
    mode,
    granularity,
    metric,
    sort,
    dir,
    partnerFor,
    focusSite,
    partnerTable,
    closePartner,
  };
});

// Opens a GC log snapshot in a Worker of its own (the profile Worker only opens pprof files
// itself): reads the bytes through the Api, hands them over, and answers the overview.
import type { SnapshotMeta } from '../../../../core/contract';
import { useApi } from '../../api';
import { ProfileWorker } from '../../worker/client';
import type { GcLogOverview } from '../../worker/gclog-protocol';

export interface OpenGcLog {
  worker: ProfileWorker;
  overview: GcLogOverview;
}

/** The caller owns the returned Worker (close it). Rejects with an Error whose message says why. */
export async function openGcLog(meta: SnapshotMeta): Promise<OpenGcLog> {
  const r = await useApi().readSnapshotBytes({ id: meta.id });
  if (!r.ok) throw new Error(`could not read the snapshot: ${r.error.message}`);
  const worker = new ProfileWorker();
  try {
    const buf = r.value.slice().buffer as ArrayBuffer;
    const overview = await worker.call('gclog.load', { bytes: buf }, [buf]);
    return { worker, overview };
  } catch (e) {
    worker.close();
    throw e;
  }
}

// Snapshot detection in worker threads (the app's main process): each import's bytes are
// posted to a worker, which inflates and scans them (detect-worker.ts) and answers what it
// found or why not. Workers start on first use, one per detection slot, and are replaced
// when one dies.
import type { Worker } from 'node:worker_threads';
import { ServiceError, type ErrorKind } from '../../../core/contract';
import type { Detected } from './detect';

/** How the library recognises an import: in this thread (default) or in a worker. */
export type Detector = (bytes: Uint8Array, fileName: string) => Promise<Detected>;

export interface DetectRequest {
  id: number;
  bytes: Uint8Array;
  fileName: string;
}
export type DetectReply =
  | { id: number; ok: true; value: Detected }
  | { id: number; ok: false; kind: ErrorKind; message: string };

interface Pending {
  resolve: (d: Detected) => void;
  reject: (e: Error) => void;
}

/**
 * A Detector over `size` worker threads made by `makeWorker`. The library's own limit keeps at
 * most that many detections running, so each job goes to the least busy worker.
 */
export function workerDetector(makeWorker: () => Worker, size: number): Detector {
  const workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  let nextId = 1;

  function spawn(): (typeof workers)[number] {
    const entry = { worker: makeWorker(), pending: new Map<number, Pending>() };
    const fail = (why: string) => {
      workers.splice(workers.indexOf(entry), 1);
      for (const p of entry.pending.values())
        p.reject(new ServiceError('internal', `snapshot detection stopped: ${why}`));
      entry.pending.clear();
    };
    entry.worker.on('message', (r: DetectReply) => {
      const p = entry.pending.get(r.id);
      if (!p) return;
      entry.pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new ServiceError(r.kind, r.message));
    });
    entry.worker.on('error', (e) => fail(e.message));
    entry.worker.on('exit', (code) => {
      if (workers.includes(entry)) fail(`the worker exited (code ${code})`);
    });
    entry.worker.unref();
    workers.push(entry);
    return entry;
  }

  return (bytes, fileName) =>
    new Promise<Detected>((resolve, reject) => {
      const idle = workers.find((w) => w.pending.size === 0);
      const entry =
        idle ??
        (workers.length < size
          ? spawn()
          : workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a)));
      const id = nextId++;
      entry.pending.set(id, { resolve, reject });
      entry.worker.postMessage({ id, bytes, fileName } satisfies DetectRequest);
    });
}

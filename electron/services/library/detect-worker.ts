// A worker thread that runs snapshot detection (inflating and scanning the bytes), so the
// Electron main process stays responsive while a large or hostile import is looked at. The
// app builds it as a separate entry (electron-vite's `?nodeWorker`); see detect-pool.ts.
import { parentPort } from 'node:worker_threads';
import { ServiceError } from '../../../core/contract';
import { detectSnapshot } from './detect';
import type { DetectReply, DetectRequest } from './detect-pool';

parentPort?.on('message', (req: DetectRequest) => {
  detectSnapshot(req.bytes, req.fileName).then(
    (value) => parentPort!.postMessage({ id: req.id, ok: true, value } satisfies DetectReply),
    (e: unknown) =>
      parentPort!.postMessage({
        id: req.id,
        ok: false,
        kind: e instanceof ServiceError ? e.kind : 'internal',
        message: e instanceof Error ? e.message : String(e),
      } satisfies DetectReply),
  );
});

// #20 item 3, in the app: imports are detected (inflated and scanned) in worker threads, so a
// bomb or a huge profile does not stall the main process. The worker entry is bundled here
// the way the app's build bundles it (one file), and driven through the library.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../core/contract';
import { workerDetector, type Detector } from '../../../electron/services/library/detect-pool';
import { IMPORT_DETECT_SLOTS, Library } from '../../../electron/services/library/library';
import { profileThenZeros, zeroBomb } from '../../helpers/gzip-bomb';
import { bundleForNode } from '../../helpers/serve-child';
import { failure } from './support';

const ROOT = resolve(__dirname, '../../..');
let entry: string;
const started: Worker[] = [];
let detect: Detector;

beforeAll(async () => {
  entry = await bundleForNode(
    'electron/services/library/detect-worker.ts',
    join(mkdtempSync(join(tmpdir(), 'pprof-detect-worker-')), 'detect-worker.cjs'),
  );
  detect = workerDetector(() => {
    const w = new Worker(entry);
    started.push(w);
    return w;
  }, IMPORT_DETECT_SLOTS);
});
afterAll(async () => {
  await Promise.all(started.map((w) => w.terminate()));
});

describe('detection in worker threads', () => {
  it('recognises real profiles, refuses bombs with the same errors, on at most two threads', async () => {
    const lib = await Library.open(mkdtempSync(join(tmpdir(), 'pprof-lib-')), { detect });
    const heap = readFileSync(resolve(ROOT, 'test/fixtures/before/heap.pb.gz'));
    const cpu = readFileSync(resolve(ROOT, 'test/fixtures/before/cpu.pb.gz'));
    const results = await Promise.allSettled([
      lib.import({ bytes: heap, fileName: 'heap.pb.gz', source: { type: 'upload' } }),
      lib.import({ bytes: cpu, fileName: 'cpu.pb.gz', source: { type: 'upload' } }),
      lib.import({ bytes: zeroBomb(1), fileName: 'a.pb.gz', source: { type: 'upload' } }),
      lib.import({ bytes: profileThenZeros(1), fileName: 'b.pb.gz', source: { type: 'upload' } }),
    ]);
    const [h, c, z, p] = results;
    expect(h.status === 'fulfilled' && h.value.snapshot.kind).toBe('heap');
    expect(c.status === 'fulfilled' && c.value.snapshot.kind).toBe('cpu');
    const zr = z.status === 'rejected' ? (z.reason as ServiceError) : null;
    expect(zr).toBeInstanceOf(ServiceError);
    expect(zr?.kind).toBe('unrecognized-format');
    expect(zr?.message).toContain('not a pprof profile');
    const pr = p.status === 'rejected' ? (p.reason as ServiceError) : null;
    expect(pr?.message).toContain('decompression bomb');
    expect(started.length).toBeGreaterThan(0);
    expect(started.length).toBeLessThanOrEqual(IMPORT_DETECT_SLOTS);
  });

  it('a worker that dies fails its job with a clear error', async () => {
    const one = workerDetector(() => new Worker('process.exit(3)', { eval: true }), 1);
    const e = await failure(one(new Uint8Array([1]), 'x.pb'));
    expect(e.message).toContain('snapshot detection stopped: the worker exited (code 3)');
  });
});

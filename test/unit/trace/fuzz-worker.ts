// Worker thread of the trace reader fuzz: runs the cases and reports each start and end to
// the test, which holds the deadline (a case that hangs cannot report its own timeout).
import { parentPort, workerData } from 'node:worker_threads';
import { runCases } from './fuzz-cases';

try {
  const { repo, hangAt } = workerData as { repo: string; hangAt?: number };
  runCases(
    repo,
    (c, what) => {
      parentPort!.postMessage({ type: 'start', c, what });
      // The deadline's own test: a case that never ends.
      if (c === hangAt) for (;;);
    },
    (c, outcome) => parentPort!.postMessage({ type: 'end', c, outcome }),
  );
  parentPort!.postMessage({ type: 'done' });
} catch (err) {
  parentPort!.postMessage({
    type: 'failed',
    message: err instanceof Error ? err.stack : String(err),
  });
}

// The profile Worker's handlers for the Compare tab's requests (compare-protocol.ts).
import type { CompareOps } from './compare-protocol';
import type { SourceOps } from './source-protocol';
import { goroutineDiffOf } from './compare-goroutines';
import { heapTrendOf } from './compare-heap-trend';
import { CompareSession } from './compare-session';
import { WorkerError } from './rpc';
import type { HandlerTable } from './rpc-server';
import { sourceViewOf } from './source-view';

type Ops = CompareOps & Pick<SourceOps, 'compareSource'>;

/** One compare session per Worker; the heap trend and goroutine diff are stateless. */
export function compareHandlers(): HandlerTable<Ops> {
  let session: CompareSession | null = null;

  function need(): CompareSession {
    if (!session) throw new WorkerError('state', 'no comparison is open');
    return session;
  }

  return {
    compareOpen(arg) {
      session = null;
      session = new CompareSession(arg.before, arg.after, arg.beforeMeta, arg.afterMeta);
      return session.summary();
    },
    compareBuild(arg) {
      return need().build(arg.params);
    },
    compareLod(arg) {
      return need().lod(arg);
    },
    compareNode(arg) {
      return need().node(arg.id);
    },
    compareSearch(arg) {
      return need().setSearch(arg.pattern);
    },
    compareWindows(arg) {
      return need().windows(arg);
    },
    compareTop(arg) {
      return need().topWindow(arg);
    },
    compareHeap(arg) {
      return need().heap(arg);
    },
    compareHeapTrend(arg) {
      return heapTrendOf(arg.snapshots);
    },
    compareGoroutines(arg) {
      return goroutineDiffOf(arg);
    },
    compareSource(arg) {
      const s = need();
      return {
        before: sourceViewOf(s.before, arg.sampleType, arg.filters, arg.name),
        after: sourceViewOf(s.after, arg.sampleType, arg.filters, arg.name),
      };
    },
  };
}

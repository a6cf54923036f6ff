// The profile Worker's handlers for the Compare tab's requests (compare-protocol.ts). One
// compare session per Worker; the heap trend and goroutine diff are stateless.
import type { CompareLod, CompareOps } from './compare-protocol';
import type { SourceOps } from './source-protocol';
import { CompareSession, goroutineDiffOf, heapTrendOf } from './compare-session';
import { SessionError } from './session';
import { sourceViewOf } from './source-view';

type Ops = CompareOps & Pick<SourceOps, 'compareSource'>;
type CompareHandler<K extends keyof Ops> = (
  arg: Ops[K][0],
  id: number,
) => [Ops[K][1], Transferable[]];

let session: CompareSession | null = null;

function need(): CompareSession {
  if (!session) throw new SessionError('state', 'no comparison is open');
  return session;
}

function lodTransfer(l: CompareLod): Transferable[] {
  return [
    l.x,
    l.width,
    l.depth,
    l.node,
    l.color,
    l.flags,
    l.rowStart,
    l.nodeX,
    l.nodeW,
    l.name,
    l.file,
    l.line,
    l.self,
    l.total,
    l.count,
  ].map((a) => a.buffer);
}

export const compareHandlers: {
  [K in keyof CompareOps | 'compareSource']: CompareHandler<K>;
} = {
  compareOpen(arg) {
    session = null;
    session = new CompareSession(arg.before, arg.after, arg.beforeMeta, arg.afterMeta);
    return [session.summary(), []];
  },
  compareBuild(arg) {
    return [need().build(arg.params), []];
  },
  compareLod(arg) {
    const l = need().lod(arg);
    return [l, lodTransfer(l)];
  },
  compareNode(arg) {
    return [need().node(arg.id), []];
  },
  compareSearch(arg) {
    return [need().setSearch(arg.pattern), []];
  },
  compareWindows(arg) {
    return [need().windows(arg), []];
  },
  compareTop(arg) {
    const t = need().topWindow(arg);
    return [t, [t.baseFlat.buffer, t.newFlat.buffer, t.baseCum.buffer, t.newCum.buffer]];
  },
  compareHeap(arg) {
    return [need().heap(arg), []];
  },
  compareHeapTrend(arg) {
    return [heapTrendOf(arg.snapshots), []];
  },
  compareGoroutines(arg) {
    return [goroutineDiffOf(arg), []];
  },
  compareSource(arg) {
    const s = need();
    return [
      {
        before: sourceViewOf(s.base, arg.sampleType, arg.filters, arg.name),
        after: sourceViewOf(s.next, arg.sampleType, arg.filters, arg.name),
      },
      [],
    ];
  },
};

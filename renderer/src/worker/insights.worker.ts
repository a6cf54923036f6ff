/// <reference lib="webworker" />
// The insights Worker: reads a snapshot set (profiles, goroutine dumps, traces) with
// core/insights and answers findings or the before/after report (insights-protocol.ts).
// Errors become values with a kind and a message. Cancelling terminates the Worker.
import { runInsights } from '../../../core/insights/insights';
import type { SnapshotInput } from '../../../core/insights/model';
import { reportHtml, reportMarkdown } from '../../../core/insights/render';
import { buildReport } from '../../../core/insights/report';
import { loadSnapshotSet } from '../../../core/insights/snapshot-set';
import type { InsightsOps, SetArg } from './insights-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

type Request = {
  [K in keyof InsightsOps]: { id: number; op: K; arg: InsightsOps[K][0] };
}[keyof InsightsOps];

function inputs(set: SetArg): SnapshotInput[] {
  return set.members.map((m) => ({
    id: m.id,
    name: m.name,
    kind: m.kind,
    capturedAtMs: m.capturedAtMs,
    bytes: new Uint8Array(m.bytes),
  }));
}

function progress(id: number, phase: string, done: number, total: number): void {
  scope.postMessage({ id, type: 'progress', phase, done, total });
}

scope.onmessage = (ev: MessageEvent<Request>) => {
  const req = ev.data;
  try {
    if (req.op === 'insights') {
      progress(req.id, 'reading', 0, 2);
      const set = loadSnapshotSet(req.arg.set.label, inputs(req.arg.set));
      progress(req.id, 'analysing', 1, 2);
      const findings = runInsights(set, { thirdParty: req.arg.thirdParty });
      const read = set.snapshots.map((s) => `${s.name} (${s.kind})`);
      scope.postMessage({
        id: req.id,
        type: 'ok',
        value: { findings, skipped: set.skipped, read },
      });
    } else {
      progress(req.id, 'reading', 0, 3);
      const before = loadSnapshotSet(req.arg.before.label, inputs(req.arg.before));
      progress(req.id, 'reading', 1, 3);
      const after = loadSnapshotSet(req.arg.after.label, inputs(req.arg.after));
      progress(req.id, 'analysing', 2, 3);
      const report = buildReport(before, after, { thirdParty: req.arg.thirdParty });
      scope.postMessage({
        id: req.id,
        type: 'ok',
        value: { report, markdown: reportMarkdown(report), html: reportHtml(report) },
      });
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    scope.postMessage({ id: req.id, type: 'error', error: { kind: 'insights', message } });
  }
};

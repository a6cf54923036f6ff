/// <reference lib="webworker" />
// The insights Worker: reads a snapshot set (profiles, goroutine dumps, traces) with
// core/insights and answers findings or the before/after report (insights-protocol.ts)
// through rpc-server. Cancelling terminates the Worker.
import { runInsights } from '../../../core/insights/insights';
import type { SnapshotInput } from '../../../core/insights/model';
import { reportHtml, reportMarkdown } from '../../../core/insights/render';
import { buildReport } from '../../../core/insights/report';
import { loadSnapshotSet } from '../../../core/insights/snapshot-set';
import type { InsightsOps, SetArg } from './insights-protocol';
import { serveRpc, type HandlerTable } from './rpc-server';

function inputs(set: SetArg): SnapshotInput[] {
  return set.members.map((m) => ({
    id: m.id,
    name: m.name,
    kind: m.kind,
    capturedAtMs: m.capturedAtMs,
    bytes: new Uint8Array(m.bytes),
  }));
}

const handlers: HandlerTable<InsightsOps> = {
  insights(arg, { progress }) {
    progress('reading', 0, 2);
    const set = loadSnapshotSet(arg.set.label, inputs(arg.set));
    progress('analysing', 1, 2);
    const findings = runInsights(set, { thirdParty: arg.thirdParty });
    const read = set.snapshots.map((s) => `${s.name} (${s.kind})`);
    return { findings, skipped: set.skipped, read };
  },
  report(arg, { progress }) {
    progress('reading', 0, 3);
    const before = loadSnapshotSet(arg.before.label, inputs(arg.before));
    progress('reading', 1, 3);
    const after = loadSnapshotSet(arg.after.label, inputs(arg.after));
    progress('analysing', 2, 3);
    const report = buildReport(before, after, { thirdParty: arg.thirdParty });
    return { report, markdown: reportMarkdown(report), html: reportHtml(report) };
  },
};

serveRpc(self as unknown as DedicatedWorkerGlobalScope, handlers, { what: 'snapshot set' });

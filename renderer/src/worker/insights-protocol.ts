// Messages of the insights Worker: findings over one snapshot set, and the before/after
// report of two. Snapshot bytes are transferred in; results are plain data.
import type { BeforeAfterReport } from '../../../core/insights/report';
import type { Finding, SetSnapshotKind, SkippedSnapshot } from '../../../core/insights/model';

export interface SetMember {
  id: string;
  name: string;
  kind?: SetSnapshotKind;
  capturedAtMs: number | null;
  bytes: ArrayBuffer;
}

export interface SetArg {
  label: string;
  members: SetMember[];
}

export interface InsightsResult {
  findings: Finding[];
  skipped: SkippedSnapshot[];
  /** Members that were read, as "name (kind)". */
  read: string[];
}

export interface ReportResult {
  report: BeforeAfterReport;
  markdown: string;
  html: string;
}

export interface InsightsOps {
  insights: [{ set: SetArg; thirdParty: string[] }, InsightsResult];
  report: [{ before: SetArg; after: SetArg; thirdParty: string[] }, ReportResult];
}

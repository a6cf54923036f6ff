// Insights and the before/after report over snapshot sets. See docs/insights.md.
export * from './model';
export {
  isOwnCode,
  isInitFunction,
  ownLeaves,
  chargeOwnCode,
  type OwnCodeOptions,
} from './own-code';
export {
  THRESHOLDS,
  severityOf,
  describeThreshold,
  type Threshold,
  type ThresholdName,
} from './thresholds';
export { loadSnapshotSet, profileKind, membersOf, latestOf } from './snapshot-set';
export { runInsights, findingKey, compareFindings, type InsightsOptions } from './insights';
export {
  buildReport,
  measureSet,
  type BeforeAfterReport,
  type ReportRow,
  type PersistingFinding,
} from './report';
export {
  reportText,
  reportMarkdown,
  reportHtml,
  findingsText,
  formatMetric,
  formatChange,
  escapeHtml,
} from './render';

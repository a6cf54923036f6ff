// Go execution traces (Go 1.22+ format): reader, columnar model and derived views.
//
// Typical use in a Worker:
//   const parser = new TraceParser({ onProgress, totalBytes });
//   for each chunk: parser.push(chunk);
//   const model = parser.finish();            // or parseTrace(bytes)
//   const index = buildTimelineIndex(model);  // once, for the timeline
//   goroutineLod(model, index, rows, { t0, t1, widthPx }) ... on every zoom/pan
export { TraceError, isTraceError, type TraceErrorKind, type TraceWarning } from './errors';
export { parseHeader, type TraceHeader } from './header';
export { parseTrace, TraceParser, type ParseOptions } from './parse';
export { TraceReader, type ReaderOptions } from './reader';
export { RawEvent, type EventSink } from './event';
export * from './model';
export { traceTotals, type TraceTotals, type GoroutineTotals } from './totals';
export {
  analyzeGoroutines,
  groupByStartFunction,
  isSystemGoroutine,
  type GoroutineAnalysis,
  type GoroutineGroup,
} from './analysis';
export {
  buildTimelineIndex,
  describeSpan,
  procSpanEnd,
  spanAt,
  spanEnd,
  spanGoroutine,
  spanStart,
  spanState,
  stackFrames,
  type SpanDetails,
  type TimelineIndex,
} from './lanes';
export {
  goroutineLod,
  intervalLod,
  procLod,
  seriesLod,
  type LodQuery,
  type LodResult,
  type SeriesLod,
} from './lod';
export {
  buildCountIndex,
  goroutineCountLod,
  metricLod,
  metricSeries,
  runningProcSeries,
  type CountIndex,
  type GoroutineCountLod,
  type Series,
} from './counters';
export { gcPhases, rangeIntervals, stopTheWorlds, stwName, type Intervals } from './ranges';
export { userRegions, userTasks, type RegionIntervals, type TaskIntervals } from './annotations';
export { latencyQuantile, schedulerLatency, type LatencyHistogram } from './latency';
export {
  blockingProfile,
  cpuSampleProfile,
  type BlockingProfileKind,
  type ProfileFilter,
} from './profiles';
export { GO_STATE_NAMES, PROC_STATE_NAMES } from './spec';
export {
  DEFAULT_MMU_FLAGS,
  clipUtilization,
  mmu,
  mmuCurve,
  mmuPlot,
  mutatorUtilization,
  type MmuCurve,
  type MmuFlags,
  type MmuPlot,
  type UtilSeries,
} from './mmu';
export {
  gcCycles,
  gcSummary,
  isGcStw,
  type GcCycleTable,
  type GcSummary,
  type PauseSummary,
} from './gc-cycles';
export {
  cpuSampleCounts,
  sampleMarks,
  sampleRange,
  samplesByGoroutine,
  type FunctionSampleCounts,
  type SampleMarks,
  type SamplesByGoroutine,
} from './cpu-samples';

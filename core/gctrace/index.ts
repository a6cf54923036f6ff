// GC logs: GODEBUG=gctrace=1 (and scavtrace=1) lines read out of any log text into
// per-service streams of typed-array columns, and the figures a GC storm is judged by.

export { GcTraceError, type GcTraceErrorKind } from './errors';
export * from './model';
export { readGcTrace, MAX_LINE_CHARS, type ReadOptions } from './read';
export { looksLikeGcLog } from './detect';
export {
  summarizeGcTrace,
  gcRateSeries,
  pauseMs,
  MIN_RATE_SPAN_S,
  MIN_GROWTH_SPAN_S,
  type GcSummary,
  type GcRateSeries,
} from './summary';
export { readGcLine, readScavLine, type GcLine, type ScavLine } from './line';

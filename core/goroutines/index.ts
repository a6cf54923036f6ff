// Goroutine dumps: parse debug=1/debug=2 text or adapt the goroutine proto profile, group by
// stack, find leak suspects, and diff snapshots. Everything here is pure and synchronous.

export * from './dump';
export { GoroutineDumpError, isGoroutineDumpError, type GoroutineDumpErrorKind } from './errors';
export { parseGoroutineDump } from './parse';
export { goroutineDumpFromProfile } from './from-profile';
export {
  compileSearch,
  describeStack,
  groupGoroutines,
  searchGroups,
  type CreatorCount,
  type GoroutineGroup,
  type GoroutineGroups,
  type GroupOptions,
  type LabelSetCount,
  type SearchScope,
  type StateCount,
  type WaitSummary,
} from './groups';
export {
  DEFAULT_LEAK_OPTIONS,
  findLeakSuspects,
  provenLeaked,
  type LeakOptions,
  type LeakSuspect,
} from './leaks';
export {
  DEFAULT_GOROUTINE_DIFF_OPTIONS,
  diffGoroutines,
  type GoroutineDiff,
  type GoroutineDiffOptions,
  type GroupChange,
  type GroupDiffRow,
  type StateDiffRow,
} from './diff';
export { BLOCKING_CATEGORIES, inferState, stateCategory, type StateCategory } from './states';
export { comparableFrames, isStdlibFrame, isTracebackVisible, normalizeGenerics } from './frames';
export { readGoroutines } from './load';

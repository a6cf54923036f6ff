// The wire format of Go execution traces, Go 1.22 to 1.26 (one table for all versions).
//
// Event type numbers are positions in Go's tracev2 event list. ARG_COUNT[t] counts the
// arguments after the timestamp delta of a timed event; STACK_ARGS/STRING_ARGS give the
// argument positions (after the delta) that hold stack and string table ids. Like Go's reader,
// the event decoder accepts every event the newest version defines whatever the header says;
// only the batch kinds differ by version (sync batches since 1.25, an end-of-generation byte
// since 1.26).

export const EvNone = 0;
export const EvEventBatch = 1;
export const EvStacks = 2;
export const EvStack = 3;
export const EvStrings = 4;
export const EvString = 5;
export const EvCPUSamples = 6;
export const EvCPUSample = 7;
export const EvFrequency = 8;
export const EvProcsChange = 9;
export const EvProcStart = 10;
export const EvProcStop = 11;
export const EvProcSteal = 12;
export const EvProcStatus = 13;
export const EvGoCreate = 14;
export const EvGoCreateSyscall = 15;
export const EvGoStart = 16;
export const EvGoDestroy = 17;
export const EvGoDestroySyscall = 18;
export const EvGoStop = 19;
export const EvGoBlock = 20;
export const EvGoUnblock = 21;
export const EvGoSyscallBegin = 22;
export const EvGoSyscallEnd = 23;
export const EvGoSyscallEndBlocked = 24;
export const EvGoStatus = 25;
export const EvSTWBegin = 26;
export const EvSTWEnd = 27;
export const EvGCActive = 28;
export const EvGCBegin = 29;
export const EvGCEnd = 30;
export const EvGCSweepActive = 31;
export const EvGCSweepBegin = 32;
export const EvGCSweepEnd = 33;
export const EvGCMarkAssistActive = 34;
export const EvGCMarkAssistBegin = 35;
export const EvGCMarkAssistEnd = 36;
export const EvHeapAlloc = 37;
export const EvHeapGoal = 38;
export const EvGoLabel = 39;
export const EvUserTaskBegin = 40;
export const EvUserTaskEnd = 41;
export const EvUserRegionBegin = 42;
export const EvUserRegionEnd = 43;
export const EvUserLog = 44;
export const EvGoSwitch = 45;
export const EvGoSwitchDestroy = 46;
export const EvGoCreateBlocked = 47;
export const EvGoStatusStack = 48;
export const EvExperimentalBatch = 49;
export const EvSync = 50;
export const EvClockSnapshot = 51;
export const EvEndOfGeneration = 52;
/** First experimental event type (AllocFree experiment, 128..136). */
export const EvFirstExperimental = 128;
export const EvLastExperimental = 136;
/** Number of entries in the spec table; higher bytes are invalid event types. */
export const NUM_SPECS = 137;
/** The synthetic Sync event the reader emits at each generation start and at the end. */
export const EvSyncEvent = 255;

export const MAX_BATCH_SIZE = 64 << 10;
export const MAX_FRAMES_PER_STACK = 128;
export const MAX_STRING_SIZE = 1 << 10;

/** Wire goroutine status values (GoStatus events). */
export const GoStatusBad = 0;
export const GoStatusRunnable = 1;
export const GoStatusRunning = 2;
export const GoStatusSyscall = 3;
export const GoStatusWaiting = 4;

/** Wire P status values (ProcStatus events). */
export const ProcStatusBad = 0;
export const ProcStatusRunning = 1;
export const ProcStatusIdle = 2;
export const ProcStatusSyscall = 3;
export const ProcStatusSyscallAbandoned = 4;

/** Goroutine states as the reader reports them (Go's trace.GoState numbering). */
export const GoUndetermined = 0;
export const GoNotExist = 1;
export const GoRunnable = 2;
export const GoRunning = 3;
export const GoWaiting = 4;
export const GoSyscall = 5;
export const GO_STATE_NAMES = [
  'Undetermined',
  'NotExist',
  'Runnable',
  'Running',
  'Waiting',
  'Syscall',
] as const;

/** P states as the reader reports them (Go's trace.ProcState numbering). */
export const ProcUndetermined = 0;
export const ProcNotExist = 1;
export const ProcRunning = 2;
export const ProcIdle = 3;
export const PROC_STATE_NAMES = ['Undetermined', 'NotExist', 'Running', 'Idle'] as const;

/** Wire GoStatus -> reported GoState. */
export const GO_STATUS_TO_STATE = [GoUndetermined, GoRunnable, GoRunning, GoSyscall, GoWaiting];
/** Wire ProcStatus -> reported ProcState (a P in a syscall is reported Running). */
export const PROC_STATUS_TO_STATE = [
  ProcUndetermined,
  ProcRunning,
  ProcIdle,
  ProcRunning,
  ProcIdle,
];

/** -1 stands for Go's NoGoroutine, NoProc, NoThread and NoTask. */
export const NONE = -1;

interface Spec {
  name: string;
  args: number;
  timed: boolean;
  stacks?: number[];
  strings?: number[];
  /** The Begin event this End/Active event pairs with. */
  startEv?: number;
}

const S: Record<number, Spec> = {
  [EvEventBatch]: { name: 'EventBatch', args: 4, timed: false },
  [EvStacks]: { name: 'Stacks', args: 0, timed: false },
  [EvStack]: { name: 'Stack', args: 2, timed: false },
  [EvStrings]: { name: 'Strings', args: 0, timed: false },
  [EvString]: { name: 'String', args: 1, timed: false },
  [EvCPUSamples]: { name: 'CPUSamples', args: 0, timed: false },
  [EvCPUSample]: { name: 'CPUSample', args: 5, timed: false },
  [EvFrequency]: { name: 'Frequency', args: 1, timed: false },
  [EvProcsChange]: { name: 'ProcsChange', args: 2, timed: true, stacks: [1] },
  [EvProcStart]: { name: 'ProcStart', args: 2, timed: true },
  [EvProcStop]: { name: 'ProcStop', args: 0, timed: true },
  [EvProcSteal]: { name: 'ProcSteal', args: 3, timed: true },
  [EvProcStatus]: { name: 'ProcStatus', args: 2, timed: true },
  [EvGoCreate]: { name: 'GoCreate', args: 3, timed: true, stacks: [2, 1] },
  [EvGoCreateSyscall]: { name: 'GoCreateSyscall', args: 1, timed: true },
  [EvGoStart]: { name: 'GoStart', args: 2, timed: true },
  [EvGoDestroy]: { name: 'GoDestroy', args: 0, timed: true },
  [EvGoDestroySyscall]: { name: 'GoDestroySyscall', args: 0, timed: true },
  [EvGoStop]: { name: 'GoStop', args: 2, timed: true, stacks: [1], strings: [0] },
  [EvGoBlock]: { name: 'GoBlock', args: 2, timed: true, stacks: [1], strings: [0] },
  [EvGoUnblock]: { name: 'GoUnblock', args: 3, timed: true, stacks: [2] },
  [EvGoSyscallBegin]: { name: 'GoSyscallBegin', args: 2, timed: true, stacks: [1] },
  [EvGoSyscallEnd]: {
    name: 'GoSyscallEnd',
    args: 0,
    timed: true,
    startEv: EvGoSyscallBegin,
  },
  [EvGoSyscallEndBlocked]: {
    name: 'GoSyscallEndBlocked',
    args: 0,
    timed: true,
    startEv: EvGoSyscallBegin,
  },
  [EvGoStatus]: { name: 'GoStatus', args: 3, timed: true },
  [EvSTWBegin]: { name: 'STWBegin', args: 2, timed: true, stacks: [1], strings: [0] },
  [EvSTWEnd]: { name: 'STWEnd', args: 0, timed: true, startEv: EvSTWBegin },
  [EvGCActive]: { name: 'GCActive', args: 1, timed: true, startEv: EvGCBegin },
  [EvGCBegin]: { name: 'GCBegin', args: 2, timed: true, stacks: [1] },
  [EvGCEnd]: { name: 'GCEnd', args: 1, timed: true, startEv: EvGCBegin },
  [EvGCSweepActive]: { name: 'GCSweepActive', args: 1, timed: true, startEv: EvGCSweepBegin },
  [EvGCSweepBegin]: { name: 'GCSweepBegin', args: 1, timed: true, stacks: [0] },
  [EvGCSweepEnd]: { name: 'GCSweepEnd', args: 2, timed: true, startEv: EvGCSweepBegin },
  [EvGCMarkAssistActive]: {
    name: 'GCMarkAssistActive',
    args: 1,
    timed: true,
    startEv: EvGCMarkAssistBegin,
  },
  [EvGCMarkAssistBegin]: { name: 'GCMarkAssistBegin', args: 1, timed: true, stacks: [0] },
  [EvGCMarkAssistEnd]: {
    name: 'GCMarkAssistEnd',
    args: 0,
    timed: true,
    startEv: EvGCMarkAssistBegin,
  },
  [EvHeapAlloc]: { name: 'HeapAlloc', args: 1, timed: true },
  [EvHeapGoal]: { name: 'HeapGoal', args: 1, timed: true },
  [EvGoLabel]: { name: 'GoLabel', args: 1, timed: true, strings: [0] },
  [EvUserTaskBegin]: {
    name: 'UserTaskBegin',
    args: 4,
    timed: true,
    stacks: [3],
    strings: [2],
  },
  [EvUserTaskEnd]: { name: 'UserTaskEnd', args: 2, timed: true, stacks: [1] },
  [EvUserRegionBegin]: {
    name: 'UserRegionBegin',
    args: 3,
    timed: true,
    stacks: [2],
    strings: [1],
  },
  [EvUserRegionEnd]: {
    name: 'UserRegionEnd',
    args: 3,
    timed: true,
    stacks: [2],
    strings: [1],
    startEv: EvUserRegionBegin,
  },
  [EvUserLog]: { name: 'UserLog', args: 4, timed: true, stacks: [3], strings: [1, 2] },
  [EvGoSwitch]: { name: 'GoSwitch', args: 2, timed: true },
  [EvGoSwitchDestroy]: { name: 'GoSwitchDestroy', args: 2, timed: true },
  [EvGoCreateBlocked]: { name: 'GoCreateBlocked', args: 3, timed: true, stacks: [2, 1] },
  [EvGoStatusStack]: { name: 'GoStatusStack', args: 4, timed: true, stacks: [3] },
  [EvExperimentalBatch]: { name: 'ExperimentalBatch', args: 4, timed: false },
  [EvSync]: { name: 'Sync', args: 0, timed: false },
  [EvClockSnapshot]: { name: 'ClockSnapshot', args: 3, timed: true },
  [EvEndOfGeneration]: { name: 'EndOfGeneration', args: 0, timed: false },
  128: { name: 'Span', args: 3, timed: true },
  129: { name: 'SpanAlloc', args: 3, timed: true },
  130: { name: 'SpanFree', args: 1, timed: true },
  131: { name: 'HeapObject', args: 2, timed: true },
  132: { name: 'HeapObjectAlloc', args: 2, timed: true },
  133: { name: 'HeapObjectFree', args: 1, timed: true },
  134: { name: 'GoroutineStack', args: 2, timed: true },
  135: { name: 'GoroutineStackAlloc', args: 2, timed: true },
  136: { name: 'GoroutineStackFree', args: 1, timed: true },
};

/** Arguments after the delta of timed event t; -1 when t is not a timed event. */
export const ARG_COUNT = new Int8Array(256).fill(-1);
/** Main stack argument (after the delta) of event t, -1 when it has none. */
export const MAIN_STACK_ARG = new Int8Array(256).fill(-1);
/** All stack argument positions, as a bit set (bit i = argument i). */
export const STACK_ARG_BITS = new Uint8Array(256);
/** All string argument positions, as a bit set. */
export const STRING_ARG_BITS = new Uint8Array(256);
/** The Begin type an End/Active event pairs with (0 when none). */
export const START_EV = new Uint8Array(256);
const NAMES: string[] = [];

for (const [key, spec] of Object.entries(S)) {
  const t = Number(key);
  NAMES[t] = spec.name;
  if (spec.timed) ARG_COUNT[t] = spec.args;
  if (spec.stacks) {
    MAIN_STACK_ARG[t] = spec.stacks[0];
    for (const a of spec.stacks) STACK_ARG_BITS[t] |= 1 << a;
  }
  if (spec.strings) for (const a of spec.strings) STRING_ARG_BITS[t] |= 1 << a;
  if (spec.startEv) START_EV[t] = spec.startEv;
}
// CPU samples carry their stack as argument 4 in the spec; Go's id check reads that slot of
// the sample event, which the reader leaves 0, so it never fails: keep the same behaviour.
MAIN_STACK_ARG[EvCPUSample] = 0;
STACK_ARG_BITS[EvCPUSample] = 1 << 3;

export function eventName(t: number): string {
  if (t === EvSyncEvent) return 'Sync';
  return NAMES[t] ?? `Invalid(${t})`;
}

/** Versions with the Go 1.22+ format and the header minor number that marks each. */
export const SUPPORTED_MINORS = [22, 23, 25, 26] as const;
/** Older formats Go's tools still read; we explain how to re-capture instead. */
export const OLD_MINORS = [11, 19, 21] as const;

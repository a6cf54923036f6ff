// Goroutine states: the wait reasons and statuses Go prints, sorted into the categories the
// leak heuristics and filters use, and inferred from runtime frames when a source (the
// protobuf profile, debug=1 text) prints no state at all.

export type StateCategory =
  | 'running'
  | 'runnable'
  | 'syscall'
  | 'chan-receive'
  | 'chan-send'
  | 'select'
  /** Blocked forever: nil channel operations, `select {}`. */
  | 'nil-chan'
  | 'io-wait'
  /** sync.Mutex, sync.RWMutex, semacquire. */
  | 'lock'
  | 'cond'
  | 'waitgroup'
  | 'sleep'
  | 'gc'
  | 'other'
  | 'unknown';

const EXACT: Record<string, StateCategory> = {
  running: 'running',
  runnable: 'runnable',
  preempted: 'runnable',
  syscall: 'syscall',
  'chan receive': 'chan-receive',
  'chan receive (durable)': 'chan-receive',
  'chan send': 'chan-send',
  'chan send (durable)': 'chan-send',
  select: 'select',
  'select (durable)': 'select',
  'chan receive (nil chan)': 'nil-chan',
  'chan send (nil chan)': 'nil-chan',
  'select (no cases)': 'nil-chan',
  'IO wait': 'io-wait',
  semacquire: 'lock',
  'sync.Mutex.Lock': 'lock',
  'sync.RWMutex.RLock': 'lock',
  'sync.RWMutex.Lock': 'lock',
  'sync.Cond.Wait': 'cond',
  'sync.WaitGroup.Wait': 'waitgroup',
  'sync.WaitGroup.Wait (durable)': 'waitgroup',
  sleep: 'sleep',
};

export function stateCategory(state: string): StateCategory {
  if (state === '') return 'unknown';
  const exact = EXACT[state];
  if (exact) return exact;
  if (/^GC |^garbage collection|^wait for GC|^force gc|^GC$/.test(state)) return 'gc';
  return 'other';
}

/** Categories in which a large, long-waiting group suggests a leak. */
export const BLOCKING_CATEGORIES: readonly StateCategory[] = [
  'chan-receive',
  'chan-send',
  'select',
  'nil-chan',
  'io-wait',
  'lock',
  'cond',
  'waitgroup',
];

/** Function (leaf-most match wins) → the state Go would print for a goroutine parked in it. */
const FRAME_STATES: [RegExp, string][] = [
  [/^runtime\.chanrecv[12]?$/, 'chan receive'],
  [/^runtime\.chansend1?$/, 'chan send'],
  [/^runtime\.selectgo$/, 'select'],
  [/^runtime\.block$/, 'select (no cases)'],
  [/^(internal\/poll\.runtime_pollWait|runtime\.netpollblock)$/, 'IO wait'],
  [/^(internal\/)?sync\.runtime_SemacquireRWMutexR$/, 'sync.RWMutex.RLock'],
  [/^(internal\/)?sync\.runtime_SemacquireRWMutex$/, 'sync.RWMutex.Lock'],
  [/^(internal\/)?sync\.runtime_SemacquireMutex$/, 'sync.Mutex.Lock'],
  [/^(internal\/)?sync\.runtime_SemacquireWaitGroup$/, 'sync.WaitGroup.Wait'],
  [/^(internal\/)?sync\.runtime_Semacquire$/, 'semacquire'],
  [/^(internal\/)?sync\.runtime_notifyListWait$/, 'sync.Cond.Wait'],
  [/^time\.Sleep$/, 'sleep'],
  [
    /^(syscall\.(Raw)?Syscall6?|internal\/runtime\/syscall\.Syscall6|syscall\.syscall6?)$/,
    'syscall',
  ],
  // Blocks in a system call (entersyscallblock): os/signal's receive loop.
  [/^runtime\.notetsleepg$/, 'syscall'],
  [/^runtime\.(goroutineProfileWithLabels|Stack)$/, 'running'],
  [/^runtime\.asyncPreempt2?$/, 'runnable'],
];

/**
 * The state of a goroutine inferred from its stack (function names, leaf first), for sources
 * that print none. Looks at the leaf frames up to the first frame of the program; '' when
 * nothing matches.
 */
export function inferState(namesLeafFirst: readonly string[]): string {
  const limit = Math.min(namesLeafFirst.length, 12);
  for (let i = 0; i < limit; i++) {
    const name = namesLeafFirst[i];
    for (const [re, state] of FRAME_STATES) if (re.test(name)) return state;
  }
  return '';
}

// Reads the `# runtime.MemStats` comment block that heap?debug=1 ends with (written by
// runtime/pprof writeHeapInternal), and the `goroutine profile: total N` header line of
// goroutine?debug=1.

export interface MemStats {
  Alloc?: number;
  TotalAlloc?: number;
  Sys?: number;
  Lookups?: number;
  Mallocs?: number;
  Frees?: number;
  HeapAlloc?: number;
  HeapSys?: number;
  HeapIdle?: number;
  HeapInuse?: number;
  HeapReleased?: number;
  HeapObjects?: number;
  StackInuse?: number;
  StackSys?: number;
  MSpanInuse?: number;
  MSpanSys?: number;
  MCacheInuse?: number;
  MCacheSys?: number;
  BuckHashSys?: number;
  GCSys?: number;
  OtherSys?: number;
  NextGC?: number;
  /** Nanoseconds since the epoch of the last GC end. */
  LastGC?: number;
  NumGC?: number;
  NumForcedGC?: number;
  GCCPUFraction?: number;
  MaxRSS?: number;
  /** The circular buffer of the last 256 GC pause durations (PauseNs[(NumGC+255)%256] is the latest). */
  PauseNs?: number[];
}

const scalarKeys = new Set([
  'Alloc',
  'TotalAlloc',
  'Sys',
  'Lookups',
  'Mallocs',
  'Frees',
  'HeapAlloc',
  'HeapSys',
  'HeapIdle',
  'HeapInuse',
  'HeapReleased',
  'HeapObjects',
  'BuckHashSys',
  'GCSys',
  'OtherSys',
  'NextGC',
  'LastGC',
  'NumGC',
  'NumForcedGC',
  'GCCPUFraction',
  'MaxRSS',
]);
// `# Stack = inuse / sys` and friends.
const pairKeys: Record<string, [keyof MemStats, keyof MemStats]> = {
  Stack: ['StackInuse', 'StackSys'],
  MSpan: ['MSpanInuse', 'MSpanSys'],
  MCache: ['MCacheInuse', 'MCacheSys'],
};

/** Longer than any line Go prints (PauseNs: 256 numbers); longer ones are skipped. */
const MAX_MEMSTATS_LINE = 16 * 1024;

/** Null when the text has no MemStats block (not a heap?debug=1 answer). */
export function parseMemStats(text: string): MemStats | null {
  const start = text.lastIndexOf('# runtime.MemStats');
  if (start < 0) return null;
  const out: MemStats = {};
  const rec = out as Record<string, number | number[]>;
  for (const line of text.slice(start).split('\n')) {
    // Split by hand, not by a pattern: `(.*?)\s*$` backtracks quadratically on a line with
    // long runs of spaces (48 s for a 400 KB line from a hostile target).
    if (!line.startsWith('#') || line.length > MAX_MEMSTATS_LINE) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(1, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!/^\w+$/.test(key)) continue;
    if (scalarKeys.has(key)) {
      const n = Number(value);
      if (Number.isFinite(n)) rec[key] = n;
    } else if (key in pairKeys) {
      const pm = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
      if (pm) {
        const [inuse, sys] = pairKeys[key];
        rec[inuse] = Number(pm[1]);
        rec[sys] = Number(pm[2]);
      }
    } else if (key === 'PauseNs') {
      const pm = /^\[([\d\s]*)\]$/.exec(value);
      if (pm) out.PauseNs = pm[1].trim() === '' ? [] : pm[1].trim().split(/\s+/).map(Number);
    }
  }
  return out.HeapInuse === undefined && out.HeapAlloc === undefined ? null : out;
}

/** `goroutine profile: total 42` → 42; null when the first line is something else. */
export function parseGoroutineTotal(text: string): number | null {
  const m = /^goroutine profile: total (\d+)\s*$/m.exec(text.slice(0, 256).split('\n')[0] ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * GC pause time since an earlier reading, from the PauseNs ring: exact while fewer than 256
 * GCs happened in between (older pauses have been overwritten), otherwise null.
 * heap?debug=1 does not print PauseTotalNs itself.
 */
export function pauseNsBetween(prevNumGC: number, cur: MemStats): number | null {
  const ring = cur.PauseNs;
  const numGC = cur.NumGC;
  if (!ring || ring.length !== 256 || numGC === undefined) return null;
  const n = numGC - prevNumGC;
  if (n < 0 || n > 256) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ring[(numGC - 1 - i + 256) % 256];
  return sum;
}

/** Total pause time since the start of the process: exact only while NumGC ≤ 256. */
export function pauseTotalNs(ms: MemStats): number | null {
  if (ms.NumGC === undefined || ms.NumGC > 256) return null;
  return pauseNsBetween(0, ms);
}

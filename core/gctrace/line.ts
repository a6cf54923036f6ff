// One gctrace or scavtrace line, read by a hand-written scanner in one pass (no regular
// expression, so no backtracking: a hostile line costs time linear in its length). The
// layout is the runtime's, src/runtime/mgc.go gcMarkTermination and mgcscavenge.go
// printScavTrace, unchanged from Go 1.18 to 1.27:
//
//   gc # @#s #%[ (checking for goroutine leaks)]: #+#+# ms clock, #+#/#/#+# ms cpu,
//     #->#-># MB, # MB goal, # MB stacks, # MB globals, # P[ (forced)]
//   scav # KiB work (bg), # KiB work (eager), # KiB now, #% util[ (forced)| [controller reset]]
//
// Times are fmtNSAsMS: two significant digits, at most three decimals, whole ms from 10 ms
// on (truncated, never rounded up). Sizes are truncated to whole MB (>>20) and KiB (>>10).
// Go before 1.18 printed no stacks and globals: they are optional here.

export interface GcLine {
  num: number;
  /** Start of the cycle (sweep termination), seconds since the program started. */
  atS: number;
  /** The runtime's GC CPU share since the program started, percent (as printed). */
  cpuPct: number;
  leakCheck: boolean;
  /** Wall clock ms: STW sweep termination, concurrent mark, STW mark termination. */
  clock: [number, number, number];
  /** CPU ms: STW sweep termination, assist, background, idle, STW mark termination. */
  cpu: [number, number, number, number, number];
  heapStartMB: number;
  heapEndMB: number;
  heapLiveMB: number;
  heapGoalMB: number;
  /** NaN when the line has no stacks / globals field (Go < 1.18). */
  stacksMB: number;
  globalsMB: number;
  procs: number;
  /** runtime.GC() (or debug.FreeOSMemory) started this cycle. */
  forced: boolean;
}

export interface ScavLine {
  bgKiB: number;
  eagerKiB: number;
  /** Memory returned to the OS and not yet reused, KiB ("KiB now"). */
  releasedKiB: number;
  utilPct: number;
  /** debug.FreeOSMemory. */
  forced: boolean;
  controllerReset: boolean;
}

/** Why a line that starts like a gctrace line could not be read, and where. */
export interface LineFault {
  reason: string;
}

/** A cursor over one line. */
class Cur {
  pos: number;
  constructor(
    readonly s: string,
    start: number,
  ) {
    this.pos = start;
  }
  lit(t: string): boolean {
    if (this.s.startsWith(t, this.pos)) {
      this.pos += t.length;
      return true;
    }
    return false;
  }
  uint(): number {
    const s = this.s;
    const start = this.pos;
    let v = 0;
    while (this.pos < s.length && this.pos - start < 20) {
      const c = s.charCodeAt(this.pos);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      this.pos++;
    }
    return this.pos > start ? v : NaN;
  }
  /** digits [. digits] */
  dec(): number {
    const s = this.s;
    const start = this.pos;
    const whole = this.uint();
    if (Number.isNaN(whole)) return NaN;
    if (s.charCodeAt(this.pos) !== 46) return whole;
    this.pos++;
    const fracStart = this.pos;
    this.uint();
    if (this.pos === fracStart) return NaN;
    return Number(s.slice(start, this.pos));
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The characters that may follow a complete line inside other text (a JSON string, quotes). */
function endsCleanly(s: string, pos: number): boolean {
  if (pos >= s.length) return true;
  const c = s[pos];
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\r' ||
    c === '\n' ||
    c === '"' ||
    c === "'" ||
    c === '\\' ||
    c === '}' ||
    c === ',' ||
    c === ';' ||
    c === ']' ||
    c === '`'
  );
}

function fault(c: Cur, what: string): LineFault {
  const got = c.s.slice(c.pos, c.pos + 16);
  return {
    reason: `expected ${what} at column ${c.pos + 1}${got ? `, found "${got}"` : ', found the end of the line'}`,
  };
}

/**
 * Reads a gctrace line starting at `start` (which must point at "gc "). Returns the line,
 * or a fault; `end` is set to where the scan stopped either way.
 */
export function readGcLine(s: string, start: number, out: { end: number }): GcLine | LineFault {
  const c = new Cur(s, start);
  const done = (r: GcLine | LineFault): GcLine | LineFault => {
    out.end = Math.max(c.pos, start + 1);
    return r;
  };
  if (!c.lit('gc ')) return done(fault(c, '"gc "'));
  const num = c.uint();
  if (Number.isNaN(num)) return done(fault(c, 'the GC number'));
  if (!c.lit(' @')) return done(fault(c, '" @"'));
  const atS = c.dec();
  if (Number.isNaN(atS) || !c.lit('s ')) return done(fault(c, 'the start time "@#s"'));
  const cpuPct = c.uint();
  if (Number.isNaN(cpuPct) || !c.lit('%')) return done(fault(c, 'the GC CPU "#%"'));
  const leakCheck = c.lit(' (checking for goroutine leaks)');
  if (!c.lit(': ')) return done(fault(c, '": "'));
  const clock: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    if (i > 0 && !c.lit('+')) return done(fault(c, '"+" between clock times'));
    clock[i] = c.dec();
    if (Number.isNaN(clock[i])) return done(fault(c, 'a clock time in ms'));
  }
  if (!c.lit(' ms clock, ')) return done(fault(c, '" ms clock, "'));
  const cpu: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (let i = 0; i < 5; i++) {
    if (i === 2 || i === 3) {
      if (!c.lit('/')) return done(fault(c, '"/" between mark CPU times'));
    } else if (i > 0 && !c.lit('+')) return done(fault(c, '"+" between CPU times'));
    cpu[i] = c.dec();
    if (Number.isNaN(cpu[i])) return done(fault(c, 'a CPU time in ms'));
  }
  if (!c.lit(' ms cpu, ')) return done(fault(c, '" ms cpu, "'));
  const heapStartMB = c.uint();
  if (Number.isNaN(heapStartMB) || !c.lit('->')) return done(fault(c, 'the heap "#->#->#"'));
  const heapEndMB = c.uint();
  if (Number.isNaN(heapEndMB) || !c.lit('->')) return done(fault(c, 'the heap "#->#->#"'));
  const heapLiveMB = c.uint();
  if (Number.isNaN(heapLiveMB) || !c.lit(' MB, ')) return done(fault(c, '" MB, " after the heap'));
  const heapGoalMB = c.uint();
  if (Number.isNaN(heapGoalMB) || !c.lit(' MB goal, ')) return done(fault(c, 'the heap goal'));
  let stacksMB = NaN;
  let globalsMB = NaN;
  let v = c.uint();
  if (Number.isNaN(v)) return done(fault(c, 'a number'));
  if (c.lit(' MB stacks, ')) {
    stacksMB = v;
    globalsMB = c.uint();
    if (Number.isNaN(globalsMB) || !(c.lit(' MB globals, ') || c.lit('MB globals, ')))
      return done(fault(c, 'the globals size'));
    v = c.uint();
    if (Number.isNaN(v)) return done(fault(c, 'the number of Ps'));
  }
  if (!c.lit(' P')) return done(fault(c, '" P"'));
  const procs = v;
  let forced = false;
  if (c.s.startsWith(' (', c.pos)) {
    if (!c.lit(' (forced)')) return done(fault(c, '" (forced)" or the end of the line'));
    forced = true;
  }
  if (!endsCleanly(s, c.pos)) return done(fault(c, 'the end of the line'));
  return done({
    num,
    atS,
    cpuPct,
    leakCheck,
    clock,
    cpu,
    heapStartMB,
    heapEndMB,
    heapLiveMB,
    heapGoalMB,
    stacksMB,
    globalsMB,
    procs,
    forced,
  });
}

/** Reads a scavtrace line starting at `start` (which must point at "scav "). */
export function readScavLine(s: string, start: number, out: { end: number }): ScavLine | LineFault {
  const c = new Cur(s, start);
  const done = (r: ScavLine | LineFault): ScavLine | LineFault => {
    out.end = Math.max(c.pos, start + 1);
    return r;
  };
  if (!c.lit('scav ')) return done(fault(c, '"scav "'));
  const bgKiB = c.uint();
  if (Number.isNaN(bgKiB) || !c.lit(' KiB work (bg), '))
    return done(fault(c, '"# KiB work (bg), "'));
  const eagerKiB = c.uint();
  if (Number.isNaN(eagerKiB) || !c.lit(' KiB work (eager), '))
    return done(fault(c, '"# KiB work (eager), "'));
  const releasedKiB = c.uint();
  // The runtime prints "now"; its documentation says "total".
  if (Number.isNaN(releasedKiB) || !(c.lit(' KiB now, ') || c.lit(' KiB total, ')))
    return done(fault(c, '"# KiB now, "'));
  const utilPct = c.uint();
  if (Number.isNaN(utilPct) || !c.lit('% util')) return done(fault(c, '"#% util"'));
  const forced = c.lit(' (forced)');
  const controllerReset = !forced && c.lit(' [controller reset]');
  if (!endsCleanly(s, c.pos)) return done(fault(c, 'the end of the line'));
  return done({ bgKiB, eagerKiB, releasedKiB, utilPct, forced, controllerReset });
}

export function isFault(r: GcLine | ScavLine | LineFault): r is LineFault {
  return (r as LineFault).reason !== undefined;
}

export type Marker = 'gc' | 'scav' | 'gc-forced';

const MARKERS: [string, Marker][] = [
  ['gc ', 'gc'],
  ['scav ', 'scav'],
  ['GC forced', 'gc-forced'],
];

function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Finds, left to right, the places in one line where a gctrace line ("gc 12 @"), a
 * scavtrace line ("scav 0 KiB") or the forcegc notice ("GC forced") may start: at the start
 * of the text or after a character that is not a letter, digit or underscore. Each marker's
 * search position only moves forward, so all calls on one line together cost time linear
 * in its length, whatever it holds.
 */
export class MarkerScanner {
  private readonly next: number[];

  constructor(private readonly s: string) {
    this.next = MARKERS.map(() => -2);
  }

  /** The first marker at or after `from`, or null. */
  find(from: number): { at: number; kind: Marker } | null {
    let best = -1;
    let kind: Marker = 'gc';
    for (let k = 0; k < MARKERS.length; k++) {
      const [t, m] = MARKERS[k];
      let i = this.next[k];
      if (i === -1) continue;
      if (i < from) i = this.s.indexOf(t, from);
      while (i >= 0) {
        const before = i === 0 ? 32 : this.s.charCodeAt(i - 1);
        const after = this.s.charCodeAt(i + t.length);
        const ok = m === 'gc-forced' ? !isWordChar(after) : isDigit(after);
        if (!isWordChar(before) && ok) break;
        i = this.s.indexOf(t, i + 1);
      }
      this.next[k] = i;
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
        kind = m;
      }
    }
    return best < 0 ? null : { at: best, kind };
  }
}

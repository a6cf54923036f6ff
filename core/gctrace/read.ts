// Reads GODEBUG=gctrace=1 (and scavtrace=1) output out of any log: the runtime's own stderr,
// kubectl logs with --timestamps or --prefix, docker compose, logfmt, or JSON records that
// carry the line in a field. Lines of several services are kept apart by what their prefixes
// (or JSON fields) say; a process restart (GC numbers start again) begins a new run. Other
// text is skipped; a line that starts like a gctrace line but cannot be read is counted, and
// the first one is kept as an example. Linear in the input: no backtracking regular
// expressions, each line scanned once, a bounded amount of each very long line looked at.
import { GcTraceError } from './errors';
import {
  GC_FORCED,
  GC_LEAK_CHECK,
  GC_PERIODIC,
  SCAV_CONTROLLER_RESET,
  SCAV_FORCED,
  type GcCycles,
  type GcStream,
  type GcTrace,
  type ScavRecords,
} from './model';
import {
  isFault,
  MarkerScanner,
  readGcLine,
  readScavLine,
  type GcLine,
  type ScavLine,
} from './line';
import { serviceFromPrefix, serviceFromRecord, stringLeaves } from './prefix';

/** How much of one line is looked at; a gctrace line is under 250 characters. */
export const MAX_LINE_CHARS = 64 * 1024;
/** Bytes decoded at a time. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const EXAMPLE_CHARS = 300;

const CYCLE_COLUMNS = [
  'num',
  'atS',
  'cpuPct',
  'sweepTermMs',
  'markMs',
  'markTermMs',
  'cpuSweepTermMs',
  'cpuAssistMs',
  'cpuBackgroundMs',
  'cpuIdleMs',
  'cpuMarkTermMs',
  'heapStartMB',
  'heapEndMB',
  'heapLiveMB',
  'heapGoalMB',
  'stacksMB',
  'globalsMB',
  'procs',
  'line',
] as const;
type CycleColumn = (typeof CYCLE_COLUMNS)[number];
const SCAV_COLUMNS = ['bgKiB', 'eagerKiB', 'releasedKiB', 'utilPct', 'afterGc', 'line'] as const;
type ScavColumn = (typeof SCAV_COLUMNS)[number];

class StreamBuilder {
  readonly cols = Object.fromEntries(CYCLE_COLUMNS.map((c) => [c, [] as number[]])) as Record<
    CycleColumn,
    number[]
  >;
  readonly flags: number[] = [];
  readonly scav = Object.fromEntries(SCAV_COLUMNS.map((c) => [c, [] as number[]])) as Record<
    ScavColumn,
    number[]
  >;
  readonly scavFlags: number[] = [];
  lastNum = 0;
  lastAt = -1;
  periodicPending = false;

  constructor(
    readonly service: string,
    readonly run: number,
  ) {}

  addCycle(g: GcLine, line: number): void {
    const c = this.cols;
    c.num.push(g.num);
    c.atS.push(g.atS);
    c.cpuPct.push(g.cpuPct);
    c.sweepTermMs.push(g.clock[0]);
    c.markMs.push(g.clock[1]);
    c.markTermMs.push(g.clock[2]);
    c.cpuSweepTermMs.push(g.cpu[0]);
    c.cpuAssistMs.push(g.cpu[1]);
    c.cpuBackgroundMs.push(g.cpu[2]);
    c.cpuIdleMs.push(g.cpu[3]);
    c.cpuMarkTermMs.push(g.cpu[4]);
    c.heapStartMB.push(g.heapStartMB);
    c.heapEndMB.push(g.heapEndMB);
    c.heapLiveMB.push(g.heapLiveMB);
    c.heapGoalMB.push(g.heapGoalMB);
    c.stacksMB.push(g.stacksMB);
    c.globalsMB.push(g.globalsMB);
    c.procs.push(g.procs);
    c.line.push(line);
    this.flags.push(
      (g.forced ? GC_FORCED : 0) |
        (g.leakCheck ? GC_LEAK_CHECK : 0) |
        (this.periodicPending ? GC_PERIODIC : 0),
    );
    this.periodicPending = false;
    this.lastNum = g.num;
    this.lastAt = g.atS;
  }

  addScav(s: ScavLine, line: number): void {
    const c = this.scav;
    c.bgKiB.push(s.bgKiB);
    c.eagerKiB.push(s.eagerKiB);
    c.releasedKiB.push(s.releasedKiB);
    c.utilPct.push(s.utilPct);
    c.afterGc.push(this.lastNum);
    c.line.push(line);
    this.scavFlags.push(
      (s.forced ? SCAV_FORCED : 0) | (s.controllerReset ? SCAV_CONTROLLER_RESET : 0),
    );
  }

  build(label: string): GcStream {
    const cycles = { length: this.flags.length, flags: Uint8Array.from(this.flags) } as GcCycles;
    for (const k of CYCLE_COLUMNS) cycles[k] = Float64Array.from(this.cols[k]);
    const scav = {
      length: this.scavFlags.length,
      flags: Uint8Array.from(this.scavFlags),
    } as ScavRecords;
    for (const k of SCAV_COLUMNS) scav[k] = Float64Array.from(this.scav[k]);
    return { service: this.service, run: this.run, label, cycles, scav };
  }
}

export interface ReadOptions {
  /** Called now and then with the share of bytes read, 0..1. */
  progress?: (done: number) => void;
}

class Reader {
  private readonly builders: StreamBuilder[] = [];
  private readonly current = new Map<string, StreamBuilder>();
  lines = 0;
  otherLines = 0;
  duplicates = 0;
  overlong = 0;
  unreadable = 0;
  example: GcTrace['unreadable']['example'] = null;
  private readonly out = { end: 0 };

  private stream(service: string): StreamBuilder {
    let b = this.current.get(service);
    if (!b) {
      b = new StreamBuilder(service, 1);
      this.current.set(service, b);
      this.builders.push(b);
    }
    return b;
  }

  private bad(line: number, text: string, reason: string): void {
    this.unreadable++;
    this.example ??= { line, text: text.slice(0, EXAMPLE_CHARS), reason };
  }

  /** Reads the records in `text`; returns whether it held any marker. */
  private scan(text: string, service: string | null, line: number, whole: string): boolean {
    const scanner = new MarkerScanner(text);
    let m = scanner.find(0);
    if (!m) return false;
    const svc = service ?? serviceFromPrefix(text.slice(0, m.at));
    while (m) {
      const b = this.stream(svc);
      if (m.kind === 'gc-forced') {
        b.periodicPending = true;
        this.out.end = m.at + 9;
      } else if (m.kind === 'gc') {
        const r = readGcLine(text, m.at, this.out);
        if (isFault(r)) this.bad(line, whole, r.reason);
        else if (r.num === b.lastNum && r.atS === b.lastAt) this.duplicates++;
        else {
          let target = b;
          if (b.flags.length > 0 && r.num <= b.lastNum) {
            // The GC number went back: the process restarted.
            target = new StreamBuilder(svc, b.run + 1);
            this.current.set(svc, target);
            this.builders.push(target);
          }
          target.addCycle(r, line);
        }
      } else {
        const r = readScavLine(text, m.at, this.out);
        if (isFault(r)) this.bad(line, whole, r.reason);
        else b.addScav(r, line);
      }
      m = scanner.find(this.out.end);
    }
    return true;
  }

  /** A JSON record: its string fields are read, the service taken from its other fields. */
  private json(text: string, at: number, prefix: string, line: number): boolean {
    let rec: unknown;
    try {
      rec = JSON.parse(text.slice(at));
    } catch {
      return false;
    }
    if (!rec || typeof rec !== 'object' || Array.isArray(rec)) return false;
    const fromFields = serviceFromRecord(rec as Record<string, unknown>);
    const fromPrefix = serviceFromPrefix(prefix);
    const service = [fromPrefix, fromFields].filter((s) => s).join(' ');
    let any = false;
    for (const s of stringLeaves(rec)) if (this.scan(s, service, line, text)) any = true;
    return any;
  }

  line(raw: string): void {
    const n = ++this.lines;
    let text = raw;
    if (text.length > MAX_LINE_CHARS) {
      this.overlong++;
      text = text.slice(0, MAX_LINE_CHARS);
    }
    const brace = text.indexOf('{');
    if (brace >= 0) {
      const first = new MarkerScanner(text).find(0);
      if (first && first.at > brace && this.json(text, brace, text.slice(0, brace), n)) return;
    }
    if (!this.scan(text, null, n, text)) this.otherLines++;
  }

  result(): GcTrace {
    const counts = new Map<string, number>();
    for (const b of this.builders) counts.set(b.service, (counts.get(b.service) ?? 0) + 1);
    const streams = this.builders
      .filter((b) => b.flags.length > 0 || b.scavFlags.length > 0)
      .map((b) => {
        const name = b.service || 'gctrace';
        return b.build((counts.get(b.service) ?? 0) > 1 ? `${name} · run ${b.run}` : name);
      });
    return {
      streams,
      lines: this.lines,
      otherLines: this.otherLines,
      duplicates: this.duplicates,
      unreadable: { count: this.unreadable, example: this.example },
      overlong: this.overlong,
    };
  }
}

function checkBytes(bytes: Uint8Array): void {
  let blank = true;
  for (let i = 0; i < bytes.length && blank; i++) {
    const c = bytes[i];
    blank = c === 32 || c === 9 || c === 10 || c === 13;
  }
  if (blank) throw new GcTraceError('empty', 'the GC log is empty');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    throw new GcTraceError(
      'binary',
      'this is gzip-compressed data, not a GC log: decompress it first',
    );
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++)
    if (bytes[i] === 0)
      throw new GcTraceError(
        'binary',
        'this is binary data, not a GC log (a text log with GODEBUG=gctrace=1 lines)',
      );
}

/**
 * Reads a GC log. Throws GcTraceError when the input is empty, binary, or holds no gctrace
 * line at all; otherwise returns every stream found, with counts of what was skipped.
 */
export function readGcTrace(input: Uint8Array | string, opts: ReadOptions = {}): GcTrace {
  const r = new Reader();
  if (typeof input === 'string') {
    if (input.trim() === '') throw new GcTraceError('empty', 'the GC log is empty');
    let pos = 0;
    while (pos <= input.length) {
      let nl = input.indexOf('\n', pos);
      if (nl < 0) nl = input.length;
      if (nl > pos || nl < input.length) r.line(input.slice(pos, nl));
      pos = nl + 1;
    }
  } else {
    checkBytes(input);
    const decoder = new TextDecoder('utf-8');
    let pos = 0;
    while (pos < input.length) {
      const limit = Math.min(input.length, pos + CHUNK_BYTES);
      let end = limit;
      if (limit < input.length) {
        end = input.lastIndexOf(10, limit - 1) + 1;
        if (end <= pos) {
          // One line longer than a chunk: read its head, skip to its end.
          r.line(decoder.decode(input.subarray(pos, pos + MAX_LINE_CHARS)));
          const nl = input.indexOf(10, limit);
          r.overlong++;
          pos = nl < 0 ? input.length : nl + 1;
          continue;
        }
      }
      const text = decoder.decode(input.subarray(pos, end));
      let start = 0;
      while (start < text.length) {
        let nl = text.indexOf('\n', start);
        if (nl < 0) nl = text.length;
        r.line(text.slice(start, nl));
        start = nl + 1;
      }
      pos = end;
      opts.progress?.(pos / input.length);
    }
  }
  const out = r.result();
  if (out.streams.every((s) => s.cycles.length === 0)) {
    const ex = out.unreadable.example;
    throw new GcTraceError(
      'no-gctrace',
      ex
        ? `no readable gctrace line: ${out.unreadable.count} line(s) look like one but cannot be read (line ${ex.line}: ${ex.reason})`
        : `no gctrace line in ${out.lines} line(s): a GC log holds the "gc N @…s …%: …" lines Go prints to stderr with GODEBUG=gctrace=1`,
    );
  }
  return out;
}

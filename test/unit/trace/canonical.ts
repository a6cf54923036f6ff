// Writes each event the reader emits as the same canonical text line the Go oracle
// (test/oracles/trace -dump) prints, so the two readers can be compared event by event.
import type { EventSink, RawEvent } from '../../../core/trace/event';
import { TraceReader } from '../../../core/trace/reader';
import type { Generation } from '../../../core/trace/generation';
import {
  EvCPUSample,
  EvFirstExperimental,
  EvGCActive,
  EvGCBegin,
  EvGCEnd,
  EvGCMarkAssistActive,
  EvGCMarkAssistBegin,
  EvGCMarkAssistEnd,
  EvGCSweepActive,
  EvGCSweepBegin,
  EvGCSweepEnd,
  EvGoBlock,
  EvGoCreate,
  EvGoCreateBlocked,
  EvGoCreateSyscall,
  EvGoDestroy,
  EvGoDestroySyscall,
  EvGoLabel,
  EvGoStart,
  EvGoStatus,
  EvGoStatusStack,
  EvGoStop,
  EvGoSwitch,
  EvGoSwitchDestroy,
  EvGoSyscallBegin,
  EvGoSyscallEnd,
  EvGoSyscallEndBlocked,
  EvGoUnblock,
  EvHeapAlloc,
  EvHeapGoal,
  EvLastExperimental,
  EvProcStart,
  EvProcStatus,
  EvProcSteal,
  EvProcStop,
  EvProcsChange,
  EvSTWBegin,
  EvSTWEnd,
  EvSyncEvent,
  EvUserLog,
  EvUserRegionBegin,
  EvUserRegionEnd,
  EvUserTaskBegin,
  EvUserTaskEnd,
  GO_STATE_NAMES,
  GO_STATUS_TO_STATE,
  MAIN_STACK_ARG,
  PROC_STATE_NAMES,
  PROC_STATUS_TO_STATE,
  ProcIdle,
  ProcRunning,
  ProcStatusSyscallAbandoned,
} from '../../../core/trace/spec';
import { toInt64 } from '../../../core/trace/varint';

/** Go's strconv.Quote for the strings traces hold (ASCII and printable Unicode). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

export class CanonicalSink implements EventSink {
  gen: Generation | null = null;
  readonly lines: string[] = [];
  constructor(private readonly onLine?: (line: string) => void) {}

  generation(gen: Generation): void {
    this.gen = gen;
  }

  private str(id: number): string {
    return this.gen?.strings.get(id) ?? '';
  }

  private stack(id: number): string {
    if (id === 0 || this.gen === null) return '';
    const pcs = this.gen.stacks.get(id);
    if (pcs === undefined) return '';
    return pcs
      .map((pc) => {
        const f = this.gen!.frames.get(pc)!;
        return `${this.str(f.funcId)}@${pc.toString(16)} ${this.str(f.fileId)}:${f.line}`;
      })
      .join(';');
  }

  event(ev: RawEvent): void {
    const t = ev.type;
    let kind: string;
    let detail = '';
    let tstack = '';
    let tstackAlways = false;
    const g = (s: number, from: number, to: number, reason = ''): string =>
      ` G${s} ${GO_STATE_NAMES[from]}->${GO_STATE_NAMES[to]} reason=${goQuote(reason)}`;
    const p = (s: number, from: number, to: number): string =>
      ` P${s} ${PROC_STATE_NAMES[from]}->${PROC_STATE_NAMES[to]} reason=""`;
    const range = (name: string, scope: string): string => ` range=${goQuote(name)} scope=${scope}`;
    switch (t) {
      case EvSyncEvent:
        kind = 'Sync';
        detail = ` n=${ev.a0}`;
        break;
      case EvCPUSample:
        kind = 'StackSample';
        break;
      case EvProcsChange:
        kind = 'Metric';
        detail = ` /sched/gomaxprocs:threads=${ev.a0}`;
        break;
      case EvHeapAlloc:
        kind = 'Metric';
        detail = ` /memory/classes/heap/objects:bytes=${ev.a0}`;
        break;
      case EvHeapGoal:
        kind = 'Metric';
        detail = ` /gc/heap/goal:bytes=${ev.a0}`;
        break;
      case EvGoLabel:
        kind = 'Label';
        detail = ` label=${goQuote(this.str(ev.a0))} on=${ev.g}`;
        break;
      case EvProcStart:
        kind = 'StateTransition';
        detail = p(toInt64(ev.a0), ProcIdle, ProcRunning);
        break;
      case EvProcStop:
        kind = 'StateTransition';
        detail = p(ev.p, ProcRunning, ProcIdle);
        break;
      case EvProcSteal:
        kind = 'StateTransition';
        detail = p(
          toInt64(ev.a0),
          ev.x0 === ProcStatusSyscallAbandoned ? ProcIdle : ProcRunning,
          ProcIdle,
        );
        break;
      case EvProcStatus:
        kind = 'StateTransition';
        detail = p(toInt64(ev.a0), ev.x0, PROC_STATUS_TO_STATE[ev.a1]);
        break;
      case EvGoCreate:
      case EvGoCreateBlocked:
        kind = 'StateTransition';
        detail = g(toInt64(ev.a0), 1, t === EvGoCreate ? 2 : 4);
        // Go's reader gives a creation a stack handle even for stack id 0 (printed empty).
        tstackAlways = true;
        tstack = this.stack(ev.a1);
        break;
      case EvGoCreateSyscall:
        kind = 'StateTransition';
        detail = g(toInt64(ev.a0), 1, 5);
        break;
      case EvGoStart:
        kind = 'StateTransition';
        detail = g(toInt64(ev.a0), 2, 3);
        break;
      case EvGoDestroy:
        kind = 'StateTransition';
        detail = g(ev.g, 3, 1);
        break;
      case EvGoDestroySyscall:
        kind = 'StateTransition';
        detail = g(ev.g, 5, 1);
        break;
      case EvGoStop:
      case EvGoBlock:
        kind = 'StateTransition';
        detail = g(ev.g, 3, t === EvGoStop ? 2 : 4, this.str(ev.a0));
        tstack = this.stack(ev.a1);
        break;
      case EvGoUnblock:
      case EvGoSwitch:
      case EvGoSwitchDestroy:
        kind = 'StateTransition';
        detail = g(toInt64(ev.a0), 4, 2);
        break;
      case EvGoSyscallBegin:
        kind = 'StateTransition';
        detail = g(ev.g, 3, 5);
        tstack = this.stack(ev.a1);
        break;
      case EvGoSyscallEnd:
        kind = 'StateTransition';
        detail = g(ev.g, 5, 3);
        break;
      case EvGoSyscallEndBlocked:
        kind = 'StateTransition';
        detail = g(ev.g, 5, 2);
        break;
      case EvGoStatus:
      case EvGoStatusStack:
        kind = 'StateTransition';
        detail = g(toInt64(ev.a0), ev.x0, GO_STATUS_TO_STATE[ev.a2]);
        if (t === EvGoStatusStack) tstack = this.stack(ev.a3);
        break;
      case EvSTWBegin:
      case EvSTWEnd:
        kind = t === EvSTWBegin ? 'RangeBegin' : 'RangeEnd';
        detail = range(`stop-the-world (${this.str(ev.a0)})`, `G${ev.g}`);
        break;
      case EvGCBegin:
      case EvGCActive:
      case EvGCEnd:
        kind = t === EvGCBegin ? 'RangeBegin' : t === EvGCActive ? 'RangeActive' : 'RangeEnd';
        detail = range('GC concurrent mark phase', 'none');
        break;
      case EvGCSweepBegin:
      case EvGCSweepActive:
      case EvGCSweepEnd:
        kind =
          t === EvGCSweepBegin ? 'RangeBegin' : t === EvGCSweepActive ? 'RangeActive' : 'RangeEnd';
        detail = range('GC incremental sweep', `P${t === EvGCSweepActive ? toInt64(ev.a0) : ev.p}`);
        if (t === EvGCSweepEnd) detail += ` bytes_swept=${ev.a0} bytes_reclaimed=${ev.a1}`;
        break;
      case EvGCMarkAssistBegin:
      case EvGCMarkAssistActive:
      case EvGCMarkAssistEnd:
        kind =
          t === EvGCMarkAssistBegin
            ? 'RangeBegin'
            : t === EvGCMarkAssistActive
              ? 'RangeActive'
              : 'RangeEnd';
        detail = range('GC mark assist', `G${t === EvGCMarkAssistActive ? toInt64(ev.a0) : ev.g}`);
        break;
      case EvUserTaskBegin:
        kind = 'TaskBegin';
        detail = ` task=${toInt64(ev.a0)} parent=${toInt64(ev.a1)} type=${goQuote(this.str(ev.a2))}`;
        break;
      case EvUserTaskEnd:
        kind = 'TaskEnd';
        detail = ` task=${toInt64(ev.a0)} parent=${toInt64(ev.x0)} type=${goQuote(ev.xs)}`;
        break;
      case EvUserRegionBegin:
      case EvUserRegionEnd:
        kind = t === EvUserRegionBegin ? 'RegionBegin' : 'RegionEnd';
        detail = ` task=${toInt64(ev.a0)} type=${goQuote(this.str(ev.a1))}`;
        break;
      case EvUserLog:
        kind = 'Log';
        detail = ` task=${toInt64(ev.a0)} category=${goQuote(this.str(ev.a1))} message=${goQuote(this.str(ev.a2))}`;
        break;
      default:
        if (t >= EvFirstExperimental && t <= EvLastExperimental) {
          kind = 'Experimental';
          break;
        }
        throw new Error(`canonical: unexpected event type ${t}`);
    }
    let line = `${kind} t=${ev.time} g=${ev.g} p=${ev.p} m=${ev.m}${detail}`;
    if (tstack !== '' || tstackAlways) line += ` tstack=${tstack}`;
    if (t !== EvSyncEvent) {
      const sa = MAIN_STACK_ARG[t];
      if (sa >= 0) {
        const id = sa === 0 ? ev.a0 : sa === 1 ? ev.a1 : sa === 2 ? ev.a2 : ev.a3;
        const s = this.stack(id);
        if (s !== '') line += ` stack=${s}`;
      }
    }
    if (this.onLine) this.onLine(line);
    else this.lines.push(line);
  }
}

/**
 * Reads a trace with our reader and digests its canonical lines the way the oracle does: on a
 * read error only the events up to and including the last Sync count.
 */
export function canonicalDigest(
  bytes: Uint8Array,
  createHash: (alg: 'sha256') => { update(s: string): unknown; digest(enc: 'hex'): string },
): {
  sha256: string;
  count: number;
  error: string | undefined;
} {
  const hash = createHash('sha256');
  let pending: string[] = [];
  let count = 0;
  let kept = 0;
  const sink = new CanonicalSink((line) => {
    pending.push(line);
    count++;
    if (line.startsWith('Sync ')) {
      for (const l of pending) hash.update(l + '\n');
      pending = [];
      kept = count;
    }
  });
  let error: string | undefined;
  try {
    const r = new TraceReader(sink);
    r.push(bytes);
    r.end();
  } catch (err) {
    error = (err as Error).message;
  }
  return { sha256: hash.digest('hex'), count: kept, error };
}

// The event record the reader hands to its sink, one at a time, in trace order.
//
// One record object is reused for every event (valid only during the sink call), so reading
// allocates nothing per event. Fields follow Go's reader: `g`, `p`, `m` are the scheduling
// context *before* the event (-1 for none); a0..a3 are the wire arguments after the timestamp
// (string and stack arguments are ids in the current generation's tables); x0/xs carry what
// Go's reader infers while ordering (see each event type below).
//
// x0: GoStatus/GoStatusStack - the goroutine state before (GoUndetermined in the first
//     generation); ProcStatus - the P state before; ProcSteal - the P's wire status before
//     (ProcStatusSyscall or ProcStatusSyscallAbandoned); UserTaskEnd - the parent task.
// xs: UserTaskEnd - the task's type name (from its begin, possibly in an older generation).
// STWEnd: a0 is the STW kind string id recovered from its begin.
// CPU samples: a0 is the stack id; EvSyncEvent: a0 is the sync number (1, 2, ...).
import type { Generation } from './generation';

export class RawEvent {
  type = 0;
  /** Nanoseconds since the trace's first event (Go's Time minus the first event's Time). */
  time = 0;
  g = -1;
  p = -1;
  m = -1;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  x0 = 0;
  xs = '';

  copyFrom(o: RawEvent): void {
    this.type = o.type;
    this.time = o.time;
    this.g = o.g;
    this.p = o.p;
    this.m = o.m;
    this.a0 = o.a0;
    this.a1 = o.a1;
    this.a2 = o.a2;
    this.a3 = o.a3;
    this.x0 = o.x0;
    this.xs = o.xs;
  }
}

/** Receives ordered events. `generation` is called before each generation's events. */
export interface EventSink {
  generation(gen: Generation): void;
  event(ev: RawEvent): void;
}

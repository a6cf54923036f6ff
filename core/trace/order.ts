// The ordering engine: Go's partial order across threads, re-implemented from
// src/internal/trace/order.go. Within one thread events are trusted to be in order; across
// threads, sequence numbers on goroutines, Ps and GC cycles decide what may come next. advance()
// tries one thread's next event against the emulated scheduler state: it either emits the
// event (and any events it implies) and returns true, returns false when the event must wait
// for another thread, or throws a TraceError when the trace contradicts itself.
import { TraceError } from './errors';
import { RawEvent } from './event';
import {
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
  EvProcStart,
  EvProcStatus,
  EvProcSteal,
  EvProcStop,
  EvProcsChange,
  EvSTWBegin,
  EvSTWEnd,
  EvUserLog,
  EvUserRegionBegin,
  EvUserRegionEnd,
  EvUserTaskBegin,
  EvUserTaskEnd,
  EvFirstExperimental,
  EvLastExperimental,
  GoStatusRunnable,
  GoStatusRunning,
  GoStatusSyscall,
  GoStatusWaiting,
  GoUndetermined,
  GO_STATUS_TO_STATE,
  NONE,
  ProcIdle,
  ProcNotExist,
  ProcRunning,
  ProcStatusIdle,
  ProcStatusRunning,
  ProcStatusSyscall,
  ProcStatusSyscallAbandoned,
  ProcUndetermined,
  PROC_STATUS_TO_STATE,
  START_EV,
  eventName,
} from './spec';
import type { Generation } from './generation';
import { toInt64, U64_NONE } from './varint';

const STATUS_NAMES = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting'];
const PSTATUS_NAMES = ['Bad', 'Running', 'Idle', 'Syscall', 'SyscallAbandoned'];

class RangeSet {
  /** Keys of the ranges in flight: desc * 256 + begin event type. */
  inFlight: number[] = [];

  has(key: number): boolean {
    return this.inFlight.includes(key);
  }

  begin(key: number): void {
    if (this.has(key))
      throw inconsistent(`range ${eventName(key % 256)} began twice without ending`);
    this.inFlight.push(key);
  }

  active(key: number, initialGen: boolean): void {
    if (initialGen) {
      if (this.has(key))
        throw inconsistent(
          `range ${eventName(key % 256)} marked active twice in the first generation`,
        );
      this.inFlight.push(key);
    } else if (!this.has(key)) {
      throw inconsistent(`range ${eventName(key % 256)} is reported active but never began`);
    }
  }

  /** Ends the range begun by `startEv`; returns its description string id. */
  end(startEv: number): number {
    const list = this.inFlight;
    for (let i = 0; i < list.length; i++) {
      if (list[i] % 256 === startEv) {
        const desc = Math.floor(list[i] / 256);
        list[i] = list[list.length - 1];
        list.pop();
        return desc;
      }
    }
    throw inconsistent(`range ${eventName(startEv)} ended but was not in progress`);
  }
}

export class GState {
  status: number;
  seqGen: number;
  seq: number;
  regions: { task: number; name: string }[] = [];
  ranges = new RangeSet();
  constructor(
    readonly id: number,
    status: number,
    gen: number,
  ) {
    this.status = status;
    this.seqGen = gen;
    this.seq = 0;
  }
}

class PState {
  status: number;
  seqGen: number;
  seq = 0;
  ranges = new RangeSet();
  constructor(
    readonly id: number,
    status: number,
    gen: number,
  ) {
    this.status = status;
    this.seqGen = gen;
  }
}

/** Receives events in order as the ordering engine lets them through. */
export interface OrderedSink {
  ordered(ev: RawEvent): void;
}

export class MState {
  g = NONE;
  p = NONE;
}

function inconsistent(msg: string): TraceError {
  return new TraceError('inconsistent', msg);
}

const GC_UNDETERMINED = 0;
const GC_NOT_RUNNING = 1;
const GC_RUNNING = 2;

// Scheduling-context requirements.
const MUST_NOT = 0;
const MAY = 1;
const MUST = 2;

/** Ids below this live in arrays; larger ones (rare) in maps. */
const DENSE_LIMIT = 1 << 22;

export class Ordering {
  private gDense: (GState | undefined)[] = [];
  private gSparse = new Map<number, GState>();
  private pStates = new Map<number, PState>();
  readonly mStates = new Map<number, MState>();
  private activeTasks = new Map<number, { name: string; parent: number }>();
  private gcSeq = 0;
  private gcState = GC_UNDETERMINED;
  private initialGen = 0;

  /**
   * Receives each event as soon as it is ordered. Go's reader queues them and returns them
   * after reading the thread's next event; emitting at once gives the same sequence (a read
   * error after it discards the generation either way).
   */
  private readonly out: OrderedSink;
  private readonly scratch = new RawEvent();

  constructor(out: OrderedSink) {
    this.out = out;
  }

  // The scheduling context of the event being advanced (Go's curCtx).
  private cG = NONE;
  private cP = NONE;
  private cM = NONE;

  private getG(id: number): GState | undefined {
    return id >= 0 && id < DENSE_LIMIT ? this.gDense[id] : this.gSparse.get(id);
  }

  private setG(id: number, s: GState | undefined): void {
    if (id >= 0 && id < DENSE_LIMIT) this.gDense[id] = s;
    else if (s === undefined) this.gSparse.delete(id);
    else this.gSparse.set(id, s);
  }

  mState(m: number): MState {
    let ms = this.mStates.get(m);
    if (ms === undefined) {
      ms = new MState();
      this.mStates.set(m, ms);
    }
    return ms;
  }

  /** Emits ev with the current context. */
  private push(ev: RawEvent): void {
    ev.g = this.cG;
    ev.p = this.cP;
    ev.m = this.cM;
    this.out.ordered(ev);
  }

  /** Emits an event the ordering infers (GoSwitch's block and start, a self-steal). */
  private pushSynthetic(
    type: number,
    time: number,
    g: number,
    p: number,
    m: number,
    a0: number,
    a1: number,
    x0 = 0,
  ): void {
    const q = this.scratch;
    q.type = type;
    q.time = time;
    q.g = g;
    q.p = p;
    q.m = m;
    q.a0 = a0;
    q.a1 = a1;
    q.a2 = 0;
    q.a3 = 0;
    q.x0 = x0;
    q.xs = '';
    this.out.ordered(q);
  }

  private validate(reqM: number, reqP: number, reqG: number): void {
    if (reqM === MUST && this.cM === NONE)
      throw inconsistent("expected a thread but didn't have one");
    if (reqM === MUST_NOT && this.cM !== NONE) throw inconsistent('expected no thread but had one');
    if (reqP === MUST && this.cP === NONE)
      throw inconsistent("expected a proc but didn't have one");
    if (reqP === MUST_NOT && this.cP !== NONE) throw inconsistent('expected no proc but had one');
    if (reqG === MUST && this.cG === NONE)
      throw inconsistent("expected a goroutine but didn't have one");
    if (reqG === MUST_NOT && this.cG !== NONE)
      throw inconsistent('expected no goroutine but had one');
  }

  private userGo(): void {
    this.validate(MUST, MUST, MUST);
  }

  /**
   * Tries to advance `ev` (a timed event read from thread m of generation `gen`). `ms` is that
   * thread's state (null for the "no thread" batches).
   */
  advance(ev: RawEvent, m: number, ms: MState | null, gen: number, evt: Generation): boolean {
    if (this.initialGen === 0) this.initialGen = gen;
    this.cM = m;
    if (ms === null) {
      this.cP = NONE;
      this.cG = NONE;
    } else {
      this.cP = ms.p;
      this.cG = ms.g;
    }
    // The context after the event; handlers change it, and it is stored on success.
    this.nG = this.cG;
    this.nP = this.cP;
    const ok = this.dispatch(ev, gen, evt);
    if (ok && ms !== null) {
      ms.p = this.nP;
      ms.g = this.nG;
    }
    return ok;
  }

  private nG = NONE;
  private nP = NONE;

  private dispatch(ev: RawEvent, gen: number, evt: Generation): boolean {
    switch (ev.type) {
      case EvGoStart:
        return this.goStart(ev, gen);
      case EvGoBlock:
      case EvGoStop:
      case EvGoDestroy:
        return this.goStopExec(ev);
      case EvGoUnblock:
        return this.goUnblock(ev, gen);
      case EvProcsChange:
      case EvGoLabel:
      case EvUserLog:
        this.userGo();
        this.push(ev);
        return true;
      case EvHeapAlloc:
      case EvHeapGoal:
        this.validate(MUST, MUST, MAY);
        this.push(ev);
        return true;
      case EvProcStart:
        return this.procStart(ev, gen);
      case EvProcStop:
        return this.procStop(ev);
      case EvProcSteal:
        return this.procSteal(ev, gen);
      case EvProcStatus:
        return this.procStatus(ev, gen);
      case EvGoCreate:
      case EvGoCreateBlocked:
        return this.goCreate(ev, gen);
      case EvGoCreateSyscall:
        return this.goCreateSyscall(ev, gen);
      case EvGoDestroySyscall:
        return this.goDestroySyscall(ev);
      case EvGoSyscallBegin:
        return this.goSyscallBegin(ev, gen);
      case EvGoSyscallEnd:
        return this.goSyscallEnd(ev);
      case EvGoSyscallEndBlocked:
        return this.goSyscallEndBlocked(ev);
      case EvGoStatus:
      case EvGoStatusStack:
        return this.goStatus(ev, gen);
      case EvSTWBegin:
      case EvGCMarkAssistBegin:
        return this.goRangeBegin(ev);
      case EvSTWEnd:
      case EvGCMarkAssistEnd:
        return this.goRangeEnd(ev);
      case EvGCMarkAssistActive:
        return this.goRangeActive(ev, gen);
      case EvGCActive:
        return this.gcActive(ev, gen);
      case EvGCBegin:
        return this.gcBegin(ev);
      case EvGCEnd:
        return this.gcEnd(ev);
      case EvGCSweepActive:
        return this.gcSweepActive(ev, gen);
      case EvGCSweepBegin:
        return this.gcSweepBegin(ev);
      case EvGCSweepEnd:
        return this.gcSweepEnd(ev);
      case EvUserTaskBegin:
        return this.userTaskBegin(ev, evt);
      case EvUserTaskEnd:
        return this.userTaskEnd(ev);
      case EvUserRegionBegin:
      case EvUserRegionEnd:
        return this.userRegion(ev, evt);
      case EvGoSwitch:
      case EvGoSwitchDestroy:
        return this.goSwitch(ev, gen);
      default:
        if (ev.type >= EvFirstExperimental && ev.type <= EvLastExperimental) {
          this.validate(MUST, MAY, MAY);
          this.push(ev);
          return true;
        }
        throw new TraceError(
          'malformed',
          `event ${eventName(ev.type)} cannot appear in an event batch`,
        );
    }
  }

  private procStatus(ev: RawEvent, gen: number): boolean {
    const pid = toInt64(ev.a0);
    const status = ev.a1;
    if (status >= PROC_STATUS_TO_STATE.length)
      throw inconsistent(`invalid status ${status} for proc ${pid}`);
    let oldState = PROC_STATUS_TO_STATE[status];
    const s = this.pStates.get(pid);
    if (s !== undefined) {
      if (status === ProcStatusSyscallAbandoned && s.status === ProcStatusSyscall) {
        // Nothing was lost: the P is known to be in a syscall. Promote and advance.
        oldState = ProcRunning;
        ev.a1 = ProcStatusSyscall;
      } else if (status === ProcStatusSyscallAbandoned && s.status === ProcStatusSyscallAbandoned) {
        oldState = ProcIdle;
        ev.a1 = ProcStatusSyscallAbandoned;
      } else if (s.status !== status) {
        throw inconsistent(
          `inconsistent status for proc ${pid}: old ${PSTATUS_NAMES[s.status]} vs. new ${PSTATUS_NAMES[status]}`,
        );
      }
      s.seqGen = gen;
      s.seq = 0;
    } else {
      this.pStates.set(pid, new PState(pid, status, gen));
      oldState = gen === this.initialGen ? ProcUndetermined : ProcNotExist;
    }
    ev.x0 = oldState;
    if (status === ProcStatusRunning || status === ProcStatusSyscall) this.nP = pid;
    if (status === ProcStatusSyscallAbandoned && oldState === ProcRunning) {
      // The P is about to be stolen; emit its status in the context of the thread it's bound to.
      let found = false;
      for (const [mid, ms] of this.mStates) {
        if (ms.p === pid) {
          this.cM = mid;
          this.cP = pid;
          this.cG = ms.g;
          found = true;
        }
      }
      if (!found)
        throw inconsistent(`failed to find the thread of proc ${pid}, which is about to be stolen`);
    }
    this.push(ev);
    return true;
  }

  private procStart(ev: RawEvent, gen: number): boolean {
    const pid = toInt64(ev.a0);
    const st = this.pStates.get(pid);
    if (
      st === undefined ||
      st.status !== ProcStatusIdle ||
      !(st.seqGen === gen && ev.a1 === st.seq + 1) ||
      this.cP !== NONE
    ) {
      return false;
    }
    this.validate(MUST, MUST_NOT, MAY);
    st.status = ProcStatusRunning;
    st.seqGen = gen;
    st.seq = ev.a1;
    this.nP = pid;
    this.push(ev);
    return true;
  }

  private procStop(ev: RawEvent): boolean {
    const st = this.pStates.get(this.cP);
    if (st === undefined)
      throw inconsistent(`event ProcStop for proc ${this.cP} that doesn't exist`);
    if (st.status !== ProcStatusRunning && st.status !== ProcStatusSyscall) {
      throw inconsistent("ProcStop event for proc that's not Running or Syscall");
    }
    this.validate(MUST, MUST, MAY);
    st.status = ProcStatusIdle;
    this.nP = NONE;
    this.push(ev);
    return true;
  }

  private procSteal(ev: RawEvent, gen: number): boolean {
    const pid = toInt64(ev.a0);
    const st = this.pStates.get(pid);
    if (
      st === undefined ||
      (st.status !== ProcStatusSyscall && st.status !== ProcStatusSyscallAbandoned) ||
      !(st.seqGen === gen && ev.a1 === st.seq + 1)
    ) {
      return false;
    }
    this.validate(MUST, MAY, MAY);
    const oldStatus = st.status;
    ev.x0 = oldStatus;
    st.status = ProcStatusIdle;
    st.seqGen = gen;
    st.seq = ev.a1;
    if (oldStatus === ProcStatusSyscallAbandoned) {
      this.push(ev);
      return true;
    }
    const mid = toInt64(ev.a2);
    if (mid === this.cM) {
      if (this.cP !== pid)
        throw inconsistent(
          `tried to self-steal proc ${pid} (thread ${mid}), but got proc ${this.cP} instead`,
        );
      this.nP = NONE;
      this.push(ev);
      return true;
    }
    const other = this.mStates.get(mid);
    if (other === undefined) throw inconsistent(`stole proc from non-existent thread ${mid}`);
    if (other.p !== pid)
      throw inconsistent(
        `tried to steal proc ${pid} from thread ${mid}, but got proc ${other.p} instead`,
      );
    other.p = NONE;
    this.push(ev);
    return true;
  }

  private goStatus(ev: RawEvent, gen: number): boolean {
    const gid = toInt64(ev.a0);
    const mid = toInt64(ev.a1);
    const status = ev.a2;
    if (status >= GO_STATUS_TO_STATE.length)
      throw inconsistent(`invalid status ${status} for goroutine ${gid}`);
    let oldState = GO_STATUS_TO_STATE[status];
    const s = this.getG(gid);
    if (s !== undefined) {
      if (s.status !== status) {
        throw inconsistent(
          `inconsistent status for goroutine ${gid}: old ${STATUS_NAMES[s.status]} vs. new ${STATUS_NAMES[status]}`,
        );
      }
      s.seqGen = gen;
      s.seq = 0;
    } else if (gen === this.initialGen) {
      this.setG(gid, new GState(gid, status, gen));
      oldState = GoUndetermined;
    } else {
      throw inconsistent(
        `found goroutine status for new goroutine ${gid} after the first generation`,
      );
    }
    ev.x0 = oldState;
    if (status === GoStatusRunning) {
      this.nG = gid;
    } else if (status === GoStatusSyscall) {
      if (mid === NONE) throw inconsistent(`found goroutine ${gid} in syscall without a thread`);
      if (mid === this.cM) {
        if (gen !== this.initialGen && this.cG !== gid) {
          throw inconsistent(
            `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${this.cG}`,
          );
        }
        this.nG = gid;
      } else {
        const other = this.mStates.get(mid);
        if (other !== undefined) {
          if (other.g !== gid) {
            throw inconsistent(
              `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`,
            );
          }
          this.cG = other.g;
        } else {
          const created = new MState();
          created.g = gid;
          this.mStates.set(mid, created);
        }
        this.cM = mid;
      }
    }
    this.push(ev);
    return true;
  }

  private goCreate(ev: RawEvent, gen: number): boolean {
    this.validate(MUST, MUST, MAY);
    const cur = this.getG(this.cG);
    if (cur !== undefined && cur.status !== GoStatusRunning) {
      throw inconsistent(`${eventName(ev.type)} event for goroutine that's not Running`);
    }
    const newg = toInt64(ev.a0);
    if (this.getG(newg) !== undefined)
      throw inconsistent(`tried to create goroutine (${newg}) that already exists`);
    const status = ev.type === EvGoCreateBlocked ? GoStatusWaiting : GoStatusRunnable;
    this.setG(newg, new GState(newg, status, gen));
    this.push(ev);
    return true;
  }

  private goStopExec(ev: RawEvent): boolean {
    this.userGo();
    const st = this.getG(this.cG);
    if (st === undefined)
      throw inconsistent(
        `event ${eventName(ev.type)} for goroutine (${this.cG}) that doesn't exist`,
      );
    if (st.status !== GoStatusRunning)
      throw inconsistent(`${eventName(ev.type)} event for goroutine that's not Running`);
    if (ev.type === EvGoDestroy) {
      this.setG(this.cG, undefined);
    } else if (ev.type === EvGoStop) {
      st.status = GoStatusRunnable;
    } else {
      st.status = GoStatusWaiting;
    }
    this.nG = NONE;
    this.push(ev);
    return true;
  }

  private goStart(ev: RawEvent, gen: number): boolean {
    const gid = toInt64(ev.a0);
    const st = this.getG(gid);
    if (
      st === undefined ||
      st.status !== GoStatusRunnable ||
      !(st.seqGen === gen && ev.a1 === st.seq + 1)
    ) {
      return false;
    }
    this.validate(MUST, MUST, MUST_NOT);
    st.status = GoStatusRunning;
    st.seq = ev.a1;
    this.nG = gid;
    this.push(ev);
    return true;
  }

  private goUnblock(ev: RawEvent, gen: number): boolean {
    const gid = toInt64(ev.a0);
    const st = this.getG(gid);
    if (
      st === undefined ||
      st.status !== GoStatusWaiting ||
      !(st.seqGen === gen && ev.a1 === st.seq + 1)
    ) {
      return false;
    }
    st.status = GoStatusRunnable;
    st.seq = ev.a1;
    this.push(ev);
    return true;
  }

  private goSwitch(ev: RawEvent, gen: number): boolean {
    this.userGo();
    const cur = this.getG(this.cG);
    if (cur === undefined)
      throw inconsistent(
        `event ${eventName(ev.type)} for goroutine (${this.cG}) that doesn't exist`,
      );
    if (cur.status !== GoStatusRunning)
      throw inconsistent(`${eventName(ev.type)} event for goroutine that's not Running`);
    const nextg = toInt64(ev.a0);
    const next = this.getG(nextg);
    if (
      next === undefined ||
      next.status !== GoStatusWaiting ||
      !(next.seqGen === gen && ev.a1 === next.seq + 1)
    ) {
      return false;
    }
    this.push(ev);
    if (ev.type === EvGoSwitch) {
      cur.status = GoStatusWaiting;
      this.pushSynthetic(EvGoBlock, ev.time, this.cG, this.cP, this.cM, 0, 0);
    } else {
      this.setG(this.cG, undefined);
      this.pushSynthetic(EvGoDestroy, ev.time, this.cG, this.cP, this.cM, 0, 0);
    }
    next.status = GoStatusRunning;
    next.seq = ev.a1;
    this.nG = nextg;
    this.pushSynthetic(EvGoStart, ev.time, NONE, this.cP, this.cM, nextg, ev.a1);
    return true;
  }

  private goSyscallBegin(ev: RawEvent, gen: number): boolean {
    this.userGo();
    const st = this.getG(this.cG);
    if (st === undefined)
      throw inconsistent(`event GoSyscallBegin for goroutine (${this.cG}) that doesn't exist`);
    if (st.status !== GoStatusRunning)
      throw inconsistent("GoSyscallBegin event for goroutine that's not Running");
    st.status = GoStatusSyscall;
    const ps = this.pStates.get(this.cP);
    if (ps === undefined)
      throw inconsistent(`uninitialized proc ${this.cP} found during GoSyscallBegin`);
    ps.status = ProcStatusSyscall;
    if (!(ps.seqGen === gen && ev.a0 === ps.seq + 1)) {
      throw inconsistent(
        `failed to advance GoSyscallBegin: can't make sequence: ${ps.seq} (gen=${ps.seqGen}) -> ${ev.a0} (gen=${gen})`,
      );
    }
    ps.seq = ev.a0;
    this.push(ev);
    return true;
  }

  private goSyscallEnd(ev: RawEvent): boolean {
    this.userGo();
    const st = this.getG(this.cG);
    if (st === undefined)
      throw inconsistent(`event GoSyscallEnd for goroutine (${this.cG}) that doesn't exist`);
    if (st.status !== GoStatusSyscall)
      throw inconsistent("GoSyscallEnd event for goroutine that's not in a syscall");
    st.status = GoStatusRunning;
    const ps = this.pStates.get(this.cP);
    if (ps === undefined)
      throw inconsistent(`uninitialized proc ${this.cP} found during GoSyscallEnd`);
    if (ps.status !== ProcStatusSyscall) {
      throw inconsistent(
        `expected proc ${this.cP} in state Syscall, but got ${PSTATUS_NAMES[ps.status]} instead`,
      );
    }
    ps.status = ProcStatusRunning;
    this.push(ev);
    return true;
  }

  private goSyscallEndBlocked(ev: RawEvent): boolean {
    if (this.cP !== NONE) {
      const ps = this.pStates.get(this.cP);
      if (ps === undefined)
        throw inconsistent(`uninitialized proc ${this.cP} found during GoSyscallEndBlocked`);
      // Still holding a P in a syscall: wait until it is stolen or stopped.
      if (ps.status === ProcStatusSyscall) return false;
    }
    this.validate(MUST, MAY, MUST);
    const st = this.getG(this.cG);
    if (st === undefined)
      throw inconsistent(`event GoSyscallEndBlocked for goroutine (${this.cG}) that doesn't exist`);
    if (st.status !== GoStatusSyscall)
      throw inconsistent("GoSyscallEndBlocked event for goroutine that's not in a syscall");
    this.nG = NONE;
    st.status = GoStatusRunnable;
    this.push(ev);
    return true;
  }

  private goCreateSyscall(ev: RawEvent, gen: number): boolean {
    this.validate(MUST, MAY, MUST_NOT);
    const newg = toInt64(ev.a0);
    if (this.getG(newg) !== undefined)
      throw inconsistent(`tried to create goroutine (${newg}) in syscall that already exists`);
    this.setG(newg, new GState(newg, GoStatusSyscall, gen));
    this.nG = newg;
    this.push(ev);
    return true;
  }

  private goDestroySyscall(ev: RawEvent): boolean {
    this.validate(MUST, MAY, MUST);
    const st = this.getG(this.cG);
    if (st === undefined)
      throw inconsistent(`event GoDestroySyscall for goroutine (${this.cG}) that doesn't exist`);
    if (st.status !== GoStatusSyscall)
      throw inconsistent("GoDestroySyscall event for goroutine that's not in a syscall");
    this.setG(this.cG, undefined);
    this.nG = NONE;
    if (this.cP !== NONE) {
      const ps = this.pStates.get(this.cP);
      if (ps === undefined)
        throw inconsistent(`found invalid proc ${this.cP} during GoDestroySyscall`);
      if (ps.status !== ProcStatusSyscall) {
        throw inconsistent(
          `proc ${this.cP} in unexpected state ${PSTATUS_NAMES[ps.status]} during GoDestroySyscall`,
        );
      }
      // The thread id may be reused: dissociate the P now, as a self-steal.
      ps.status = ProcStatusSyscallAbandoned;
      this.nP = NONE;
      this.pushSynthetic(
        EvProcSteal,
        ev.time,
        this.cG,
        this.cP,
        this.cM,
        this.cP,
        0,
        ProcStatusSyscall,
      );
    }
    this.push(ev);
    return true;
  }

  private userTaskBegin(ev: RawEvent, evt: Generation): boolean {
    const id = ev.a0;
    if (this.activeTasks.has(id)) throw inconsistent(`task ID conflict: ${id}`);
    // A parent of 0 means "no parent" (not the background task).
    let parent = ev.a1;
    if (parent === 0) {
      parent = U64_NONE;
      ev.a1 = U64_NONE;
    }
    const name = evt.strings.get(ev.a2);
    if (name === undefined && ev.a2 !== 0)
      throw new TraceError('malformed', `invalid string ID ${ev.a2} for UserTaskBegin event`);
    this.activeTasks.set(id, { name: name ?? '', parent });
    this.userGo();
    this.push(ev);
    return true;
  }

  private userTaskEnd(ev: RawEvent): boolean {
    const id = ev.a0;
    const t = this.activeTasks.get(id);
    if (t !== undefined) {
      ev.x0 = t.parent;
      ev.xs = t.name;
      this.activeTasks.delete(id);
    } else {
      ev.x0 = U64_NONE;
      ev.xs = '';
    }
    this.userGo();
    this.push(ev);
    return true;
  }

  private userRegion(ev: RawEvent, evt: Generation): boolean {
    this.userGo();
    const name = evt.strings.get(ev.a1);
    if (name === undefined && ev.a1 !== 0) {
      throw new TraceError(
        'malformed',
        `invalid string ID ${ev.a1} for ${eventName(ev.type)} event`,
      );
    }
    const st = this.getG(this.cG);
    if (st === undefined) {
      throw inconsistent(
        `encountered ${eventName(ev.type)} without known state for current goroutine ${this.cG}`,
      );
    }
    const region = { task: ev.a0, name: name ?? '' };
    if (ev.type === EvUserRegionBegin) {
      st.regions.push(region);
    } else if (st.regions.length > 0) {
      const top = st.regions[st.regions.length - 1];
      if (top.task !== region.task || top.name !== region.name) {
        throw inconsistent(
          `misuse of region in goroutine ${st.id}: region end "${region.name}" when the inner-most active region is "${top.name}"`,
        );
      }
      st.regions.pop();
    }
    this.push(ev);
    return true;
  }

  private gcActive(ev: RawEvent, gen: number): boolean {
    const seq = ev.a0;
    if (gen === this.initialGen) {
      if (this.gcState !== GC_UNDETERMINED)
        throw inconsistent("GCActive in the first generation isn't first GC event");
      this.gcSeq = seq;
      this.gcState = GC_RUNNING;
      this.push(ev);
      return true;
    }
    if (seq !== this.gcSeq + 1) return false;
    if (this.gcState !== GC_RUNNING)
      throw inconsistent('encountered GCActive while GC was not in progress');
    this.gcSeq = seq;
    this.userGo();
    this.push(ev);
    return true;
  }

  private gcBegin(ev: RawEvent): boolean {
    const seq = ev.a0;
    if (this.gcState === GC_UNDETERMINED) {
      this.gcSeq = seq;
      this.gcState = GC_RUNNING;
      this.push(ev);
      return true;
    }
    if (seq !== this.gcSeq + 1) return false;
    if (this.gcState === GC_RUNNING)
      throw inconsistent('encountered GCBegin while GC was already in progress');
    this.gcSeq = seq;
    this.gcState = GC_RUNNING;
    this.userGo();
    this.push(ev);
    return true;
  }

  private gcEnd(ev: RawEvent): boolean {
    const seq = ev.a0;
    if (seq !== this.gcSeq + 1) return false;
    if (this.gcState === GC_NOT_RUNNING)
      throw inconsistent('encountered GCEnd when GC was not in progress');
    if (this.gcState === GC_UNDETERMINED)
      throw inconsistent('encountered GCEnd when GC was in an undetermined state');
    this.gcSeq = seq;
    this.gcState = GC_NOT_RUNNING;
    this.userGo();
    this.push(ev);
    return true;
  }

  private knownP(what: string): PState {
    const ps = this.pStates.get(this.cP);
    if (ps === undefined) throw inconsistent(`uninitialized proc ${this.cP} found during ${what}`);
    return ps;
  }

  private gcSweepBegin(ev: RawEvent): boolean {
    this.validate(MUST, MUST, MAY);
    this.knownP('GCSweepBegin').ranges.begin(EvGCSweepBegin);
    this.push(ev);
    return true;
  }

  private gcSweepActive(ev: RawEvent, gen: number): boolean {
    const pid = toInt64(ev.a0);
    const ps = this.pStates.get(pid);
    if (ps === undefined) throw inconsistent(`encountered GCSweepActive for unknown proc ${pid}`);
    ps.ranges.active(EvGCSweepBegin, gen === this.initialGen);
    this.push(ev);
    return true;
  }

  private gcSweepEnd(ev: RawEvent): boolean {
    this.validate(MUST, MUST, MAY);
    this.knownP('GCSweepEnd').ranges.end(EvGCSweepBegin);
    this.push(ev);
    return true;
  }

  private goRangeBegin(ev: RawEvent): boolean {
    this.userGo();
    const desc = ev.type === EvSTWBegin ? ev.a0 : 0;
    const st = this.getG(this.cG);
    if (st === undefined) {
      throw inconsistent(
        `encountered ${eventName(ev.type)} without known state for current goroutine ${this.cG}`,
      );
    }
    st.ranges.begin(desc * 256 + ev.type);
    this.push(ev);
    return true;
  }

  private goRangeActive(ev: RawEvent, gen: number): boolean {
    const gid = toInt64(ev.a0);
    const st = this.getG(gid);
    if (st === undefined)
      throw inconsistent(`uninitialized goroutine ${gid} found during ${eventName(ev.type)}`);
    st.ranges.active(START_EV[ev.type], gen === this.initialGen);
    this.push(ev);
    return true;
  }

  private goRangeEnd(ev: RawEvent): boolean {
    this.userGo();
    const st = this.getG(this.cG);
    if (st === undefined) {
      throw inconsistent(
        `encountered ${eventName(ev.type)} without known state for current goroutine ${this.cG}`,
      );
    }
    const desc = st.ranges.end(START_EV[ev.type]);
    if (ev.type === EvSTWEnd) ev.a0 = desc;
    this.push(ev);
    return true;
  }

  /** A short description of the scheduler state, for "cannot advance" errors. */
  describe(): string {
    const gs: string[] = [];
    const add = (s: GState): void => {
      if (gs.length < 8) gs.push(`G${s.id} ${STATUS_NAMES[s.status]} seq=${s.seq}`);
    };
    for (const s of this.gDense) if (s !== undefined) add(s);
    for (const s of this.gSparse.values()) add(s);
    const ps = [...this.pStates.values()]
      .slice(0, 8)
      .map((s) => `P${s.id} ${PSTATUS_NAMES[s.status]} seq=${s.seq}`);
    return [...gs, ...ps].join(', ');
  }
}

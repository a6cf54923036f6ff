// The sink that turns the reader's ordered events into the columnar TraceModel.
//
// Generation-local string and stack ids are resolved into trace-wide tables (strings interned
// once, frames keyed by PC, stacks as a prefix tree). At every Sync the builder notes the size
// of each table, so a trace whose tail is broken can be cut back to the last whole generation.
import { TraceError, type TraceWarning } from './errors';
import type { EventSink, RawEvent } from './event';
import type { Generation } from './generation';
import { ColumnGroup, F64Col, I32Col, TransitionStore, U8Col } from './columns';
import type { TraceModel } from './model';
import { countBatchTransitions } from './precount';
import {
  EvCPUSample,
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
  EvSyncEvent,
  EvUserLog,
  EvUserRegionBegin,
  EvUserRegionEnd,
  EvUserTaskBegin,
  EvUserTaskEnd,
  GO_STATUS_TO_STATE,
  GoNotExist,
  GoRunnable,
  GoRunning,
  GoSyscall,
  GoWaiting,
  NONE,
  PROC_STATUS_TO_STATE,
  ProcIdle,
  ProcRunning,
  ProcStatusSyscallAbandoned,
} from './spec';
import { U64_NONE, toInt64 } from './varint';

const DENSE_LIMIT = 1 << 22;
const FRAME_LIMIT = 1 << 24;

interface Checkpoint {
  sync: number;
  transitions: number;
  groups: number[];
  goroutines: number;
  procs: number;
  events: number;
  time: number;
}

export class ModelBuilder implements EventSink {
  // Trace-wide tables.
  private readonly strings: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);
  private readonly framePc = new F64Col();
  private readonly frameFunc = new I32Col();
  private readonly frameFile = new I32Col();
  private readonly frameLine = new F64Col();
  private readonly frameByPc = new Map<number, number>();
  private readonly frameByKey = new Map<string, number>();
  private readonly stackFrame = new I32Col();
  private readonly stackPrefix = new I32Col();
  /** Function (strings row) of each stack's outermost frame: names goroutines. */
  private readonly stackRootFunc = new I32Col();
  private readonly stackNode = new Map<number, number>();

  private readonly gId = new F64Col();
  private readonly gCreatedBy = new I32Col();
  private readonly gStartStack = new I32Col();
  private readonly gName = new I32Col();
  /** Transition row that named the goroutine (-1 while unnamed), to undo a name on truncation. */
  private readonly gNamedAt = new I32Col();
  private gDense: Int32Array = new Int32Array(1024).fill(-1);
  private readonly gSparse = new Map<number, number>();
  private readonly pId = new F64Col();
  private readonly pIndex = new Map<number, number>();
  private readonly pDense = new Int32Array(4096).fill(-1);

  private readonly tr = new TransitionStore();
  /** Thread (M) of the event being built: goTransition records it for starts of execution. */
  private curM = -1;
  private readonly xRow = new I32Col();
  private readonly xThread = new F64Col();
  private readonly xg = new ColumnGroup([this.xRow, this.xThread]);

  private readonly ptTime = new F64Col();
  private readonly ptProc = new I32Col();
  private readonly ptStates = new U8Col();
  private readonly ptThread = new F64Col();
  private readonly pt = new ColumnGroup([this.ptTime, this.ptProc, this.ptStates, this.ptThread]);

  private readonly rTime = new F64Col();
  private readonly rKind = new U8Col();
  private readonly rType = new U8Col();
  private readonly rScope = new I32Col();
  private readonly rName = new I32Col();
  private readonly rG = new I32Col();
  private readonly rStack = new I32Col();
  private readonly rA0 = new F64Col();
  private readonly rA1 = new F64Col();
  private readonly rP = new I32Col();
  private readonly rg = new ColumnGroup([
    this.rTime,
    this.rKind,
    this.rType,
    this.rScope,
    this.rName,
    this.rG,
    this.rStack,
    this.rA0,
    this.rA1,
    this.rP,
  ]);

  private readonly mTime = new F64Col();
  private readonly mKind = new U8Col();
  private readonly mValue = new F64Col();
  private readonly mg = new ColumnGroup([this.mTime, this.mKind, this.mValue]);

  private readonly lTime = new F64Col();
  private readonly lG = new I32Col();
  private readonly lLabel = new I32Col();
  private readonly lP = new I32Col();
  private readonly lg = new ColumnGroup([this.lTime, this.lG, this.lLabel, this.lP]);

  private readonly tTime = new F64Col();
  private readonly tKind = new U8Col();
  private readonly tId = new F64Col();
  private readonly tParent = new F64Col();
  private readonly tType = new I32Col();
  private readonly tG = new I32Col();
  private readonly tStack = new I32Col();
  private readonly tg = new ColumnGroup([
    this.tTime,
    this.tKind,
    this.tId,
    this.tParent,
    this.tType,
    this.tG,
    this.tStack,
  ]);

  private readonly reTime = new F64Col();
  private readonly reKind = new U8Col();
  private readonly reTask = new F64Col();
  private readonly reType = new I32Col();
  private readonly reG = new I32Col();
  private readonly reStack = new I32Col();
  private readonly reg = new ColumnGroup([
    this.reTime,
    this.reKind,
    this.reTask,
    this.reType,
    this.reG,
    this.reStack,
  ]);

  private readonly loTime = new F64Col();
  private readonly loTask = new F64Col();
  private readonly loCat = new I32Col();
  private readonly loMsg = new I32Col();
  private readonly loG = new I32Col();
  private readonly loStack = new I32Col();
  private readonly log = new ColumnGroup([
    this.loTime,
    this.loTask,
    this.loCat,
    this.loMsg,
    this.loG,
    this.loStack,
  ]);

  private readonly sTime = new F64Col();
  private readonly sG = new I32Col();
  private readonly sP = new I32Col();
  private readonly sM = new F64Col();
  private readonly sStack = new I32Col();
  private readonly sg = new ColumnGroup([this.sTime, this.sG, this.sP, this.sM, this.sStack]);

  private readonly yTime = new F64Col();
  private readonly ySnap = new F64Col();
  private readonly ySec = new F64Col();
  private readonly yNsec = new F64Col();
  private readonly yMono = new F64Col();
  private readonly yg = new ColumnGroup([
    this.yTime,
    this.ySnap,
    this.ySec,
    this.yNsec,
    this.yMono,
  ]);

  private readonly groups = [
    this.pt,
    this.rg,
    this.mg,
    this.lg,
    this.tg,
    this.reg,
    this.log,
    this.sg,
    this.yg,
    this.xg,
  ];

  // The current generation's id -> trace-wide index caches (-2 = not resolved yet).
  private gen: Generation | null = null;
  private genStrings: Int32Array = new Int32Array(0);
  private genStringMap = new Map<number, number>();
  private genStacks: Int32Array = new Int32Array(0);
  private genStackMap = new Map<number, number>();
  private snapshotPending = false;

  private events = 0;
  private lastTime = 0;
  private checkpoint: Checkpoint | null = null;

  /**
   * totalBytes: the file size when known, to size the transition table from the first
   * generation's density; expectedTransitions: an upper bound counted beforehand.
   */
  constructor(
    private readonly totalBytes = 0,
    expectedTransitions = 0,
  ) {
    if (expectedTransitions > 0) {
      this.tr.reserve(expectedTransitions);
      this.reserved = true;
    }
  }

  private reserved = false;

  /** Reserves the transition table from the first generation: its density times the file size, plus a margin. */
  private reserveFrom(gen: Generation): void {
    this.reserved = true;
    if (this.totalBytes <= 0) return;
    let n = 0;
    for (const list of gen.batches.values())
      for (const b of list) n += countBatchTransitions(gen.buf, b.start, b.end, true);
    const genBytes = Math.max(1, gen.fileEnd - gen.fileStart);
    const estimate = (n * this.totalBytes) / genBytes;
    // Never more than the densest possible trace (a GoSwitch: 3 transitions in 4 bytes).
    this.tr.reserve(Math.min(estimate * 1.3 + 65536, this.totalBytes * 0.75 + 65536));
  }

  generation(gen: Generation): void {
    if (!this.reserved) this.reserveFrom(gen);
    this.gen = gen;
    this.genStrings = new Int32Array(gen.strings.denseLength()).fill(-2);
    this.genStringMap = new Map();
    this.genStacks = new Int32Array(gen.stacks.denseLength()).fill(-2);
    this.genStackMap = new Map();
    this.snapshotPending = true;
  }

  /** Trace-wide strings row for a generation string id. */
  private str(id: number): number {
    if (id === 0) return 0;
    const cache = this.genStrings;
    if (id < cache.length) {
      const v = cache[id];
      if (v !== -2) return v;
      const r = this.intern(this.gen!.strings.get(id) ?? '');
      cache[id] = r;
      return r;
    }
    let v = this.genStringMap.get(id);
    if (v === undefined) {
      v = this.intern(this.gen?.strings.get(id) ?? '');
      this.genStringMap.set(id, v);
    }
    return v;
  }

  intern(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  /** Trace-wide stacks row for a generation stack id (-1 for none). */
  private stack(id: number): number {
    if (id === 0) return NONE;
    const cache = this.genStacks;
    if (id < cache.length) {
      const v = cache[id];
      if (v !== -2) return v;
      const r = this.internStack(id);
      cache[id] = r;
      return r;
    }
    let v = this.genStackMap.get(id);
    if (v === undefined) {
      v = this.internStack(id);
      this.genStackMap.set(id, v);
    }
    return v;
  }

  private internStack(id: number): number {
    const gen = this.gen;
    const pcs = gen?.stacks.get(id);
    if (gen === null || pcs === undefined) return NONE;
    let node = NONE;
    for (let i = pcs.length - 1; i >= 0; i--) {
      const f = this.frame(gen, pcs[i]);
      const key = (node + 1) * FRAME_LIMIT + f;
      let next = this.stackNode.get(key);
      if (next === undefined) {
        next = this.stackFrame.length;
        this.stackFrame.push(f);
        this.stackPrefix.push(node);
        this.stackRootFunc.push(node < 0 ? this.frameFunc.data[f] : this.stackRootFunc.data[node]);
        this.stackNode.set(key, next);
      }
      node = next;
    }
    return node;
  }

  private frame(gen: Generation, pc: number): number {
    const f = gen.frames.get(pc)!;
    const func = this.str(f.funcId);
    const file = this.str(f.fileId);
    let idx = this.frameByPc.get(pc);
    if (
      idx !== undefined &&
      this.frameFunc.data[idx] === func &&
      this.frameFile.data[idx] === file &&
      this.frameLine.data[idx] === f.line
    ) {
      return idx;
    }
    // A PC that means something else in this generation (another binary or a hand-made
    // trace): key the frame by all its fields.
    const key = `${pc}|${func}|${file}|${f.line}`;
    idx = this.frameByKey.get(key);
    if (idx !== undefined) return idx;
    idx = this.framePc.length;
    if (idx >= FRAME_LIMIT)
      throw new TraceError('malformed', `more than ${FRAME_LIMIT} distinct stack frames`);
    this.framePc.push(pc);
    this.frameFunc.push(func);
    this.frameFile.push(file);
    this.frameLine.push(f.line);
    this.frameByKey.set(key, idx);
    if (!this.frameByPc.has(pc)) this.frameByPc.set(pc, idx);
    return idx;
  }

  /** Goroutines row for a runtime goroutine id (-1 for none), created on first sight. */
  private g(id: number): number {
    if (id < 0) return NONE;
    if (id < DENSE_LIMIT) {
      if (id >= this.gDense.length) {
        let n = this.gDense.length;
        while (n <= id) n *= 2;
        const grown = new Int32Array(n).fill(-1);
        grown.set(this.gDense);
        this.gDense = grown;
      }
      const v = this.gDense[id];
      if (v >= 0) return v;
      const r = this.newG(id);
      this.gDense[id] = r;
      return r;
    }
    let v = this.gSparse.get(id);
    if (v === undefined) {
      v = this.newG(id);
      this.gSparse.set(id, v);
    }
    return v;
  }

  private newG(id: number): number {
    const r = this.gId.length;
    this.gId.push(id);
    this.gCreatedBy.push(NONE);
    this.gStartStack.push(NONE);
    this.gName.push(0);
    this.gNamedAt.push(NONE);
    return r;
  }

  private p(id: number): number {
    if (id < 0) return NONE;
    if (id < 4096) {
      const v = this.pDense[id];
      if (v >= 0) return v;
    }
    let v = this.pIndex.get(id);
    if (v === undefined) {
      v = this.pId.length;
      this.pId.push(id);
      this.pIndex.set(id, v);
      if (id < 4096) this.pDense[id] = v;
    }
    return v;
  }

  private goTransition(
    time: number,
    gid: number,
    from: number,
    to: number,
    aux: number,
    stack: number,
  ): void {
    const g = this.g(gid);
    if (this.gNamedAt.data[g] < 0) this.name(g, from, to, stack);
    if (to === GoRunning || to === GoSyscall) {
      this.xRow.push(this.tr.length);
      this.xThread.push(this.curM);
      this.xg.row();
    }
    this.tr.add(time, g, (from << 4) | to, aux, stack);
  }

  /**
   * go tool trace's goroutine name: the outermost frame's function of the first non-empty
   * stack on a transition that changes the goroutine's state (the start stack for a creation,
   * none for an unblock, otherwise the event's stack).
   */
  private name(g: number, from: number, to: number, stack: number): void {
    let s = stack;
    if (from === GoNotExist && (to === GoRunnable || to === GoWaiting))
      s = this.gStartStack.data[g];
    else if (from === GoWaiting && to === GoRunnable) s = NONE;
    if (s < 0) return;
    const fn = this.stackRootFunc.data[s];
    if (fn === 0) return;
    this.gName.data[g] = fn;
    this.gNamedAt.data[g] = this.tr.length;
  }

  private procTransition(time: number, pid: number, from: number, to: number, m: number): void {
    if (from === to) return;
    this.ptTime.push(time);
    this.ptProc.push(this.p(pid));
    this.ptStates.push((from << 4) | to);
    this.ptThread.push(m);
    this.pt.row();
  }

  private range(
    ev: RawEvent,
    kind: number,
    type: number,
    scope: number,
    name: number,
    stack: number,
    a0 = 0,
    a1 = 0,
  ): void {
    this.rTime.push(ev.time);
    this.rKind.push(kind);
    this.rType.push(type);
    this.rScope.push(scope);
    this.rName.push(name);
    this.rG.push(this.g(ev.g));
    this.rStack.push(stack);
    this.rA0.push(a0);
    this.rA1.push(a1);
    this.rP.push(this.p(ev.p));
    this.rg.row();
  }

  private metric(time: number, kind: number, value: number): void {
    this.mTime.push(time);
    this.mKind.push(kind);
    this.mValue.push(value);
    this.mg.row();
  }

  event(ev: RawEvent): void {
    this.events++;
    this.curM = ev.m;
    const t = ev.time;
    this.lastTime = t;
    switch (ev.type) {
      case EvGoStart:
        this.goTransition(t, toInt64(ev.a0), GoRunnable, GoRunning, this.p(ev.p), NONE);
        return;
      case EvGoBlock:
        this.goTransition(t, ev.g, GoRunning, GoWaiting, this.str(ev.a0), this.stack(ev.a1));
        return;
      case EvGoUnblock:
        this.goTransition(
          t,
          toInt64(ev.a0),
          GoWaiting,
          GoRunnable,
          this.g(ev.g),
          this.stack(ev.a2),
        );
        return;
      case EvGoSwitch:
      case EvGoSwitchDestroy:
        this.goTransition(t, toInt64(ev.a0), GoWaiting, GoRunnable, this.g(ev.g), NONE);
        return;
      case EvGoStop:
        this.goTransition(t, ev.g, GoRunning, GoRunnable, this.str(ev.a0), this.stack(ev.a1));
        return;
      case EvGoDestroy:
        this.goTransition(t, ev.g, GoRunning, GoNotExist, NONE, NONE);
        return;
      case EvGoDestroySyscall:
        this.goTransition(t, ev.g, GoSyscall, GoNotExist, NONE, NONE);
        return;
      case EvGoSyscallBegin:
        this.goTransition(t, ev.g, GoRunning, GoSyscall, this.p(ev.p), this.stack(ev.a1));
        return;
      case EvGoSyscallEnd:
        this.goTransition(t, ev.g, GoSyscall, GoRunning, this.p(ev.p), NONE);
        return;
      case EvGoSyscallEndBlocked:
        this.goTransition(t, ev.g, GoSyscall, GoRunnable, NONE, NONE);
        return;
      case EvGoCreate:
      case EvGoCreateBlocked: {
        const gid = toInt64(ev.a0);
        const gi = this.g(gid);
        const creator = this.g(ev.g);
        this.gCreatedBy.data[gi] = creator;
        this.gStartStack.data[gi] = this.stack(ev.a1);
        const blocked = ev.type === EvGoCreateBlocked;
        this.goTransition(
          t,
          gid,
          GoNotExist,
          blocked ? GoWaiting : GoRunnable,
          blocked ? 0 : creator,
          this.stack(ev.a2),
        );
        return;
      }
      case EvGoCreateSyscall:
        this.goTransition(t, toInt64(ev.a0), GoNotExist, GoSyscall, this.p(ev.p), NONE);
        return;
      case EvGoStatus:
      case EvGoStatusStack: {
        const from = ev.x0;
        const to = GO_STATUS_TO_STATE[ev.a2];
        if (from === to) return;
        const aux =
          to === GoRunning || to === GoSyscall ? this.p(ev.p) : to === GoWaiting ? 0 : NONE;
        const stack = ev.type === EvGoStatusStack ? this.stack(ev.a3) : NONE;
        this.goTransition(t, toInt64(ev.a0), from, to, aux, stack);
        return;
      }
      case EvProcStart:
        this.procTransition(t, toInt64(ev.a0), ProcIdle, ProcRunning, ev.m);
        return;
      case EvProcStop:
        this.procTransition(t, ev.p, ProcRunning, ProcIdle, ev.m);
        return;
      case EvProcSteal:
        this.procTransition(
          t,
          toInt64(ev.a0),
          ev.x0 === ProcStatusSyscallAbandoned ? ProcIdle : ProcRunning,
          ProcIdle,
          ev.m,
        );
        return;
      case EvProcStatus:
        this.procTransition(t, toInt64(ev.a0), ev.x0, PROC_STATUS_TO_STATE[ev.a1], ev.m);
        return;
      case EvHeapAlloc:
        this.metric(t, 1, ev.a0);
        return;
      case EvHeapGoal:
        this.metric(t, 2, ev.a0);
        return;
      case EvProcsChange:
        this.metric(t, 0, ev.a0);
        return;
      case EvSTWBegin:
        this.range(ev, 0, 0, this.g(ev.g), this.str(ev.a0), this.stack(ev.a1));
        return;
      case EvSTWEnd:
        this.range(ev, 2, 0, this.g(ev.g), this.str(ev.a0), NONE);
        return;
      case EvGCBegin:
        this.range(ev, 0, 1, NONE, 0, this.stack(ev.a1));
        return;
      case EvGCActive:
        this.range(ev, 1, 1, NONE, 0, NONE);
        return;
      case EvGCEnd:
        this.range(ev, 2, 1, NONE, 0, NONE);
        return;
      case EvGCSweepBegin:
        this.range(ev, 0, 2, this.p(ev.p), 0, this.stack(ev.a0));
        return;
      case EvGCSweepActive:
        this.range(ev, 1, 2, this.p(toInt64(ev.a0)), 0, NONE);
        return;
      case EvGCSweepEnd:
        this.range(ev, 2, 2, this.p(ev.p), 0, NONE, ev.a0, ev.a1);
        return;
      case EvGCMarkAssistBegin:
        this.range(ev, 0, 3, this.g(ev.g), 0, this.stack(ev.a0));
        return;
      case EvGCMarkAssistActive:
        this.range(ev, 1, 3, this.g(toInt64(ev.a0)), 0, NONE);
        return;
      case EvGCMarkAssistEnd:
        this.range(ev, 2, 3, this.g(ev.g), 0, NONE);
        return;
      case EvGoLabel:
        this.lTime.push(t);
        this.lG.push(this.g(ev.g));
        this.lLabel.push(this.str(ev.a0));
        this.lP.push(this.p(ev.p));
        this.lg.row();
        return;
      case EvUserTaskBegin:
      case EvUserTaskEnd: {
        const begin = ev.type === EvUserTaskBegin;
        const parent = begin ? ev.a1 : ev.x0;
        this.tTime.push(t);
        this.tKind.push(begin ? 0 : 1);
        this.tId.push(taskId(ev.a0));
        this.tParent.push(taskId(parent));
        this.tType.push(begin ? this.str(ev.a2) : this.intern(ev.xs));
        this.tG.push(this.g(ev.g));
        this.tStack.push(this.stack(begin ? ev.a3 : ev.a1));
        this.tg.row();
        return;
      }
      case EvUserRegionBegin:
      case EvUserRegionEnd:
        this.reTime.push(t);
        this.reKind.push(ev.type === EvUserRegionBegin ? 0 : 1);
        this.reTask.push(taskId(ev.a0));
        this.reType.push(this.str(ev.a1));
        this.reG.push(this.g(ev.g));
        this.reStack.push(this.stack(ev.a2));
        this.reg.row();
        return;
      case EvUserLog:
        this.loTime.push(t);
        this.loTask.push(taskId(ev.a0));
        this.loCat.push(this.str(ev.a1));
        this.loMsg.push(this.str(ev.a2));
        this.loG.push(this.g(ev.g));
        this.loStack.push(this.stack(ev.a3));
        this.log.row();
        return;
      case EvCPUSample:
        this.sTime.push(t);
        this.sG.push(this.g(ev.g));
        this.sP.push(this.p(ev.p));
        this.sM.push(ev.m);
        this.sStack.push(this.stack(ev.a0));
        this.sg.row();
        return;
      case EvSyncEvent:
        this.sync(ev);
        return;
      default:
        // Experimental events (AllocFree) are not part of the model.
        return;
    }
  }

  private sync(ev: RawEvent): void {
    const gen = this.snapshotPending ? this.gen : null;
    this.snapshotPending = false;
    this.yTime.push(ev.time);
    if (gen !== null && gen.hasClockSnapshot) {
      this.ySnap.push(gen.snapshotRel);
      this.ySec.push(gen.snapSec);
      this.yNsec.push(gen.snapNsec);
      this.yMono.push(gen.snapMono);
    } else {
      this.ySnap.push(NaN);
      this.ySec.push(NaN);
      this.yNsec.push(NaN);
      this.yMono.push(NaN);
    }
    this.yg.row();
    this.checkpoint = {
      sync: ev.a0,
      transitions: this.tr.length,
      groups: this.groups.map((g) => g.length),
      goroutines: this.gId.length,
      procs: this.pId.length,
      events: this.events,
      time: ev.time,
    };
  }

  /** Number of the last Sync event seen (1 for the first). */
  get lastSync(): number {
    return this.checkpoint?.sync ?? 0;
  }

  /** Drops everything after the last Sync (a broken generation's events). */
  truncateToLastSync(): void {
    const c = this.checkpoint;
    if (c === null) return;
    this.tr.truncate(c.transitions);
    this.groups.forEach((g, i) => g.truncate(c.groups[i]));
    for (let r = c.goroutines; r < this.gId.length; r++) {
      const id = this.gId.data[r];
      if (id < DENSE_LIMIT) this.gDense[id] = -1;
      else this.gSparse.delete(id);
    }
    for (const col of [this.gId, this.gCreatedBy, this.gStartStack, this.gName, this.gNamedAt])
      col.length = c.goroutines;
    for (let g = 0; g < c.goroutines; g++) {
      if (this.gNamedAt.data[g] >= c.transitions) {
        this.gName.data[g] = 0;
        this.gNamedAt.data[g] = NONE;
      }
    }
    for (let r = c.procs; r < this.pId.length; r++) {
      const id = this.pId.data[r];
      this.pIndex.delete(id);
      if (id < 4096) this.pDense[id] = -1;
    }
    this.pId.length = c.procs;
    this.events = c.events;
    this.lastTime = c.time;
  }

  finish(goVersion: string, generations: number, warnings: TraceWarning[]): TraceModel {
    const transitions = this.tr.finish();
    const goroutines = {
      length: this.gId.length,
      id: this.gId.finish(),
      name: this.gName.finish(),
      createdBy: this.gCreatedBy.finish(),
      startStack: this.gStartStack.finish(),
    };
    const model: TraceModel = {
      goVersion,
      durationNs: this.events > 0 ? this.lastTime : 0,
      generations,
      eventCount: this.events,
      warnings,
      strings: this.strings,
      frames: {
        length: this.framePc.length,
        pc: this.framePc.finish(),
        func: this.frameFunc.finish(),
        file: this.frameFile.finish(),
        line: this.frameLine.finish(),
      },
      stacks: {
        length: this.stackFrame.length,
        frame: this.stackFrame.finish(),
        prefix: this.stackPrefix.finish(),
      },
      goroutines,
      procs: { length: this.pId.length, id: this.pId.finish() },
      transitions,
      procTransitions: {
        length: this.pt.length,
        time: this.ptTime.finish(),
        proc: this.ptProc.finish(),
        states: this.ptStates.finish(),
        thread: this.ptThread.finish(),
      },
      ranges: {
        length: this.rg.length,
        time: this.rTime.finish(),
        kind: this.rKind.finish(),
        type: this.rType.finish(),
        scope: this.rScope.finish(),
        name: this.rName.finish(),
        goroutine: this.rG.finish(),
        stack: this.rStack.finish(),
        attr0: this.rA0.finish(),
        attr1: this.rA1.finish(),
        proc: this.rP.finish(),
      },
      metrics: {
        length: this.mg.length,
        time: this.mTime.finish(),
        kind: this.mKind.finish(),
        value: this.mValue.finish(),
      },
      labels: {
        length: this.lg.length,
        time: this.lTime.finish(),
        goroutine: this.lG.finish(),
        label: this.lLabel.finish(),
        proc: this.lP.finish(),
      },
      tasks: {
        length: this.tg.length,
        time: this.tTime.finish(),
        kind: this.tKind.finish(),
        id: this.tId.finish(),
        parent: this.tParent.finish(),
        type: this.tType.finish(),
        goroutine: this.tG.finish(),
        stack: this.tStack.finish(),
      },
      regions: {
        length: this.reg.length,
        time: this.reTime.finish(),
        kind: this.reKind.finish(),
        task: this.reTask.finish(),
        type: this.reType.finish(),
        goroutine: this.reG.finish(),
        stack: this.reStack.finish(),
      },
      logs: {
        length: this.log.length,
        time: this.loTime.finish(),
        task: this.loTask.finish(),
        category: this.loCat.finish(),
        message: this.loMsg.finish(),
        goroutine: this.loG.finish(),
        stack: this.loStack.finish(),
      },
      samples: {
        length: this.sg.length,
        time: this.sTime.finish(),
        goroutine: this.sG.finish(),
        proc: this.sP.finish(),
        thread: this.sM.finish(),
        stack: this.sStack.finish(),
      },
      execThreads: {
        length: this.xg.length,
        row: this.xRow.finish(),
        thread: this.xThread.finish(),
      },
      syncs: {
        length: this.yg.length,
        time: this.yTime.finish(),
        snapshotTime: this.ySnap.finish(),
        wallSec: this.ySec.finish(),
        wallNsec: this.yNsec.finish(),
        mono: this.yMono.finish(),
      },
    };
    return model;
  }
}

/** Task ids are uint64; the "no task" sentinel becomes -1. */
function taskId(v: number): number {
  return v === U64_NONE ? NONE : v;
}

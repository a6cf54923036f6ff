// Accumulates a GoroutineDump while a parser walks its input: interns strings, frames and
// stacks, then freezes everything into typed arrays.

import { FRAME_CODE, type DumpFormat, type GoroutineDump, type Truncation } from './dump';
import { StringTable } from '../pprof/string-table';

const MAX_WARNING_EXAMPLES = 5;

/** One record before it is frozen. */
export interface RecordDraft {
  count: number;
  id: number;
  state: string;
  waitMinutes: number;
  flags: number;
  /** Frame indexes, leaf first. */
  frames: number[];
  createdBy: number;
  creatorId: number;
  labels: [string, string][];
  textStart: number;
  textEnd: number;
}

export function newRecordDraft(textStart: number): RecordDraft {
  return {
    count: 1,
    id: -1,
    state: '',
    waitMinutes: -1,
    flags: 0,
    frames: [],
    createdBy: -1,
    creatorId: -1,
    labels: [],
    textStart,
    textEnd: textStart,
  };
}

export class DumpBuilder {
  private readonly strings = new StringTable();

  private readonly frameIndex = new Map<string, number>();
  private readonly fFunc: number[] = [];
  private readonly fFile: number[] = [];
  private readonly fLine: number[] = [];
  private readonly fOffset: number[] = [];
  private readonly fInlined: number[] = [];
  private readonly fKind: number[] = [];

  private readonly stackIndex = new Map<number, number>();
  private readonly sFrame: number[] = [];
  private readonly sPrefix: number[] = [];

  private readonly rCount: number[] = [];
  private readonly rId: number[] = [];
  private readonly rState: number[] = [];
  private readonly rWait: number[] = [];
  private readonly rFlags: number[] = [];
  private readonly rStack: number[] = [];
  private readonly rCreatedBy: number[] = [];
  private readonly rCreatorId: number[] = [];
  private readonly rLabelStart: number[] = [0];
  private readonly lKey: number[] = [];
  private readonly lValue: number[] = [];
  private readonly rTextStart: number[] = [];
  private readonly rTextEnd: number[] = [];

  private readonly warningCounts = new Map<string, { count: number; examples: string[] }>();

  intern(s: string): number {
    return this.strings.id(s);
  }

  frame(
    func: string,
    file: string,
    line: number,
    pcOffset: number,
    inlined: boolean,
    kind = FRAME_CODE,
  ): number {
    const fn = this.intern(func);
    const fi = this.intern(file);
    const key = `${fn},${fi},${line},${pcOffset},${inlined ? 1 : 0},${kind}`;
    let i = this.frameIndex.get(key);
    if (i === undefined) {
      i = this.fFunc.length;
      this.fFunc.push(fn);
      this.fFile.push(fi);
      this.fLine.push(line);
      this.fOffset.push(pcOffset);
      this.fInlined.push(inlined ? 1 : 0);
      this.fKind.push(kind);
      this.frameIndex.set(key, i);
    }
    return i;
  }

  /** The function name of an interned frame. */
  frameName(frame: number): string {
    return this.strings.list[this.fFunc[frame]];
  }

  /** Interns a stack given leaf-first frames; returns its leaf stack index or -1. */
  stack(framesLeafFirst: number[]): number {
    let prefix = -1;
    for (let k = framesLeafFirst.length - 1; k >= 0; k--) {
      const frame = framesLeafFirst[k];
      // Frame and prefix ids both stay far below 2^26, so this key is exact.
      const key = (prefix + 1) * 67108864 + frame;
      let s = this.stackIndex.get(key);
      if (s === undefined) {
        s = this.sFrame.length;
        this.sFrame.push(frame);
        this.sPrefix.push(prefix);
        this.stackIndex.set(key, s);
      }
      prefix = s;
    }
    return prefix;
  }

  get recordCount(): number {
    return this.rCount.length;
  }

  addRecord(r: RecordDraft): void {
    this.rCount.push(r.count);
    this.rId.push(r.id);
    this.rState.push(this.intern(r.state));
    this.rWait.push(r.waitMinutes);
    this.rFlags.push(r.flags);
    this.rStack.push(this.stack(r.frames));
    this.rCreatedBy.push(r.createdBy);
    this.rCreatorId.push(r.creatorId);
    for (const [k, v] of r.labels) {
      this.lKey.push(this.intern(k));
      this.lValue.push(this.intern(v));
    }
    this.rLabelStart.push(this.lKey.length);
    this.rTextStart.push(r.textStart);
    this.rTextEnd.push(r.textEnd);
  }

  /** Records an oddity; the same message is kept once with a count and a few examples. */
  warn(message: string, example?: string): void {
    let w = this.warningCounts.get(message);
    if (!w) {
      w = { count: 0, examples: [] };
      this.warningCounts.set(message, w);
    }
    w.count++;
    if (example !== undefined && w.examples.length < MAX_WARNING_EXAMPLES) {
      w.examples.push(example.length > 200 ? `${example.slice(0, 200)}…` : example);
    }
  }

  finish(args: {
    format: DumpFormat;
    profileName: string;
    declaredTotal: number | null;
    truncation: Truncation | null;
    source: string;
  }): GoroutineDump {
    const warnings: string[] = [];
    for (const [message, w] of this.warningCounts) {
      const times = w.count > 1 ? ` (${w.count} times)` : '';
      const ex = w.examples.length
        ? `: ${w.examples.map((e) => JSON.stringify(e)).join(', ')}`
        : '';
      warnings.push(`${message}${times}${ex}`);
    }
    let total = 0;
    for (const c of this.rCount) total += c;
    return {
      format: args.format,
      profileName: args.profileName,
      declaredTotal: args.declaredTotal ?? total,
      strings: this.strings.list,
      frames: {
        length: this.fFunc.length,
        func: Int32Array.from(this.fFunc),
        file: Int32Array.from(this.fFile),
        line: Int32Array.from(this.fLine),
        pcOffset: Int32Array.from(this.fOffset),
        inlined: Uint8Array.from(this.fInlined),
        kind: Uint8Array.from(this.fKind),
      },
      stacks: {
        length: this.sFrame.length,
        frame: Int32Array.from(this.sFrame),
        prefix: Int32Array.from(this.sPrefix),
      },
      records: {
        length: this.rCount.length,
        count: Float64Array.from(this.rCount),
        id: Float64Array.from(this.rId),
        state: Int32Array.from(this.rState),
        waitMinutes: Int32Array.from(this.rWait),
        flags: Uint8Array.from(this.rFlags),
        stack: Int32Array.from(this.rStack),
        createdBy: Int32Array.from(this.rCreatedBy),
        creatorId: Float64Array.from(this.rCreatorId),
        labelStart: Uint32Array.from(this.rLabelStart),
        labelKey: Int32Array.from(this.lKey),
        labelValue: Int32Array.from(this.lValue),
        textStart: Float64Array.from(this.rTextStart),
        textEnd: Float64Array.from(this.rTextEnd),
      },
      truncation: args.truncation,
      warnings,
      source: args.source,
    };
  }
}

// A minimal protobuf walk over a pprof Profile message: reads only what the library records
// (sample types, period, times, default sample type) and, for contention profiles, the leaf
// function names. It never builds the whole model: the main process must not parse large data.

export interface ProfileHeader {
  sampleTypes: { type: string; unit: string }[];
  periodType: { type: string; unit: string } | null;
  period: number;
  timeNanos: number;
  durationNanos: number;
  defaultSampleType: string;
  sampleCount: number;
}

export class ProtoError extends Error {
  override readonly name = 'ProtoError';
}

class Cursor {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end)
        throw new ProtoError(`varint runs past the end at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new ProtoError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Returns [start, end) of a length-delimited field's payload. */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len > this.end - start)
      throw new ProtoError(`field of ${len} bytes runs past the end at byte ${start}`);
    this.pos = start + len;
    return [start, start + len];
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.span();
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new ProtoError(`unsupported wire type ${wire} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end)
      throw new ProtoError(`fixed field runs past the end at byte ${this.pos}`);
    this.pos += n;
  }
}

type FieldVisitor = (field: number, wire: number, c: Cursor) => boolean;

/** Walks the fields in [start, end); the visitor returns true when it consumed the value. */
function walk(buf: Uint8Array, start: number, end: number, visit: FieldVisitor): void {
  const c = new Cursor(buf, start, end);
  while (c.pos < end) {
    const key = c.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new ProtoError(`field number 0 at byte ${c.pos}`);
    if (!visit(field, wire, c)) c.skip(wire);
  }
}

function expectWire(field: number, wire: number, want: number): void {
  if (wire !== want)
    throw new ProtoError(`profile field ${field} has wire type ${wire}, expected ${want}`);
}

/** Repeated uint64 that may be packed (wire 2) or not (wire 0). */
function readUints(wire: number, c: Cursor, out: number[]): void {
  if (wire === 0) {
    out.push(c.varint());
    return;
  }
  expectWire(0, wire, 2);
  const [s, e] = c.span();
  const inner = new Cursor(c.buf, s, e);
  while (inner.pos < e) out.push(inner.varint());
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export interface ScanResult extends ProfileHeader {
  /** Leaf function name of each sample (only when `withLeaves`). */
  leafFunctions: string[];
}

/** Reads the header of an uncompressed pprof Profile. Throws ProtoError when malformed. */
export function scanProfile(buf: Uint8Array, withLeaves = false): ScanResult {
  const strings: string[] = [];
  const sampleTypeIdx: [number, number][] = [];
  let periodTypeIdx: [number, number] | null = null;
  let period = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  let defaultIdx = 0;
  let sampleCount = 0;
  const sampleLeafLocation: number[] = [];
  const locationFirstFunction = new Map<number, number>();
  const functionName = new Map<number, number>();

  const valueType = (c: Cursor): [number, number] => {
    const [s, e] = c.span();
    let type = 0;
    let unit = 0;
    walk(c.buf, s, e, (f, w, inner) => {
      if (f === 1 || f === 2) {
        expectWire(f, w, 0);
        if (f === 1) type = inner.varint();
        else unit = inner.varint();
        return true;
      }
      return false;
    });
    return [type, unit];
  };

  walk(buf, 0, buf.length, (field, wire, c) => {
    switch (field) {
      case 1:
        expectWire(field, wire, 2);
        sampleTypeIdx.push(valueType(c));
        return true;
      case 2: {
        expectWire(field, wire, 2);
        sampleCount++;
        if (!withLeaves) return false;
        const [s, e] = c.span();
        const ids: number[] = [];
        walk(buf, s, e, (f, w, inner) => {
          if (f !== 1 || ids.length > 0) return false;
          readUints(w, inner, ids);
          return true;
        });
        if (ids.length > 0) sampleLeafLocation.push(ids[0]!);
        return true;
      }
      case 4: {
        expectWire(field, wire, 2);
        if (!withLeaves) return false;
        const [s, e] = c.span();
        let id = 0;
        let fn = -1;
        walk(buf, s, e, (f, w, inner) => {
          if (f === 1) {
            expectWire(f, w, 0);
            id = inner.varint();
            return true;
          }
          if (f === 4 && fn < 0) {
            expectWire(f, w, 2);
            const [ls, le] = inner.span();
            walk(buf, ls, le, (lf, lw, li) => {
              if (lf !== 1) return false;
              expectWire(lf, lw, 0);
              fn = li.varint();
              return true;
            });
            return true;
          }
          return false;
        });
        if (fn >= 0) locationFirstFunction.set(id, fn);
        return true;
      }
      case 5: {
        expectWire(field, wire, 2);
        if (!withLeaves) return false;
        const [s, e] = c.span();
        let id = 0;
        let nameIdx = 0;
        walk(buf, s, e, (f, w, inner) => {
          if (f === 1 || f === 2) {
            expectWire(f, w, 0);
            if (f === 1) id = inner.varint();
            else nameIdx = inner.varint();
            return true;
          }
          return false;
        });
        functionName.set(id, nameIdx);
        return true;
      }
      case 6: {
        expectWire(field, wire, 2);
        const [s, e] = c.span();
        try {
          strings.push(decoder.decode(buf.subarray(s, e)));
        } catch {
          throw new ProtoError(`string ${strings.length} of the string table is not UTF-8`);
        }
        return true;
      }
      case 9:
        expectWire(field, wire, 0);
        timeNanos = c.varint();
        return true;
      case 10:
        expectWire(field, wire, 0);
        durationNanos = c.varint();
        return true;
      case 11:
        expectWire(field, wire, 2);
        periodTypeIdx = valueType(c);
        return true;
      case 12:
        expectWire(field, wire, 0);
        period = c.varint();
        return true;
      case 14:
        expectWire(field, wire, 0);
        defaultIdx = c.varint();
        return true;
      default:
        return false;
    }
  });

  if (strings.length === 0 || strings[0] !== '')
    throw new ProtoError(
      'the string table does not start with an empty string: not a pprof profile',
    );
  const at = (i: number, what: string): string => {
    const s = strings[i];
    if (s === undefined)
      throw new ProtoError(`${what} refers to string ${i}, past the string table`);
    return s;
  };
  const vt = ([t, u]: [number, number], what: string) => ({ type: at(t, what), unit: at(u, what) });
  const leafFunctions: string[] = [];
  for (const loc of sampleLeafLocation) {
    const fn = locationFirstFunction.get(loc);
    const nameIdx = fn === undefined ? undefined : functionName.get(fn);
    if (nameIdx !== undefined && nameIdx < strings.length) leafFunctions.push(strings[nameIdx]!);
  }
  return {
    sampleTypes: sampleTypeIdx.map((p) => vt(p, 'a sample type')),
    periodType: periodTypeIdx ? vt(periodTypeIdx, 'the period type') : null,
    period,
    timeNanos,
    durationNanos,
    defaultSampleType: at(defaultIdx, 'default_sample_type'),
    sampleCount,
    leafFunctions,
  };
}

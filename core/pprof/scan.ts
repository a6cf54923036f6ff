// Reading a profile's header without decoding it: what the library records of a snapshot
// (sample types, period, times, default sample type, sample count) and, for contention
// profiles, the leaf function names that tell mutex from block. It builds no model, so the
// main process can afford it on any file. The fields are walked with the decoder's
// WireReader (protobufjs' Reader underneath), so a scan and a decode agree on what is well
// formed and fail with the same ProfileError kinds and messages.
//
// profile.proto fields read here (the rest are skipped):
//   Profile:   1 sample_type (ValueType), 2 sample (Sample), 4 location (Location),
//              5 function (Function), 6 string_table, 9 time_nanos, 10 duration_nanos,
//              11 period_type (ValueType), 12 period, 14 default_sample_type
//   ValueType: 1 type, 2 unit (string table indexes)
//   Sample:    1 location_id (repeated, packed or not; the first is the leaf)
//   Location:  1 id, 4 line (Line; the first is the innermost frame)
//   Line:      1 function_id
//   Function:  1 id, 2 name

import { ProfileError } from './errors';
import type { ValueType } from './model';
import { WIRE_LEN, WIRE_VARINT, WireReader } from './wire';

export interface ProfileScan {
  sampleTypes: ValueType[];
  periodType: ValueType | null;
  period: number;
  timeNanos: number;
  durationNanos: number;
  defaultSampleType: string;
  sampleCount: number;
  /** Leaf function name of each sample (only when scanned `withLeaves`). */
  leafFunctions: string[];
}

/** Visits one field; returns true when it consumed the value, false to have it skipped. */
type FieldVisitor = (field: number, wire: number, tagStart: number, end: number) => boolean;

/** Walks the fields of the message in [r.pos, end). */
function walk(r: WireReader, end: number, visit: FieldVisitor): void {
  while (r.pos < end) {
    const tagStart = r.pos;
    const tag = r.tag(end);
    const wire = tag & 7;
    if (!visit(tag >>> 3, wire, tagStart, end)) r.skip(wire, end, tagStart);
  }
}

/** Walks the length-delimited sub-message at r.pos, leaving r.pos after it. */
function walkMessage(r: WireReader, end: number, visit: FieldVisitor): void {
  const msgEnd = r.lengthEnd(end);
  walk(r, msgEnd, visit);
}

function expectWire(r: WireReader, field: number, wire: number, want: number, at: number): void {
  if (wire !== want)
    r.fail('malformed', `field ${field} has wire type ${wire}, expected ${want}`, at);
}

/**
 * Reads the header of an uncompressed pprof Profile (and the leaf functions when
 * `withLeaves`). Throws a ProfileError when it is malformed or cut short ('truncated').
 */
export function scanProfile(buf: Uint8Array, withLeaves = false): ProfileScan {
  const r = new WireReader(buf);
  const strings: string[] = [];
  const sampleTypeIdx: Array<[number, number]> = [];
  let periodTypeIdx: [number, number] | null = null;
  let period = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  let defaultIdx = 0;
  let sampleCount = 0;
  const sampleLeafLocation: number[] = [];
  const locationFirstFunction = new Map<number, number>();
  const functionName = new Map<number, number>();

  const valueType = (end: number): [number, number] => {
    let type = 0;
    let unit = 0;
    walkMessage(r, end, (f, w, at, e) => {
      if (f !== 1 && f !== 2) return false;
      expectWire(r, f, w, WIRE_VARINT, at);
      if (f === 1) type = r.int64(e);
      else unit = r.int64(e);
      return true;
    });
    return [type, unit];
  };

  walk(r, buf.length, (field, wire, at, end) => {
    const scalar = (): number => {
      expectWire(r, field, wire, WIRE_VARINT, at);
      return r.int64(end);
    };
    switch (field) {
      case 1:
        expectWire(r, field, wire, WIRE_LEN, at);
        sampleTypeIdx.push(valueType(end));
        return true;
      case 2:
        expectWire(r, field, wire, WIRE_LEN, at);
        sampleCount++;
        if (!withLeaves) return false;
        {
          let leaf = -1;
          walkMessage(r, end, (f, w, _at, e) => {
            if (f !== 1 || leaf >= 0) return false;
            if (w === WIRE_VARINT) {
              leaf = r.varint(e);
            } else {
              const packedEnd = r.lengthEnd(e);
              if (r.pos < packedEnd) leaf = r.varint(packedEnd);
              r.pos = packedEnd;
            }
            return true;
          });
          if (leaf >= 0) sampleLeafLocation.push(leaf);
        }
        return true;
      case 4: {
        expectWire(r, field, wire, WIRE_LEN, at);
        if (!withLeaves) return false;
        let id = 0;
        let fn = -1;
        walkMessage(r, end, (f, w, fAt, e) => {
          if (f === 1) {
            expectWire(r, f, w, WIRE_VARINT, fAt);
            id = r.varint(e);
            return true;
          }
          if (f !== 4 || fn >= 0) return false;
          expectWire(r, f, w, WIRE_LEN, fAt);
          walkMessage(r, e, (lf, lw, lAt, le) => {
            if (lf !== 1) return false;
            expectWire(r, lf, lw, WIRE_VARINT, lAt);
            fn = r.varint(le);
            return true;
          });
          return true;
        });
        if (fn >= 0) locationFirstFunction.set(id, fn);
        return true;
      }
      case 5: {
        expectWire(r, field, wire, WIRE_LEN, at);
        if (!withLeaves) return false;
        let id = 0;
        let nameIdx = 0;
        walkMessage(r, end, (f, w, fAt, e) => {
          if (f !== 1 && f !== 2) return false;
          expectWire(r, f, w, WIRE_VARINT, fAt);
          if (f === 1) id = r.varint(e);
          else nameIdx = r.int64(e);
          return true;
        });
        functionName.set(id, nameIdx);
        return true;
      }
      case 6: {
        expectWire(r, field, wire, WIRE_LEN, at);
        const strEnd = r.lengthEnd(end);
        strings.push(r.string(r.pos, strEnd));
        r.pos = strEnd;
        return true;
      }
      case 9:
        timeNanos = scalar();
        return true;
      case 10:
        durationNanos = scalar();
        return true;
      case 11:
        expectWire(r, field, wire, WIRE_LEN, at);
        periodTypeIdx = valueType(end);
        return true;
      case 12:
        period = scalar();
        return true;
      case 14:
        defaultIdx = scalar();
        return true;
      default:
        return false;
    }
  });

  if (strings.length === 0 || strings[0] !== '')
    throw new ProfileError(
      'malformed',
      'the string table does not start with an empty string: not a pprof profile',
    );
  const at = (i: number, what: string): string => {
    const s = strings[i];
    if (s === undefined)
      throw new ProfileError(
        'invalid-reference',
        `${what} refers to string ${i}, past the string table`,
      );
    return s;
  };
  const vt = ([t, u]: [number, number], what: string): ValueType => ({
    type: at(t, what),
    unit: at(u, what),
  });
  const leafFunctions: string[] = [];
  for (const loc of sampleLeafLocation) {
    const fn = locationFirstFunction.get(loc);
    const nameIdx = fn === undefined ? undefined : functionName.get(fn);
    if (nameIdx !== undefined && nameIdx >= 0 && nameIdx < strings.length)
      leafFunctions.push(strings[nameIdx]);
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

/**
 * Whether the first bytes of inflated data can start a pprof Profile message: every
 * top-level field seen in them has a Profile field number (1-15) and wire type varint or
 * length-delimited. A gzip of zeros (the classic bomb) fails at its first byte. Null when
 * they can (a field running past the prefix ends the check); else why not.
 */
export function profilePrefixProblem(prefix: Uint8Array): string | null {
  const r = new WireReader(prefix);
  const end = prefix.length;
  try {
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.varint(end);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field < 1 || field > 15 || (wire !== WIRE_VARINT && wire !== WIRE_LEN))
        return `byte ${at} holds field ${field} with wire type ${wire}, which a Profile never has`;
      if (wire === WIRE_VARINT) r.varint(end);
      else r.pos = r.lengthEnd(end);
    }
  } catch (e) {
    // Runs past the prefix, or a varint too long: nothing more to check here.
    if (e instanceof ProfileError) return null;
    throw e;
  }
  return null;
}

// The columnar Profile -> profile.proto bytes (gzipped by default), readable by
// `go tool pprof`. Field order follows Go's writer; ids are kept as they are when they are
// valid (so `-raw` output of a re-encoded file matches the original), renumbered otherwise.
// Written with protobufjs/minimal's Writer through WireWriter (writer.ts); only the packed
// location ids, the bulk of the output, are written into its buffer directly.

import { gzip } from 'pako';
import type { Profile, ValueType } from './model';
import { ProfileError } from './errors';
import { IdIndex, MAX_EXACT } from './id-index';
import { WireWriter } from './writer';

export interface EncodeOptions {
  /** Gzip the output, as Go writes profiles (default true). */
  gzip?: boolean;
  /** Gzip level, 1 (fastest) to 9 (smallest); default 6. */
  level?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

export function encodeProfile(p: Profile, opts: EncodeOptions = {}): Uint8Array {
  checkShape(p);
  const raw = encodeBody(p);
  if (opts.gzip === false) {
    // A copy of its own: the writer's buffer is larger (and under Node a pooled Buffer), which
    // would surprise a caller that transfers `.buffer`.
    const out = new Uint8Array(raw.length);
    out.set(raw);
    return out;
  }
  return gzip(raw, { level: opts.level ?? 6 });
}

function invalid(what: string): ProfileError {
  return new ProfileError('invalid-value', `cannot encode the profile: ${what}`);
}

/** Table ids to write: the profile's own when usable, else 1..n. */
function outputIds(ids: Float64Array): Float64Array {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!(id >= 1 && id <= MAX_EXACT && Number.isInteger(id))) return renumber(ids.length);
  }
  try {
    new IdIndex(ids, null, () => {
      throw invalid('duplicate id');
    });
    return ids;
  } catch {
    return renumber(ids.length);
  }
}

function renumber(n: number): Float64Array {
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) ids[i] = i + 1;
  return ids;
}

/** Refuses references that would write a corrupt file or loop forever. */
function checkShape(p: Profile): void {
  const nStr = p.strings.length;
  if (nStr === 0 || p.strings[0] !== '') throw invalid("strings[0] must be ''");
  const str = (x: number, what: string): void => {
    if (!(x >= 0 && x < nStr)) throw invalid(`${what} string index ${x} is out of range`);
  };
  const ref = (x: number, n: number, what: string, none: boolean): void => {
    if (!((x >= 0 && x < n) || (none && x === -1))) throw invalid(`${what} ${x} is out of range`);
  };
  const { mappings: m, functions: f, locations: l, lines, stacks, samples: s } = p;
  for (let i = 0; i < m.length; i++) {
    str(m.filename[i], `mapping #${i} filename`);
    str(m.buildId[i], `mapping #${i} build id`);
  }
  for (let i = 0; i < f.length; i++) {
    str(f.name[i], `function #${i} name`);
    str(f.systemName[i], `function #${i} system name`);
    str(f.filename[i], `function #${i} filename`);
  }
  if (l.lineStart.length !== l.length + 1 || l.lineStart[l.length] > lines.length) {
    throw invalid('location lineStart does not match the line table');
  }
  for (let i = 0; i < l.length; i++) {
    ref(l.mapping[i], m.length, `location #${i} mapping`, true);
    if (l.lineStart[i] > l.lineStart[i + 1])
      throw invalid(`location #${i} has decreasing lineStart`);
  }
  for (let i = 0; i < lines.length; i++) ref(lines.func[i], f.length, `line #${i} function`, true);
  for (let i = 0; i < stacks.length; i++) {
    ref(stacks.frame[i], l.length, `stack #${i} frame`, false);
    // Prefixes point strictly backwards, so walking them always ends.
    if (!(stacks.prefix[i] >= -1 && stacks.prefix[i] < i)) {
      throw invalid(`stack #${i} has prefix ${stacks.prefix[i]}, which is not an earlier stack`);
    }
  }
  const nTypes = p.sampleTypes.length;
  if (s.values.length !== s.length * nTypes) {
    throw invalid(`${s.values.length} sample values for ${s.length} samples of ${nTypes} types`);
  }
  if (s.labelStart.length !== s.length + 1) throw invalid('labelStart does not match the samples');
  const nLabels = s.labelKey.length;
  for (let i = 0; i < s.length; i++) {
    ref(s.stack[i], stacks.length, `sample #${i} stack`, true);
    if (s.labelStart[i] > s.labelStart[i + 1] || s.labelStart[i + 1] > nLabels) {
      throw invalid(`sample #${i} has a label range outside the label table`);
    }
  }
  for (let i = 0; i < nLabels; i++) {
    str(s.labelKey[i], `label #${i} key`);
    str(s.labelStr[i], `label #${i} value`);
    str(s.labelUnit[i], `label #${i} unit`);
  }
}

function encodeBody(p: Profile): Uint8Array {
  const w = new WireWriter(1 << 20);
  // Strings the model keeps as text get indexes in the table (appended when missing).
  const extra: string[] = [];
  const index = (s: string): number => {
    const i = p.strings.indexOf(s);
    if (i >= 0) return i;
    const j = extra.indexOf(s);
    if (j >= 0) return p.strings.length + j;
    extra.push(s);
    return p.strings.length + extra.length - 1;
  };
  const valueType = (field: number, vt: ValueType): void => {
    const at = w.beginLength(field);
    w.optInt64(1, index(vt.type));
    w.optInt64(2, index(vt.unit));
    w.endLength(at);
  };

  for (const st of p.sampleTypes) valueType(1, st);

  const mappingIds = outputIds(p.mappings.id);
  const functionIds = outputIds(p.functions.id);
  const locationIds = outputIds(p.locations.id);

  let smallLocationIds = true;
  for (let i = 0; i < locationIds.length; i++) {
    if (locationIds[i] >= 0x80000000) smallLocationIds = false;
  }

  const { stacks, samples: s } = p;
  const nTypes = p.sampleTypes.length;
  const frame = stacks.frame;
  const prefix = stacks.prefix;
  for (let i = 0; i < s.length; i++) {
    const at = w.beginLength(2);
    let stack = s.stack[i];
    if (stack >= 0) {
      const ids = w.beginLength(1);
      if (smallLocationIds) {
        // Ids below 2^31 take at most 5 bytes: written inline, with a cheap room check.
        let buf = w.buf;
        let pos = w.pos;
        for (; stack >= 0; stack = prefix[stack]) {
          if (pos + 5 > buf.length) {
            w.pos = pos;
            w.ensure(5);
            buf = w.buf;
          }
          let x = locationIds[frame[stack]];
          while (x >= 0x80) {
            buf[pos++] = (x & 0x7f) | 0x80;
            x >>>= 7;
          }
          buf[pos++] = x;
        }
        w.pos = pos;
      } else {
        for (; stack >= 0; stack = prefix[stack]) w.uint64(locationIds[frame[stack]]);
      }
      w.endLength(ids);
    }
    if (nTypes > 0) {
      const vals = w.beginLength(2);
      for (let t = i * nTypes, e = t + nTypes; t < e; t++) w.int64(s.values[t]);
      w.endLength(vals);
    }
    for (let k = s.labelStart[i], e = s.labelStart[i + 1]; k < e; k++) {
      const lat = w.beginLength(3);
      w.optInt64(1, s.labelKey[k]);
      if (s.labelStr[k] !== 0) {
        w.optInt64(2, s.labelStr[k]);
      } else {
        w.optInt64(3, s.labelNum[k]);
        w.optInt64(4, s.labelUnit[k]);
      }
      w.endLength(lat);
    }
    w.endLength(at);
  }

  const exact = p.exact ?? {};
  // A 64-bit field, exact when the profile kept its value beyond 2^53.
  const u64 = (
    field: number,
    v: number,
    exactByRow: Map<number, bigint> | undefined,
    row: number,
  ): void => {
    const e = v > MAX_EXACT ? exactByRow?.get(row) : undefined;
    if (e !== undefined && Number(e) === v) {
      w.tag(field, 0);
      w.big(e);
    } else {
      w.optUint64(field, v);
    }
  };

  const m = p.mappings;
  for (let i = 0; i < m.length; i++) {
    const at = w.beginLength(3);
    w.optUint64(1, mappingIds[i]);
    u64(2, m.memoryStart[i], exact.memoryStart, i);
    u64(3, m.memoryLimit[i], exact.memoryLimit, i);
    u64(4, m.fileOffset[i], exact.fileOffset, i);
    w.optInt64(5, m.filename[i]);
    w.optInt64(6, m.buildId[i]);
    for (let bit = 0; bit < 4; bit++) w.optUint64(7 + bit, (m.flags[i] >>> bit) & 1);
    w.endLength(at);
  }

  const l = p.locations;
  const lines = p.lines;
  for (let i = 0; i < l.length; i++) {
    const at = w.beginLength(4);
    w.optUint64(1, locationIds[i]);
    if (l.mapping[i] >= 0) w.optUint64(2, mappingIds[l.mapping[i]]);
    u64(3, l.address[i], exact.address, i);
    for (let k = l.lineStart[i], e = l.lineStart[i + 1]; k < e; k++) {
      const lat = w.beginLength(4);
      if (lines.func[k] >= 0) w.optUint64(1, functionIds[lines.func[k]]);
      w.optInt64(2, lines.line[k]);
      w.optInt64(3, lines.column[k]);
      w.endLength(lat);
    }
    w.optUint64(5, l.isFolded[i]);
    w.endLength(at);
  }

  const f = p.functions;
  for (let i = 0; i < f.length; i++) {
    const at = w.beginLength(5);
    w.optUint64(1, functionIds[i]);
    w.optInt64(2, f.name[i]);
    w.optInt64(3, f.systemName[i]);
    w.optInt64(4, f.filename[i]);
    w.optInt64(5, f.startLine[i]);
    w.endLength(at);
  }

  // Every index the string table needs must be known before it is written.
  const dropFrames = index(p.dropFrames);
  const keepFrames = index(p.keepFrames);
  const periodType = p.periodType ? [index(p.periodType.type), index(p.periodType.unit)] : null;
  const comments = p.comments.map(index);
  const defaultSampleType = index(p.defaultSampleType);
  const docUrl = index(p.docUrl ?? '');

  for (const str of p.strings) w.string(6, str);
  for (const str of extra) w.string(6, str);
  w.optInt64(7, dropFrames);
  w.optInt64(8, keepFrames);
  if (exact.timeNanos !== undefined && Number(exact.timeNanos) === p.timeNanos) {
    w.tag(9, 0);
    w.big(exact.timeNanos);
  } else {
    w.optInt64(9, p.timeNanos);
  }
  w.optInt64(10, p.durationNanos);
  if (periodType && (periodType[0] !== 0 || periodType[1] !== 0)) {
    const at = w.beginLength(11);
    w.optInt64(1, periodType[0]);
    w.optInt64(2, periodType[1]);
    w.endLength(at);
  }
  w.optInt64(12, p.period);
  for (const c of comments) {
    w.tag(13, 0);
    w.int64(c);
  }
  w.optInt64(14, defaultSampleType);
  w.optInt64(15, docUrl);
  return w.finish();
}

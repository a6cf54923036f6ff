// Test helpers that write binary Go traces: from the text format of Go's trace test corpus
// (src/internal/trace/testdata/tests/*.test, "EventName arg=value" lines), or from a small
// builder API for hand-made cases.
import {
  ARG_COUNT,
  EvCPUSample,
  EvCPUSamples,
  EvClockSnapshot,
  EvEndOfGeneration,
  EvEventBatch,
  EvExperimentalBatch,
  EvFrequency,
  EvStack,
  EvStacks,
  EvString,
  EvStrings,
  EvSync,
  eventName,
} from '../../../core/trace/spec';

export function putUvarint(out: number[], v: number | bigint): void {
  let x = BigInt(v);
  while (x >= 0x80n) {
    out.push(Number((x & 0x7fn) | 0x80n));
    x >>= 7n;
  }
  out.push(Number(x));
}

/** Go's strconv.Unquote for the double-quoted strings the text format uses. */
export function goUnquote(s: string): Uint8Array {
  if (!s.startsWith('"') || !s.endsWith('"')) throw new Error(`not a quoted string: ${s}`);
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i];
    if (c !== '\\') {
      out.push(...enc.encode(c));
      continue;
    }
    const n = s[++i];
    const simple: Record<string, number> = {
      a: 7,
      b: 8,
      f: 12,
      n: 10,
      r: 13,
      t: 9,
      v: 11,
      '\\': 92,
      '"': 34,
      "'": 39,
    };
    if (n in simple) out.push(simple[n]);
    else if (n === 'x') {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === 'u' || n === 'U') {
      const len = n === 'u' ? 4 : 8;
      out.push(...enc.encode(String.fromCodePoint(parseInt(s.slice(i + 1, i + 1 + len), 16))));
      i += len;
    } else if (n >= '0' && n <= '7') {
      out.push(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else throw new Error(`bad escape in ${s}`);
  }
  return Uint8Array.from(out);
}

const NAME_TO_TYPE = new Map<string, number>();
for (let t = 0; t < 137; t++) {
  const n = eventName(t);
  if (!n.startsWith('Invalid')) NAME_TO_TYPE.set(n, t);
}

/** Argument counts written for each event (timed events include their delta). */
function argCount(t: number): number {
  switch (t) {
    case EvEventBatch:
    case EvExperimentalBatch:
      return 4;
    case EvStacks:
    case EvStrings:
    case EvCPUSamples:
    case EvSync:
    case EvEndOfGeneration:
      return 0;
    case EvStack:
      return 2;
    case EvString:
      return 1;
    case EvCPUSample:
      return 5;
    case EvFrequency:
      return 1;
    case EvClockSnapshot:
      return 4;
    default:
      return ARG_COUNT[t] + 1;
  }
}

/** Converts Go's text trace format to the binary format. */
export function textTraceToBinary(text: string): Uint8Array {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = /^Trace Go1\.(\d+)\s*$/.exec(lines[0] ?? '');
  if (!header) throw new Error(`bad text trace header: ${lines[0]}`);
  const minor = Number(header[1]);
  const out: number[] = [...new TextEncoder().encode(`go 1.${minor} trace`), 0, 0, 0];
  for (let li = 1; li < lines.length; li++) {
    const tokens = lines[li].trim().split(/\s+/);
    const t = NAME_TO_TYPE.get(tokens[0]);
    if (t === undefined) throw new Error(`unknown event ${tokens[0]} on line ${li + 1}`);
    const args = tokens.slice(1).map((tok) => BigInt(tok.slice(tok.indexOf('=') + 1)));
    if (args.length !== argCount(t))
      throw new Error(`line ${li + 1}: ${tokens[0]} needs ${argCount(t)} arguments`);
    out.push(t);
    for (const a of args) putUvarint(out, a);
    if (t === EvStack) {
      const n = Number(args[1]);
      for (let k = 0; k < n; k++) {
        const f = lines[++li]
          .trim()
          .split(/\s+/)
          .map((tok) => BigInt(tok.slice(tok.indexOf('=') + 1)));
        for (const v of f) putUvarint(out, v);
      }
    }
    if (t === EvString || t === EvExperimentalBatch) {
      const line = lines[++li].trim();
      const data = goUnquote(line.slice(line.indexOf('=') + 1).trim());
      putUvarint(out, data.length);
      out.push(...data);
    }
  }
  return Uint8Array.from(out);
}

/** Splits a txtar test file into its expectation and trace text. */
export function parseTxtar(content: string): { expect: string; trace: string } {
  const parts = content.split(/^-- (\S+) --$/m);
  const files = new Map<string, string>();
  for (let i = 1; i + 1 < parts.length; i += 2)
    files.set(parts[i], parts[i + 1].replace(/^\n/, ''));
  return { expect: (files.get('expect') ?? '').trim(), trace: files.get('trace') ?? '' };
}

/**
 * A hand-made trace: batches of events written with explicit sizes. Timed events take their
 * arguments after the delta, e.g. ev(EvGoStart, 1, g, seq).
 */
export class TraceWriter {
  private readonly out: number[];
  constructor(minor = 26) {
    this.out = [...new TextEncoder().encode(`go 1.${minor} trace`), 0, 0, 0];
  }

  /** A batch whose body is the concatenation of the given encoded events. */
  batch(
    gen: number,
    m: number | bigint,
    time: number,
    events: number[][],
    experiment?: number,
  ): this {
    const body = events.flat();
    if (experiment !== undefined) this.out.push(EvExperimentalBatch, experiment);
    else this.out.push(EvEventBatch);
    putUvarint(this.out, gen);
    putUvarint(this.out, m);
    putUvarint(this.out, time);
    putUvarint(this.out, body.length);
    this.out.push(...body);
    return this;
  }

  endOfGeneration(): this {
    this.out.push(EvEndOfGeneration);
    return this;
  }

  raw(bytes: number[]): this {
    this.out.push(...bytes);
    return this;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export const NO_M = (1n << 64n) - 1n;

/** One encoded event: type byte and uvarint arguments. */
export function ev(type: number, ...args: Array<number | bigint>): number[] {
  const out = [type];
  for (const a of args) putUvarint(out, a);
  return out;
}

/** An encoded string table entry. */
export function str(id: number, s: string): number[] {
  const data = new TextEncoder().encode(s);
  const out = [EvString];
  putUvarint(out, id);
  putUvarint(out, data.length);
  out.push(...data);
  return out;
}

/** An encoded stack table entry: frames innermost first as [pc, funcStringId, fileStringId, line]. */
export function stack(id: number, frames: Array<[number, number, number, number]>): number[] {
  const out = [EvStack];
  putUvarint(out, id);
  putUvarint(out, frames.length);
  for (const f of frames) for (const v of f) putUvarint(out, v);
  return out;
}

// The oracle as Go prints it: parse the reports of `go tool pprof` (-top, -traces, -peek)
// printed with an exact output unit (-unit=ns for nanoseconds, -unit=B for bytes; counts are
// printed as integers anyway), so every printed figure is the exact value pprof computed.
// Nothing is re-derived here: each row, stack and edge is one that Go printed.
import { scaledLabel } from '../../core/pprof/format';
import type { Profile, ValueType } from '../../core/pprof/model';
import { prepareProfile } from '../../core/pprof/report';
import { runPprof } from './pprof-raw';

/** The flags that show every node and edge of a report (pprof cuts 0.5% / 0.1% by default). */
export const ALL_NODES = ['-nodecount=0', '-nodefraction=0', '-edgefraction=0'];

/** -unit=... so that pprof prints this sample type's values unscaled, or [] for counts. */
export function exactUnitFlags(t: ValueType): string[] {
  if (t.unit === 'nanoseconds') return ['-unit=ns'];
  if (t.unit === 'bytes') return ['-unit=B'];
  return [];
}

/** A value as ScaledLabel prints it at its own unit: "0", "-12", "10000000ns", "96B". */
export function parseExact(text: string): number {
  const m = /^(-?\d+)(ns|B)?$/.exec(text);
  if (!m) throw new Error(`pprof printed a value that is not exact: ${JSON.stringify(text)}`);
  return Number(m[1]);
}

export interface PrintedRow {
  name: string;
  /** "(inline)", "(partial-inline)" or ''. */
  inline: string;
  flat: number;
  cum: number;
}

const TOP_ROW = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.*)$/;

function splitInline(name: string): [string, string] {
  for (const l of ['(inline)', '(partial-inline)']) {
    if (name.endsWith(` ${l}`)) return [name.slice(0, -l.length - 1), l];
  }
  return [name, ''];
}

/** The rows of a `-top` report printed with an exact unit, in Go's order. */
export function parseTopRows(text: string): PrintedRow[] {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(l));
  if (head < 0) throw new Error(`-top printed no table:\n${text}`);
  const rows: PrintedRow[] = [];
  for (const line of lines.slice(head + 1)) {
    if (line === '') continue;
    const m = TOP_ROW.exec(line);
    if (!m) throw new Error(`cannot parse -top row ${JSON.stringify(line)}`);
    const [name, inline] = splitInline(m[3]);
    rows.push({ name, inline, flat: parseExact(m[1]), cum: parseExact(m[2]) });
  }
  return rows;
}

/** `go tool pprof -top` of FILE with every node, at sample type INDEX, exact values. */
export function printedTop(
  file: string,
  t: ValueType,
  index: number,
  flags: string[] = [],
): PrintedRow[] {
  return parseTopRows(
    runPprof([
      '-top',
      ...ALL_NODES,
      `-sample_index=${index}`,
      ...exactUnitFlags(t),
      ...flags,
      file,
    ]),
  );
}

export interface PrintedTrace {
  /** The label lines as printed ("tenant:  acme", "bytes:  96B"), in Go's order. */
  labels: string[];
  value: number;
  /** Leaf first; an inlined frame carries " (inline)". */
  frames: string[];
}

const SEPARATOR = '-----------+-------------------------------------------------------';

/** The samples of a `-traces` report printed with an exact unit. */
export function parseTraces(text: string): PrintedTrace[] {
  const blocks = text
    .split(`${SEPARATOR}\n`)
    .slice(1)
    .filter((b) => b.trim() !== '');
  return blocks.map((block) => {
    const out: PrintedTrace = { labels: [], value: NaN, frames: [] };
    for (const line of block.split('\n')) {
      if (line === '' || line === SEPARATOR) continue;
      const label = /^\s*(\S+): {2}(.*)$/.exec(line);
      if (label && out.frames.length === 0 && Number.isNaN(out.value)) {
        out.labels.push(`${label[1]}:  ${label[2]}`);
        continue;
      }
      const first = /^\s*(\S+) {3}(.*)$/.exec(line);
      if (out.frames.length === 0 && first) {
        out.value = parseExact(first[1]);
        out.frames.push(first[2]);
      } else if (out.frames.length > 0 && line.startsWith(' '.repeat(13))) {
        out.frames.push(line.slice(13));
      } else {
        throw new Error(`cannot parse -traces line ${JSON.stringify(line)}`);
      }
    }
    if (Number.isNaN(out.value)) throw new Error(`-traces block without a value:\n${block}`);
    return out;
  });
}

/** Our samples as -traces prints them (labels, value, frames leaf first). */
export function ourTraces(input: Profile, index: number): PrintedTrace[] {
  const p = prepareProfile(input, { sampleIndex: index }).profile;
  const { samples, stacks, locations, lines, functions, strings } = p;
  const nt = p.sampleTypes.length;
  const out: PrintedTrace[] = [];
  for (let s = 0; s < samples.length; s++) {
    const str = new Map<string, string[]>();
    const num = new Map<string, string[]>();
    for (let l = samples.labelStart[s]; l < samples.labelStart[s + 1]; l++) {
      const key = strings[samples.labelKey[l]];
      if (samples.labelStr[l] !== 0) {
        str.set(key, [...(str.get(key) ?? []), strings[samples.labelStr[l]]]);
      } else {
        const unit = strings[samples.labelUnit[l]] || (key === 'bytes' ? 'bytes' : '');
        num.set(key, [...(num.get(key) ?? []), scaledLabel(samples.labelNum[l], unit, 'auto')]);
      }
    }
    const fmt = (m: Map<string, string[]>): string[] =>
      [...m].map(([k, v]) => `${k.padStart(10)}:  ${v.join(' ')}`).sort();
    const labels = [...fmt(str), ...fmt(num)].map((l) => l.trim().replace(/:\s+/, ':  '));
    const frames: string[] = [];
    for (let st = samples.stack[s]; st >= 0; st = stacks.prefix[st]) {
      const loc = stacks.frame[st];
      const from = locations.lineStart[loc];
      const to = Math.max(locations.lineStart[loc + 1], from + 1);
      for (let li = from; li < to; li++) {
        const f = li < locations.lineStart[loc + 1] ? lines.func[li] : -1;
        let name = f >= 0 ? strings[functions.name[f]] : '';
        // No function name: pprof names the frame after its binary, else "<unknown>".
        if (name === '') {
          const m = locations.mapping[loc];
          const obj = m >= 0 ? strings[p.mappings.filename[m]] : '';
          name = obj !== '' ? `[${obj.split('/').pop()}]` : '<unknown>';
        }
        frames.push(`${name}${li === to - 1 ? '' : ' (inline)'}`);
      }
    }
    out.push({ labels, value: samples.values[s * nt + index], frames });
  }
  return out;
}

export const traceKey = (t: PrintedTrace): string =>
  `${t.labels.join(' | ')} || ${t.value} || ${t.frames.join(' < ')}`;

export function printedTraces(
  file: string,
  t: ValueType,
  index: number,
  flags: string[] = [],
): PrintedTrace[] {
  return parseTraces(
    runPprof(['-traces', `-sample_index=${index}`, ...exactUnitFlags(t), ...flags, file]),
  );
}

export interface PrintedPeek {
  name: string;
  flat: number;
  cum: number;
  /** Caller name -> edge weight (names without the "(inline)" mark). */
  callers: Map<string, number>;
  callees: Map<string, number>;
}

/** Every node's block of a `-peek` report printed with an exact unit. */
export function parsePeek(text: string): Map<string, PrintedPeek> {
  const out = new Map<string, PrintedPeek>();
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s+calls/.test(l));
  if (start < 0) throw new Error(`-peek printed no table:\n${text}`);
  let callers = new Map<string, number>();
  let cur: PrintedPeek | null = null;
  const add = (m: Map<string, number>, name: string, v: number): void => {
    m.set(name, (m.get(name) ?? 0) + v);
  };
  for (const line of lines.slice(start + 1)) {
    if (line === '') continue;
    if (/^-+\+-+$/.test(line)) {
      if (cur) out.set(cur.name, cur);
      cur = null;
      callers = new Map();
      continue;
    }
    const bar = line.lastIndexOf(' | ');
    const edge = / \| {3}(.*)$/.exec(line);
    const left = line.slice(0, bar).trim().split(/\s+/);
    if (edge && left.length === 2) {
      const [name] = splitInline(edge[1]);
      add(cur ? cur.callees : callers, name, parseExact(left[0]));
    } else if (left.length === 5 && line.slice(bar + 3) !== '') {
      const [name] = splitInline(line.slice(bar + 3));
      cur = {
        name,
        flat: parseExact(left[0]),
        cum: parseExact(left[3]),
        callers,
        callees: new Map(),
      };
    } else {
      throw new Error(`cannot parse -peek line ${JSON.stringify(line)}`);
    }
  }
  if (cur) out.set(cur.name, cur);
  return out;
}

export function printedPeek(
  file: string,
  t: ValueType,
  index: number,
  flags: string[] = [],
): Map<string, PrintedPeek> {
  return parsePeek(
    runPprof([
      '-peek=.',
      ...ALL_NODES,
      `-sample_index=${index}`,
      ...exactUnitFlags(t),
      ...flags,
      file,
    ]),
  );
}

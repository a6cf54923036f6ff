// Building a changed Profile from an old one without touching the old one: fewer Lines in
// some locations, locations cut out of stacks, fewer samples. Unchanged tables are shared.
import type { LineTable, Profile, SampleTable, StackTable } from './model';
import { PairMap } from './pair-map';

/** Interns stacks (prefix, frame) into a new prefix table. */
export class StackBuilder {
  private map: PairMap;
  private frame: Int32Array;
  private prefix: Int32Array;

  constructor(expected = 1024) {
    this.map = new PairMap(expected);
    this.frame = new Int32Array(Math.max(16, expected));
    this.prefix = new Int32Array(Math.max(16, expected));
  }

  get length(): number {
    return this.map.size;
  }

  intern(prefix: number, frame: number): number {
    const before = this.map.size;
    const id = this.map.intern(prefix, frame);
    if (id === before) {
      if (id >= this.frame.length) {
        const f = new Int32Array(this.frame.length * 2);
        f.set(this.frame);
        this.frame = f;
        const p = new Int32Array(this.prefix.length * 2);
        p.set(this.prefix);
        this.prefix = p;
      }
      this.frame[id] = frame;
      this.prefix[id] = prefix;
    }
    return id;
  }

  finish(): StackTable {
    const n = this.map.size;
    return { length: n, frame: this.frame.slice(0, n), prefix: this.prefix.slice(0, n) };
  }
}

/** A profile whose locations keep only the Lines with keepLine[row] = 1. */
export function keepLines(p: Profile, keepLine: Uint8Array): Profile {
  const { locations, lines } = p;
  let n = 0;
  for (let r = 0; r < lines.length; r++) n += keepLine[r];
  const out: LineTable = {
    length: n,
    func: new Int32Array(n),
    line: new Float64Array(n),
    column: new Float64Array(n),
  };
  const lineStart = new Uint32Array(locations.length + 1);
  let w = 0;
  for (let loc = 0; loc < locations.length; loc++) {
    lineStart[loc] = w;
    for (let r = locations.lineStart[loc]; r < locations.lineStart[loc + 1]; r++) {
      if (!keepLine[r]) continue;
      out.func[w] = lines.func[r];
      out.line[w] = lines.line[r];
      out.column[w] = lines.column[r];
      w++;
    }
  }
  lineStart[locations.length] = w;
  return { ...p, lines: out, locations: { ...locations, lineStart } };
}

/**
 * Samples kept (keep[i] = 1, or all when null), their stacks replaced by stackOf[old stack]
 * (old -1 stays -1) in `stacks` when given.
 */
export function selectSamples(
  p: Profile,
  keep: Uint8Array | null,
  stackOf: Int32Array | null = null,
  stacks: StackTable | null = null,
): Profile {
  const s = p.samples;
  const nt = p.sampleTypes.length;
  let n = 0;
  let nl = 0;
  for (let i = 0; i < s.length; i++) {
    if (keep && !keep[i]) continue;
    n++;
    nl += s.labelStart[i + 1] - s.labelStart[i];
  }
  const out: SampleTable = {
    length: n,
    stack: new Int32Array(n),
    values: new Float64Array(n * nt),
    labelStart: new Uint32Array(n + 1),
    labelKey: new Int32Array(nl),
    labelStr: new Int32Array(nl),
    labelNum: new Float64Array(nl),
    labelUnit: new Int32Array(nl),
  };
  let w = 0;
  let lw = 0;
  for (let i = 0; i < s.length; i++) {
    if (keep && !keep[i]) continue;
    const st = s.stack[i];
    out.stack[w] = stackOf && st >= 0 ? stackOf[st] : st;
    for (let t = 0; t < nt; t++) out.values[w * nt + t] = s.values[i * nt + t];
    out.labelStart[w] = lw;
    for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
      out.labelKey[lw] = s.labelKey[l];
      out.labelStr[lw] = s.labelStr[l];
      out.labelNum[lw] = s.labelNum[l];
      out.labelUnit[lw] = s.labelUnit[l];
      lw++;
    }
    w++;
  }
  out.labelStart[w] = lw;
  return { ...p, samples: out, stacks: stacks ?? p.stacks };
}

/**
 * Cuts the locations with drop[loc] = 1 out of every stack. Returns the new stack table and
 * the new stack of each old stack (-1 when nothing is left).
 */
export function removeLocations(
  p: Profile,
  drop: Uint8Array,
): { stacks: StackTable; stackOf: Int32Array } {
  const { frame, prefix } = p.stacks;
  const stackOf = new Int32Array(p.stacks.length);
  const b = new StackBuilder(p.stacks.length);
  for (let s = 0; s < p.stacks.length; s++) {
    const pre = prefix[s];
    const parent = pre >= 0 ? stackOf[pre] : -1;
    const f = frame[s];
    stackOf[s] = drop[f] ? parent : b.intern(parent, f);
  }
  return { stacks: b.finish(), stackOf };
}

/** The locations of a stack, leaf first (the order of profile.proto's location_id). */
export function stackLocations(p: Profile, stack: number): number[] {
  const out: number[] = [];
  for (let s = stack; s >= 0; s = p.stacks.prefix[s]) out.push(p.stacks.frame[s]);
  return out;
}

// A CPU profile with `n` distinct leaf functions under main.main: `n` rows in the top table.
// Built with the project's encoder from the model tables, like Go's own output would be.
import { encodeProfile } from '../../core/pprof/encode';
import type { Profile } from '../../core/pprof/model';

export function wideProfile(n: number): Uint8Array {
  const strings = ['', 'samples', 'count', 'cpu', 'nanoseconds', 'main.main', 'main.go'];
  const fns = n + 1;
  const name = new Int32Array(fns);
  const file = new Int32Array(fns).fill(6);
  name[0] = 5;
  for (let i = 1; i < fns; i++)
    name[i] = strings.push(`example.com/wide/pkg${i % 97}.Leaf${i}`) - 1;
  const ids = (k: number): Float64Array => Float64Array.from({ length: k }, (_, i) => i + 1);
  // Stack 0 is main.main; stack i is leaf i called from it. Sample i-1 sits on stack i.
  const prefix = Int32Array.from({ length: fns }, (_, i) => (i === 0 ? -1 : 0));
  const values = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const count = 1 + (i % 7);
    values[i * 2] = count;
    values[i * 2 + 1] = count * 10_000_000;
  }
  const p: Profile = {
    strings,
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    defaultSampleType: '',
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: 10_000_000,
    timeNanos: 0,
    durationNanos: 0,
    dropFrames: '',
    keepFrames: '',
    comments: [],
    mappings: {
      length: 0,
      id: new Float64Array(0),
      memoryStart: new Float64Array(0),
      memoryLimit: new Float64Array(0),
      fileOffset: new Float64Array(0),
      filename: new Int32Array(0),
      buildId: new Int32Array(0),
      flags: new Uint8Array(0),
    },
    functions: {
      length: fns,
      id: ids(fns),
      name,
      systemName: name.slice(),
      filename: file,
      startLine: new Float64Array(fns),
    },
    locations: {
      length: fns,
      id: ids(fns),
      mapping: new Int32Array(fns).fill(-1),
      address: Float64Array.from({ length: fns }, (_, i) => 0x1000 + i * 8),
      isFolded: new Uint8Array(fns),
      lineStart: Uint32Array.from({ length: fns + 1 }, (_, i) => i),
    },
    lines: {
      length: fns,
      func: Int32Array.from({ length: fns }, (_, i) => i),
      line: new Float64Array(fns).fill(1),
      column: new Float64Array(fns),
    },
    stacks: { length: fns, frame: Int32Array.from({ length: fns }, (_, i) => i), prefix },
    samples: {
      length: n,
      stack: Int32Array.from({ length: n }, (_, i) => i + 1),
      values,
      labelStart: new Uint32Array(n + 1),
      labelKey: new Int32Array(0),
      labelStr: new Int32Array(0),
      labelNum: new Float64Array(0),
      labelUnit: new Int32Array(0),
    },
  };
  return encodeProfile(p);
}

// The browser tests' oracle: `go tool pprof -raw` parsed into samples of function-name
// stacks, and pprof's sums computed from them (functions granularity):
//   total      sum of every sample
//   flat(f)    samples whose innermost frame is f
//   cum(f)     samples with f anywhere on the stack, once per sample
//   root(f)    samples whose outermost frame is f (the flame graph's first row)
import { execFileSync, spawnSync } from 'node:child_process';

export interface RawProfile {
  types: string[];
  /** One entry per sample: its values, and its frames innermost first. */
  samples: Array<{ values: number[]; frames: string[] }>;
}

export function requireGo(): void {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      'these tests compute expected values with `go tool pprof`: install Go 1.22+ and put `go` on PATH',
    );
  }
}

export function readRaw(file: string): RawProfile {
  const text = execFileSync('go', ['tool', 'pprof', '-raw', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseRaw(text);
}

export function parseRaw(text: string): RawProfile {
  const lines = text.split('\n');
  let i = lines.findIndex((l) => l.startsWith('Samples:'));
  if (i < 0) throw new Error('no Samples: section in go tool pprof -raw output');
  const types = lines[i + 1]
    .trim()
    .split(/\s+/)
    .map((t) => t.replace(/\[dflt\]$/, '').split('/')[0]);
  const rawSamples: Array<{ values: number[]; locs: number[] }> = [];
  for (i += 2; i < lines.length && !lines[i].startsWith('Locations'); i++) {
    const m = /^\s*(-?\d+(?:\s+-?\d+)*):((?:\s+\d+)*)\s*$/.exec(lines[i]);
    if (!m) continue; // a label line
    rawSamples.push({
      values: m[1].trim().split(/\s+/).map(Number),
      locs: m[2].trim() ? m[2].trim().split(/\s+/).map(Number) : [],
    });
  }
  // Locations: "  ID: 0xADDR M=N func file:line:col s=N", then continuation lines with
  // "func file:line:col s=N" for the outer (caller) Lines of the same location.
  const locFuncs = new Map<number, string[]>();
  let cur: string[] | null = null;
  for (i++; i < lines.length && !lines[i].startsWith('Mappings'); i++) {
    const line = lines[i];
    const head = /^\s*(\d+):\s+0x[0-9a-f]+(?:\s+M=\d+)?(.*)$/.exec(line);
    let rest: string;
    if (head) {
      cur = [];
      locFuncs.set(Number(head[1]), cur);
      rest = head[2].trim();
    } else {
      rest = line.trim();
    }
    if (!rest || !cur) continue;
    const tokens = rest.split(/\s+/);
    // The last two tokens are "file:line:col" and "s=N"; the rest is the function name.
    const fn = tokens.length > 2 ? tokens.slice(0, -2).join(' ') : tokens[0];
    cur.push(fn);
  }
  const samples = rawSamples.map((s) => ({
    values: s.values,
    frames: s.locs.flatMap((id) => locFuncs.get(id) ?? []),
  }));
  return { types, samples };
}

export function typeIndex(raw: RawProfile, type: string): number {
  const t = raw.types.indexOf(type);
  if (t < 0) throw new Error(`no sample type ${type} in ${raw.types.join(', ')}`);
  return t;
}

export function total(raw: RawProfile, type: string): number {
  const t = typeIndex(raw, type);
  return raw.samples.reduce((a, s) => a + s.values[t], 0);
}

export function flat(raw: RawProfile, type: string, fn: string): number {
  const t = typeIndex(raw, type);
  return raw.samples.reduce((a, s) => a + (s.frames[0] === fn ? s.values[t] : 0), 0);
}

export function cum(raw: RawProfile, type: string, fn: string): number {
  const t = typeIndex(raw, type);
  return raw.samples.reduce((a, s) => a + (s.frames.includes(fn) ? s.values[t] : 0), 0);
}

/** Outermost frames and their values, largest first. */
export function rootFrames(raw: RawProfile, type: string): Array<{ name: string; value: number }> {
  const t = typeIndex(raw, type);
  const m = new Map<string, number>();
  for (const s of raw.samples) {
    const outer = s.frames[s.frames.length - 1];
    if (outer !== undefined) m.set(outer, (m.get(outer) ?? 0) + s.values[t]);
  }
  // Ties in name order, as the flame graph lays out siblings.
  return [...m]
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Value of samples with at least one frame whose function name matches, once per sample. */
export function matched(raw: RawProfile, type: string, re: RegExp): number {
  const t = typeIndex(raw, type);
  return raw.samples.reduce((a, s) => a + (s.frames.some((f) => re.test(f)) ? s.values[t] : 0), 0);
}

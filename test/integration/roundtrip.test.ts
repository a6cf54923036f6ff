// Our codec against Go's own reader: real profiles re-encoded by us print exactly like the
// originals under `go tool pprof -raw`, and our decoded tables print the same samples and
// locations as Go's reader does.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProfile } from '../../core/pprof/decode';
import { encodeProfile } from '../../core/pprof/encode';
import type { Profile } from '../../core/pprof/model';
import { generateProfile } from '../../bench/gen-profile';
import { generatedProfiles, realProfiles, type RealProfile } from '../unit/pprof/real-profiles';

function goAvailable(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function raw(file: string): string {
  return execFileSync('go', ['tool', 'pprof', '-raw', file], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The lines between `start` and the next section header of `go tool pprof -raw`. */
function section(text: string, start: RegExp, end: RegExp): string[] {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => start.test(l));
  const to = lines.findIndex((l, i) => i > from && end.test(l));
  return lines.slice(from + 1, to < 0 ? undefined : to);
}

const hex = (x: number | bigint) => `0x${x.toString(16)}`;

/** Our tables printed as Go's Profile.String prints samples (without their labels). */
function sampleLines(p: Profile): string[] {
  const out: string[] = [];
  const nTypes = p.sampleTypes.length;
  for (let i = 0; i < p.samples.length; i++) {
    let line = '';
    for (let t = 0; t < nTypes; t++)
      line += ` ${String(p.samples.values[i * nTypes + t]).padStart(10)}`;
    line += ': ';
    for (let s = p.samples.stack[i]; s >= 0; s = p.stacks.prefix[s]) {
      line += `${p.locations.id[p.stacks.frame[s]]} `;
    }
    out.push(line);
  }
  return out;
}

/** Our tables printed as Go's Location.string prints them. */
function locationLines(p: Profile): string[] {
  const { locations: l, lines, functions: f, mappings } = p;
  const out: string[] = [];
  for (let i = 0; i < l.length; i++) {
    let head = `${String(l.id[i]).padStart(6)}: ${hex(p.exact?.address?.get(i) ?? l.address[i])} `;
    if (l.mapping[i] >= 0) head += `M=${mappings.id[l.mapping[i]]} `;
    if (l.isFolded[i]) head += '[F] ';
    if (l.lineStart[i] === l.lineStart[i + 1]) out.push(head);
    for (let k = l.lineStart[i]; k < l.lineStart[i + 1]; k++) {
      const fn = lines.func[k];
      let text = '??';
      if (fn >= 0) {
        const name = p.strings[f.name[fn]];
        const system = p.strings[f.systemName[fn]];
        text = `${name} ${p.strings[f.filename[fn]]}:${lines.line[k]}:${lines.column[k]} s=${f.startLine[fn]}`;
        if (name !== system) text += `(${system})`;
      }
      out.push(head + text);
      head = '             ';
    }
  }
  return out;
}

describe('codec against go tool pprof', () => {
  let dir = '';
  let profiles: RealProfile[] = [];

  beforeAll(() => {
    if (!goAvailable()) {
      throw new Error(
        'these tests need Go (`go tool pprof`): install Go 1.22+ and put `go` on PATH',
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'pprof-studio-roundtrip-'));
    // The committed fixtures, plus profiles from our own Go program (labels, inlining,
    // recursion), so both sources are covered whatever the fixtures hold.
    const generated = generatedProfiles().map((f) => ({
      name: `generated/${f.split('/').pop()}`,
      bytes: new Uint8Array(readFileSync(f)),
    }));
    const fixtures = realProfiles().filter((p) => !generated.some((g) => g.name === p.name));
    profiles = [...fixtures, ...generated];
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('go tool pprof -raw prints our re-encoded files exactly like the originals', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(7);
    for (const [i, { name, bytes }] of profiles.entries()) {
      const original = join(dir, `${i}-original.pb.gz`);
      const ours = join(dir, `${i}-ours.pb.gz`);
      const oursRaw = join(dir, `${i}-ours.pb`);
      writeFileSync(original, bytes);
      const p = decodeProfile(bytes);
      writeFileSync(ours, encodeProfile(p));
      writeFileSync(oursRaw, encodeProfile(p, { gzip: false }));
      const expected = raw(original);
      expect(expected, name).toMatch(/Samples:/);
      expect(raw(ours), name).toBe(expected);
      expect(raw(oursRaw), name).toBe(expected);
    }
  });

  it('our decoded samples and locations match what Go reads', () => {
    let samples = 0;
    for (const [i, { name, bytes }] of profiles.entries()) {
      const file = join(dir, `${i}-decoded.pb.gz`);
      writeFileSync(file, bytes);
      const text = raw(file);
      const p = decodeProfile(bytes);
      const goSamples = section(text, /^Samples:$/, /^Locations$/)
        .slice(1)
        .filter((l) => !/^ {16}\S/.test(l));
      expect(sampleLines(p), name).toEqual(goSamples);
      expect(locationLines(p), name).toEqual(section(text, /^Locations$/, /^Mappings$/));
      samples += p.samples.length;
    }
    expect(samples).toBeGreaterThan(0);
  });

  it('go tool pprof reads a synthetic profile from our encoder (inlining, recursion, labels)', () => {
    const p = generateProfile({ samples: 3000, functions: 600, seed: 7 });
    const file = join(dir, 'synthetic.pb.gz');
    writeFileSync(file, encodeProfile(p));
    const text = raw(file);
    expect(text).toMatch(/^PeriodType: cpu nanoseconds$/m);
    const goSamples = section(text, /^Samples:$/, /^Locations$/)
      .slice(1)
      .filter((l) => !/^ {16}\S/.test(l));
    expect(goSamples).toEqual(sampleLines(p));
    expect(section(text, /^Locations$/, /^Mappings$/)).toEqual(locationLines(p));
    // Labels made it through: Go prints them under their samples.
    expect(text).toMatch(/^ {16}endpoint:\[\/api\//m);
  });
});

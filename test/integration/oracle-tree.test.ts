// Oracle for the call tree and the sandwich: every node of our CallTree (path, self, total,
// inlined flag) equals the tree built from `go tool pprof -raw` samples, for every fixture
// kind and sample type; the sandwich of each function agrees with pprof's flat and cum.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCallTree } from '../../core/pprof/calltree';
import { decodeProfile } from '../../core/pprof/decode';
import type { Profile } from '../../core/pprof/model';
import { buildSandwich } from '../../core/pprof/sandwich';
import type { CallTree } from '../../core/pprof/tree';
import { findGo } from '../helpers/go-target';
import {
  FIXTURE_KINDS,
  fixturePath,
  removeFixtureSnapshot,
  oracleNodes,
  parseRaw,
  runPprof,
  type RawProfile,
} from '../helpers/pprof-raw';

const counts = { trees: 0, nodes: 0, sandwiches: 0 };

beforeAll(() => {
  findGo();
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(
    `oracle tree: ${counts.trees} trees (${counts.nodes} nodes) and ${counts.sandwiches} sandwiches equal to go tool pprof -raw`,
  );
});

/** path -> "self total" from raw samples; frames are "name" or "name (inline)". */
function rawTree(raw: RawProfile, index: number, file: boolean): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const add = (k: string, self: number, total: number): void => {
    const v = out.get(k) ?? [0, 0];
    v[0] += self;
    v[1] += total;
    out.set(k, v);
  };
  for (const s of raw.samples) {
    const w = s.values[index]!;
    if (w === 0) continue;
    let path = '';
    for (let li = s.locations.length - 1; li >= 0; li--) {
      const loc = raw.locations.get(s.locations[li]!)!;
      const lines = loc.lines.length === 0 ? [null] : loc.lines;
      for (let k = lines.length - 1; k >= 0; k--) {
        const l = lines[k];
        // Frames without a function name print as the binary or <unknown>: "?" on both sides.
        const name = l && l.func !== '' ? (file ? `${l.func} ${l.file}` : l.func) : '?';
        path += `>${name}${k === lines.length - 1 ? '' : ' (inline)'}`;
        add(path, 0, w);
      }
    }
    add(path, w, 0);
  }
  return out;
}

function ourTree(t: CallTree): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const paths: string[] = [''];
  for (let i = 1; i < t.length; i++) {
    const name = t.names[t.name[i]!]!;
    paths[i] =
      `${paths[t.parent[i]!]}>${name === '<unknown>' || name.startsWith('[') ? '?' : name}${t.inlined[i] ? ' (inline)' : ''}`;
    out.set(paths[i]!, [t.self[i]!, t.total[i]!]);
  }
  return out;
}

describe.each(FIXTURE_KINDS)('%s', (kind) => {
  let profile: Profile;
  let raw: RawProfile;
  beforeAll(() => {
    const file = fixturePath('before', kind);
    profile = decodeProfile(new Uint8Array(readFileSync(file)));
    raw = parseRaw(runPprof(['-raw', file]));
  });

  it('call tree nodes equal the raw samples merged by path, every sample type', () => {
    for (let i = 0; i < profile.sampleTypes.length; i++) {
      const t = buildCallTree(profile, { sampleIndex: i });
      expect(ourTree(t)).toEqual(rawTree(raw, i, false));
      const total = raw.samples.reduce((a, s) => a + s.values[i]!, 0);
      expect(t.total[0]).toBe(total);
      counts.trees++;
      counts.nodes += t.length;
    }
    const ff = buildCallTree(profile, { granularity: 'filefunctions' });
    expect(ourTree(ff)).toEqual(rawTree(raw, defaultIndex(raw), true));
    counts.trees++;
  });

  it('sandwich flat and cum equal pprof flat and cum for every function', () => {
    const i = defaultIndex(raw);
    for (const n of oracleNodes(raw, i).values()) {
      if (n.name === '<unknown>') continue;
      const s = buildSandwich(profile, n.name);
      expect([s.flat, s.cum], n.name).toEqual([n.flat, n.cum]);
      expect(s.callees.total[0]).toBe(n.cum);
      expect(s.callers.total[0]).toBe(n.cum);
      counts.sandwiches++;
    }
  });
});

function defaultIndex(raw: RawProfile): number {
  const d = raw.sampleTypes.findIndex((t) => t.dflt);
  return d >= 0 ? d : raw.sampleTypes.length - 1;
}

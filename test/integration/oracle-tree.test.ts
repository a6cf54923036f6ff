// Oracle for the call tree and the sandwich: every node of our CallTree (path, self, total,
// inlined flag) equals the stacks `go tool pprof -traces` prints (exact unit) merged by path,
// for every fixture kind and sample type; the sandwich of each function agrees with the flat
// and cum Go prints with -top. (Go prints no call tree by path; merging its printed stacks is
// the only step done here.)
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCallTree } from '../../core/pprof/calltree';
import { decodeProfile } from '../../core/pprof/decode';
import type { Profile } from '../../core/pprof/model';
import { buildSandwich } from '../../core/pprof/sandwich';
import type { CallTree } from '../../core/pprof/tree';
import { findGo } from '../helpers/go-target';
import { printedTop, printedTraces, type PrintedTrace } from '../helpers/pprof-printed';
import { FIXTURE_KINDS, fixturePath, removeFixtureSnapshot } from '../helpers/pprof-raw';

const counts = { trees: 0, nodes: 0, sandwiches: 0 };

beforeAll(() => {
  findGo();
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(
    `oracle tree: ${counts.trees} trees (${counts.nodes} nodes) and ${counts.sandwiches} sandwiches equal to the stacks and rows go tool pprof prints`,
  );
});

/** path -> [self, total] from the stacks Go prints; frames are "name" or "name (inline)". */
function printedTree(stacks: PrintedTrace[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const add = (k: string, self: number, total: number): void => {
    const v = out.get(k) ?? [0, 0];
    v[0] += self;
    v[1] += total;
    out.set(k, v);
  };
  for (const s of stacks) {
    if (s.value === 0) continue;
    let path = '';
    for (let i = s.frames.length - 1; i >= 0; i--) {
      const f = s.frames[i];
      const inline = f.endsWith(' (inline)');
      const name = inline ? f.slice(0, -' (inline)'.length) : f;
      // Frames without a function name print as the binary or <unknown>: "?" on both sides.
      path += `>${name === '<unknown>' || name.startsWith('[') ? '?' : name}${inline ? ' (inline)' : ''}`;
      add(path, 0, s.value);
    }
    add(path, s.value, 0);
  }
  return out;
}

function ourTree(t: CallTree): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const paths: string[] = [''];
  for (let i = 1; i < t.length; i++) {
    const name = t.names[t.name[i]];
    paths[i] =
      `${paths[t.parent[i]]}>${name === '<unknown>' || name.startsWith('[') ? '?' : name}${t.inlined[i] ? ' (inline)' : ''}`;
    out.set(paths[i], [t.self[i], t.total[i]]);
  }
  return out;
}

describe.each(FIXTURE_KINDS)('%s', (kind) => {
  let profile: Profile;
  let file: string;
  beforeAll(() => {
    file = fixturePath('before', kind);
    profile = decodeProfile(new Uint8Array(readFileSync(file)));
  });

  it('call tree nodes equal the stacks Go prints merged by path, every sample type', () => {
    for (let i = 0; i < profile.sampleTypes.length; i++) {
      const stacks = printedTraces(file, profile.sampleTypes[i], i);
      const want = printedTree(stacks);
      expect(want.size).toBeGreaterThan(0);
      const t = buildCallTree(profile, { sampleIndex: i });
      expect(ourTree(t)).toEqual(want);
      expect(t.total[0]).toBe(stacks.reduce((a, s) => a + s.value, 0));
      counts.trees++;
      counts.nodes += t.length;
    }
  });

  it('sandwich flat and cum equal the flat and cum Go prints for every function', () => {
    const i = defaultIndex(profile);
    const rows = printedTop(file, profile.sampleTypes[i], i);
    expect(rows.length).toBeGreaterThan(0);
    for (const n of rows) {
      if (n.name === '<unknown>' || n.name.startsWith('[')) continue;
      const s = buildSandwich(profile, n.name);
      expect([s.flat, s.cum], n.name).toEqual([n.flat, n.cum]);
      expect(s.callees.total[0]).toBe(n.cum);
      expect(s.callers.total[0]).toBe(n.cum);
      counts.sandwiches++;
    }
  });
});

function defaultIndex(p: Profile): number {
  const d = p.sampleTypes.findIndex((t) => t.type === p.defaultSampleType);
  return d >= 0 ? d : p.sampleTypes.length - 1;
}

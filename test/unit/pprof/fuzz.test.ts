// Mutation fuzzing of the decoder from real Go profiles: every input must either decode or
// throw a ProfileError, in under a second (a hang detector, not a speed test). Deterministic:
// a seeded PRNG picks the base profiles and mutations, so a failure names a reproducible case.

import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { gzip } from 'pako';
import { decodeProfile } from '../../../core/pprof/decode';
import { encodeProfile } from '../../../core/pprof/encode';
import { isProfileError } from '../../../core/pprof/errors';
import { WireReader } from '../../../core/pprof/wire';
import { WireWriter } from '../../../core/pprof/writer';
import { realProfiles } from './real-profiles';

const CASES = 12_000;
const SEED = 0x5eed2026;
const HANG_MS = 1000;
// What the seeded cases produce from the committed fixtures (see the last assertions); a
// change to the decoder's checks or to the fixtures (npm run fixtures) changes these.
// The decoder reads each sample's fields in its first pass (to count location ids), so a
// sample's damage is found before the references of locations are checked: the same 10,089
// refusals, some under another kind than when samples were read last.
const EXPECTED_ERRORS: Record<string, number> = {
  empty: 1,
  gzip: 1173,
  'invalid-reference': 282,
  'invalid-value': 47,
  malformed: 7577,
  truncated: 2183,
};
const EXPECTED_DECODED = 737;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets of every length prefix in a message, descending into payloads that parse. */
function lengthFields(
  buf: Uint8Array,
  start: number,
  end: number,
  depth: number,
  out: number[],
): boolean {
  const r = new WireReader(buf);
  r.pos = start;
  try {
    while (r.pos < end) {
      const tag = r.tag(end);
      const wt = tag & 7;
      if (wt === 2) {
        const at = r.pos;
        const e = r.lengthEnd(end);
        out.push(at);
        if (depth < 3) lengthFields(buf, r.pos, e, depth + 1, out);
        r.pos = e;
      } else {
        r.skip(wt, end, r.pos);
      }
    }
    return true;
  } catch {
    return false;
  }
}

function varintBytes(n: number): Uint8Array {
  const w = new WireWriter(10);
  w.uint64(n);
  return w.finish().slice();
}

function splice(a: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length - remove + insert.length);
  out.set(a.subarray(0, at));
  out.set(insert, at);
  out.set(a.subarray(at + remove), at + insert.length);
  return out;
}

type Mutation = (
  rnd: () => number,
  base: Uint8Array,
  other: Uint8Array,
  lengths: number[],
) => Uint8Array;

const special = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x22];
const at = (rnd: () => number, n: number) => Math.floor(rnd() * n);

const MUTATIONS: [string, Mutation][] = [
  [
    'bit flips',
    (rnd, b) => {
      const out = b.slice();
      for (let k = 1 + at(rnd, 8); k > 0; k--) out[at(rnd, out.length)] ^= 1 << at(rnd, 8);
      return out;
    },
  ],
  [
    'byte overwrites',
    (rnd, b) => {
      const out = b.slice();
      for (let k = 1 + at(rnd, 16); k > 0; k--) {
        out[at(rnd, out.length)] = rnd() < 0.5 ? special[at(rnd, special.length)] : at(rnd, 256);
      }
      return out;
    },
  ],
  ['truncation', (rnd, b) => b.slice(0, at(rnd, b.length))],
  [
    'splice of two profiles',
    (rnd, b, o) => {
      const i = at(rnd, b.length);
      const j = at(rnd, o.length);
      const out = new Uint8Array(i + o.length - j);
      out.set(b.subarray(0, i));
      out.set(o.subarray(j), i);
      return out;
    },
  ],
  [
    'length-field corruption',
    (rnd, b, _o, lengths) => {
      if (lengths.length === 0) return b.slice();
      const pos = lengths[at(rnd, lengths.length)];
      const r = new WireReader(b);
      r.pos = pos;
      const old = r.varint(b.length);
      const oldSize = r.pos - pos;
      const choices = [
        0,
        old + 1,
        Math.max(0, old - 1),
        old * 2 + 7,
        0x7fffffff,
        2 ** 40,
        at(rnd, 300),
      ];
      return splice(b, pos, oldSize, varintBytes(choices[at(rnd, choices.length)]));
    },
  ],
  [
    'chunk duplication',
    (rnd, b) => {
      const i = at(rnd, b.length);
      const n = Math.min(b.length - i, 1 + at(rnd, 64));
      return splice(b, at(rnd, b.length), 0, b.slice(i, i + n));
    },
  ],
  [
    'random insertion',
    (rnd, b) => {
      const ins = new Uint8Array(1 + at(rnd, 12));
      for (let k = 0; k < ins.length; k++)
        ins[k] = rnd() < 0.5 ? special[at(rnd, special.length)] : at(rnd, 256);
      return splice(b, at(rnd, b.length + 1), 0, ins);
    },
  ],
];

describe('decoder fuzzing', () => {
  const bases = realProfiles(64 << 10).map((p) => {
    const raw = new Uint8Array(gunzipSync(p.bytes));
    const lengths: number[] = [];
    lengthFields(raw, 0, raw.length, 0, lengths);
    return { name: p.name, gz: p.bytes, raw, lengths };
  });

  it(`${CASES} mutated real profiles: decode or ProfileError, each under ${HANG_MS} ms`, () => {
    expect(bases.length).toBeGreaterThanOrEqual(3);
    const rnd = prng(SEED);
    const failures: string[] = [];
    const byKind = new Map<string, number>();
    let decoded = 0;
    let roundTrips = 0;
    let slowest = 0;
    for (let c = 0; c < CASES; c++) {
      const base = bases[at(rnd, bases.length)];
      const other = bases[at(rnd, bases.length)];
      const [mname, mutate] = MUTATIONS[at(rnd, MUTATIONS.length)];
      // Mostly the protobuf layer; some gzip streams mutated as such, some mutated bodies
      // gzipped so the protobuf checks also run behind the gzip layer.
      const mode = rnd();
      let input: Uint8Array;
      if (mode < 0.7) input = mutate(rnd, base.raw, other.raw, base.lengths);
      else if (mode < 0.85) input = mutate(rnd, base.gz, other.gz, []);
      else input = gzip(mutate(rnd, base.raw, other.raw, base.lengths), { level: 1 });
      const what = `case ${c} (${mname} of ${base.name}${mname.startsWith('splice') ? ` + ${other.name}` : ''}, ${mode < 0.7 ? 'raw' : mode < 0.85 ? 'gzip bytes' : 'gzipped'})`;
      const t0 = performance.now();
      let p: ReturnType<typeof decodeProfile> | null = null;
      try {
        p = decodeProfile(input, { maxInflatedBytes: 16 << 20 });
        decoded++;
      } catch (err) {
        if (!isProfileError(err)) {
          failures.push(`${what}: ${err instanceof Error ? err.stack : String(err)}`);
        } else {
          byKind.set(err.kind, (byKind.get(err.kind) ?? 0) + 1);
          if (err.message.length === 0) failures.push(`${what}: empty message`);
        }
      }
      const ms = performance.now() - t0;
      // What decodes is a valid model: the encoder accepts it and it decodes back equal. Out of
      // the try above, so an encoder error is a failure, never an expected decode error.
      if (p !== null) {
        let back: unknown;
        try {
          back = decodeProfile(encodeProfile(p, { gzip: false }));
        } catch (err) {
          failures.push(
            `${what}: round trip threw ${err instanceof Error ? err.stack : String(err)}`,
          );
        }
        if (back !== undefined) {
          expect(back, `${what}: round trip`).toEqual(p);
          roundTrips++;
        }
      }
      slowest = Math.max(slowest, ms);
      if (ms > HANG_MS) failures.push(`${what}: took ${ms.toFixed(0)} ms`);
    }
    console.log(
      `fuzz: ${CASES} cases, ${decoded} decoded, errors by kind ${JSON.stringify(Object.fromEntries(byKind))}, slowest ${slowest.toFixed(1)} ms`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    // The seeded cases are fixed, so is what they reach: every kind of validation, in exact
    // counts (a change to the decoder's checks shows here).
    expect(Object.fromEntries([...byKind].sort())).toEqual(EXPECTED_ERRORS);
    expect(decoded).toBe(EXPECTED_DECODED);
    expect(roundTrips).toBe(decoded);
  });
});

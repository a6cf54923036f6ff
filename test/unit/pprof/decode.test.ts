import { describe, expect, it } from 'vitest';
import { gzipSync, gunzipSync } from 'node:zlib';
import { gzip } from 'pako';
import { decodeProfile, decodeProfileBody, isGzip } from '../../../core/pprof/decode';
import { ProfileError, isProfileError, type ProfileErrorKind } from '../../../core/pprof/errors';
import type { Profile } from '../../../core/pprof/model';
import { WireReader } from '../../../core/pprof/wire';
import { realProfiles } from './real-profiles';
import { cat, m, packed, raw, strings, tinyProfile, v } from './proto-bytes';

const real = realProfiles(1 << 20);

function failure(f: () => unknown): ProfileError {
  try {
    f();
  } catch (err) {
    if (isProfileError(err)) return err;
    throw new Error(`expected a ProfileError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a ProfileError, but decoding succeeded');
}

function expectError(bytes: Uint8Array, kind: ProfileErrorKind, message: RegExp): ProfileError {
  const err = failure(() => decodeProfile(bytes));
  expect(err.kind).toBe(kind);
  expect(err.message).toMatch(message);
  return err;
}

/** Root-first location rows of sample i. */
function stackOf(p: Profile, i: number): number[] {
  const out: number[] = [];
  for (let s = p.samples.stack[i]; s >= 0; s = p.stacks.prefix[s]) out.unshift(p.stacks.frame[s]);
  return out;
}

function funcName(p: Profile, line: number): string {
  return p.strings[p.functions.name[p.lines.func[line]]];
}

describe('decodeProfile on real Go profiles', () => {
  it('has real profiles to test with', () => {
    expect(real.length).toBeGreaterThanOrEqual(5);
  });

  for (const { name, bytes } of real) {
    it(`${name}: decodes into consistent tables`, () => {
      expect(isGzip(bytes)).toBe(true);
      const p = decodeProfile(bytes);
      expect(p.strings[0]).toBe('');
      expect(new Set(p.strings).size).toBe(p.strings.length);
      expect(p.sampleTypes.length).toBeGreaterThan(0);
      expect(p.periodType).not.toBeNull();
      const nTypes = p.sampleTypes.length;
      const { samples, stacks, locations, lines, functions, mappings } = p;
      expect(samples.values.length).toBe(samples.length * nTypes);
      expect(samples.labelStart.length).toBe(samples.length + 1);
      for (let i = 0; i < stacks.length; i++) {
        expect(stacks.prefix[i]).toBeLessThan(i);
        expect(stacks.frame[i]).toBeGreaterThanOrEqual(0);
        expect(stacks.frame[i]).toBeLessThan(locations.length);
      }
      // Interned: no two stack entries with the same (prefix, frame).
      const keys = new Set<string>();
      for (let i = 0; i < stacks.length; i++) keys.add(`${stacks.prefix[i]}:${stacks.frame[i]}`);
      expect(keys.size).toBe(stacks.length);
      expect(locations.lineStart[locations.length]).toBe(lines.length);
      for (let i = 0; i < locations.length; i++) {
        expect(locations.lineStart[i + 1]).toBeGreaterThanOrEqual(locations.lineStart[i]);
        expect(locations.mapping[i]).toBeLessThan(mappings.length);
      }
      for (let i = 0; i < lines.length; i++) expect(lines.func[i]).toBeLessThan(functions.length);
      for (let i = 0; i < functions.length; i++) {
        expect(functions.id[i]).toBeGreaterThan(0);
        expect(functions.name[i]).toBeLessThan(p.strings.length);
      }
      // Every sample has a stack, and walking it towards the root ends at a root frame (its
      // prefixes only go down, so the walk ends): the stack's outermost function, which Go's
      // -traces prints last (oracle-printed compares the whole stacks with Go's).
      let named = 0;
      for (let i = 0; i < samples.length; i++) {
        let s = samples.stack[i];
        expect(s).toBeGreaterThanOrEqual(0);
        while (stacks.prefix[s] >= 0) {
          expect(stacks.prefix[s]).toBeLessThan(s);
          s = stacks.prefix[s];
        }
        const loc = stacks.frame[s];
        const last = locations.lineStart[loc + 1] - 1;
        if (last >= locations.lineStart[loc] && funcName(p, last) !== '') named++;
      }
      // Symbolized profiles: roots have names (threadcreate's runtime frames may not).
      if (!name.includes('threadcreate')) expect(named).toBe(samples.length);
    });

    it(`${name}: gzip and uncompressed input decode the same`, () => {
      const inflated = new Uint8Array(gunzipSync(bytes));
      expect(decodeProfile(inflated)).toEqual(decodeProfile(bytes));
      expect(decodeProfileBody(inflated)).toEqual(decodeProfile(bytes));
    });
  }

  it('reads the sample types Go writes for each profile kind', () => {
    const byKind = new Map(real.map((r) => [r.name.replace(/.*\//, ''), decodeProfile(r.bytes)]));
    const types = (p: Profile | undefined) => p?.sampleTypes.map((t) => `${t.type}/${t.unit}`);
    const heap = byKind.get('heap') ?? byKind.get('heap.pb.gz');
    if (heap) {
      expect(types(heap)).toEqual([
        'alloc_objects/count',
        'alloc_space/bytes',
        'inuse_objects/count',
        'inuse_space/bytes',
      ]);
      // Go puts the average block size on every heap sample as numeric label "bytes".
      const key = heap.strings.indexOf('bytes');
      expect(key).toBeGreaterThan(0);
      for (let i = 0; i < heap.samples.length; i++) {
        const labels = [];
        for (let k = heap.samples.labelStart[i]; k < heap.samples.labelStart[i + 1]; k++) {
          labels.push(heap.samples.labelKey[k]);
        }
        expect(labels).toContain(key);
      }
    }
    const allocs = byKind.get('allocs') ?? byKind.get('allocs.pb.gz');
    if (allocs) expect(allocs.defaultSampleType).toBe('alloc_space');
    const cpu = byKind.get('cpu') ?? byKind.get('cpu.pb.gz');
    if (cpu) {
      expect(types(cpu)).toEqual(['samples/count', 'cpu/nanoseconds']);
      expect(cpu.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    }
    expect(heap ?? cpu).toBeDefined();
  });

  it('keeps inlined frames as extra lines, the caller last', () => {
    const cpu = real.find((r) => /cpu/.test(r.name));
    expect(cpu).toBeDefined();
    const p = decodeProfile(cpu!.bytes);
    let multi = 0;
    for (let i = 0; i < p.locations.length; i++) {
      const a = p.locations.lineStart[i];
      const b = p.locations.lineStart[i + 1];
      if (b - a > 1) {
        multi++;
        // The last line is the real frame: for Go code its function is not inlined anywhere
        // else in this location.
        expect(funcName(p, b - 1)).not.toBe(funcName(p, a));
      }
    }
    expect(multi).toBeGreaterThan(0);
  });

  it('builds stacks from the leaf, location_id[0], up to the root', () => {
    // Read each sample's location ids straight off the wire, independently of the decoder.
    for (const { name, bytes } of real) {
      const body = new Uint8Array(gunzipSync(bytes));
      const r = new WireReader(body);
      const wireStacks: number[][] = [];
      while (r.pos < body.length) {
        const tag = r.tag(body.length);
        if (tag !== 18) {
          r.skip(tag & 7, body.length, r.pos);
          continue;
        }
        const end = r.lengthEnd(body.length);
        const ids: number[] = [];
        while (r.pos < end) {
          const t = r.tag(end);
          if (t === 10) {
            const e = r.lengthEnd(end);
            while (r.pos < e) ids.push(r.varint(e));
          } else if (t === 8) {
            ids.push(r.varint(end)); // Go writes lists of up to 2 ids unpacked
          } else r.skip(t & 7, end, r.pos);
        }
        wireStacks.push(ids);
      }
      const p = decodeProfile(bytes);
      const ours = Array.from({ length: p.samples.length }, (_, i) =>
        stackOf(p, i)
          .reverse()
          .map((row) => p.locations.id[row]),
      );
      expect(ours, name).toEqual(wireStacks);
    }
  });
});

describe('decodeProfile on constructed wire data', () => {
  it('decodes the tiny profile', () => {
    const p = decodeProfile(tinyProfile());
    expect(p.sampleTypes).toEqual([{ type: 'samples', unit: 'count' }]);
    expect(p.samples.length).toBe(1);
    expect(Array.from(p.samples.values)).toEqual([5]);
    expect(stackOf(p, 0)).toEqual([0]);
    expect(p.strings[p.functions.name[0]]).toBe('main.f');
    expect(p.lines.line[0]).toBe(10);
    expect(p.periodType).toBeNull();
  });

  it('accepts unpacked repeated fields, and packed ones split in several chunks', () => {
    const unpacked = tinyProfile({
      samples: m(2, v(1, 1), v(1, 2), v(2, 7)),
      locations: cat(m(4, v(1, 1), m(4, v(1, 1))), m(4, v(1, 2), m(4, v(1, 1)))),
    });
    const split = tinyProfile({
      samples: m(2, packed(1, [1]), packed(1, [2]), packed(2, [7])),
      locations: cat(m(4, v(1, 1), m(4, v(1, 1))), m(4, v(1, 2), m(4, v(1, 1)))),
    });
    const a = decodeProfile(unpacked);
    const b = decodeProfile(split);
    expect(stackOf(a, 0)).toEqual([1, 0]);
    expect(Array.from(a.samples.values)).toEqual([7]);
    expect(b).toEqual(a);
  });

  it('decodes packed ids of 1 to 5 bytes at every position of the field', () => {
    // Ids 1..n in order (as Go writes them) take the decoder's direct path; 3-byte ids
    // need more than 2^14 locations.
    const n = 20_000;
    const locations = cat(...Array.from({ length: n }, (_, i) => m(4, v(1, i + 1), m(4, v(1, 1)))));
    const paths = [
      [1, 200, 16_384, 20_000],
      [20_000, 16_385, 127, 128],
      [5, 16_383],
      [19_999],
      [300, 2],
    ];
    const samples = cat(...paths.map((ids) => m(2, packed(1, ids), packed(2, [1]))));
    const p = decodeProfile(tinyProfile({ locations, samples }));
    for (const [i, ids] of paths.entries()) {
      expect(
        stackOf(p, i)
          .reverse()
          .map((row) => p.locations.id[row]),
      ).toEqual(ids);
    }
    // The same with sparse ids, which go through the id map, and ids of 4 and 5 bytes.
    const sparse = [3, 300, 70_000, 3_000_000, 400_000_000];
    const q = decodeProfile(
      tinyProfile({
        locations: cat(...sparse.map((id) => m(4, v(1, id), m(4, v(1, 1))))),
        samples: cat(
          m(2, packed(1, sparse), packed(2, [1])),
          m(2, packed(1, [...sparse].reverse()), packed(2, [1])),
        ),
      }),
    );
    expect(
      stackOf(q, 0)
        .reverse()
        .map((row) => q.locations.id[row]),
    ).toEqual(sparse);
    expect(stackOf(q, 1).map((row) => q.locations.id[row])).toEqual(sparse);
  });

  it('shares stack entries between samples with a common prefix', () => {
    const p = decodeProfile(
      tinyProfile({
        locations: cat(
          m(4, v(1, 1), m(4, v(1, 1))),
          m(4, v(1, 2), m(4, v(1, 1))),
          m(4, v(1, 3), m(4, v(1, 1))),
        ),
        // leaf first: [1 <- 2 <- 3] and [2 <- 3] and [1 <- 2 <- 3] again
        samples: cat(
          m(2, packed(1, [1, 2, 3]), packed(2, [1])),
          m(2, packed(1, [2, 3]), packed(2, [1])),
          m(2, packed(1, [1, 2, 3]), packed(2, [1])),
        ),
      }),
    );
    expect(p.stacks.length).toBe(3);
    expect(p.samples.stack[0]).toBe(p.samples.stack[2]);
    expect(p.stacks.prefix[p.samples.stack[0]]).toBe(p.samples.stack[1]);
  });

  it('maps sparse and huge ids, including ids beyond 2^53, to rows', () => {
    const big = 2n ** 60n + 7n;
    const bigNeighbour = 2n ** 60n + 8n; // the same double as `big`: must stay distinct
    const p = decodeProfile(
      tinyProfile({
        functions: cat(m(5, v(1, 9_000_000_001), v(2, 3)), m(5, v(1, big), v(2, 4))),
        locations: cat(
          m(4, v(1, big), m(4, v(1, 9_000_000_001))),
          m(4, v(1, bigNeighbour), m(4, v(1, big))),
          m(4, v(1, 123_456_789_012), m(4, v(1, big))),
        ),
        samples: cat(
          m(2, packed(1, [big, 123_456_789_012]), packed(2, [1])),
          m(2, packed(1, [bigNeighbour]), packed(2, [2])),
        ),
      }),
    );
    expect(stackOf(p, 0)).toEqual([2, 0]);
    expect(stackOf(p, 1)).toEqual([1]);
    expect(p.lines.func[0]).toBe(0);
    expect(p.lines.func[1]).toBe(1);
    expect(p.functions.id[0]).toBe(9_000_000_001);
  });

  it('decodes negative and 64-bit values exactly where a double can', () => {
    const p = decodeProfile(
      tinyProfile({
        types: cat(m(1, v(1, 1), v(2, 2)), m(1, v(1, 1), v(2, 2)), m(1, v(1, 1), v(2, 2))),
        samples: m(2, packed(1, [1]), packed(2, [-5, 2 ** 53, -(2 ** 53)])),
        locations: m(4, v(1, 1), v(3, 0xffffffffffffffffn), m(4, v(1, 1), v(2, -3))),
      }),
    );
    expect(Array.from(p.samples.values)).toEqual([-5, 2 ** 53, -(2 ** 53)]);
    expect(p.lines.line[0]).toBe(-3);
    expect(p.exact?.address?.get(0)).toBe(0xffffffffffffffffn);
  });

  it('reads labels: strings, numbers with units, and drops empty ones as Go does', () => {
    const p = decodeProfile(
      tinyProfile({
        samples: m(
          2,
          packed(1, [1]),
          packed(2, [1]),
          m(3, v(1, 3), v(2, 4)),
          m(3, v(1, 1), v(3, 4096), v(4, 2)),
          m(3, v(1, 4)),
        ),
      }),
    );
    const s = p.samples;
    expect(Array.from(s.labelStart)).toEqual([0, 2]);
    expect(p.strings[s.labelKey[0]]).toBe('main.f');
    expect(p.strings[s.labelStr[0]]).toBe('f.go');
    expect(s.labelNum[0]).toBe(0);
    expect(p.strings[s.labelKey[1]]).toBe('samples');
    expect(s.labelStr[1]).toBe(0);
    expect(s.labelNum[1]).toBe(4096);
    expect(p.strings[s.labelUnit[1]]).toBe('count');
  });

  it('interns duplicate strings of the string table to one index', () => {
    const p = decodeProfile(
      tinyProfile({
        strings: strings('', 'samples', 'count', 'main.f', 'f.go', 'main.f'),
        functions: m(5, v(1, 1), v(2, 5), v(4, 4)),
      }),
    );
    expect(p.strings).toEqual(['', 'samples', 'count', 'main.f', 'f.go']);
    expect(p.functions.name[0]).toBe(3);
  });

  it('decodes UTF-8 names and keeps the scalars', () => {
    const p = decodeProfile(
      cat(
        tinyProfile({
          strings: strings('', 'samples', 'count', 'main.(*Cafè).Größe', 'f.go', 'x'),
        }),
        v(9, 1_700_000_000_123_456_789n),
        v(10, 30_000_000_000),
        m(11, v(1, 1), v(2, 2)),
        v(12, 10_000_000),
        v(13, 5),
        packed(13, [4, 3]),
        v(14, 1),
        v(15, 5),
        v(7, 3),
      ),
    );
    expect(p.strings[p.functions.name[0]]).toBe('main.(*Cafè).Größe');
    expect(p.exact?.timeNanos).toBe(1_700_000_000_123_456_789n);
    expect(p.timeNanos).toBe(Number(1_700_000_000_123_456_789n));
    expect(p.durationNanos).toBe(30_000_000_000);
    expect(p.periodType).toEqual({ type: 'samples', unit: 'count' });
    expect(p.period).toBe(10_000_000);
    expect(p.comments).toEqual(['x', 'f.go', 'main.(*Cafè).Größe']);
    expect(p.defaultSampleType).toBe('samples');
    expect(p.docUrl).toBe('x');
    expect(p.dropFrames).toBe('main.(*Cafè).Größe');
  });

  it('skips unknown fields of every wire type', () => {
    const unknown = cat(
      v(99, 5),
      raw(100, new Uint8Array([1, 2, 3])),
      new Uint8Array([0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8]), // field 99, fixed64
      new Uint8Array([0x9d, 0x06, 1, 2, 3, 4]), // field 99, fixed32
    );
    const p = decodeProfile(
      cat(unknown, tinyProfile({ samples: m(2, unknown, packed(1, [1]), packed(2, [5])) })),
    );
    expect(Array.from(p.samples.values)).toEqual([5]);
  });
});

describe('decodeProfile errors', () => {
  it('empty input', () => {
    expectError(new Uint8Array(0), 'empty', /empty/);
  });

  it('truncated protobuf: names the byte where the data ends', () => {
    const full = tinyProfile();
    const err = expectError(full.subarray(0, full.length - 3), 'truncated', /byte \d+/);
    expect(err.offset).toBeGreaterThan(0);
  });

  it('malformed varint longer than 10 bytes', () => {
    const bad = cat(
      tinyProfile(),
      new Uint8Array([0x48]),
      new Uint8Array(11).fill(0x80),
      new Uint8Array([1]),
    );
    expectError(bad, 'malformed', /varint longer than 10 bytes at byte \d+/);
  });

  it('varint that overflows 64 bits', () => {
    const bad = cat(
      tinyProfile(),
      new Uint8Array([0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    );
    expectError(bad, 'malformed', /overflows 64 bits/);
  });

  it('wrong wire type for a known field', () => {
    expectError(
      cat(tinyProfile(), v(2, 1)),
      'malformed',
      /wire type varint where length-delimited/,
    );
    expectError(cat(tinyProfile(), raw(9, new Uint8Array(2))), 'malformed', /time_nanos/);
  });

  it('unsupported wire types (groups)', () => {
    expectError(
      cat(tinyProfile(), new Uint8Array([0x9b, 0x06])),
      'malformed',
      /unsupported wire type 3/,
    );
    expectError(
      cat(tinyProfile(), new Uint8Array([0x0b])),
      'malformed',
      /sample_type .*group start/,
    );
  });

  it('field number 0', () => {
    expectError(cat(new Uint8Array([0x00, 0x01]), tinyProfile()), 'malformed', /field number 0/);
  });

  it('a nested length that runs past its enclosing message', () => {
    // sample message of 4 bytes whose packed field claims 9 bytes
    const sample = raw(2, new Uint8Array([0x0a, 0x09, 0x01, 0x01]));
    expectError(
      tinyProfile({ samples: sample }),
      'malformed',
      /runs past the end of its enclosing message/,
    );
  });

  it('a top-level length past the end of the data is truncation', () => {
    expectError(
      cat(tinyProfile(), new Uint8Array([0x12, 0x40, 0x01])),
      'truncated',
      /runs past the end of the data/,
    );
  });

  it('string index out of range, naming the function and the index', () => {
    const err = expectError(
      tinyProfile({ functions: m(5, v(1, 1), v(2, 77)) }),
      'invalid-reference',
      /function #0 .*name: string index 77 is out of range \(the string table has 5 entries\)/,
    );
    expect(err.message).toMatch(/at byte \d+/);
    expectError(
      tinyProfile({ functions: m(5, v(1, 1), v(2, -1)) }),
      'invalid-reference',
      /string index -1/,
    );
    expectError(
      cat(tinyProfile(), v(14, 9)),
      'invalid-reference',
      /default_sample_type: string index 9/,
    );
    expectError(
      tinyProfile({ samples: m(2, packed(1, [1]), packed(2, [1]), m(3, v(1, 50), v(2, 1))) }),
      'invalid-reference',
      /sample #0 .*label string index 50/,
    );
  });

  it('undefined location id in a sample', () => {
    expectError(
      tinyProfile({ samples: m(2, packed(1, [1, 42]), packed(2, [1])) }),
      'invalid-reference',
      /sample #0 \(at byte \d+\): location id 42 is not defined/,
    );
  });

  it('undefined function and mapping ids in a location', () => {
    expectError(
      tinyProfile({ locations: m(4, v(1, 1), m(4, v(1, 8))) }),
      'invalid-reference',
      /location #0 .*function id 8, which is not defined/,
    );
    expectError(
      tinyProfile({ locations: m(4, v(1, 1), v(2, 3), m(4, v(1, 1))) }),
      'invalid-reference',
      /location #0 .*mapping id 3 is not defined/,
    );
  });

  it('duplicate ids and the reserved id 0', () => {
    expectError(
      tinyProfile({ functions: cat(m(5, v(1, 1)), m(5, v(1, 1))) }),
      'invalid-reference',
      /function #1 has id 1, already used by function #0/,
    );
    expectError(
      tinyProfile({ locations: cat(m(4, v(1, 1)), m(4, v(1, 0))) }),
      'invalid-value',
      /location #1 has the reserved id 0/,
    );
    expectError(
      cat(tinyProfile(), m(3, v(1, 2 ** 40)), m(3, v(1, 2 ** 40))),
      'invalid-reference',
      /mapping #1 has id 1099511627776, already used by mapping #0/,
    );
  });

  it('sample value count different from the sample type count', () => {
    expectError(
      tinyProfile({ samples: m(2, packed(1, [1]), packed(2, [1, 2])) }),
      'invalid-value',
      /sample #0 .*has 2 values but the profile has 1 sample types/,
    );
    expectError(
      tinyProfile({ samples: m(2, packed(1, [1])) }),
      'invalid-value',
      /cannot each hold 1 values|has 0 values/,
    );
    expectError(tinyProfile({ types: new Uint8Array(0) }), 'invalid-value', /no sample types/);
  });

  it('refuses to allocate values the sample data cannot hold', () => {
    // 1000 sample types, 1000 near-empty samples: would be a million values.
    const types = cat(...Array.from({ length: 1000 }, () => m(1, v(1, 1))));
    const samples = cat(...Array.from({ length: 1000 }, () => m(2, v(1, 1))));
    expectError(tinyProfile({ types, samples }), 'invalid-value', /cannot each hold 1000 values/);
  });

  it('string_table[0] must be empty, and the table must exist', () => {
    expectError(
      tinyProfile({ strings: strings('x', 'samples') }),
      'malformed',
      /string_table\[0\] must be the empty string/,
    );
    expectError(cat(m(1, v(1, 0))), 'malformed', /no string table/);
  });

  it('two profiles appended to one file', () => {
    const one = cat(tinyProfile(), v(9, 1000));
    expectError(cat(one, one), 'malformed', /concatenated profiles/);
  });

  it('a legacy text profile', () => {
    const text = new TextEncoder().encode(
      'heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: 4] @ 0x1\n',
    );
    expectError(text, 'unsupported', /legacy text profile/);
  });

  it('uncompressed input larger than the limit', () => {
    const err = failure(() => decodeProfile(tinyProfile(), { maxInflatedBytes: 10 }));
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/exceeds the limit of 10 bytes/);
  });

  it('an invalid limit', () => {
    expect(failure(() => decodeProfile(tinyProfile(), { maxInflatedBytes: -1 })).kind).toBe(
      'invalid-value',
    );
  });

  it('reports offsets of gzipped input as offsets in the inflated data', () => {
    const bad = gzip(tinyProfile({ samples: m(2, packed(1, [42]), packed(2, [1])) }));
    expect(failure(() => decodeProfile(bad)).message).toMatch(
      /location id 42 .*\(byte offsets are in the inflated data\)$/,
    );
  });
});

describe('gzip limits', () => {
  it('stops a gzip bomb at the limit, quickly', () => {
    // 64 MiB of zeros in ~64 KiB of gzip: refused at 1 MiB without inflating the rest.
    const bomb = gzipSync(new Uint8Array(64 << 20), { level: 9 });
    expect(bomb.length).toBeLessThan(1 << 20);
    const err = failure(() => decodeProfile(new Uint8Array(bomb), { maxInflatedBytes: 1 << 20 }));
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(
      /the inflated profile exceeds the limit of 1048576 bytes \(1 MiB\)/,
    );
  });

  it('stops a bomb whose trailer lies about its size', () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(8 << 20)));
    bomb.set([0x10, 0, 0, 0], bomb.length - 4); // ISIZE claims 16 bytes
    expect(failure(() => decodeProfile(bomb, { maxInflatedBytes: 1 << 20 })).kind).toBe(
      'too-large',
    );
  });

  it('truncated gzip: kind truncated and a clear message', () => {
    const gz = gzip(tinyProfile());
    for (const cut of [gz.length - 1, gz.length - 6, Math.floor(gz.length / 2), 12]) {
      const err = failure(() => decodeProfile(gz.subarray(0, cut)));
      expect(['truncated', 'gzip']).toContain(err.kind);
      expect(err.message).toMatch(/gzip/);
    }
    const err = failure(() => decodeProfile(gz.subarray(0, gz.length - 6)));
    expect(err.kind).toBe('truncated');
    expect(err.message).toMatch(/truncated gzip stream: the data ends at byte \d+ .*cut short/);
  });

  it('corrupt gzip: bad checksum and bad header', () => {
    const gz = new Uint8Array(gzip(tinyProfile()));
    const crc = gz.slice();
    crc[crc.length - 8] ^= 0xff;
    expect(failure(() => decodeProfile(crc)).message).toMatch(
      /corrupt gzip data .*incorrect data check/,
    );
    const header = gz.slice();
    header[2] = 7; // compression method other than deflate
    expect(failure(() => decodeProfile(header)).kind).toBe('gzip');
  });

  it('decodes a gzip file of several members, as Go does', () => {
    const body = tinyProfile();
    const two = cat(gzip(body.subarray(0, 10)), gzip(body.subarray(10)));
    expect(decodeProfile(two)).toEqual(decodeProfile(body));
  });
});

import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { decodeProfile } from '../../../core/pprof/decode';
import { encodeProfile } from '../../../core/pprof/encode';
import { isProfileError } from '../../../core/pprof/errors';
import type { Profile } from '../../../core/pprof/model';
import { WireReader } from '../../../core/pprof/wire';
import { WireWriter } from '../../../core/pprof/writer';
import { realProfiles } from './real-profiles';
import { cat, m, packed, tinyProfile, v } from './proto-bytes';

const real = realProfiles(1 << 20);

describe('encodeProfile round trip on real Go profiles', () => {
  for (const { name, bytes } of real) {
    it(`${name}: decode -> encode -> decode gives equal tables`, () => {
      const p = decodeProfile(bytes);
      const gz = encodeProfile(p);
      expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
      expect(decodeProfile(gz)).toEqual(p);
      const raw = encodeProfile(p, { gzip: false });
      expect(raw[0]).not.toBe(0x1f);
      expect(decodeProfile(raw)).toEqual(p);
      // Re-encoding is stable byte for byte.
      expect(encodeProfile(decodeProfile(raw), { gzip: false })).toEqual(raw);
    });
  }

  it('writes a body no larger than Go wrote it, give or take the packing', () => {
    for (const { bytes } of real) {
      const ours = encodeProfile(decodeProfile(bytes), { gzip: false });
      const go = gunzipSync(bytes);
      expect(ours.length).toBeLessThanOrEqual(go.length * 1.1 + 64);
    }
  });
});

describe('encodeProfile on edited profiles', () => {
  function tiny(): Profile {
    return decodeProfile(
      tinyProfile({
        types: cat(m(1, v(1, 1), v(2, 2)), m(1, v(1, 3), v(2, 4))),
        locations: cat(
          m(4, v(1, 1), m(4, v(1, 1), v(2, 10))),
          m(4, v(1, 2), m(4, v(1, 1), v(2, 12))),
        ),
        samples: cat(
          m(2, packed(1, [1, 2]), packed(2, [-3, 2 ** 40]), m(3, v(1, 3), v(2, 4))),
          m(2, packed(1, [2]), packed(2, [0, 1]), m(3, v(1, 1), v(3, -4096), v(4, 2))),
        ),
      }),
    );
  }

  it('keeps negative values, 2^40 values and numeric labels exactly', () => {
    const p = tiny();
    const q = decodeProfile(encodeProfile(p));
    expect(Array.from(q.samples.values)).toEqual([-3, 2 ** 40, 0, 1]);
    expect(q.samples.labelNum[1]).toBe(-4096);
    expect(q).toEqual(p);
  });

  it('truncates fractional values toward zero, as Go converts float64 to int64', () => {
    const p = tiny();
    p.samples.values.set([-2.7, 2.7, 0.4, 1e3 + 0.5]);
    expect(Array.from(decodeProfile(encodeProfile(p)).samples.values)).toEqual([-2, 2, 0, 1000]);
  });

  it('adds strings the tables do not hold yet (sample types, comments)', () => {
    const p = tiny();
    p.sampleTypes = [
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'samples', unit: 'count' },
    ];
    p.comments = ['merged by pprof Studio'];
    p.defaultSampleType = 'alloc_space';
    const q = decodeProfile(encodeProfile(p));
    expect(q.sampleTypes).toEqual(p.sampleTypes);
    expect(q.comments).toEqual(['merged by pprof Studio']);
    expect(q.defaultSampleType).toBe('alloc_space');
    expect(q.strings.slice(0, p.strings.length)).toEqual(p.strings);
  });

  it('renumbers ids that are not unique positive integers', () => {
    const p = tiny();
    p.locations.id.set([7, 7]);
    p.functions.id.set([0]);
    const q = decodeProfile(encodeProfile(p));
    expect(Array.from(q.locations.id)).toEqual([1, 2]);
    expect(Array.from(q.functions.id)).toEqual([1]);
    expect(Array.from(q.stacks.frame)).toEqual(Array.from(p.stacks.frame));
  });

  it('keeps exact 64-bit addresses and times, but only while the column agrees', () => {
    const p = decodeProfile(
      cat(
        tinyProfile({ locations: m(4, v(1, 1), v(3, 0xffffffffffffff01n), m(4, v(1, 1))) }),
        m(3, v(1, 1), v(2, 0xffffffffff600000n), v(3, 0xffffffffff601000n)),
        v(9, 1_795_704_820_388_491_899n),
      ),
    );
    const q = decodeProfile(encodeProfile(p));
    expect(q.exact).toEqual(p.exact);
    expect(q.exact?.address?.get(0)).toBe(0xffffffffffffff01n);
    // An edit of the column wins over the stale exact value.
    p.locations.address[0] = 4096;
    p.timeNanos = 5;
    const r = decodeProfile(encodeProfile(p));
    expect(r.locations.address[0]).toBe(4096);
    expect(r.exact?.address).toBeUndefined();
    expect(r.timeNanos).toBe(5);
  });

  it('writes the all-ones address even without its exact value', () => {
    const p = decodeProfile(
      tinyProfile({ locations: m(4, v(1, 1), v(3, 0xffffffffffffffffn), m(4, v(1, 1))) }),
    );
    delete p.exact;
    expect(p.locations.address[0]).toBe(2 ** 64);
    expect(decodeProfile(encodeProfile(p)).exact?.address?.get(0)).toBe(0xffffffffffffffffn);
  });

  it('refuses a model that would write a corrupt file or loop forever', () => {
    const cyclic = tiny();
    cyclic.stacks.prefix[0] = 1;
    const codes = [cyclic];
    const badFrame = tiny();
    badFrame.stacks.frame[0] = 99;
    codes.push(badFrame);
    const badValues = tiny();
    badValues.samples.values = new Float64Array(3);
    codes.push(badValues);
    const nan = tiny();
    nan.samples.values[0] = NaN;
    codes.push(nan);
    for (const p of codes) {
      let err: unknown;
      try {
        encodeProfile(p);
      } catch (e) {
        err = e;
      }
      expect(isProfileError(err) && err.kind).toBe('invalid-value');
    }
  });
});

describe('wire varints', () => {
  const cases = [
    0,
    1,
    127,
    128,
    300,
    2 ** 28 - 1,
    2 ** 28,
    2 ** 31,
    2 ** 32 + 5,
    2 ** 53 - 1,
    2 ** 53,
  ];
  it('unsigned values round trip exactly up to 2^53', () => {
    const w = new WireWriter(4);
    for (const x of cases) w.uint64(x);
    const r = new WireReader(w.finish());
    for (const x of cases) expect(r.varint(r.buf.length)).toBe(x);
    expect(r.pos).toBe(r.buf.length);
  });

  it('signed values round trip exactly, negatives as 10 bytes', () => {
    const signed = [...cases, ...cases.map((x) => -x), -(2 ** 63)];
    const w = new WireWriter(4);
    for (const x of signed) w.int64(x);
    const r = new WireReader(w.finish());
    for (const x of signed) {
      const at = r.pos;
      expect(r.int64(r.buf.length)).toBe(x === 0 ? 0 : x);
      if (x < 0) expect(r.pos - at).toBe(10);
    }
  });

  it('big values keep their exact bits', () => {
    const w = new WireWriter(4);
    const values = [2n ** 64n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n];
    for (const x of values) w.big(x);
    const r = new WireReader(w.finish());
    expect(r.exactVarint(0, false)).toBe(2n ** 64n - 1n);
    r.varint(r.buf.length);
    expect(r.exactVarint(r.pos, false)).toBe(2n ** 53n + 1n);
    r.varint(r.buf.length);
    expect(r.exactVarint(r.pos, true)).toBe(-(2n ** 53n) - 1n);
  });

  it('length prefixes of any size are filled in after the payload', () => {
    for (const n of [0, 127, 128, 20000, 3 << 20]) {
      const w = new WireWriter(4);
      const at = w.beginLength(1);
      w.ensure(n);
      w.buf.fill(7, w.pos, w.pos + n);
      w.pos += n;
      w.endLength(at);
      const r = new WireReader(w.finish());
      expect(r.tag(r.buf.length)).toBe(10);
      const end = r.lengthEnd(r.buf.length);
      expect(end - r.pos).toBe(n);
      expect(end).toBe(r.buf.length);
    }
  });
});

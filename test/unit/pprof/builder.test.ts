import { describe, expect, it } from 'vitest';
import { ProfileBuilder } from '../../../core/pprof/builder';
import { decodeProfile } from '../../../core/pprof/decode';
import { encodeProfile } from '../../../core/pprof/encode';

describe('ProfileBuilder', () => {
  function build() {
    const b = new ProfileBuilder({
      sampleTypes: [
        { type: 'alloc_objects', unit: 'count' },
        { type: 'alloc_space', unit: 'bytes' },
      ],
      periodType: { type: 'space', unit: 'bytes' },
      period: 524288,
      durationNanos: 5e9,
    });
    const m = b.mapping({
      memoryStart: 0x400000,
      memoryLimit: 0x500000,
      filename: '/bin/app',
      flags: 15,
    });
    const main = b.func('main.main', 'main.go', 10);
    const work = b.func('main.work', 'work.go', 20);
    const inl = b.func('main.inlined', 'work.go', 30);
    const lMain = b.location([[main, 12]], { mapping: m, address: 0x401000 });
    // An inlined call: innermost first, the real caller last.
    const lWork = b.location(
      [
        [inl, 31],
        [work, 22],
      ],
      { mapping: m, address: 0x402000 },
    );
    const s1 = b.stackOf([lMain, lWork]);
    b.sample(s1, [3, 300], {
      str: [
        ['path', '/a'],
        ['path', '/b'],
      ],
      num: [['bytes', 64, 'bytes']],
    });
    b.sample(b.stack(-1, lMain), [1, 100]);
    b.sample(-1, [0, 0]);
    return { b, main, work, s1, lMain, lWork };
  }

  it('interns strings, functions and stacks, and lays out every table', () => {
    const { b, main, work, s1, lMain } = build();
    expect(b.func('main.main', 'main.go', 10)).toBe(main);
    expect(b.func('main.main', 'other.go', 10)).not.toBe(main);
    expect(b.stack(-1, lMain)).toBe(b.stackOf([lMain]));
    const p = b.build();
    expect(p.strings[0]).toBe('');
    expect(new Set(p.strings).size).toBe(p.strings.length);
    expect(p.stacks.length).toBe(2);
    expect(Array.from(p.stacks.prefix)).toEqual([-1, 0]);
    expect(Array.from(p.samples.stack)).toEqual([s1, 0, -1]);
    expect(Array.from(p.samples.values)).toEqual([3, 300, 1, 100, 0, 0]);
    expect(Array.from(p.samples.labelStart)).toEqual([0, 3, 3, 3]);
    expect(p.samples.labelKey.length).toBe(3);
    expect(Array.from(p.locations.lineStart)).toEqual([0, 1, 3]);
    expect(p.strings[p.functions.name[p.lines.func[2]]]).toBe('main.work');
    expect(p.lines.func[2]).toBe(work);
    expect(p.functions.length).toBe(4);
    expect(Array.from(p.functions.id)).toEqual([1, 2, 3, 4]);
  });

  it('builds a valid profile: the decoder accepts its encoding and reads it back equal', () => {
    const p = build().b.build();
    expect(decodeProfile(encodeProfile(p))).toEqual(p);
  });

  it('refuses a sample whose value count does not match the sample types', () => {
    const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
    expect(() => b.sample(-1, [1, 2])).toThrow('a sample needs 1 values, got 2');
  });
});

// focus/ignore/hide/show/show_from, tag filters, drop_frames and prune_from on hand-built
// profiles, checked against pprof's documented rules.
import { describe, expect, it } from 'vitest';
import { prepareProfile, type ReportOptions } from '../../../core/pprof/report';
import { parseTagRange } from '../../../core/pprof/tag-filter';
import { simplifyFunc } from '../../../core/pprof/prune';
import { topTable } from '../../../core/pprof/top';
import { buildProfile, sampleStacks, type ProfileSpec } from './build-profile';

const cpu: Array<[string, string]> = [['samples', 'count']];

function stacksAfter(spec: ProfileSpec, opts: ReportOptions): string[] {
  return sampleStacks(prepareProfile(buildProfile(spec), opts).profile).map((s) => s.join('>'));
}

const base: ProfileSpec = {
  sampleTypes: cpu,
  files: { 'json.Decode': 'encoding/json/decode.go' },
  samples: [
    {
      stack: ['main', 'serve', 'json.Decode'],
      values: [1],
      labels: { route: '/a', tenant: 'acme' },
    },
    { stack: ['main', 'serve', ['hash', 'score']], values: [2], labels: { route: '/b' } },
    { stack: ['main', 'gc'], values: [4], numLabels: { bytes: [4096] } },
    { stack: [], values: [8] },
  ],
};

describe('focus / ignore / hide / show', () => {
  it('focus keeps samples with a matching function or file, ignore wins', () => {
    expect(stacksAfter(base, { focus: 'serve' })).toEqual([
      'main>serve>json.Decode',
      'main>serve>score>hash',
    ]);
    expect(stacksAfter(base, { focus: 'encoding/json' })).toEqual(['main>serve>json.Decode']);
    expect(stacksAfter(base, { focus: 'serve', ignore: 'hash' })).toEqual([
      'main>serve>json.Decode',
    ]);
    // ignore alone keeps every sample that has locations and none ignored
    expect(stacksAfter(base, { ignore: 'gc' })).toEqual([
      'main>serve>json.Decode',
      'main>serve>score>hash',
    ]);
  });

  it('matches the mapping file too', () => {
    expect(
      stacksAfter({ ...base, mappingFile: '/usr/bin/orders' }, { focus: 'orders$' }),
    ).toHaveLength(3);
  });

  it('hide removes Lines (an inlined one alone), and its cost goes to the caller', () => {
    expect(stacksAfter(base, { hide: '^hash$' })).toContain('main>serve>score');
    expect(stacksAfter(base, { hide: '^serve$' })).toEqual([
      'main>json.Decode',
      'main>score>hash',
      'main>gc',
    ]);
    const t = topTable(prepareProfile(buildProfile(base), { hide: 'json' }), { order: 'flat' });
    expect(t.rows.find((r) => r.name === 'serve')).toEqual({ name: 'serve', flat: 1, cum: 3 });
    // pprof's total is computed before the filters
    expect(t.total).toBe(15);
  });

  it('show keeps only matching Lines', () => {
    expect(stacksAfter(base, { show: '^(main|hash)$' })).toEqual(['main', 'main>hash', 'main']);
  });

  it('show_from cuts each stack above its outermost match and drops the rest', () => {
    expect(stacksAfter(base, { showFrom: 'serve' })).toEqual([
      'serve>json.Decode',
      'serve>score>hash',
    ]);
    // inside a location: keep Lines up to the outermost matching one
    expect(stacksAfter(base, { showFrom: '^hash$' })).toEqual(['hash']);
    const rec: ProfileSpec = {
      sampleTypes: cpu,
      samples: [{ stack: ['a', 'b', 'c', 'b'], values: [1] }],
    };
    expect(stacksAfter(rec, { showFrom: '^b$' })).toEqual(['b>c>b']);
    expect(stacksAfter(rec, { showFrom: '^c$' })).toEqual(['c>b']);
  });

  it('reports expressions that matched nothing', () => {
    const prep = prepareProfile(buildProfile(base), { focus: 'nothing-here' });
    expect(prep.warnings).toEqual(['Focus expression matched no samples']);
    expect(prep.profile.samples.length).toBe(0);
  });

  it('rejects bad regexes naming the option', () => {
    expect(() => prepareProfile(buildProfile(base), { focus: 'a(' })).toThrow(
      /^focus: invalid regular expression 'a\(': missing closing \)/,
    );
    expect(() => prepareProfile(buildProfile(base), { hide: '(?=x)' })).toThrow(
      /hide: .*invalid or unsupported Perl syntax/,
    );
  });
});

describe('tagfocus / tagignore', () => {
  it('key=value regexes, comma is OR within one key', () => {
    expect(stacksAfter(base, { tagFocus: 'route=/a' })).toEqual(['main>serve>json.Decode']);
    expect(stacksAfter(base, { tagFocus: 'tenant=zzz,acme' })).toEqual(['main>serve>json.Decode']);
  });

  it('without a key, each regex must match some key:value (pprof ANDs them)', () => {
    expect(stacksAfter(base, { tagFocus: 'route:/a' })).toEqual(['main>serve>json.Decode']);
    expect(stacksAfter(base, { tagFocus: 'route,tenant' })).toEqual(['main>serve>json.Decode']);
  });

  it('numeric ranges with units', () => {
    expect(stacksAfter(base, { tagFocus: '4kb' })).toEqual(['main>gc']);
    expect(stacksAfter(base, { tagFocus: 'bytes=1kb:8kb' })).toEqual(['main>gc']);
    expect(stacksAfter(base, { tagFocus: ':1kb' })).toEqual([]);
    expect(stacksAfter(base, { tagFocus: '5000:' })).toEqual([]);
  });

  it('tagignore wins over tagfocus', () => {
    expect(stacksAfter(base, { tagFocus: 'route=.', tagIgnore: 'route=/b' })).toEqual([
      'main>serve>json.Decode',
    ]);
  });

  it('parses ranges only in the exact forms pprof accepts', () => {
    expect(parseTagRange('128kb:512kb')).not.toBeNull();
    expect(parseTagRange('1ms:')).not.toBeNull();
    expect(parseTagRange('1ms:2kb')).toBeNull();
    expect(parseTagRange('x128')).toBeNull();
    const r = parseTagRange('128kb:512kb')!;
    expect(r(131072, 'bytes')).toBe(true);
    expect(r(600 * 1024, 'bytes')).toBe(false);
    expect(parseTagRange('1ms:')!(2_000_000, 'nanoseconds')).toBe(true);
    expect(parseTagRange('1ms:')!(999_999, 'nanoseconds')).toBe(false);
  });
});

describe('drop_frames / keep_frames / prune_from', () => {
  it('simplifies names like pprof', () => {
    expect(simplifyFunc('main.(*T).M')).toBe('main.');
    expect(simplifyFunc('.foo(int)')).toBe('foo');
    expect(simplifyFunc('ns::(anonymous namespace)::f(x)')).toBe('ns::(anonymous namespace)::f');
    expect(simplifyFunc('operator()(int)')).toBe('operator()');
  });

  it('drops matching frames and their callees below the first user frame', () => {
    const spec: ProfileSpec = {
      sampleTypes: cpu,
      dropFrames: 'malloc|free',
      samples: [
        { stack: ['main', 'alloc', 'malloc', 'inner'], values: [1] },
        { stack: ['malloc', 'main'], values: [2] },
      ],
    };
    expect(stacksAfter(spec, {})).toEqual(['main>alloc', 'malloc>main']);
    expect(stacksAfter({ ...spec, keepFrames: 'malloc' }, {})).toEqual([
      'main>alloc>malloc>inner',
      'malloc>main',
    ]);
    expect(stacksAfter(spec, { dropFrames: false })).toEqual([
      'main>alloc>malloc>inner',
      'malloc>main',
    ]);
  });

  it('prune_from cuts below the leaf-most match', () => {
    const spec: ProfileSpec = {
      sampleTypes: cpu,
      samples: [{ stack: ['a', 'b', 'c', 'b', ['x', 'd']], values: [1] }],
    };
    expect(stacksAfter(spec, { pruneFrom: '^b$' })).toEqual(['a>b>c>b']);
    expect(stacksAfter(spec, { pruneFrom: '^d$' })).toEqual(['a>b>c>b>d']);
  });
});

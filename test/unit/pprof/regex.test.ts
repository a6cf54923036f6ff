// Go RE2 -> JavaScript RegExp translation: accepted exactly when Go accepts, same matches.
import { describe, expect, it } from 'vitest';
import { compileGoRegex } from '../../../core/pprof/regex';
import { isReportError } from '../../../core/pprof/report-error';

const m = (re: string, s: string): boolean => compileGoRegex(re).test(s);

describe('compileGoRegex', () => {
  it('is unanchored and matches Go function and file names', () => {
    expect(m('json', 'encoding/json.(*decodeState).object')).toBe(true);
    expect(m('^main\\.', 'main.(*service).worker')).toBe(true);
    expect(m('^main\\.', 'x.main.y')).toBe(false);
    expect(m('\\(\\*service\\)', 'main.(*service).worker')).toBe(true);
    expect(m('worker$', 'main.(*service).worker')).toBe(true);
  });

  it("keeps Go's meaning where JavaScript differs", () => {
    expect(m('a.b', 'a\rb')).toBe(true); // Go's . only excludes \n
    expect(m('a.b', 'a\nb')).toBe(false);
    expect(m('(?s)a.b', 'a\nb')).toBe(true);
    expect(m('\\s', '\u00a0')).toBe(false); // \s is ASCII in Go
    expect(m('\\s', '\t')).toBe(true);
    expect(m('\\w+', 'é')).toBe(false);
    expect(m('(?m)^b$', 'a\nb\nc')).toBe(true);
    expect(m('(?m)^b$', 'a\rb\rc')).toBe(false); // only \n separates lines in Go
    expect(m('^b$', 'a\nb')).toBe(false);
    expect(m('\\Aab\\z', 'ab')).toBe(true);
    expect(m('\\Q(*T).M\\E', 'main.(*T).M')).toBe(true);
    expect(m('[[:upper:]][[:digit:]]', 'xA1')).toBe(true);
    expect(m('[[:^alpha:]]', 'abc')).toBe(false);
    expect(m('\\pL\\p{Greek}', 'aλ')).toBe(true);
    expect(m('\\PL', 'abc')).toBe(false);
    expect(m('\\x41\\x{42}\\101', 'ABA')).toBe(true);
    expect(m('a{2}', 'aa')).toBe(true);
    expect(m('a{,2}', 'a{,2}')).toBe(true); // not a repeat in Go: literal
    expect(m('[a-]', '-')).toBe(true);
    expect(m('[]a]', ']')).toBe(true);
    expect(m('(?i)MAIN', 'main')).toBe(true);
    expect(m('(?U)a+', 'aaa')).toBe(true);
    expect(m('(?P<fn>main)\\.', 'main.x')).toBe(true);
    expect(m('^*a', 'a')).toBe(true); // Go allows repeating an assertion
  });

  it('rejects what Go rejects, with a clear message', () => {
    const bad: Array<[string, RegExp]> = [
      ['a(', /missing closing \)/],
      ['a)', /unexpected \)/],
      ['[a', /missing closing \]/],
      ['*a', /missing argument to repetition operator/],
      ['a**', /invalid nested repetition operator/],
      ['a{1001}', /invalid repeat count/],
      ['a{3,2}', /invalid repeat count/],
      ['\\1', /invalid escape sequence/],
      ['(?=a)', /invalid or unsupported Perl syntax/],
      ['(?<!a)', /invalid or unsupported Perl syntax/],
      ['\\C', /invalid escape sequence/],
      ['[z-a]', /invalid character class range/],
      ['[[:nope:]]', /invalid character class range/],
      ['x\\', /trailing backslash/],
      ['\\p{NotAScript}', /invalid character class range/],
    ];
    for (const [re, msg] of bad) {
      let err: unknown;
      try {
        compileGoRegex(re);
      } catch (e) {
        err = e;
      }
      expect(isReportError(err), re).toBe(true);
      expect((err as Error).message, re).toMatch(msg);
      expect((err as Error).message).toContain(`'${re}'`);
    }
  });

  it('handles (?i) on part of a pattern when the engine can, or says why not', () => {
    let supported = true;
    try {
      new RegExp('(?i:a)', 'v');
    } catch {
      supported = false;
    }
    if (supported) {
      expect(m('a(?i)B', 'ab')).toBe(true);
      expect(m('a(?i)B', 'Ab')).toBe(false);
    } else {
      expect(() => compileGoRegex('a(?i)B')).toThrow(/put \(\?i\) at the start/);
    }
  });
});

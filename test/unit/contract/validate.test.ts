import { describe, expect, it } from 'vitest';
import {
  arr,
  bool,
  bytes,
  describeProblems,
  nullable,
  num,
  obj,
  oneOf,
  opt,
  record,
  str,
  tagged,
} from '../../../core/contract/validate';

interface Thing {
  name: string;
  count: number;
  tags?: string[];
  mode: 'a' | 'b';
  parent: string | null;
}
const thing = obj<Thing>({
  name: str({ min: 1, max: 10 }),
  count: num({ int: true, min: 0 }),
  tags: opt(arr(str(), 3)),
  mode: oneOf(['a', 'b'] as const),
  parent: nullable(str()),
});

describe('validators', () => {
  it('accepts a valid object and drops absent optional fields', () => {
    const r = thing.check({ name: 'x', count: 2, mode: 'a', parent: null }, '');
    expect(r).toEqual({ ok: true, value: { name: 'x', count: 2, mode: 'a', parent: null } });
  });

  it('names every wrong field with its path', () => {
    const r = thing.check({ name: '', count: 1.5, mode: 'c', tags: ['a', 3], extra: 1 }, 'req');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, p.message]));
    expect(byPath).toEqual({
      'req.extra': 'unknown field',
      'req.name': 'must not be empty',
      'req.count': 'must be a whole number',
      'req.tags[1]': 'expected a string, got a number',
      'req.mode': 'expected one of a, b',
      'req.parent': 'is required',
    });
    expect(describeProblems(r.problems)).toContain('req.extra: unknown field');
  });

  it('rejects non-plain objects, arrays, NaN, NUL characters and oversized values', () => {
    expect(thing.check([], '').ok).toBe(false);
    expect(thing.check(new Date(), '').ok).toBe(false);
    expect(num().check(Number.NaN, '').ok).toBe(false);
    expect(num().check(Infinity, '').ok).toBe(false);
    expect(str().check('a\u0000b', '').ok).toBe(false);
    expect(str({ max: 3 }).check('abcd', '').ok).toBe(false);
    expect(arr(bool, 2).check([true, false, true], '').ok).toBe(false);
    expect(bytes(4).check(new Uint8Array(5), '').ok).toBe(false);
    expect(bytes(4).check([1, 2], '').ok).toBe(false);
    expect(bytes(4).check(new Uint8Array(4), '').ok).toBe(true);
  });

  it('does not let a prototype-polluting key through', () => {
    const r = thing.check(
      JSON.parse('{"name":"x","count":1,"mode":"a","parent":null,"__proto__":{"x":1}}'),
      '',
    );
    expect(r.ok).toBe(false);
  });

  it('picks the branch of a tagged union by its tag', () => {
    type U = { type: 'x'; a: number } | { type: 'y'; b: string };
    const u = tagged<U>('type', {
      x: obj<{ type: 'x'; a: number }>({ type: oneOf(['x'] as const), a: num() }),
      y: obj<{ type: 'y'; b: string }>({ type: oneOf(['y'] as const), b: str() }),
    });
    expect(u.check({ type: 'y', b: 'k' }, '').ok).toBe(true);
    expect(u.check({ type: 'y', a: 1 }, '').ok).toBe(false);
    const bad = u.check({ type: 'z' }, 'v');
    expect(bad.ok ? '' : bad.problems[0].path).toBe('v.type');
  });

  it('checks record keys and values', () => {
    const r = record(str({ pattern: /^[a-z]+$/ }), num());
    expect(r.check({ a: 1, b: 2 }, '').ok).toBe(true);
    expect(r.check({ A: 1 }, '').ok).toBe(false);
    expect(r.check({ a: 'x' }, '').ok).toBe(false);
  });
});

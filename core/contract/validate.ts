// Hand-written runtime validators (no eval, no codegen: the app's CSP forbids both).
//
// A Validator<T> checks an unknown value coming from the other side of a transport and
// returns it typed, or a list of problems with the path of the offending field. Objects are
// strict: an unknown key is an error, so a typo in a request never passes silently.

export interface Invalid {
  path: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Invalid[] };

export interface Validator<T> {
  /** A short description used in error messages ("string", "one of cpu, heap"). */
  readonly describe: string;
  check(value: unknown, path: string): Checked<T>;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;

function fail<T>(path: string, message: string): Checked<T> {
  return { ok: false, problems: [{ path, message }] };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export interface StringRules {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Said in the error when `pattern` does not match. */
  patternHint?: string;
}

export function str(rules: StringRules = {}): Validator<string> {
  const min = rules.min ?? 0;
  const max = rules.max ?? 4096;
  return {
    describe: 'string',
    check(value, path) {
      if (typeof value !== 'string') return fail(path, `expected a string, got ${typeName(value)}`);
      if (value.length < min)
        return fail(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
      if (value.length > max) return fail(path, `must be at most ${max} characters`);
      if (value.includes('\u0000')) return fail(path, 'must not contain NUL characters');
      if (rules.pattern && !rules.pattern.test(value))
        return fail(path, rules.patternHint ?? `does not match ${String(rules.pattern)}`);
      return { ok: true, value };
    },
  };
}

export interface NumberRules {
  int?: boolean;
  min?: number;
  max?: number;
}

export function num(rules: NumberRules = {}): Validator<number> {
  return {
    describe: rules.int ? 'whole number' : 'number',
    check(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(path, `expected a finite number, got ${typeName(value)}`);
      if (rules.int && !Number.isInteger(value)) return fail(path, 'must be a whole number');
      if (rules.min !== undefined && value < rules.min) return fail(path, `must be ≥ ${rules.min}`);
      if (rules.max !== undefined && value > rules.max) return fail(path, `must be ≤ ${rules.max}`);
      return { ok: true, value };
    },
  };
}

export const bool: Validator<boolean> = {
  describe: 'boolean',
  check(value, path) {
    if (typeof value !== 'boolean')
      return fail(path, `expected true or false, got ${typeName(value)}`);
    return { ok: true, value };
  },
};

export function oneOf<const T extends readonly string[]>(values: T): Validator<T[number]> {
  const set = new Set<string>(values);
  return {
    describe: `one of ${values.join(', ')}`,
    check(value, path) {
      if (typeof value !== 'string' || !set.has(value))
        return fail(path, `expected one of ${values.join(', ')}`);
      return { ok: true, value: value as T[number] };
    },
  };
}

export function literal<const T extends string | number | boolean>(expected: T): Validator<T> {
  return {
    describe: JSON.stringify(expected),
    check(value, path) {
      if (value !== expected) return fail(path, `expected ${JSON.stringify(expected)}`);
      return { ok: true, value: expected };
    },
  };
}

export function bytes(maxBytes: number): Validator<Uint8Array> {
  return {
    describe: 'bytes',
    check(value, path) {
      if (!(value instanceof Uint8Array))
        return fail(path, `expected bytes, got ${typeName(value)}`);
      if (value.byteLength > maxBytes) return fail(path, `must be at most ${maxBytes} bytes`);
      return { ok: true, value };
    },
  };
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return {
    describe: `${inner.describe} or null`,
    check(value, path) {
      if (value === null) return { ok: true, value: null };
      return inner.check(value, path);
    },
  };
}

export function arr<T>(item: Validator<T>, maxItems = 100_000): Validator<T[]> {
  return {
    describe: `list of ${item.describe}`,
    check(value, path) {
      if (!Array.isArray(value)) return fail(path, `expected a list, got ${typeName(value)}`);
      if (value.length > maxItems) return fail(path, `must have at most ${maxItems} items`);
      const out: T[] = [];
      const problems: Invalid[] = [];
      for (let i = 0; i < value.length; i++) {
        const r = item.check(value[i], `${path}[${i}]`);
        if (r.ok) out.push(r.value);
        else problems.push(...r.problems);
        if (problems.length >= 20) break;
      }
      return problems.length ? { ok: false, problems } : { ok: true, value: out };
    },
  };
}

/** Marks an object field as optional (absent or undefined). */
export interface Optional<T> extends Validator<T | undefined> {
  readonly optional: true;
}

export function opt<T>(inner: Validator<T>): Optional<T> {
  return {
    optional: true,
    describe: `${inner.describe} (optional)`,
    check(value, path) {
      if (value === undefined) return { ok: true, value: undefined };
      return inner.check(value, path);
    },
  };
}

/** The validator shape for an object type: one validator per key, optional keys via opt(). */
export type Shape<T> = {
  [K in keyof T]-?: undefined extends T[K] ? Optional<Exclude<T[K], undefined>> : Validator<T[K]>;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (value instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function obj<T>(shape: Shape<T>): Validator<T> {
  const entries = Object.entries(shape) as [string, Validator<unknown>][];
  const known = new Set(entries.map(([k]) => k));
  return {
    describe: 'object',
    check(value, path) {
      if (!isPlainObject(value)) return fail(path, `expected an object, got ${typeName(value)}`);
      const problems: Invalid[] = [];
      for (const key of Object.keys(value)) {
        if (!known.has(key)) problems.push({ path: join(path, key), message: 'unknown field' });
      }
      const out: Record<string, unknown> = {};
      for (const [key, v] of entries) {
        const present = Object.prototype.hasOwnProperty.call(value, key);
        const field = present ? value[key] : undefined;
        if (!present && !('optional' in v)) {
          problems.push({ path: join(path, key), message: 'is required' });
          continue;
        }
        const r = v.check(field, join(path, key));
        if (!r.ok) problems.push(...r.problems);
        else if (r.value !== undefined) out[key] = r.value;
      }
      return problems.length ? { ok: false, problems } : { ok: true, value: out as T };
    },
  };
}

/** A union discriminated by `field`: picks the branch by the field's value, then checks it. */
export function tagged<T>(field: string, branches: Record<string, Validator<T>>): Validator<T> {
  const names = Object.keys(branches);
  return {
    describe: `object with ${field} one of ${names.join(', ')}`,
    check(value, path) {
      if (!isPlainObject(value)) return fail(path, `expected an object, got ${typeName(value)}`);
      const tag = value[field];
      const branch = typeof tag === 'string' ? branches[tag] : undefined;
      if (!branch) return fail(join(path, field), `expected one of ${names.join(', ')}`);
      return branch.check(value, path);
    },
  };
}

/** Map with string keys validated by `key` and values by `val`. */
export function record<T>(
  key: Validator<string>,
  val: Validator<T>,
  maxKeys = 1000,
): Validator<Record<string, T>> {
  return {
    describe: `map of ${val.describe}`,
    check(value, path) {
      if (!isPlainObject(value)) return fail(path, `expected an object, got ${typeName(value)}`);
      const keys = Object.keys(value);
      if (keys.length > maxKeys) return fail(path, `must have at most ${maxKeys} entries`);
      const out: Record<string, T> = {};
      const problems: Invalid[] = [];
      for (const k of keys) {
        const kr = key.check(k, join(path, k));
        if (!kr.ok) problems.push(...kr.problems);
        const vr = val.check(value[k], join(path, k));
        if (!vr.ok) problems.push(...vr.problems);
        else out[k] = vr.value;
      }
      return problems.length ? { ok: false, problems } : { ok: true, value: out };
    },
  };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** One line naming every problem, for error messages a user can act on. */
export function describeProblems(problems: Invalid[]): string {
  const shown = problems.slice(0, 5).map((p) => `${p.path || '(value)'}: ${p.message}`);
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  return shown.join('; ') + more;
}

// Growable typed-array columns for tables whose row count is only known after reading.

type Column = Int32Array | Uint32Array | Float64Array | Uint8Array;

/** `a`, or a copy at least twice as long when it cannot hold `need` elements. */
export function grow<T extends Column>(a: T, need: number): T {
  if (need <= a.length) return a;
  const Ctor = a.constructor as new (n: number) => T;
  const b = new Ctor(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}

/**
 * The first `n` elements in an array of exactly that length, owning its buffer: consumers
 * may transfer `.buffer` to a worker and rebuild the column from it.
 */
export function fit<T extends Column>(a: T, n: number): T {
  return a.length === n && a.byteOffset === 0 && a.buffer.byteLength === a.byteLength
    ? a
    : (a.slice(0, n) as T);
}

// Builds small profile.proto messages field by field, for tests of exact wire-level cases
// (unpacked fields, huge ids, each validation error) that no Go program writes on purpose.

import { WireWriter } from '../../../core/pprof/writer';

export type Part = Uint8Array;

function bytes(f: (w: WireWriter) => void): Uint8Array {
  const w = new WireWriter(64);
  f(w);
  return w.finish().slice();
}

/** A varint field (negative numbers as 10-byte two's complement). */
export function v(field: number, value: number | bigint): Part {
  return bytes((w) => {
    w.tag(field, 0);
    if (typeof value === 'bigint') w.big(value);
    else w.int64(value);
  });
}

/** A length-delimited field holding raw bytes. */
export function raw(field: number, payload: Uint8Array): Part {
  return bytes((w) => {
    w.tag(field, 2);
    w.uint64(payload.length);
    w.ensure(payload.length);
    w.buf.set(payload, w.pos);
    w.pos += payload.length;
  });
}

/** A nested message. */
export function m(field: number, ...parts: Part[]): Part {
  return raw(field, cat(...parts));
}

/** A packed repeated varint field. */
export function packed(field: number, values: (number | bigint)[]): Part {
  return raw(
    field,
    bytes((w) => {
      for (const x of values) {
        if (typeof x === 'bigint') w.big(x);
        else w.int64(x);
      }
    }),
  );
}

/** One string_table entry per string, in order. */
export function strings(...s: string[]): Part {
  return cat(...s.map((x) => raw(6, new TextEncoder().encode(x))));
}

export function cat(...parts: Part[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A small valid profile: one sample type (samples/count), function 1 main.f in f.go,
 * location 1 -> f:10, and one sample [location 1] = 5. Override any part by name.
 */
export function tinyProfile(
  over: Partial<Record<'types' | 'functions' | 'locations' | 'samples' | 'strings', Part>> = {},
): Uint8Array {
  return cat(
    over.types ?? m(1, v(1, 1), v(2, 2)),
    over.samples ?? m(2, packed(1, [1]), packed(2, [5])),
    over.locations ?? m(4, v(1, 1), m(4, v(1, 1), v(2, 10))),
    over.functions ?? m(5, v(1, 1), v(2, 3), v(3, 3), v(4, 4)),
    over.strings ?? strings('', 'samples', 'count', 'main.f', 'f.go'),
  );
}

import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../core/contract';
import { detectSnapshot, kindHintFromName } from '../../../electron/services/library/detect';
import { demoFiles, demoOfKind } from './demo-files';

/** A tiny protobuf writer for hand-made edge cases (the real profiles come from Go). */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}
function field(num: number, payload: number[] | string): number[] {
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload)] : payload;
  return [...varint(num * 8 + 2), ...varint(bytes.length), ...bytes];
}
function profile(types: [string, string][], strings: string[]): Uint8Array {
  const idx = (s: string) => strings.indexOf(s);
  const out: number[] = [];
  for (const [t, u] of types) out.push(...field(1, [8, ...varint(idx(t)), 16, ...varint(idx(u))]));
  for (const s of strings) out.push(...field(6, s));
  out.push(...varint(9 * 8), ...varint(1_700_000_000_000_000_000 / 1e6)); // time_nanos (small is fine)
  return new Uint8Array(out);
}

describe('detectSnapshot on real Go profiles', () => {
  it('finds the kind the fixture generator recorded for every demo snapshot', async () => {
    const files = demoFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      // Without the file name, so only the bytes decide.
      const d = await detectSnapshot(f.bytes, 'snapshot');
      expect([f.file, d.kind]).toEqual([f.file, f.kind]);
    }
  });

  it('records sample types, period and times of a CPU profile', async () => {
    const d = await detectSnapshot(demoOfKind('cpu').bytes, 'cpu.pb.gz');
    expect(d.format).toBe('pprof-gzip');
    expect(d.sampleTypes).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    expect(d.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(d.period).toBe(10_000_000);
    expect(d.durationNanos).toBeGreaterThan(1e9);
    expect(Date.parse(d.capturedAt!)).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('reads a trace header', async () => {
    const d = await detectSnapshot(demoOfKind('trace').bytes, 'trace.out');
    expect(d.kind).toBe('trace');
    expect(d.goVersion).toMatch(/^go 1\.\d+$/);
  });

  it('accepts an uncompressed profile', async () => {
    const raw = profile([['goroutine', 'count']], ['', 'goroutine', 'count']);
    const d = await detectSnapshot(raw, 'g.pb');
    expect([d.kind, d.format]).toEqual(['goroutine', 'pprof']);
  });

  it('keeps a valid profile of a foreign kind as unknown', async () => {
    const raw = gzipSync(profile([['wall', 'nanoseconds']], ['', 'wall', 'nanoseconds']));
    const d = await detectSnapshot(raw, 'java.pb.gz');
    expect(d.kind).toBe('unknown');
    expect(d.sampleTypes).toEqual([{ type: 'wall', unit: 'nanoseconds' }]);
  });

  it('recognises goroutine text dumps of debug=1 and debug=2', async () => {
    for (const text of [
      'goroutine profile: total 4\n4 @ 0x1 0x2\n',
      'goroutine 1 [running]:\nmain.main()\n',
    ]) {
      const d = await detectSnapshot(Buffer.from(text), 'g.txt');
      expect(d.kind).toBe('goroutine-text');
    }
  });
});

describe('detectSnapshot on bad input', () => {
  async function failure(bytes: Uint8Array, name = 'f'): Promise<ServiceError> {
    try {
      await detectSnapshot(bytes, name);
    } catch (e) {
      if (e instanceof ServiceError) return e;
      throw e;
    }
    throw new Error('expected a failure');
  }

  it('recognises a truncated gzip profile as damaged, with where it was cut', async () => {
    const cpu = demoOfKind('cpu').bytes;
    const half = Math.floor(cpu.length / 2);
    const d = await detectSnapshot(cpu.subarray(0, half), 'cut-cpu.pb.gz');
    expect(d.format).toBe('pprof-gzip');
    expect(d.kind).toBe('cpu'); // from the name: the bytes do not decode to say
    expect(d.damaged).toBe(`cut short: the gzip stream ends early at byte ${half} of the file`);
    const whole = await detectSnapshot(cpu, 'cpu.pb.gz');
    expect(whole.damaged).toBeNull();
  });

  it('recognises a raw protobuf profile cut short as damaged', async () => {
    const raw = gunzipSync(demoOfKind('heap').bytes);
    const d = await detectSnapshot(raw.subarray(0, Math.floor(raw.length * 0.7)), 'x.pb');
    expect(d.format).toBe('pprof');
    expect(d.damaged).toMatch(
      /^cut short: (length-delimited field of \d+ bytes runs past the end of the data \(\d+ bytes left\)|the data ends inside a .+) at byte \d+$/,
    );
  });

  it('recognises a trace whose last batch runs past the end as damaged', async () => {
    const trace = demoFiles().find((f) => f.kind === 'trace');
    if (!trace) throw new Error('no demo trace');
    const cut = Math.floor(trace.bytes.length * 0.6);
    const d = await detectSnapshot(trace.bytes.subarray(0, cut), 'cut.trace');
    expect(d.kind).toBe('trace');
    expect(d.damaged).toMatch(
      new RegExp(
        `^cut short at byte ${cut}: the (batch at byte \\d+ declares \\d+ bytes, only \\d+ remain|header of the batch at byte \\d+ runs past the end)$`,
      ),
    );
    expect((await detectSnapshot(trace.bytes, 'whole.trace')).damaged).toBeNull();
  });

  it('rejects empty files, HTML pages, random bytes and gzip of non-profiles', async () => {
    expect((await failure(new Uint8Array())).message).toContain('the file is empty');
    expect(
      (await failure(Buffer.from('<html><body>404 page not found</body></html>'))).message,
    ).toContain('it starts with text "<html><body>404');
    // Text whose first bytes read as Profile fields ('j' is field 13, length-delimited) is
    // still refused, not stored as a cut profile.
    expect((await failure(Buffer.from('just some notes'))).message).toContain(
      'it starts with text "just some notes',
    );
    const random = new Uint8Array(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    expect((await failure(random)).kind).toBe('unrecognized-format');
    expect((await failure(gzipSync(Buffer.from('hello world, not a profile')))).message).toContain(
      'gzip data is not a pprof profile',
    );
  });

  it('rejects a protobuf whose string table is malformed', async () => {
    const noEmptyFirst = profile([['cpu', 'nanoseconds']], ['x', 'cpu', 'nanoseconds']);
    expect((await failure(noEmptyFirst)).message).toContain('does not start with an empty string');
  });
});

describe('kindHintFromName', () => {
  it('reads kinds from common file names', () => {
    expect(kindHintFromName('orders-mutex-2024.pb.gz')).toBe('mutex');
    expect(kindHintFromName('block.pprof')).toBe('block');
    expect(kindHintFromName('profile.pb.gz')).toBeNull();
    expect(kindHintFromName('blocker.pb.gz')).toBeNull();
  });
});

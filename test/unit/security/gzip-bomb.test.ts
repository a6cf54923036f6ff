// #20 item 3: decompression is bounded by the input (MAX_INFLATE_RATIO times its size), not
// by 2 GiB: library detection, capture validation, the core decoder and the command line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../core/contract';
import { decodeProfile } from '../../../core/pprof/decode';
import { ProfileError } from '../../../core/pprof/errors';
import { MAX_INFLATE_RATIO, inflateLimitFor } from '../../../core/pprof/inflate';
import { validateCaptureBody } from '../../../electron/services/capture/validate';
import type { CapturePlan } from '../../../electron/services/capture/kinds';
import { profilePrefixProblem } from '../../../core/pprof/scan';
import { detectSnapshot } from '../../../electron/services/library/detect';
import {
  GunzipError,
  gunzipBounded,
  gunzipPrefix,
} from '../../../electron/services/library/gunzip';
import { LiveError } from '../../../electron/services/targets/errors';
import { profileThenZeros, zeroBomb } from '../../helpers/gzip-bomb';
import { failure } from './support';

const FIXTURES = resolve(__dirname, '../../fixtures');
const DEMO = resolve(__dirname, '../../../resources/demo');

const heapPlan: CapturePlan = {
  kind: 'heap',
  endpoint: 'heap',
  query: {},
  durationSeconds: null,
  delta: false,
  gc: false,
  format: 'pprof',
};

describe('the ratio cap, chosen from real profiles', () => {
  it('every real profile in the fixtures and the demo is far below it', () => {
    const files = [
      ...['before', 'after', 'no-rates'].flatMap((d) =>
        readdirSync(join(FIXTURES, d)).map((f) => join(FIXTURES, d, f)),
      ),
      ...readdirSync(DEMO).map((f) => join(DEMO, f)),
    ].filter((f) => f.endsWith('.gz'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const gz = readFileSync(f);
      const ratio = gunzipSync(gz).length / gz.length;
      expect(ratio, f).toBeLessThan(MAX_INFLATE_RATIO / 10);
    }
  });

  it('is the ratio times the input, within a floor and the absolute limit', () => {
    expect(inflateLimitFor(1000)).toBe(16 * 1024 * 1024);
    expect(inflateLimitFor(2_000_000)).toBe(2_000_000 * MAX_INFLATE_RATIO);
    expect(inflateLimitFor(1e9)).toBe(2 * 1024 ** 3);
  });
});

describe('library detection of a gzip bomb', () => {
  it('a gzip of zeros is refused from its first inflated bytes', async () => {
    const bomb = zeroBomb(2); // 2 GiB of zeros, ~2 MB of gzip
    expect(bomb.length).toBeLessThan(4_000_000);
    const e = await failure(detectSnapshot(bomb, 'bomb.pb.gz'));
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.message).toMatch(/gzip data is not a pprof profile .*byte 0 holds field 0/);
  });

  it('a valid profile followed by zeros is refused at the ratio cap, not at 2 GiB', async () => {
    const bomb = profileThenZeros(1);
    const e = await failure(detectSnapshot(bomb, 'bomb.pb.gz'));
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.message).toContain(`more than ${MAX_INFLATE_RATIO}× its size`);
    expect(e.message).toContain('decompression bomb');
  });

  it('real profiles are still detected', async () => {
    const d = await detectSnapshot(readFileSync(join(FIXTURES, 'before', 'heap.pb.gz')), 'x.pb.gz');
    expect(d.kind).toBe('heap');
  });

  it('the prefix check reads protobuf tags only', () => {
    const real = gunzipSync(readFileSync(join(FIXTURES, 'before', 'cpu.pb.gz')));
    expect(profilePrefixProblem(real.subarray(0, 64 * 1024))).toBeNull();
    expect(profilePrefixProblem(new Uint8Array(10))).toMatch(/field 0/);
    expect(profilePrefixProblem(new TextEncoder().encode('goroutine 1 [running]:'))).not.toBeNull();
  });
});

describe('bounded gunzip', () => {
  it('stops at the limit and at the prefix length', async () => {
    const bomb = zeroBomb(0.5);
    const e = await failure(gunzipBounded(bomb, 8 * 1024 * 1024));
    expect(e).toBeInstanceOf(GunzipError);
    expect((e as GunzipError).problem).toBe('too-large');
    expect((await gunzipPrefix(bomb, 1000)).length).toBe(1000);
  });
});

describe('capture validation uses the same cap', () => {
  it('a target answering a profile-then-zeros bomb gets a too-large error', async () => {
    const e = await failure(
      validateCaptureBody(heapPlan, profileThenZeros(1), {}, 'http://127.0.0.1:1/debug/pprof/heap'),
    );
    expect(e).toBeInstanceOf(LiveError);
    expect((e as LiveError).kind).toBe('too-large');
    expect(e.message).toContain(`more than ${MAX_INFLATE_RATIO}× its size`);
  });
});

describe('the core decoder (Worker, command line) uses the same cap by default', () => {
  it('refuses the bomb with the ratio message', () => {
    let err: unknown;
    try {
      decodeProfile(profileThenZeros(0.5));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as ProfileError).kind).toBe('too-large');
    expect((err as Error).message).toContain(`more than ${MAX_INFLATE_RATIO}× its size`);
  });
});

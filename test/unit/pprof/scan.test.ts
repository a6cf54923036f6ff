// The header scan (core/pprof/scan.ts) against the full decoder on every fixture: both read
// the same fields with the same WireReader, so they must agree on every header figure, on the
// leaf functions, and on what is cut short.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfileBody } from '../../../core/pprof/decode';
import { ProfileError } from '../../../core/pprof/errors';
import type { Profile } from '../../../core/pprof/model';
import { profilePrefixProblem, scanProfile } from '../../../core/pprof/scan';
import { realProfiles } from './real-profiles';

const profiles = realProfiles().map((f) => ({ name: f.name, raw: gunzipSync(f.bytes) }));

/** The function name on each sample's leaf location's first (innermost) line. */
function leafNames(p: Profile): string[] {
  const out: string[] = [];
  for (let i = 0; i < p.samples.length; i++) {
    const s = p.samples.stack[i];
    if (s < 0) continue;
    const fn = p.lines.func[p.locations.lineStart[p.stacks.frame[s]]];
    if (fn !== undefined && fn >= 0) out.push(p.strings[p.functions.name[fn]]);
  }
  return out;
}

describe('scanProfile', () => {
  it('has fixtures of every kind to read', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(7);
  });

  it('reads the same header, sample count and leaf functions as the decoder', () => {
    let leaves = 0;
    for (const { name, raw } of profiles) {
      const p = decodeProfileBody(raw);
      const scan = scanProfile(raw, true);
      expect(scan, name).toEqual({
        sampleTypes: p.sampleTypes,
        periodType: p.periodType,
        period: p.period,
        timeNanos: p.timeNanos,
        durationNanos: p.durationNanos,
        defaultSampleType: p.defaultSampleType,
        sampleCount: p.samples.length,
        leafFunctions: leafNames(p),
      });
      expect(scanProfile(raw, false).leafFunctions).toEqual([]);
      expect(profilePrefixProblem(raw.subarray(0, 64 * 1024)), name).toBeNull();
      leaves += scan.leafFunctions.length;
    }
    expect(leaves).toBeGreaterThan(0);
  });

  it('fails on a cut profile as the decoder does: truncated, at the same byte', () => {
    let truncated = 0;
    for (const { name, raw } of profiles) {
      for (const frac of [0.3, 0.5, 0.77, 0.9]) {
        const cut = raw.subarray(0, Math.floor(raw.length * frac));
        const scanned = outcome(() => scanProfile(cut, true));
        const decoded = outcome(() => decodeProfileBody(cut));
        const at = `${name} cut at ${cut.length} of ${raw.length} bytes`;
        // A cut between two whole fields is not truncation to either (the scan may even
        // find all it reads, where the decoder misses a definition).
        expect(scanned?.kind === 'truncated', at).toBe(decoded?.kind === 'truncated');
        if (scanned?.kind !== 'truncated') continue;
        expect(scanned.offset, at).toBe(decoded!.offset);
        truncated++;
      }
    }
    expect(truncated).toBeGreaterThan(profiles.length);
  });

  it('refuses a string table that does not start empty, and a wrong wire type', () => {
    // string_table = ["x"]: field 6, length 1.
    expect(catchError(() => scanProfile(Uint8Array.of(0x32, 1, 0x78))).message).toContain(
      'does not start with an empty string',
    );
    // time_nanos (field 9) as length-delimited.
    expect(catchError(() => scanProfile(Uint8Array.of(0x4a, 0))).message).toBe(
      'field 9 has wire type 2, expected 0 at byte 0',
    );
  });
});

/** The ProfileError `f` throws, or null when it returns. */
function outcome(f: () => unknown): ProfileError | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
}

function catchError(f: () => unknown): ProfileError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  throw new Error('expected a ProfileError');
}

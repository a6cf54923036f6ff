// Oracle: our `-top` text equals `go tool pprof -top` byte for byte at pprof's default cuts
// (0.5% node fraction, node counts) for every fixture kind (before and after) and sample type,
// and at lines, filefunctions and addresses granularity. Every node's exact flat and cum at
// every granularity is compared with Go's printed -top in oracle-printed.test.ts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import type { Granularity } from '../../core/pprof/granularity';
import type { Profile } from '../../core/pprof/model';
import { prepareProfile } from '../../core/pprof/report';
import { topTable } from '../../core/pprof/top';
import { formatTopText } from '../../core/pprof/top-text';
import { findGo } from '../helpers/go-target';
import { FIXTURE_KINDS, fixturePath, removeFixtureSnapshot, runPprof } from '../helpers/pprof-raw';

const counts = { texts: 0 };

beforeAll(() => {
  findGo(); // fails with a clear message when Go is missing
});

afterAll(() => {
  removeFixtureSnapshot();
  console.log(`oracle: ${counts.texts} -top texts identical`);
});

describe.each(['before', 'after'] as const)('%s fixtures', (side) => {
  describe.each(FIXTURE_KINDS)('%s', (kind) => {
    const file = fixturePath(side, kind);
    let profile: Profile;
    beforeAll(() => {
      profile = decodeProfile(new Uint8Array(readFileSync(file)));
      expect(profile.samples.length).toBeGreaterThan(0);
    });

    it('-top text is identical for every sample type', () => {
      for (let i = 0; i < profile.sampleTypes.length; i++) {
        const prep = prepareProfile(profile, { sampleIndex: i });
        const ours = formatTopText(
          prep.profile,
          topTable(prep, { nodeFraction: 0.005, inlineLabels: true }),
          prep.activeFilters,
        );
        expect(ours).toBe(runPprof(['-top', `-sample_index=${i}`, file]));
        counts.texts++;
      }
    });

    it.each([
      ['lines', ['-lines', '-nodefraction=0']],
      ['filefunctions', ['-filefunctions', '-nodecount=15']],
      ['addresses', ['-addresses', '-nodecount=25']],
    ] as Array<[Granularity, string[]]>)('-top text is identical at %s', (granularity, flags) => {
      const prep = prepareProfile(profile);
      const nodeFraction = flags.includes('-nodefraction=0') ? 0 : 0.005;
      const nodeCount = flags.includes('-nodecount=15')
        ? 15
        : flags.includes('-nodecount=25')
          ? 25
          : 0;
      const ours = formatTopText(
        prep.profile,
        topTable(prep, { granularity, nodeFraction, nodeCount, inlineLabels: true }),
      );
      expect(ours).toBe(runPprof(['-top', ...flags, file]));
      counts.texts++;
    });
  });
});

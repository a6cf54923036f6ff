// A dump cut at any byte either fails with a GoroutineDumpError or yields the complete records
// before the cut, flagged as truncated. The one cut Go's format cannot reveal (after a whole
// frame line of the main goroutine, which has no "created by" line) is checked to give a
// true prefix of the real records.
import { describe, expect, it } from 'vitest';
import type { GoroutineDump } from '../../../core/goroutines/dump';
import { GoroutineDumpError } from '../../../core/goroutines/errors';
import { parseGoroutineDump } from '../../../core/goroutines/parse';
import { recordFrames, recordHead } from './compare';
import { testdata } from './testdata';

interface Tally {
  errors: number;
  truncated: number;
  unflagged: number;
}

function checkEveryCut(bytes: Uint8Array): Tally {
  const full = parseGoroutineDump(bytes);
  const heads = Array.from({ length: full.records.length }, (_, i) => recordHead(full, i));
  const frames = Array.from({ length: full.records.length }, (_, i) =>
    recordFrames(full, i).join('\n'),
  );
  const tally: Tally = { errors: 0, truncated: 0, unflagged: 0 };
  for (let cut = 0; cut < bytes.length; cut++) {
    let d: GoroutineDump;
    try {
      d = parseGoroutineDump(bytes.subarray(0, cut));
    } catch (err) {
      if (!(err instanceof GoroutineDumpError)) {
        throw new Error(`cut at ${cut}: ${String(err)}`, { cause: err });
      }
      tally.errors++;
      continue;
    }
    const n = d.records.length;
    if (n > full.records.length) throw new Error(`cut at ${cut}: more records than the whole dump`);
    // Every record but the last must be exactly the real one.
    for (let i = 0; i < n - 1; i++) {
      if (recordHead(d, i) !== heads[i] || recordFrames(d, i).join('\n') !== frames[i]) {
        throw new Error(`cut at ${cut}: record ${i} differs from the whole dump's`);
      }
    }
    const lastExact =
      n === 0 ||
      (recordHead(d, n - 1) === heads[n - 1] &&
        recordFrames(d, n - 1).join('\n') === frames[n - 1]);
    if (d.truncation) {
      tally.truncated++;
      if (!lastExact && d.truncation.kind !== 'suspected') {
        throw new Error(`cut at ${cut}: ${d.truncation.kind} kept an incomplete record`);
      }
      continue;
    }
    tally.unflagged++;
    if (lastExact) continue;
    // Not flagged and not exact: only the main goroutine (no created-by line) cut between
    // two frames, and then its frames must be the real ones, outermost frames missing.
    const last = n - 1;
    const realFrames = frames[last].split('\n');
    const got = recordFrames(d, last);
    if (d.records.id[last] !== 1 || got.join('\n') !== realFrames.slice(0, got.length).join('\n')) {
      throw new Error(`cut at ${cut}: unflagged partial record ${d.records.id[last]}`);
    }
  }
  return tally;
}

describe('truncation at every byte offset', () => {
  it('debug=2 text', () => {
    const bytes = testdata('goroutine-late-debug2.txt');
    const t = checkEveryCut(bytes);
    expect(t.errors + t.truncated + t.unflagged).toBe(bytes.length);
    expect(t.truncated).toBeGreaterThan(bytes.length * 0.9);
    // Unflagged cuts are only those at record ends and inside the main goroutine's frames.
    expect(t.unflagged).toBeLessThan(200);
  });

  it('debug=1 text: every cut is flagged (records end with a blank line; counts must reach the total)', () => {
    const bytes = testdata('goroutine-late-debug1.txt');
    const t = checkEveryCut(bytes);
    expect(t.unflagged).toBe(0);
    expect(t.errors + t.truncated).toBe(bytes.length);
  });
});

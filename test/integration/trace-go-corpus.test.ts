// Go's own trace test corpus (src/internal/trace/testdata/tests of the installed Go): recorded
// traces and hand-made edge cases (syscall P stealing across generations, cgo callbacks,
// tasks across generations, sync batches of 1.23 and 1.25, broken traces). Each is converted
// from Go's text format to binary; our reader must succeed or fail as the corpus expects, and
// where it succeeds produce Go's exact event stream (checked against the oracle).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceError } from '../../core/trace/errors';
import { TraceReader } from '../../core/trace/reader';
import { findGo } from '../helpers/go-target';
import { canonicalDigest } from '../unit/trace/canonical';
import { runOracle } from '../unit/trace/go-oracle';
import { parseTxtar, textTraceToBinary } from '../unit/trace/trace-writer';

let corpus = '';
let dir = '';

beforeAll(() => {
  const go = findGo();
  const root = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  corpus = join(root, 'src', 'internal', 'trace', 'testdata', 'tests');
  if (!existsSync(corpus))
    throw new Error(
      `Go's trace test corpus is missing at ${corpus}: install the full Go distribution`,
    );
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-trace-corpus-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("Go's trace test corpus", () => {
  it('reads every case as Go expects', async () => {
    const files = readdirSync(corpus)
      .filter((f) => f.endsWith('.test'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    let successes = 0;
    let failures = 0;
    for (const f of files) {
      const { expect: want, trace } = parseTxtar(readFileSync(join(corpus, f), 'utf8'));
      const bytes = textTraceToBinary(trace);
      let err: unknown;
      try {
        const r = new TraceReader({ generation() {}, event() {} });
        r.push(bytes);
        r.end();
      } catch (e) {
        err = e;
      }
      if (want.startsWith('SUCCESS')) {
        expect(err, f).toBeUndefined();
        const file = join(dir, `${f}.bin`);
        writeFileSync(file, bytes);
        const oracle = await runOracle(file);
        const ours = canonicalDigest(bytes, createHash);
        expect(ours.count, f).toBe(oracle.eventCount);
        expect(ours.sha256, f).toBe(oracle.eventsSha256);
        successes++;
      } else {
        const pattern = /^FAILURE "(.*)"$/.exec(want);
        expect(pattern, f).not.toBeNull();
        expect(err, f).toBeInstanceOf(TraceError);
        expect((err as TraceError).message, f).toMatch(new RegExp(pattern![1]));
        failures++;
      }
    }
    expect(successes).toBeGreaterThan(15);
    expect(failures).toBeGreaterThan(0);
  }, 300_000);
});

// Oracle: `pprof-studio list` prints exactly what `go tool pprof -list` prints, for every
// fixture kind (before and after) and every sample type, with the sources found through
// -source_path (GOROOT for the standard library, a temporary copy of test/targets/orders
// for the order service) with and without -trim_path, and with the sources missing (pprof
// prints an Error line for each routine and goes on).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../core/pprof/decode';
import { prepareProfile } from '../../core/pprof/report';
import { inlinedCalls } from '../../core/pprof/source-list';
import { listCommand } from '../../electron/cli/commands/list';
import { TARGETS_DIR, findGo } from '../helpers/go-target';
import { FIXTURE_KINDS, fixturePath, removeFixtureSnapshot, runPprof } from '../helpers/pprof-raw';

let work: string;
let goroot: string;
const counts = { texts: 0, routines: 0, found: 0, missing: 0 };

beforeAll(() => {
  const go = findGo();
  goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  work = mkdtempSync(join(tmpdir(), 'pprof-list-'));
  // The sources where the profile's recorded paths (pprofstudio/targets/orders/…) are not.
  cpSync(join(TARGETS_DIR, 'orders'), join(work, 'src', 'orders'), { recursive: true });
  mkdirSync(join(work, 'empty'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  removeFixtureSnapshot();
  // What the oracle covered, so a silent shrink of the comparisons shows.
  console.log(
    `list oracle: ${counts.texts} texts, ${counts.routines} routines (${counts.found} with source, ${counts.missing} missing)`,
  );
});

async function studioList(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  try {
    const code = await listCommand.run(args, {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
    });
    return { code, out, err };
  } catch (e) {
    return { code: 1, out, err: err + (e as Error).message };
  }
}

interface Config {
  name: string;
  /** pprof-studio options and the pprof options that mean the same. */
  ours: () => string[];
  pprof: () => string[];
  /** Whether routines are expected to find their source. */
  found: boolean;
}

const CONFIGS: Config[] = [
  {
    name: 'source path (base-name heuristic) + GOROOT',
    ours: () => ['--source-path', `${work}/src/orders:${goroot}/src`],
    pprof: () => [`-source_path=${work}/src/orders:${goroot}/src`],
    found: true,
  },
  {
    name: 'source path + trim path',
    ours: () => [
      '--source-path',
      `${work}/src:${goroot}/src`,
      '--trim-path',
      'pprofstudio/targets',
    ],
    pprof: () => [`-source_path=${work}/src:${goroot}/src`, '-trim_path=pprofstudio/targets'],
    found: true,
  },
  {
    name: 'sources missing',
    ours: () => ['--source-path', `${work}/empty`],
    pprof: () => [`-source_path=${work}/empty`],
    found: false,
  },
];

// Functions of the order service and of the standard library (runtime, sync) that the
// fixtures sample, including inlined ones.
const REGEX = String.raw`^main\.|^sync\.\(\*Mutex\)\.|^runtime\.(mallocgc|gopark|selectgo|newproc1)$`;

function sampleTypes(path: string): string[] {
  return decodeProfile(readFileSync(path)).sampleTypes.map((t) => t.type);
}

describe('list equals go tool pprof -list', () => {
  for (const side of ['before', 'after'] as const) {
    for (const kind of FIXTURE_KINDS) {
      it(`${side}/${kind}: every sample type, found and missing sources`, async () => {
        const file = fixturePath(side, kind);
        const types = sampleTypes(file);
        for (const [i, type] of types.entries()) {
          for (const c of CONFIGS) {
            let want: string;
            try {
              want = runPprof([`-list=${REGEX}`, `-sample_index=${i}`, ...c.pprof(), file]);
            } catch (e) {
              // pprof found no function: ours must say so too (exit 1, same message).
              const stderr = String((e as { stderr?: unknown }).stderr ?? '');
              expect(stderr).toContain('no matches found for regexp');
              const r = await studioList([REGEX, file, '--sample-index', type, ...c.ours()]);
              expect(r.code).toBe(1);
              expect(r.err).toContain(`no matches found for regexp: ${REGEX}`);
              continue;
            }
            const r = await studioList([REGEX, file, '--sample-index', type, ...c.ours()]);
            expect(r.code, r.err).toBe(0);
            expect(r.out, `${side}/${kind} ${type} ${c.name}`).toBe(want);
            counts.texts++;
            const routines = want.split('\n').filter((l) => l.startsWith('ROUTINE')).length;
            const errors = want.split('\n').filter((l) => l.startsWith(' Error: ')).length;
            counts.routines += routines;
            counts.missing += errors;
            counts.found += routines - errors;
            if (c.found && routines > 0) expect(errors, want).toBeLessThan(routines);
            if (!c.found) expect(errors).toBe(routines);
          }
        }
      });
    }
  }

  it("inlined calls: what scoreFraud inlines equals the callee's own -list sums under -focus", () => {
    // main.hashSKU and main.riskWeight are inlined into main.scoreFraud at one line each (and
    // hashSKU elsewhere too, in the after build): on the samples through scoreFraud (pprof's
    // -focus), the callee's own cost is exactly what the entries under that line carry.
    for (const side of ['before', 'after'] as const) {
      const file = fixturePath(side, 'cpu');
      const prep = prepareProfile(decodeProfile(readFileSync(file)), { granularity: 'lines' });
      const calls = inlinedCalls(prep, 'main.scoreFraud', 'pprofstudio/targets/orders/pricing.go');
      for (const callee of ['main.hashSKU', 'main.riskWeight']) {
        const text = runPprof([
          `-list=^${callee.replace('.', '\\.')}$`,
          '-focus=^main\\.scoreFraud$',
          '-source_path=/nowhere',
          file,
        ]);
        // Without the source pprof prints only the routine's sums: compare those first.
        const sums = /\n\s*(\S+)\s+(\S+) \(flat, cum\)/.exec(text);
        expect(sums, text).not.toBeNull();
        const mine = calls.filter((c) => c.depth === 1 && c.name === callee);
        expect(mine.length, `${side} ${callee}`).toBeGreaterThan(0);
        const flat = mine.reduce((a, c) => a + c.flat, 0);
        const cum = mine.reduce((a, c) => a + c.cum, 0);
        expect([flat, cum].map((v) => (v === 0 ? '0' : `${v / 1e6}ms`))).toEqual([
          sums![1],
          sums![2],
        ]);
      }
    }
  });

  it('with filters, -noinlines and -mean as pprof', async () => {
    const cpu = fixturePath('before', 'cpu');
    const block = fixturePath('before', 'block');
    const src = `${work}/src/orders:${goroot}/src`;
    const cases: [string[], string[]][] = [
      [
        ['main\\.', cpu, '--source-path', src, '--focus', 'json', '--noinlines'],
        ['-list=main\\.', `-source_path=${src}`, '-focus=json', '-noinlines', cpu],
      ],
      [
        ['main\\.', cpu, '--source-path', src, '--ignore', 'hashSKU', '--hide', 'fnvStep'],
        ['-list=main\\.', `-source_path=${src}`, '-ignore=hashSKU', '-hide=fnvStep', cpu],
      ],
      [
        ['main\\.|sync', block, '--source-path', src, '--mean', '--sample-index', 'delay'],
        ['-list=main\\.|sync', `-source_path=${src}`, '-mean', '-sample_index=delay', block],
      ],
    ];
    for (const [ours, theirs] of cases) {
      const want = runPprof(theirs);
      const r = await studioList(ours);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(want);
      counts.texts++;
    }
  });

  it("a recorded path found on no search folder: pprof's error line", async () => {
    const cpu = fixturePath('before', 'cpu');
    // -trim_path of nothing useful, and a source path whose base name is not in the paths.
    const want = runPprof(['-list=main\\.hashSKU', `-source_path=${work}/empty`, cpu]);
    const r = await studioList(['main\\.hashSKU', cpu, '--source-path', `${work}/empty`]);
    expect(r.out).toBe(want);
    expect(r.out).toContain(' Error: could not find file pprofstudio/targets/orders/pricing.go');
  });
});

// Oracle: the minimum mutator utilization curve against `go tool trace -http`'s MMU page data
// (`/mmu?mode=plot&flags=...`, Go's own computation), for the fixture traces of test/targets,
// the Go 1.22–1.26 traces of mktrace and Go's gc-stress corpus trace, under every option of
// the page. Go plots 100 log-spaced windows; our MMU at each of those windows must equal Go's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrace } from '../../core/trace/parse';
import { mmu, mmuCurve, mmuPlot, mutatorUtilization, type MmuFlags } from '../../core/trace/mmu';
import { findGo } from '../helpers/go-target';
import { startGoToolTrace, type GoTraceViewer } from '../helpers/go-tool-trace';
import { parseTxtar, textTraceToBinary } from '../unit/trace/trace-writer';

const repo = resolve(__dirname, '..', '..');
let dir = '';
const traces: Array<{ name: string; file: string }> = [];
const shown: string[] = [];

const FLAG_SETS: Array<Array<keyof MmuFlags>> = [
  ['stw', 'background', 'assist'],
  ['stw'],
  ['background'],
  ['assist'],
  ['sweep'],
  ['stw', 'background', 'assist', 'sweep'],
  ['perProc', 'stw', 'background', 'assist'],
  ['perProc', 'stw', 'background', 'assist', 'sweep'],
];

function flagsOf(names: Array<keyof MmuFlags>): MmuFlags {
  const f: MmuFlags = {
    stw: false,
    background: false,
    assist: false,
    sweep: false,
    perProc: false,
  };
  for (const n of names) f[n] = true;
  return f;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pprofstudio-trace-mmu-'));
  for (const side of ['before', 'after'])
    traces.push({ name: `fixture ${side}`, file: join(repo, `test/fixtures/${side}/trace.out`) });
  for (const v of ['122', '123', '125', '126'])
    traces.push({ name: `go${v}`, file: join(repo, `test/unit/trace/fixtures/go${v}.trace`) });
  const root = execFileSync(findGo(), ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const gcStress = join(root, 'src/internal/trace/testdata/tests/go122-gc-stress.test');
  const { trace } = parseTxtar(readFileSync(gcStress, 'utf8'));
  const file = join(dir, 'go122-gc-stress.bin');
  writeFileSync(file, textTraceToBinary(trace));
  traces.push({ name: 'corpus go122-gc-stress', file });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (shown.length) console.log(`MMU beside go tool trace's:\n${shown.join('\n')}`);
});

/** Go's plot point nearest to `w` (log distance). */
function nearest(curve: Array<[number, number]>, w: number): [number, number] {
  let best = curve[0];
  for (const p of curve)
    if (Math.abs(Math.log(p[0] / w)) < Math.abs(Math.log(best[0] / w))) best = p;
  return best;
}

describe("MMU equals go tool trace's MMU data", () => {
  it('for every trace, option set and plotted window', async () => {
    let points = 0;
    let below1 = 0;
    for (const t of traces) {
      const model = parseTrace(new Uint8Array(readFileSync(t.file)));
      let viewer: GoTraceViewer | undefined;
      try {
        viewer = await startGoToolTrace(t.file);
        for (const names of FLAG_SETS) {
          const body = JSON.parse(await viewer.get(`/mmu?mode=plot&flags=${names.join('|')}`)) as {
            curve: Array<[number, number]>;
            xMin: number;
            xMax: number;
          };
          const curve = mmuCurve(mutatorUtilization(model, flagsOf(names)));
          expect(body.curve.length, `${t.name} ${names.join('|')}`).toBe(100);
          // Our plot spans the same windows (each within 1 ns: Math.exp and Go's math.Exp may
          // round the last bit differently before the window is cut to whole ns).
          const plot = mmuPlot(curve);
          expect([plot.xMin, plot.xMax]).toEqual([body.xMin, body.xMax]);
          body.curve.forEach(([w], i) =>
            expect(Math.abs(plot.windows[i] - w)).toBeLessThanOrEqual(1),
          );
          for (const [window, want] of body.curve) {
            const got = mmu(curve, window);
            expect(got, `${t.name} ${names.join('|')} window ${window} ns`).toBeCloseTo(want, 12);
            points++;
            if (want < 1) below1++;
          }
          if (names.length === 3 && !names.includes('perProc') && t.name.startsWith('fixture')) {
            const cells = [1e6, 1e7, 1e8, 1e9].map((w) => {
              const [gw, gv] = nearest(body.curve, w);
              return `${(gw / 1e6).toPrecision(4)} ms: go ${gv.toFixed(6)} ours ${mmu(curve, gw).toFixed(6)}`;
            });
            shown.push(`${t.name} (stw|background|assist): ${cells.join('; ')}`);
          }
        }
      } finally {
        await viewer?.close();
      }
    }
    // The traces have GC work: most plotted windows see utilization below 1.
    expect(below1).toBeGreaterThan(points / 4);
  });
});

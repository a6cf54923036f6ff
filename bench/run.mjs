// `npm run bench`: bundles every bench/cases/*.bench.ts with esbuild and runs them one after
// another, each in its own Node process, so each case measures itself beside its peer
// (go tool pprof, Go's trace reader, Chromium) in the same run. Benchmarks print ratios;
// they never fail on timing.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const only = process.argv.slice(2);
const cases = readdirSync('bench/cases')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const file of cases) {
  const outfile = join('out', 'bench', file.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [join('bench', 'cases', file)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    external: ['electron', 'chokidar', 'playwright-core'],
  });
  console.log(`\n== ${file.replace(/\.bench\.ts$/, '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', outfile], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.log(`bench ${file}: exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed > 0 ? 1 : 0);

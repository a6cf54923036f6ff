// Bundles the `pprof-studio` command (electron/cli) into one Node file under out/cli.
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/cli/index.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'out/cli/index.cjs',
  sourcemap: true,
  logLevel: 'warning',
  // chokidar ships ESM only; it is a runtime dependency, so leave it to Node.
  external: ['electron', 'chokidar', 'playwright-core'],
});

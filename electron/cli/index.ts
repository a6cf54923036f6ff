// Entry point of the bundled command (out/cli/index.cjs).
import { runCli } from './main';

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pprof-studio: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

// The `pprof-studio` command: dispatch to subcommands, map errors to exit codes.
import { InputError, UsageError } from './args';
import type { CliIO, Command } from './command';
import { commands } from './commands';

export const VERSION = '0.1.0';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `pprof-studio ${VERSION}: a workstation for profiling Go services`,
    '',
    'Usage: pprof-studio COMMAND [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `pprof-studio COMMAND --help` for the options of one command.',
    'Exit codes: 0 ok, 1 bad input (one line on stderr says which file and what), 2 usage.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout(target ? target.usage : help());
    return 0;
  }
  if (name === '--version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`pprof-studio: unknown command '${name}'\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`pprof-studio ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof InputError) {
      io.stderr(`pprof-studio ${name}: ${err.message}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`pprof-studio ${name}: ${message}\n`);
    return 1;
  }
}

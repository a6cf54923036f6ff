// What every `pprof-studio` subcommand provides.

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text printed by `pprof-studio help NAME` and `NAME --help`. */
  usage: string;
  /** Resolves to the exit code: 0 ok, 1 bad input, 2 usage. */
  run: (argv: string[], io: CliIO) => Promise<number>;
}

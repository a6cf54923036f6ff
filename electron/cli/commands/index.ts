// The subcommands, in the order `--help` lists them. Each lives in its own module.
import type { Command } from '../command';

export const commands: Command[] = [];

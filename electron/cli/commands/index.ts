// The subcommands, in the order `--help` lists them. Each lives in its own module.
import type { Command } from '../command';
import { serveCommand } from './serve';
import { captureCommand } from './capture';
import { topCommand } from './top';
import { listCommand } from './list';
import { diffCommand } from './diff';
import { mergeCommand } from './merge';
import { filterCommand } from './filter';
import { checkCommand } from './check';
import { traceCommand } from './trace';
import { insightsCommand } from './insights';
import { reportCommand } from './report';

export const commands: Command[] = [
  serveCommand,
  captureCommand,
  topCommand,
  listCommand,
  diffCommand,
  mergeCommand,
  filterCommand,
  checkCommand,
  traceCommand,
  insightsCommand,
  reportCommand,
];

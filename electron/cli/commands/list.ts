// `pprof-studio list`: per-line flat and cum of the functions a regexp matches, read from
// the sources, like `go tool pprof -list` (same text, same -source_path/-trim_path rules).
import { readFileSync, statSync } from 'node:fs';
import { prepareProfile } from '../../../core/pprof/report';
import { compileGoRegex } from '../../../core/pprof/regex';
import { formatListText, sourceListing, type SourceText } from '../../../core/pprof/source-list';
import { sourceLookup, splitSourceLines } from '../../../core/pprof/source-path';
import { InputError, UsageError, optionValue, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import {
  FILTER_OPTIONS,
  FILTER_USAGE,
  loadProfile,
  reportOptions,
  withEngineErrors,
} from '../profile-input';

const usage = `Usage: pprof-studio list REGEX FILE|URL [options]

Prints, for every function whose name matches REGEX (Go RE2, unanchored), its source lines
with their flat and cum values, like \`go tool pprof -list REGEX\`: the same text. A file
that cannot be found prints an "Error:" line for that routine and the listing goes on.

Options:
  --source-path DIRS       folders (':'-separated) to search for the sources, each and its
                           parents (default: the current folder), like pprof's -source_path
  --trim-path PREFIXES     prefixes (':'-separated) removed from the file names the profile
                           records before searching, like pprof's -trim_path
${FILTER_USAGE.split('\n')
  .filter((l) => !l.startsWith('  --granularity'))
  .join('\n')}
Exit codes: 0 ok, 1 bad input or no function matches REGEX, 2 usage.
`;

/** pprof's sourceReader for one file: the first candidate that opens, split like Go. */
function readSource(file: string, searchPath: string, trim: string): SourceText {
  const look = sourceLookup(file, searchPath, trim);
  for (const candidate of look.candidates) {
    try {
      // Go opens a folder without complaint and then reads no lines from it.
      if (statSync(candidate).isDirectory()) return { lines: [] };
      return { lines: splitSourceLines(readFileSync(candidate, 'utf8')) };
    } catch (e) {
      if (look.candidates.length === 1) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'EACCES' ? 'permission denied' : 'no such file or directory';
        return { error: `open ${look.path}: ${why}` };
      }
    }
  }
  return { error: look.notFound };
}

const { granularity: _granularity, ...LIST_OPTIONS } = FILTER_OPTIONS;
void _granularity;

export const listCommand: Command = {
  name: 'list',
  summary: 'per-line flat/cum of matching functions with their source (like go tool pprof -list)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      ...LIST_OPTIONS,
      'source-path': { value: true },
      'trim-path': { value: true },
    });
    if (args.positionals.length !== 2) {
      throw new UsageError('give a REGEX and one profile FILE or URL');
    }
    const [pattern, source] = args.positionals as [string, string];
    let symbol: RegExp;
    try {
      symbol = compileGoRegex(pattern);
    } catch (e) {
      throw new UsageError(`REGEX: ${(e as Error).message}`);
    }
    const sourcePath = optionValue(args, 'source-path') ?? '';
    const trimPath = optionValue(args, 'trim-path') ?? '';
    const opts = reportOptions(args);
    const profile = await loadProfile(source, args);
    const { prep, listing } = withEngineErrors(source, () => {
      const p = prepareProfile(profile, { ...opts, granularity: 'lines' });
      return {
        prep: p,
        listing: sourceListing(p, symbol, { noInlines: opts.noInlines, trimPath, sourcePath }),
      };
    });
    for (const w of prep.warnings) io.stderr(`${w}\n`);
    if (listing.functions.length === 0) {
      throw new InputError(`no matches found for regexp: ${pattern}`);
    }
    const searchPath = sourcePath === '' ? process.cwd() : sourcePath;
    io.stdout(formatListText(listing, (file) => readSource(file, searchPath, trimPath)));
    return 0;
  },
};

// `pprof-studio top`: the flat/cum table of a profile, like `go tool pprof -top`.
import { prepareProfile } from '../../../core/pprof/report';
import { sampleTypeName } from '../../../core/pprof/sample-index';
import { topTable } from '../../../core/pprof/top';
import { formatTopText } from '../../../core/pprof/top-text';
import { UsageError, intOption, optionValue, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import {
  FILTER_OPTIONS,
  FILTER_USAGE,
  loadProfile,
  reportOptions,
  withEngineErrors,
} from '../profile-input';

const usage = `Usage: pprof-studio top FILE|URL [options]

Prints the functions of a profile (.pb.gz, uncompressed profile.proto, or an http(s) URL of
a /debug/pprof endpoint) with their flat and cum values, like \`go tool pprof -top\`: the same
numbers, units and order. A bundle folder (\`capture --bundle\`) stands for its CPU profile.

Options:
${FILTER_USAGE}  --nodecount N            show at most N rows (default 0: all)
  --nodefraction F         hide rows whose cum is below F x total (default 0.005 like
                           pprof for text, 0 with --json)
  --json                   print {"sampleType","total","rows":[{"name","flat","cum"}]}:
                           rows sorted by flat, then cum (both descending), then name

Exit codes: 0 ok, 1 bad input (one line on stderr names the file and the problem), 2 usage.
`;

export const topCommand: Command = {
  name: 'top',
  summary: 'flat/cum table of a profile (like go tool pprof -top), text or --json',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      ...FILTER_OPTIONS,
      nodecount: { value: true },
      nodefraction: { value: true },
      json: {},
    });
    if (args.positionals.length !== 1) {
      throw new UsageError(
        args.positionals.length === 0 ? 'give one profile FILE or URL' : 'give exactly one profile',
      );
    }
    const json = args.flags.has('json');
    const nodeCount = intOption(args, 'nodecount', 0);
    const nf = optionValue(args, 'nodefraction');
    const nodeFraction = nf === undefined ? (json ? 0 : 0.005) : Number(nf);
    if (!(nodeFraction >= 0 && nodeFraction <= 1)) {
      throw new UsageError(`--nodefraction needs a number between 0 and 1, got '${nf}'`);
    }
    const opts = reportOptions(args);
    const source = args.positionals[0];
    const profile = await loadProfile(source, args);
    const { prep, table } = withEngineErrors(source, () => {
      const p = prepareProfile(profile, opts);
      return {
        prep: p,
        table: topTable(p, {
          granularity: opts.granularity,
          noInlines: opts.noInlines,
          nodeCount,
          nodeFraction,
          order: json ? 'flat' : 'pprof',
          inlineLabels: !json,
        }),
      };
    });
    for (const w of prep.warnings) io.stderr(`${w}\n`);
    if (json) {
      io.stdout(
        `${JSON.stringify({
          sampleType: sampleTypeName(table.sampleType),
          total: table.total,
          rows: table.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })),
        })}\n`,
      );
    } else {
      io.stdout(formatTopText(prep.profile, table, prep.activeFilters));
    }
    return 0;
  },
};

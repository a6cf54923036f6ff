// `pprof-studio report BEFORE AFTER [--format F]`: the before/after table and findings.
import { buildReport } from '../../../core/insights/report';
import { reportHtml, reportMarkdown, reportText } from '../../../core/insights/render';
import { UsageError, optionValue, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import { loadPathsAsSet } from './insights';

const usage = `Usage: pprof-studio report BEFORE AFTER [options]

Compares two sets of snapshots of one service (each a folder, a bundle folder or a file) and prints one table
of metrics with before, after and change (CPU time and the top own-code functions, heap in
use, allocated bytes and objects, goroutines, GC cycles and GC/s (from a GC log when the set
has one: GODEBUG=gctrace=1 output, told by content), GC pause total and max, stop-the-world and mark
assist time, mutex and block delay, scheduling latency, the trace's peak goroutines), and the
findings of \`pprof-studio insights\` split into resolved, new and persisting. A metric that
cannot be compared says why; totals over capture windows of different lengths are compared
per second and labelled so.

Options:
  --format F            text (default), markdown, html (one self-contained file: no scripts,
                        charts as inline SVG) or json: {"rows":[{"metric","unit","before",
                        "after","change",...}],"findings":{"resolved":[],"new":[],
                        "persisting":[]}}
  --third-party PREFIX  treat functions under this prefix as library code (repeatable)

Exit codes: 0 ok, 1 bad input (one line on stderr names the file and the problem), 2 usage.
`;

const FORMATS = ['text', 'markdown', 'html', 'json'] as const;

export const reportCommand: Command = {
  name: 'report',
  summary: 'before/after table of two snapshot sets, findings resolved, new and persisting',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      format: { value: true },
      'third-party': { value: true, repeat: true },
    });
    if (args.positionals.length !== 2)
      throw new UsageError('give exactly two paths: BEFORE and AFTER');
    const format = optionValue(args, 'format') ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
    }
    const [b, a] = args.positionals as [string, string];
    const thirdParty = args.options.get('third-party') ?? [];
    const before = await loadPathsAsSet(b, [b], io, true);
    const after = await loadPathsAsSet(a, [a], io, true);
    const report = buildReport(before, after, { thirdParty });
    if (format === 'json') {
      const slim = (f: (typeof report.findings.resolved)[number]) => ({
        kind: f.kind,
        severity: f.severity,
        function: f.function,
        title: f.title,
        snapshot: f.evidence.snapshotId,
      });
      io.stdout(
        JSON.stringify(
          {
            before: report.beforeLabel,
            after: report.afterLabel,
            rows: report.rows,
            findings: {
              resolved: report.findings.resolved.map(slim),
              new: report.findings.new.map(slim),
              persisting: report.findings.persisting.map((p) => ({
                ...slim(p.after),
                severityBefore: p.before.severity,
              })),
            },
          },
          null,
          2,
        ) + '\n',
      );
    } else if (format === 'markdown') io.stdout(reportMarkdown(report));
    else if (format === 'html') io.stdout(reportHtml(report));
    else io.stdout(reportText(report));
    return 0;
  },
};

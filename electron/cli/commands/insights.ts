// `pprof-studio insights PATH... [--json]`: findings over a set of snapshots of one service.
import { runInsights } from '../../../core/insights/insights';
import { loadSnapshotSet } from '../../../core/insights/snapshot-set';
import { findingsText } from '../../../core/insights/render';
import type { SnapshotSet } from '../../../core/insights/model';
import { InputError, UsageError, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import { readSnapshotPaths } from '../snapshot-paths';

const usage = `Usage: pprof-studio insights PATH... [options]

Reads the snapshots of one service (PATH: profile files, goroutine dumps, execution traces,
GC logs (GODEBUG=gctrace=1 output, told by content), or folders holding them) and lists what to fix, most severe first: CPU hot spots, work at
package init, GC pressure, allocation churn, heap retention, goroutine leaks, lock
contention, channel waits, goroutine bursts and scheduling latency. Every cost is charged to
the service's own code (the leaf-most frame outside Go's standard library and runtime), and
every finding names the figures, the snapshot and the threshold it crossed
(docs/insights.md has the rules and the threshold table).

Options:
  --json                print {"findings":[{"kind","severity","function","title",
                        "evidence","snapshot"}]}
  --third-party PREFIX  treat functions under this module or package prefix as library code,
                        not the service's own (repeatable), e.g. github.com/jackc/pgx

Files in a folder that are not snapshots are skipped with a note on stderr; a bundle folder
(\`capture --bundle\`) stands for the parts its bundle.json lists as captured.

Exit codes: 0 ok, 1 bad input (one line on stderr names the file and the problem), 2 usage.
`;

/** Reads PATHs into a set; unreadable members of folders are reported, an unreadable file given by name is bad input. */
export async function loadPathsAsSet(
  label: string,
  paths: readonly string[],
  io: CliIO,
  explicit: boolean,
): Promise<SnapshotSet> {
  const inputs = await readSnapshotPaths(paths);
  const set = loadSnapshotSet(label, inputs);
  for (const s of set.skipped) {
    if (explicit && paths.includes(s.id)) throw new InputError(`${s.id}: ${s.reason}`);
    io.stderr(`skipped ${s.id}: ${s.reason}\n`);
  }
  if (set.snapshots.length === 0)
    throw new InputError(`${label}: no profile, goroutine dump, trace or GC log could be read`);
  return set;
}

export const insightsCommand: Command = {
  name: 'insights',
  summary: 'what to fix in a set of snapshots of one service, with evidence',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { json: {}, 'third-party': { value: true, repeat: true } });
    if (args.positionals.length === 0) throw new UsageError('give at least one file or folder');
    const thirdParty = args.options.get('third-party') ?? [];
    const set = await loadPathsAsSet(args.positionals.join(' '), args.positionals, io, true);
    const findings = runInsights(set, { thirdParty });
    if (args.flags.has('json')) {
      const out = findings.map((f) => ({
        kind: f.kind,
        severity: f.severity,
        function: f.function,
        title: f.title,
        evidence: f.evidence,
        snapshot: f.evidence.snapshotId,
        link: f.link,
      }));
      io.stdout(JSON.stringify({ findings: out }, null, 2) + '\n');
    } else {
      io.stdout(findingsText(findings));
    }
    return 0;
  },
};

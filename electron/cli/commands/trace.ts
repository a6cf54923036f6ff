// `pprof-studio trace FILE [--json]`: the summary of a Go execution trace.
import { createReadStream, promises as fs } from 'node:fs';
import { analyzeGoroutines, groupByStartFunction } from '../../../core/trace/analysis';
import { isTraceError } from '../../../core/trace/errors';
import { latencyQuantile, schedulerLatency } from '../../../core/trace/latency';
import type { TraceModel } from '../../../core/trace/model';
import { TraceParser } from '../../../core/trace/parse';
import { traceTotals } from '../../../core/trace/totals';
import { formatValue } from '../../../core/pprof/format';
import { InputError, UsageError, intOption, parseArgs } from '../args';
import type { CliIO, Command } from '../command';

const usage = `Usage: pprof-studio trace FILE [options]

Reads a Go execution trace (runtime/trace, \`go test -trace\`, /debug/pprof/trace; written by
Go 1.22 or newer) and prints its duration, GC cycles, stop-the-world time and the goroutine
groups that ran the most, with the numbers Go's own trace reader gives.

Options:
  --json      print {"goVersion","durationNs","gcCount","stwNs","goroutines":[{"id",
              "startFunction","runningNs","runnableNs","blockedNs","syscallNs"}]}: per
              goroutine the time spent in each state (a state held when the trace starts
              counts from its first event; one held at the end, to its last event)
  --top N     goroutine groups to list in the text summary (default 10)

A trace cut short or broken at the end is read up to its last complete generation, with a
warning on stderr.

Exit codes: 0 ok, 1 bad input (one line on stderr names the file and the problem), 2 usage.
`;

async function readTrace(file: string): Promise<TraceModel> {
  let size: number;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new InputError(`${file}: not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const parser = new TraceParser({ totalBytes: size });
  try {
    // Feed the file in pieces: only the generation being read is kept in memory.
    for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) {
      parser.push(chunk as Buffer);
    }
    return parser.finish();
  } catch (err) {
    if (isTraceError(err)) throw new InputError(`${file}: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code) {
      throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
    }
    throw err;
  }
}

function ns(v: number): string {
  return formatValue(v, 'nanoseconds');
}

function textSummary(file: string, model: TraceModel, top: number): string {
  const totals = traceTotals(model);
  const analysis = analyzeGoroutines(model);
  const groups = groupByStartFunction(model, analysis);
  const lat = schedulerLatency(model);
  const lines: string[] = [];
  lines.push(`File: ${file}`);
  lines.push(
    `Format: go ${model.goVersion} trace, ${model.generations} generation${model.generations === 1 ? '' : 's'}, ${model.eventCount} events`,
  );
  lines.push(`Duration: ${ns(totals.durationNs)}`);
  lines.push(
    `Goroutines: ${totals.goroutines.length} in ${groups.length} group${groups.length === 1 ? '' : 's'} (by start function)`,
  );
  lines.push(
    `GC: ${totals.gcCount} mark phase${totals.gcCount === 1 ? '' : 's'}; stop-the-world ${ns(totals.stwNs)} in total`,
  );
  if (lat.count > 0) {
    lines.push(
      `Scheduler latency: ${lat.count} waits, median ≤ ${ns(latencyQuantile(lat, 0.5))}, p99 ≤ ${ns(latencyQuantile(lat, 0.99))}, max ${ns(lat.maxNs)}`,
    );
  }
  if (model.samples.length > 0) lines.push(`CPU samples: ${model.samples.length}`);
  lines.push('');
  const shown = groups.slice(0, top);
  if (shown.length > 0) {
    lines.push(
      `Goroutine groups by execution time${groups.length > shown.length ? ` (top ${shown.length} of ${groups.length})` : ''}:`,
    );
    const rows = [['Count', 'Execution', 'Sched wait', 'Blocked', 'Syscall', 'Start function']];
    for (const g of shown) {
      rows.push([
        String(g.count),
        ns(g.execNs),
        ns(g.schedWaitNs),
        ns(g.blockNs),
        ns(g.syscallNs + g.syscallBlockNs),
        g.name || '(no stack seen)',
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) {
      lines.push(
        '  ' +
          r
            .map((cell, c) =>
              c === r.length - 1
                ? cell
                : c === 0
                  ? cell.padStart(widths[c])
                  : cell.padStart(widths[c]),
            )
            .join('  '),
      );
    }
  }
  return lines.join('\n') + '\n';
}

export const traceCommand: Command = {
  name: 'trace',
  summary: 'summary of a Go execution trace (duration, GC, STW, goroutines), text or --json',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { json: {}, top: { value: true } });
    if (args.positionals.length !== 1) {
      throw new UsageError(
        args.positionals.length === 0 ? 'give one trace FILE' : 'give exactly one trace FILE',
      );
    }
    const top = intOption(args, 'top', 10);
    const file = args.positionals[0];
    const model = await readTrace(file);
    for (const w of model.warnings)
      io.stderr(`pprof-studio trace: warning: ${file}: ${w.message}\n`);
    if (args.flags.has('json')) {
      const t = traceTotals(model);
      const out = {
        goVersion: t.goVersion,
        durationNs: t.durationNs,
        gcCount: t.gcCount,
        stwNs: t.stwNs,
        goroutines: t.goroutines.map((g) => ({
          id: g.id,
          startFunction: g.startFunction,
          runningNs: g.runningNs,
          runnableNs: g.runnableNs,
          blockedNs: g.blockedNs,
          syscallNs: g.syscallNs,
        })),
      };
      io.stdout(JSON.stringify(out) + '\n');
      return 0;
    }
    io.stdout(textSummary(file, model, top));
    return 0;
  },
};

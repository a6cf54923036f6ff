// `pprof-studio diff`: what changed between two profiles, per function, with pprof's
// -diff_base (default) or -base semantics.
import { diffTable, type BaseMode, type DiffTable } from '../../../core/pprof/diff';
import { checkComparability, comparableSide } from '../../../core/pprof/comparability';
import { diffMarkdown } from '../../../core/pprof/diff-markdown';
import { outputUnit, percentage, scaledLabel } from '../../../core/pprof/format';
import { sampleTypeName } from '../../../core/pprof/sample-index';
import { UsageError, intOption, optionValue, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import {
  FILTER_OPTIONS,
  FILTER_USAGE,
  loadProfile,
  reportOptions,
  withEngineErrors,
} from '../profile-input';

const usage = `Usage: pprof-studio diff BASE NEW [options]

Compares two profiles function by function (BASE = before, NEW = after; files or http(s)
URLs), like \`go tool pprof -diff_base BASE NEW\`: both go through the same filters, and the
net change of every row equals pprof's numbers on the combined profile.

Options:
  --base-mode diff_base|base
                           diff_base (default): percentages of the base total;
                           base: pprof -base, identical stacks cancel (later minus earlier)
  --normalize              scale NEW so each sample type sums like BASE
${FILTER_USAGE}  --nodecount N            show at most N rows (default 0: all)
  --json                   print {"sampleType","baseTotal","newTotal","rows":[{"name",
                           "baseFlat","newFlat","baseCum","newCum"}]}, rows sorted by
                           |newCum - baseCum| descending, then name
  --format text|json|markdown
                           markdown: a pull-request comment (totals, comparability
                           warnings, the 20 largest changes unless --nodecount is given)

Exit codes: 0 ok, 1 bad input (one line on stderr names the file and the problem), 2 usage.
`;

function formatText(d: DiffTable, baseName: string, newName: string): string {
  const sampleUnit = d.sampleType.unit;
  let min = 0;
  for (const r of d.rows) {
    for (const v of [r.baseFlat, r.newFlat, r.baseCum, r.newCum]) {
      const a = Math.abs(v);
      if (a > 0 && (min === 0 || a < min)) min = a;
    }
  }
  const unit =
    d.rows.length > 0 ? outputUnit(min, Math.max(d.baseTotal, d.newTotal), sampleUnit) : 'minimum';
  const fmt = (v: number): string => scaledLabel(v, sampleUnit, unit);
  const signed = (v: number): string => (v > 0 ? `+${fmt(v)}` : fmt(v));
  const lines = [
    `Type: ${d.typeLabel}`,
    `Base: ${baseName}, total ${fmt(d.baseTotal)}`,
    `New:  ${newName}, total ${fmt(d.newTotal)}`,
    d.mode === 'diff_base'
      ? `Mode: -diff_base; percentages are of the base total, ${fmt(d.pprofTotal)}`
      : `Mode: -base; percentages are of the summed |new - base| per stack, ${fmt(d.pprofTotal)}`,
  ];
  if (d.activeFilters.length > 0)
    lines.push('Active filters:', ...d.activeFilters.map((f) => `   ${f}`));
  if (d.rows.length < d.rowCount)
    lines.push(`Showing top ${d.rows.length} of ${d.rowCount} functions`);
  const cols = ['base flat', 'new flat', 'delta flat', 'base cum', 'new cum', 'delta cum'];
  lines.push(`${cols.map((c) => c.padStart(11)).join(' ')} ${'delta%'.padStart(7)}  name`);
  for (const r of d.rows) {
    const cells = [
      fmt(r.baseFlat),
      fmt(r.newFlat),
      signed(r.newFlat - r.baseFlat),
      fmt(r.baseCum),
      fmt(r.newCum),
      signed(r.newCum - r.baseCum),
    ];
    const pct = percentage(r.newCum - r.baseCum, d.pprofTotal).trim();
    const sign = r.newCum - r.baseCum < 0 ? '-' : r.newCum - r.baseCum > 0 ? '+' : ' ';
    lines.push(
      `${cells.map((c) => c.padStart(11)).join(' ')} ${(sign + pct).padStart(7)}  ${r.name}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'per-function change between two profiles (like go tool pprof -diff_base)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      ...FILTER_OPTIONS,
      'base-mode': { value: true },
      normalize: {},
      nodecount: { value: true },
      json: {},
      format: { value: true },
    });
    if (args.positionals.length !== 2) {
      throw new UsageError('give two profiles: BASE (before) and NEW (after)');
    }
    const format = optionValue(args, 'format') ?? (args.flags.has('json') ? 'json' : 'text');
    if (format !== 'text' && format !== 'json' && format !== 'markdown') {
      throw new UsageError(`--format must be text, json or markdown, got '${format}'`);
    }
    const modeText = optionValue(args, 'base-mode') ?? 'diff_base';
    if (modeText !== 'diff_base' && modeText !== 'base') {
      throw new UsageError(`--base-mode must be diff_base or base, got '${modeText}'`);
    }
    const mode: BaseMode = modeText;
    const nodeCount = intOption(args, 'nodecount', 0);
    const opts = reportOptions(args);
    const [baseName, newName] = args.positionals as [string, string];
    const [base, next] = await Promise.all([
      loadProfile(baseName, args),
      loadProfile(newName, args),
    ]);
    const table = withEngineErrors(`${baseName} vs ${newName}`, () =>
      diffTable(base, next, { ...opts, mode, normalize: args.flags.has('normalize'), nodeCount }),
    );
    for (const w of table.warnings) io.stderr(`${w}\n`);
    if (format === 'markdown') {
      const findings = checkComparability(comparableSide(base), comparableSide(next));
      const maxRows = nodeCount > 0 ? nodeCount : 20;
      io.stdout(diffMarkdown(table, { baseName, newName, findings, maxRows }));
    } else if (format === 'json') {
      io.stdout(
        `${JSON.stringify({
          sampleType: sampleTypeName(table.sampleType),
          baseTotal: table.baseTotal,
          newTotal: table.newTotal,
          rows: table.rows.map((r) => ({
            name: r.name,
            baseFlat: r.baseFlat,
            newFlat: r.newFlat,
            baseCum: r.baseCum,
            newCum: r.newCum,
          })),
        })}\n`,
      );
    } else {
      io.stdout(formatText(table, baseName, newName));
    }
    return 0;
  },
};

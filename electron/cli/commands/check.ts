// `pprof-studio check`: a performance gate for CI. Compares the (focused) total of NEW with
// BASE and exits 1 when it grew by more than the limit, printing the functions that grew
// most; 0 when within the limit; 2 on a wrong command line.
import { computeTotal } from '../../../core/pprof/aggregate';
import {
  checkComparability,
  comparableSide,
  type ComparabilityFinding,
} from '../../../core/pprof/comparability';
import { alignForDiff, diffTable, type DiffRow } from '../../../core/pprof/diff';
import { formatValue, sameUnitFamily, scaleValue } from '../../../core/pprof/format';
import type { Profile } from '../../../core/pprof/model';
import { prepareProfile, type ReportOptions } from '../../../core/pprof/report';
import { sampleTypeName } from '../../../core/pprof/sample-index';
import { InputError, UsageError, intOption, optionValue, parseArgs } from '../args';
import type { CliIO, Command } from '../command';
import {
  FILTER_OPTIONS,
  FILTER_USAGE,
  loadProfile,
  reportOptions,
  withEngineErrors,
} from '../profile-input';

const usage = `Usage: pprof-studio check BASE NEW --max-increase LIMIT [options]

A performance gate for CI: compares the total of NEW (after) with BASE (before), after the
filters, and fails when it grew by more than LIMIT. Prints the functions that grew most.

  pprof-studio check main.pb.gz branch.pb.gz --focus 'main\\.handle' --max-increase 10%

Options:
  --max-increase LIMIT     required: a share of the base total (10%), or a value in the
                           sample type's units (50ms, 2MB; a bare number for counts)
  --per-second             compare totals per second of profile duration (both profiles
                           need a duration; useful when capture lengths differ)
  --top N                  regressions listed (default 10)
  --json                   print the result as one JSON object
${FILTER_USAGE}
Exit codes: 0 the total grew by at most LIMIT (or fell), 1 it grew by more (or bad input:
one line on stderr names the file and the problem), 2 usage.
`;

export type Limit =
  | { kind: 'relative'; ratio: number; text: string }
  | { kind: 'absolute'; value: number; text: string };

/** Parses "10%", "2.5%", "50ms", "2MB" or "100" (in the sample unit) against a sample unit. */
export function parseLimit(text: string, sampleUnit: string): Limit {
  const t = text.trim();
  const rel = /^\+?(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (rel) return { kind: 'relative', ratio: Number(rel[1]) / 100, text: `${rel[1]}%` };
  const abs = /^\+?(\d+(?:\.\d+)?)\s*([A-Za-zµμ]*)$/.exec(t);
  if (!abs) {
    throw new UsageError(
      `--max-increase must be a percentage (10%) or a value with a unit (50ms, 2MB), got '${text}'`,
    );
  }
  const n = Number(abs[1]);
  const unit = abs[2];
  // Counts (samples, goroutines, contentions) have no unit family: a bare number is fine.
  const countLike = !sameUnitFamily(sampleUnit, sampleUnit);
  if (unit === '') {
    if (!countLike) {
      throw new UsageError(
        `--max-increase ${text}: give a percentage (${text}%) or a unit (the sample type is in ${sampleUnit})`,
      );
    }
    return { kind: 'absolute', value: n, text: t };
  }
  if (!sameUnitFamily(unit, sampleUnit)) {
    throw new UsageError(
      `--max-increase ${text}: '${unit}' is not a unit of ${sampleUnit}; give a percentage or a value in ${sampleUnit}`,
    );
  }
  return { kind: 'absolute', value: scaleValue(n, unit, sampleUnit).value, text: t };
}

export interface CheckResult {
  sampleType: string;
  filters: string[];
  perSecond: boolean;
  baseTotal: number;
  newTotal: number;
  /** newTotal - baseTotal. */
  change: number;
  /** change / baseTotal; null when the base total is 0. */
  ratio: number | null;
  limit: string;
  exceeded: boolean;
  regressions: DiffRow[];
  findings: ComparabilityFinding[];
  warnings: string[];
}

/** The total after filters, exactly as the focused report's root value. */
function filteredTotal(p: Profile, opts: ReportOptions): number {
  const prep = prepareProfile(p, opts);
  return computeTotal(prep.profile, prep.choice);
}

export function runCheck(
  base: Profile,
  next: Profile,
  opts: ReportOptions,
  limitText: string,
  o: { perSecond: boolean; top: number },
): CheckResult {
  const findings = checkComparability(comparableSide(base), comparableSide(next));
  const sides = alignForDiff(base, next, false);
  const table = diffTable(base, next, { ...opts, mode: 'diff_base' });
  const unit = table.sampleType.unit;
  const limit = parseLimit(limitText, unit);
  let b = filteredTotal(sides.base, opts);
  let n = filteredTotal(sides.next, opts);
  if (o.perSecond) {
    if (!(base.durationNanos > 0) || !(next.durationNanos > 0)) {
      const which = !(base.durationNanos > 0) ? 'BASE' : 'NEW';
      throw new InputError(`--per-second: ${which} has no duration (duration_nanos is 0)`);
    }
    b = (b * 1e9) / base.durationNanos;
    n = (n * 1e9) / next.durationNanos;
  }
  const change = n - b;
  const ratio = b !== 0 ? change / Math.abs(b) : null;
  const exceeded =
    limit.kind === 'relative'
      ? ratio === null
        ? n > 0
        : ratio > limit.ratio + 1e-12
      : change > limit.value;
  const regressions = table.rows
    .filter((r) => r.newFlat - r.baseFlat > 0 || r.newCum - r.baseCum > 0)
    .sort(
      (x, y) =>
        y.newFlat - y.baseFlat - (x.newFlat - x.baseFlat) ||
        y.newCum - y.baseCum - (x.newCum - x.baseCum),
    )
    .slice(0, o.top);
  return {
    sampleType: sampleTypeName(table.sampleType),
    filters: table.activeFilters,
    perSecond: o.perSecond,
    baseTotal: b,
    newTotal: n,
    change,
    ratio,
    limit: `+${limit.text}`,
    exceeded,
    regressions,
    findings,
    warnings: table.warnings,
  };
}

function formatResult(r: CheckResult, baseName: string, newName: string): string {
  const unit = r.sampleType.slice(r.sampleType.indexOf('/') + 1);
  const per = r.perSecond ? '/s' : '';
  const fmt = (v: number): string => `${formatValue(v, unit)}${per}`;
  const signed = (v: number): string => (v > 0 ? `+${fmt(v)}` : v < 0 ? `-${fmt(-v)}` : `0${per}`);
  const pct =
    r.ratio === null
      ? r.newTotal > 0
        ? 'from nothing'
        : '0%'
      : `${r.ratio >= 0 ? '+' : ''}${(r.ratio * 100).toFixed(2)}%`;
  const scope = r.filters.length ? ` (${r.filters.join(', ')})` : '';
  const lines = [
    `${r.exceeded ? 'FAIL' : 'PASS'}: ${r.sampleType}${scope} ${signed(r.change)} (${pct}), limit ${r.limit}${per && !r.limit.endsWith('%') ? per : ''}`,
    `  before ${fmt(r.baseTotal).padStart(12)}  ${baseName}`,
    `  after  ${fmt(r.newTotal).padStart(12)}  ${newName}`,
  ];
  if (r.regressions.length > 0) {
    lines.push(
      '',
      `Top regressions (${r.regressions.length}), largest growth in the function itself first${r.perSecond ? ' (absolute values)' : ''}:`,
    );
    lines.push(
      `${'Δ flat'.padStart(11)} ${'Δ cum'.padStart(11)} ${'before cum'.padStart(11)} ${'after cum'.padStart(11)}  name`,
    );
    const f = (v: number): string => formatValue(v, unit);
    const s = (v: number): string => (v > 0 ? `+${f(v)}` : v < 0 ? `-${f(-v)}` : '0');
    for (const x of r.regressions) {
      lines.push(
        `${s(x.newFlat - x.baseFlat).padStart(11)} ${s(x.newCum - x.baseCum).padStart(11)} ${f(x.baseCum).padStart(11)} ${f(x.newCum).padStart(11)}  ${x.name}`,
      );
    }
  } else {
    lines.push('', 'No function grew.');
  }
  return `${lines.join('\n')}\n`;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'CI gate: exit 1 when a profile total grew by more than a limit',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      ...FILTER_OPTIONS,
      'max-increase': { value: true },
      'per-second': {},
      top: { value: true },
      json: {},
    });
    if (args.positionals.length !== 2) {
      throw new UsageError('give two profiles: BASE (before) and NEW (after)');
    }
    const limitText = optionValue(args, 'max-increase');
    if (limitText === undefined) {
      throw new UsageError('--max-increase is required (for example --max-increase 10%)');
    }
    // A malformed limit is a usage error whatever the profiles hold: check it before loading.
    if (!/^\+?\d+(?:\.\d+)?\s*(%|[A-Za-zµμ]*)$/.test(limitText.trim())) {
      throw new UsageError(
        `--max-increase must be a percentage (10%) or a value with a unit (50ms, 2MB), got '${limitText}'`,
      );
    }
    const top = intOption(args, 'top', 10);
    const opts = reportOptions(args);
    const [baseName, newName] = args.positionals as [string, string];
    const [base, next] = await Promise.all([
      loadProfile(baseName, args),
      loadProfile(newName, args),
    ]);
    const result = withEngineErrors(`${baseName} vs ${newName}`, () =>
      runCheck(base, next, opts, limitText, { perSecond: args.flags.has('per-second'), top }),
    );
    for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
    for (const f of result.findings) io.stderr(`warning: ${f.message}\n`);
    if (args.flags.has('json')) {
      io.stdout(
        `${JSON.stringify({
          pass: !result.exceeded,
          sampleType: result.sampleType,
          filters: result.filters,
          perSecond: result.perSecond,
          baseTotal: result.baseTotal,
          newTotal: result.newTotal,
          change: result.change,
          ratio: result.ratio,
          limit: result.limit,
          regressions: result.regressions,
          findings: result.findings,
        })}\n`,
      );
    } else {
      io.stdout(formatResult(result, baseName, newName));
    }
    return result.exceeded ? 1 : 0;
  },
};

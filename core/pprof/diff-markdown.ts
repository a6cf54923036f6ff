// A diff table as GitHub-flavoured Markdown, for a pull-request comment: totals, the
// comparability warnings, and the largest changes per function. Every name from a profile is
// put in a code span with its pipes escaped, so a hostile function name can neither break
// the table nor inject markup.
import type { ComparabilityFinding } from './comparability';
import type { DiffTable } from './diff';
import { formatValue, percentage } from './format';

export interface DiffMarkdownOptions {
  baseName: string;
  newName: string;
  findings?: readonly ComparabilityFinding[];
  /** Rows shown (default 20); the rest are counted. */
  maxRows?: number;
}

/** A code span that shows `text` literally, also inside a table cell. */
export function mdCode(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  let longest = 0;
  for (const m of flat.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** Plain text with Markdown and HTML meaning removed. */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

const signed = (v: number, unit: string): string =>
  v > 0 ? `+${formatValue(v, unit)}` : v < 0 ? `−${formatValue(-v, unit)}` : '0';

function signedPct(v: number, total: number): string {
  if (v === 0 || total === 0) return '0%';
  return `${v > 0 ? '+' : '−'}${percentage(v, total).trim()}`;
}

function relative(base: number, next: number): string {
  if (base === 0) return next === 0 ? '0%' : 'new';
  if (next === 0) return 'gone';
  const r = ((next - base) / Math.abs(base)) * 100;
  const a = Math.abs(r);
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${a >= 10 ? a.toFixed(0) : a.toFixed(1)}%`;
}

export function diffMarkdown(d: DiffTable, opts: DiffMarkdownOptions): string {
  const unit = d.sampleType.unit;
  const fmt = (v: number): string => formatValue(v, unit);
  const maxRows = opts.maxRows ?? 20;
  const out: string[] = [];
  out.push(`### pprof-studio diff: ${mdText(d.typeLabel)}`, '');
  out.push('| | before | after | change |', '|---|---:|---:|---:|');
  out.push(
    `| **total ${mdText(d.typeLabel)}** | ${fmt(d.baseTotal)} | ${fmt(d.newTotal)} | ${signed(
      d.newTotal - d.baseTotal,
      unit,
    )} (${relative(d.baseTotal, d.newTotal)}) |`,
    '',
  );
  const how =
    d.mode === 'diff_base'
      ? 'Δ% is of the before total, as `go tool pprof -diff_base`'
      : 'Δ% is of the summed |after − before| per stack, as `go tool pprof -base`';
  out.push(`Before ${mdCode(opts.baseName)} · after ${mdCode(opts.newName)} · ${how}.`);
  if (d.activeFilters.length > 0) {
    out.push('', `Filters: ${d.activeFilters.map(mdCode).join(', ')}`);
  }
  for (const w of d.warnings) out.push('', `> ${mdText(w)}`);
  for (const f of opts.findings ?? []) {
    out.push(
      '',
      `> **${f.severity === 'error' ? 'Not comparable' : 'Warning'}:** ${mdText(f.message)}`,
    );
  }
  const changed = d.rows.filter((r) => r.newCum !== r.baseCum || r.newFlat !== r.baseFlat);
  const shown = changed.slice(0, maxRows);
  out.push('');
  if (shown.length === 0) {
    out.push('No function changed.');
    return `${out.join('\n')}\n`;
  }
  const truncated = d.rowCount > d.rows.length;
  const count = truncated
    ? `the first ${shown.length} of ${d.rowCount} functions`
    : `${shown.length} of ${changed.length} changed functions`;
  out.push(
    `#### Largest changes by \\|Δ cum\\| (${count})`,
    '',
    '| function | before flat | after flat | Δ flat | before cum | after cum | Δ cum | Δ cum % | change |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of shown) {
    const dc = r.newCum - r.baseCum;
    out.push(
      `| ${mdCode(r.name)} | ${fmt(r.baseFlat)} | ${fmt(r.newFlat)} | ${signed(
        r.newFlat - r.baseFlat,
        unit,
      )} | ${fmt(r.baseCum)} | ${fmt(r.newCum)} | ${signed(dc, unit)} | ${signedPct(
        dc,
        d.pprofTotal,
      )} | ${relative(r.baseCum, r.newCum)} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

// The text of `go tool pprof -top`: header lines, then one row per node with flat, flat%,
// sum%, cum, cum% in pprof's units and number formats.
import { basePath } from './go-path';
import {
  formatProfileTime,
  formatValue,
  outputUnit,
  percentage,
  scaledLabel,
  scaleValue,
} from './format';
import type { Profile } from './model';
import type { TopTable } from './top';

/** pprof's report.ProfileLabels: File, Build ID, comments, Type, Time, Duration. */
export function profileHeader(
  p: Profile,
  typeLabel: string,
  total: number,
  sampleUnit: string,
  fmt: (v: number) => string,
): string[] {
  const out: string[] = [];
  if (p.mappings.length > 0) {
    const file = p.strings[p.mappings.filename[0]] ?? '';
    const buildId = p.strings[p.mappings.buildId[0]] ?? '';
    if (file !== '') out.push(`File: ${basePath(file)}`);
    if (buildId !== '') out.push(`Build ID: ${buildId}`);
  }
  for (const c of p.comments) if (!c.startsWith('#')) out.push(c);
  if (typeLabel !== '') out.push(`Type: ${typeLabel}`);
  if (p.timeNanos !== 0) out.push(`Time: ${formatProfileTime(p.timeNanos)}`);
  if (p.durationNanos !== 0) {
    const duration = formatValue(p.durationNanos, 'nanoseconds');
    const nanos = scaleValue(total, sampleUnit, 'nanoseconds');
    const ratio =
      nanos.unit === 'ns' && nanos.value !== 0
        ? `(${percentage(Math.trunc(nanos.value), p.durationNanos)})`
        : '';
    out.push(`Duration: ${duration}, Total samples = ${fmt(total)} ${ratio}`);
  }
  return out;
}

/** The unit pprof prints a top table in (selectOutputUnit over the rows shown). */
export function tableUnit(table: TopTable): string {
  let min = 0;
  for (const r of table.rows) {
    let m = Math.abs(r.flat);
    if (m === 0) m = Math.abs(r.cum);
    if (m > 0 && (min === 0 || m < min)) min = m;
  }
  // pprof leaves its "minimum" (auto-scaling) unit when there is nothing to show.
  if (table.rows.length === 0) return 'minimum';
  return outputUnit(min, table.total, table.sampleType.unit);
}

export function activeFilterLines(filters: string[]): string[] {
  if (filters.length === 0) return [];
  return [
    'Active filters:',
    ...filters.map((f) => `   ${f.length > 80 ? `${f.slice(0, 80)}…` : f}`),
  ];
}

/** The whole `-top` text. */
export function formatTopText(p: Profile, table: TopTable, activeFilters: string[] = []): string {
  const sampleUnit = table.sampleType.unit;
  const unit = tableUnit(table);
  const fmt = (v: number): string => scaledLabel(v, sampleUnit, unit);
  const lines = profileHeader(p, table.typeLabel, table.total, sampleUnit, fmt);
  lines.push(...activeFilterLines(activeFilters));
  lines.push(
    `Showing nodes accounting for ${fmt(table.shownFlat)}, ${percentage(table.shownFlat, table.total).trim()} of ${fmt(table.total)} total`,
  );
  if (table.total !== 0) {
    if (table.droppedNodes > 0) {
      const noun = table.droppedNodes > 1 ? 'nodes' : 'node';
      const cut = Math.abs(Math.trunc(table.total * table.nodeFraction));
      lines.push(`Dropped ${table.droppedNodes} ${noun} (cum <= ${fmt(cut)})`);
    }
    if (table.nodeCount > 0 && table.nodeCount < table.origCount) {
      lines.push(`Showing top ${table.nodeCount} nodes out of ${table.origCount}`);
    }
  }
  lines.push(
    `${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`,
  );
  let sum = 0;
  table.rows.forEach((r, i) => {
    sum += r.flat;
    const inl = table.inline[i] ? ` ${table.inline[i]}` : '';
    lines.push(
      `${fmt(r.flat).padStart(10)} ${percentage(r.flat, table.total)} ${percentage(sum, table.total)} ${fmt(r.cum).padStart(10)} ${percentage(r.cum, table.total)}  ${r.name}${inl}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

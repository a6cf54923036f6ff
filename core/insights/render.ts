// The before/after report and finding lists as text, Markdown and one self-contained HTML
// file (no scripts, no external resources, charts as inline SVG). Every string that came
// from a profile (function names, snapshot names, titles) is escaped for the output format.
import { mdCode, mdText } from '../pprof/diff-markdown';
import { formatValue } from '../pprof/format';
import type { Finding } from './model';
import type { BeforeAfterReport, ReportRow } from './report';

/** A metric value in its unit; `unit/s` units are the base unit per second. */
export function formatMetric(v: number | null, unit: string): string {
  if (v === null) return '—';
  const perSecond = unit.endsWith('/s');
  const base = perSecond ? unit.slice(0, -2) : unit;
  let text: string;
  if (base === 'nanoseconds' || base === 'bytes') text = formatValue(v, base);
  else if (base === 'per-second') text = `${+v.toFixed(2)}/s`;
  else if (base === 'cores') text = `${+v.toFixed(2)} cores`;
  else text = Number.isInteger(v) ? String(v) : String(+v.toFixed(2));
  return perSecond && base !== 'per-second' ? `${text}/s` : text;
}

export function formatChange(c: number | null): string {
  if (c === null) return '—';
  const p = c * 100;
  const a = Math.abs(p);
  if (a < 0.05) return '0%';
  return `${p > 0 ? '+' : '−'}${a >= 10 ? a.toFixed(0) : a.toFixed(1)}%`;
}

function rowName(r: ReportRow): string {
  return r.function ? `${r.metric} ${r.function}` : r.metric;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) =>
        c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** One finding as one line of text. */
export function findingLine(f: Finding): string {
  return `[${f.severity}] ${f.kind} ${f.function || '-'}: ${f.title}`;
}

export function findingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings: nothing crossed a threshold.\n';
  const out: string[] = [];
  for (const f of findings) {
    out.push(findingLine(f));
    out.push(
      `    evidence: ${f.evidence.snapshot} (${f.evidence.source}): ${f.evidence.threshold}`,
    );
    for (const n of f.evidence.notes) out.push(`    note: ${n}`);
  }
  return out.join('\n') + '\n';
}

export function reportText(r: BeforeAfterReport): string {
  const out: string[] = [`Before: ${r.beforeLabel}`, `After:  ${r.afterLabel}`, ''];
  const table = [['Metric', 'Before', 'After', 'Change', 'Note']];
  for (const row of r.rows)
    table.push([
      rowName(row),
      formatMetric(row.before, row.unit),
      formatMetric(row.after, row.unit),
      formatChange(row.change),
      row.note,
    ]);
  out.push(...pad(table), '');
  const list = (title: string, fs: readonly Finding[]) => {
    out.push(`${title} (${fs.length}):`);
    for (const f of fs) out.push(`  ${findingLine(f)}`);
    out.push('');
  };
  list('Resolved', r.findings.resolved);
  list('New', r.findings.new);
  out.push(`Persisting (${r.findings.persisting.length}):`);
  for (const p of r.findings.persisting)
    out.push(
      `  [${p.before.severity} → ${p.after.severity}] ${p.after.kind} ${p.after.function || '-'}: ${p.after.title}`,
    );
  out.push('');
  for (const [side, s] of [
    ['before', r.skipped.before],
    ['after', r.skipped.after],
  ] as const)
    for (const x of s) out.push(`skipped in ${side}: ${x}`);
  return out.join('\n').trimEnd() + '\n';
}

export function reportMarkdown(r: BeforeAfterReport): string {
  const out: string[] = ['### pprof-studio before/after report', ''];
  out.push(`Before: ${mdCode(r.beforeLabel)}  `, `After: ${mdCode(r.afterLabel)}`, '');
  out.push('| Metric | Before | After | Change | Note |', '|---|---:|---:|---:|---|');
  for (const row of r.rows) {
    const name = row.function
      ? `${mdText(row.metric)} ${mdCode(row.function)}`
      : mdText(row.metric);
    out.push(
      `| ${name} | ${mdText(formatMetric(row.before, row.unit))} | ${mdText(formatMetric(row.after, row.unit))} | ${mdText(formatChange(row.change))} | ${mdText(row.note)} |`,
    );
  }
  out.push('');
  const item = (f: Finding) =>
    `- **${f.severity}** ${mdText(f.kind)} ${f.function ? mdCode(f.function) : ''}: ${mdText(f.title)}`;
  out.push(
    `#### Resolved (${r.findings.resolved.length})`,
    '',
    ...r.findings.resolved.map(item),
    '',
  );
  out.push(`#### New (${r.findings.new.length})`, '', ...r.findings.new.map(item), '');
  out.push(`#### Persisting (${r.findings.persisting.length})`, '');
  for (const p of r.findings.persisting)
    out.push(
      `- **${p.before.severity} → ${p.after.severity}** ${mdText(p.after.kind)} ${p.after.function ? mdCode(p.after.function) : ''}: ${mdText(p.after.title)}`,
    );
  out.push('');
  return out.join('\n');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Before and after as two bars scaled to the larger one (inline SVG). */
function barsSvg(row: ReportRow): string {
  if (row.before === null || row.after === null) return '';
  const max = Math.max(Math.abs(row.before), Math.abs(row.after));
  if (max <= 0) return '';
  const w = 120;
  const bw = Math.max(1, Math.round((Math.abs(row.before) / max) * w));
  const aw = Math.max(1, Math.round((Math.abs(row.after) / max) * w));
  const title = escapeHtml(
    `${rowName(row)}: before ${formatMetric(row.before, row.unit)}, after ${formatMetric(row.after, row.unit)}`,
  );
  return `<svg class="bars" width="${w}" height="22" viewBox="0 0 ${w} 22" role="img" aria-label="${title}"><title>${title}</title><rect x="0" y="2" width="${bw}" height="8" class="b"/><rect x="0" y="12" width="${aw}" height="8" class="a"/></svg>`;
}

/** Findings by severity, before and after, as grouped bars (inline SVG). */
function findingsSvg(r: BeforeAfterReport): string {
  const sev = ['high', 'medium', 'low'] as const;
  const beforeAll = [...r.findings.resolved, ...r.findings.persisting.map((p) => p.before)];
  const afterAll = [...r.findings.new, ...r.findings.persisting.map((p) => p.after)];
  const count = (fs: Finding[], s: string) => fs.filter((f) => f.severity === s).length;
  const max = Math.max(1, ...sev.map((s) => Math.max(count(beforeAll, s), count(afterAll, s))));
  const h = 90;
  const parts: string[] = [];
  sev.forEach((s, i) => {
    const x = 20 + i * 90;
    const b = count(beforeAll, s);
    const a = count(afterAll, s);
    const bh = Math.round((b / max) * h);
    const ah = Math.round((a / max) * h);
    parts.push(
      `<rect x="${x}" y="${18 + h - bh}" width="28" height="${bh}" class="b"/><text x="${x + 14}" y="${14 + h - bh}" text-anchor="middle">${b}</text>`,
    );
    parts.push(
      `<rect x="${x + 32}" y="${18 + h - ah}" width="28" height="${ah}" class="a"/><text x="${x + 46}" y="${14 + h - ah}" text-anchor="middle">${a}</text>`,
    );
    parts.push(`<text x="${x + 30}" y="${h + 34}" text-anchor="middle">${s}</text>`);
  });
  return `<svg class="chart" width="300" height="${h + 42}" viewBox="0 0 300 ${h + 42}" role="img" aria-label="Findings by severity, before and after"><title>Findings by severity, before and after</title>${parts.join('')}</svg>`;
}

const CSS = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5d6677;--bg:#fff;--line:#d9dee7;--b:#8a94a6;--a:#2f6fde;--good:#1a7f37;--bad:#c62828;--high:#c62828;--medium:#b26a00;--low:#5d6677}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#a0a8b8;--bg:#161a22;--line:#2e3544;--b:#6b7385;--a:#5b9bff;--good:#4cc06a;--bad:#ff6b6b;--high:#ff6b6b;--medium:#f0a43a;--low:#a0a8b8}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:24px;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.sets{color:var(--muted);margin:0 0 16px}.sets code{color:var(--fg)}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:middle}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th.num{text-align:right}
td.note{color:var(--muted);font-size:12px}.up{color:var(--bad)}.down{color:var(--good)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.bars .b,.chart .b{fill:var(--b)}.bars .a,.chart .a{fill:var(--a)}.chart text{fill:var(--fg);font-size:11px}
.legend{color:var(--muted);font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px;vertical-align:-1px}
.cols{display:grid;grid-template-columns:repeat(3,1fr);gap:16px}.cols ul{padding-left:18px;margin:0}.cols li{margin:0 0 8px}
.sev{font-weight:600;text-transform:uppercase;font-size:11px}.sev.high{color:var(--high)}.sev.medium{color:var(--medium)}.sev.low{color:var(--low)}
`;

export function reportHtml(r: BeforeAfterReport): string {
  const e = escapeHtml;
  const rows = r.rows
    .map((row) => {
      const name = row.function
        ? `${e(row.metric)} <code>${e(row.function)}</code>`
        : e(row.metric);
      const cls =
        row.change === null || Math.abs(row.change) < 0.0005 ? '' : row.change > 0 ? 'up' : 'down';
      return `<tr><td>${name}</td><td class="num">${e(formatMetric(row.before, row.unit))}</td><td class="num">${e(formatMetric(row.after, row.unit))}</td><td class="num ${cls}">${e(formatChange(row.change))}</td><td>${barsSvg(row)}</td><td class="note">${e(row.note)}</td></tr>`;
    })
    .join('\n');
  const li = (f: Finding, sev = `<span class="sev ${f.severity}">${e(f.severity)}</span>`) =>
    `<li>${sev} ${e(f.kind)}${f.function ? ` <code>${e(f.function)}</code>` : ''}<br>${e(f.title)}</li>`;
  const col = (title: string, items: string[]) =>
    `<div><h2>${e(title)} (${items.length})</h2><ul>${items.join('')}</ul></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Before/after report</title><style>${CSS}</style></head>
<body>
<h1>Before/after report</h1>
<p class="sets">Before: <code>${e(r.beforeLabel)}</code> · After: <code>${e(r.afterLabel)}</code></p>
<p class="legend"><i style="background:var(--b)"></i>before<i style="background:var(--a)"></i>after</p>
<table><thead><tr><th>Metric</th><th class="num">Before</th><th class="num">After</th><th class="num">Change</th><th></th><th>Note</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Findings by severity</h2>
${findingsSvg(r)}
<div class="cols">
${col(
  'Resolved',
  r.findings.resolved.map((f) => li(f)),
)}
${col(
  'New',
  r.findings.new.map((f) => li(f)),
)}
${col(
  'Persisting',
  r.findings.persisting.map((p) =>
    li(
      p.after,
      `<span class="sev ${p.after.severity}">${e(p.before.severity)} → ${e(p.after.severity)}</span>`,
    ),
  ),
)}
</div>
</body></html>
`;
}

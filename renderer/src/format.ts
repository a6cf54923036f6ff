// Display helpers for the UI. Profile values go through core/pprof/format.ts (pprof's own
// units and rounding); bytes, durations and counts through core/view/format.ts; this file only
// adds what the library list, headers and axes need.
import { formatValue, percentage, scaleValue } from '../../core/pprof/format';

export function fmtValue(v: number, unit: string): string {
  return formatValue(v, unit);
}

/** "12.34%", trimmed of pprof's column padding. */
export function fmtPct(v: number, total: number): string {
  return percentage(v, total).trim();
}

const pad = (n: number): string => String(n).padStart(2, '0');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 26 14:58" this year, "2025-11-26 14:58" otherwise (local time). */
export function fmtTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.getFullYear() === new Date().getFullYear())
    return `${MONTHS[d.getMonth()]} ${d.getDate()} ${hm}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** The unit an axis spanning `span` reads best in: values divide by `factor`. */
export function axisUnit(span: number, unit: string): { factor: number; label: string } {
  if (!(span > 0)) return { factor: 1, label: '' };
  const s = scaleValue(span, unit, 'auto');
  const factor = s.value !== 0 ? span / s.value : 1;
  return { factor: Number.isFinite(factor) && factor > 0 ? factor : 1, label: s.unit };
}

/** A tick value: up to 3 decimals, no trailing zeros. */
export function fmtTick(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/** A snapshot kind as its badge shows it (short enough for the library's badge). */
export function kindLabel(kind: string): string {
  return kind === 'goroutine-text' ? 'gor. txt' : kind;
}

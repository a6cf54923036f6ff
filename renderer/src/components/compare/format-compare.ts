// Formatting of compare values: normalized values in the legend's units, signed deltas and
// relative changes. Profile units go through core/pprof/format.ts like every other view.
import { formatValue, percentage } from '../../../../core/pprof/format';
import type { Normalization } from '../../worker/compare-protocol';
import { axisUnit } from '../../format';

/** Counts (objects, goroutines, contentions) with thousands separators: "264,668". */
function countText(v: number, unit: string): string | null {
  return (unit === 'count' || unit === '') && Number.isInteger(v)
    ? v.toLocaleString('en-US')
    : null;
}

/** A value with its unit; '0' for zero. */
export function fmtAbs(v: number, unit: string): string {
  return countText(v, unit) ?? formatValue(v, unit);
}

/** A signed delta: "+12ms", "−3.5MB", "+1,204", "0". */
export function fmtSigned(v: number, unit: string): string {
  if (v === 0) return '0';
  return `${v > 0 ? '+' : '−'}${fmtAbs(Math.abs(v), unit)}`;
}

/** A normalized value: absolute, per second, or share of its profile's total. */
export function fmtNorm(v: number, unit: string, mode: Normalization): string {
  if (mode === 'share') return `${(v * 100).toFixed(Math.abs(v) >= 0.1 ? 1 : 2)}%`;
  const s = formatValue(v, unit);
  return mode === 'per-second' ? `${s}/s` : s;
}

/** A signed normalized delta. */
export function fmtNormSigned(v: number, unit: string, mode: Normalization): string {
  if (v === 0) return mode === 'share' ? '0%' : '0';
  const sign = v > 0 ? '+' : '−';
  if (mode === 'share')
    return `${sign}${(Math.abs(v) * 100).toFixed(Math.abs(v) >= 0.1 ? 1 : 2)} pp`;
  return `${sign}${fmtNorm(Math.abs(v), unit, mode)}`;
}

/** A relative change: "+35%", "−4.2%", "new", "gone". */
export function fmtChange(base: number, next: number): string {
  if (base === 0) return next === 0 ? '0%' : 'new';
  if (next === 0) return 'gone';
  const r = ((next - base) / Math.abs(base)) * 100;
  const a = Math.abs(r);
  const digits = a >= 10 ? 0 : a >= 1 ? 1 : 2;
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${a.toFixed(digits)}%`;
}

/** pprof's percentage of a total (its own formatting), signed: "+12.50%", "−0.68%". */
export function fmtPctOf(v: number, total: number): string {
  const body = percentage(v, total).trim();
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${body}`;
}

/** Axis units of a pane: profile units, per second, or percent of the total. */
export function axisFor(
  unit: string,
  mode: Normalization | 'raw',
): (span: number) => { factor: number; label: string } {
  if (mode === 'share') return () => ({ factor: 0.01, label: '%' });
  return (span) => {
    const a = axisUnit(span, unit);
    return mode === 'per-second' ? { factor: a.factor, label: `${a.label}/s` } : a;
  };
}

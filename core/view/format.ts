// The one place figures are turned into text outside pprof's own reports: byte sizes,
// durations, counts and points in time. The renderer, the insights report and the CLI use
// these, so a figure prints the same wherever it appears.
//
// A profile's values (flat, cum, delay of a sample) print as pprof prints them ("1.50MB",
// "35.38ms"): that is core/pprof/format.ts's formatValue, and durations here follow it, so a
// trace's or a dashboard's times read like the profile tables beside them. Sizes of things
// (files, heaps, limits) read in binary units with a space ("1.5 MiB"), as a file manager
// shows them.
import { formatValue } from '../pprof/format';

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** "512 B", "1.5 KiB", "4 MiB", "12 MiB": at most one decimal below 10, whole numbers above. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n < 0) return `-${formatBytes(-n)}`;
  if (n < 1024) return `${Math.round(n)} B`;
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  // 1023.96 KiB rounds to "1024 KiB": say "1.0 MiB" instead.
  if (Math.round(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 9.95 ? +v.toFixed(1) : Math.round(v)} ${BYTE_UNITS[i]}`;
}

/** A duration in nanoseconds, as pprof prints time values: "820ns", "1.50ms", "35.38s". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  return formatValue(ns, 'nanoseconds');
}

/** A count with thousands separators: "12,345" (rounded to a whole number). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

const TIME_UNITS: Array<[number, string]> = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/**
 * A point on a time axis (ns from its start), in the unit the visible `span` reads best in,
 * with just enough decimals to tell about eight ticks apart: "1.25 ms".
 */
export function formatAxisTime(t: number, span: number): string {
  const [factor, unit] = TIME_UNITS.find(([f]) => span >= 2 * f) ?? TIME_UNITS[3];
  const step = span / 8 / factor;
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)) + 1);
  const v = t / factor;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: decimals })} ${unit}`;
}

/** A point in time (ns from the start) to the nanosecond: "1.234567890 s". */
export function formatInstant(t: number): string {
  return `${(t / 1e9).toFixed(9)} s`;
}

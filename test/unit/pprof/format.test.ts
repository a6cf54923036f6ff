// pprof's value formatting. Expected strings were printed by Go 1.26 (fmt %.2f / %5.2g) and
// by `go tool pprof -top` on the committed fixtures.
import { describe, expect, it } from 'vitest';
import {
  formatValue,
  goFixed,
  goG,
  outputUnit,
  percentage,
  scaledLabel,
} from '../../../core/pprof/format';

// [value, Go "%.2f", Go "%5.2g"]
const GO: Array<[number, string, string]> = [
  [0, '0.00', '    0'],
  [1.125, '1.12', '  1.1'],
  [2.675, '2.67', '  2.7'],
  [0.005, '0.01', '0.005'],
  [0.015, '0.01', '0.015'],
  [0.125, '0.12', ' 0.12'],
  [1.005, '1.00', '    1'],
  [99.995, '100.00', '1e+02'],
  [0.5, '0.50', '  0.5'],
  [0.05, '0.05', ' 0.05'],
  [0.0123, '0.01', '0.012'],
  [0.000123, '0.00', '0.00012'],
  [1.23e-5, '0.00', '1.2e-05'],
  [0.999, '1.00', '    1'],
  [0.995, '0.99', ' 0.99'],
  [0.9951, '1.00', '    1'],
  [1e-7, '0.00', '1e-07'],
  [0.00995, '0.01', ' 0.01'],
  [0.675, '0.68', ' 0.68'],
  [12.345, '12.35', '   12'],
  [-0.001, '-0.00', '-0.001'],
  [-1.125, '-1.12', ' -1.1'],
  [123456.785, '123456.79', '1.2e+05'],
  [0.1, '0.10', '  0.1'],
  [0.25, '0.25', ' 0.25'],
  [0.35, '0.35', ' 0.35'],
];

describe('Go number formatting', () => {
  it.each(GO)('%s', (v, f, g) => {
    expect(goFixed(v, 2)).toBe(f);
    expect(goG(v, 2).padStart(5)).toBe(g);
  });
});

describe('pprof measurement', () => {
  it('labels values with auto-scaled units', () => {
    expect(formatValue(10_000_000, 'nanoseconds')).toBe('10ms');
    expect(formatValue(1_610_000_000, 'nanoseconds')).toBe('1.61s');
    expect(formatValue(1.5 * 1024 * 1024, 'bytes')).toBe('1.50MB');
    expect(formatValue(512 * 1024, 'bytes')).toBe('512kB');
    expect(formatValue(37, 'count')).toBe('37');
    expect(formatValue(0, 'bytes')).toBe('0');
    expect(formatValue(7200e9, 'nanoseconds')).toBe('2hrs');
    expect(scaledLabel(210_000_000, 'nanoseconds', 's')).toBe('0.21s');
    expect(scaledLabel(-1024, 'bytes', 'kB')).toBe('-1kB');
  });

  it('prints percentages like pprof', () => {
    expect(percentage(21, 148)).toBe('14.19%');
    expect(percentage(148, 148)).toBe('  100%');
    expect(percentage(1, 1000)).toBe('  0.1%');
    expect(percentage(1, 1e6)).toBe('0.0001%');
    expect(percentage(5, 0)).toBe('    0%');
  });

  it('picks the output unit from the smallest value, or 1/100 of it', () => {
    // cpu fixture: smallest 10ms, total 1.92s -> "s"
    expect(outputUnit(10_000_000, 1_920_000_000, 'nanoseconds')).toBe('s');
    expect(outputUnit(10_000_000, 50_000_000, 'nanoseconds')).toBe('ms');
    expect(outputUnit(3, 400, 'count')).toBe('count');
    expect(outputUnit(512, 100 * 1024 * 1024, 'bytes')).toBe('kB');
  });
});

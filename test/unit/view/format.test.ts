// core/view/format: the one formatter of byte sizes, durations, counts and instants. Durations
// must print exactly as pprof's own time values do (the tables beside them use formatValue).
import { describe, expect, it } from 'vitest';
import { formatValue } from '../../../core/pprof/format';
import {
  formatAxisTime,
  formatBytes,
  formatCount,
  formatDuration,
  formatInstant,
} from '../../../core/view/format';

describe('formatBytes', () => {
  it('prints bytes below 1 KiB whole, then binary units with one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1023.6)).toBe('1024 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MiB');
    expect(formatBytes(12.4 * 1024 * 1024)).toBe('12 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5 TiB');
    expect(formatBytes(3 * 1024 ** 5)).toBe('3 PiB');
    expect(formatBytes(2048 * 1024 ** 5)).toBe('2048 PiB');
  });

  it('carries into the next unit instead of printing 1024 of one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MiB');
    expect(formatBytes(9.96 * 1024)).toBe('10 KiB');
  });

  it('keeps the sign and names what is not a number', () => {
    expect(formatBytes(-1536)).toBe('-1.5 KiB');
    expect(formatBytes(Number.NaN)).toBe('–');
    expect(formatBytes(Infinity)).toBe('–');
  });
});

describe('formatDuration', () => {
  it("prints nanoseconds as pprof's time values", () => {
    for (const ns of [0, 820, 1_500, 1_500_000, 35_380_000, 1_220_000_000, 7_200e9, -2e6])
      expect(formatDuration(ns), String(ns)).toBe(formatValue(ns, 'nanoseconds'));
    expect(formatDuration(820)).toBe('820ns');
    expect(formatDuration(1_500_000)).toBe('1.50ms');
    expect(formatDuration(1_220_000_000)).toBe('1.22s');
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});

describe('formatCount', () => {
  it('rounds and separates thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12345.4)).toBe('12,345');
    expect(formatCount(-1_000_000)).toBe('-1,000,000');
    expect(formatCount(Number.NaN)).toBe('–');
  });
});

describe('points in time', () => {
  it('labels an axis in the unit its span reads best in', () => {
    expect(formatAxisTime(1_250_000, 4e6)).toBe('1.25 ms');
    expect(formatAxisTime(3e9, 10e9)).toBe('3 s');
    expect(formatAxisTime(1500, 1e3)).toBe('1,500 ns');
    expect(formatAxisTime(2.5e9, 1e9)).toBe('2,500 ms');
  });

  it('prints an instant to the nanosecond', () => {
    expect(formatInstant(1_234_567_890)).toBe('1.234567890 s');
    expect(formatInstant(0)).toBe('0.000000000 s');
  });
});

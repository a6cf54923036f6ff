import { describe, expect, it } from 'vitest';
import { shortName } from '../../../renderer/src/charts/flame-draw';
import { axisUnit, fmtPct, fmtTick, fmtValue } from '../../../renderer/src/format';
import { exactRegex } from '../../../renderer/src/stores/profile';
import { compileGoRegex } from '../../../core/pprof/regex';

describe('display helpers', () => {
  it('labels frames without their package directory', () => {
    expect(shortName('github.com/acme/orders/internal/db.(*Pool).Get')).toBe('db.(*Pool).Get');
    expect(shortName('runtime.mallocgc')).toBe('runtime.mallocgc');
    expect(shortName('example.com/x.Map[go.shape.*example.com/y.T]')).toBe(
      'x.Map[go.shape.*example.com/y.T]',
    );
    expect(shortName('/src/app/main.go')).toBe('main.go');
  });

  it('picks an axis unit in which round ticks are round', () => {
    expect(axisUnit(850e6, 'nanoseconds')).toEqual({ factor: 1e6, label: 'ms' });
    expect(axisUnit(3.2e9, 'nanoseconds')).toEqual({ factor: 1e9, label: 's' });
    expect(axisUnit(250 * 2 ** 20, 'bytes')).toEqual({ factor: 2 ** 20, label: 'MB' });
    expect(axisUnit(1234, 'count')).toEqual({ factor: 1, label: '' });
    expect(axisUnit(0, 'bytes')).toEqual({ factor: 1, label: '' });
    expect(fmtTick(0.30000000000000004)).toBe('0.3');
  });

  it('formats values and percentages as pprof does', () => {
    expect(fmtValue(1_500_000_000, 'nanoseconds')).toBe('1.50s');
    expect(fmtValue(10_000_000, 'nanoseconds')).toBe('10ms');
    expect(fmtPct(1, 8)).toBe('12.50%');
    expect(fmtPct(8, 8)).toBe('100%');
  });

  it('builds filters that match exactly one name under Go regexp rules', () => {
    const name = 'main.(*T).Get[...]|x+y$';
    const re = compileGoRegex(exactRegex(name));
    expect(re.test(name)).toBe(true);
    expect(re.test(`${name}2`)).toBe(false);
    expect(re.test(`a${name}`)).toBe(false);
  });
});

// Big numbers in the heap diff read with thousands separators (issue 12 item 9): object
// counts and their deltas, while bytes keep their unit.
import { describe, expect, it } from 'vitest';
import { fmtAbs, fmtSigned } from '../../../renderer/src/components/compare/format-compare';

describe('compare value formatting', () => {
  it('groups the digits of counts', () => {
    expect(fmtAbs(264668, 'count')).toBe('264,668');
    expect(fmtSigned(1204, 'count')).toBe('+1,204');
    expect(fmtSigned(-5520000, 'count')).toBe('−5,520,000');
    expect(fmtSigned(0, 'count')).toBe('0');
    expect(fmtAbs(12, 'count')).toBe('12');
  });

  it('keeps profile units for bytes and time', () => {
    expect(fmtSigned(-552 * 1024 * 1024, 'bytes')).toBe('−552MB');
    expect(fmtAbs(1.5e9, 'nanoseconds')).toBe('1.50s');
  });
});

import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatMs, formatPercent } from './format.ts';

describe('format', () => {
  it.each([
    [0.0021, '0.21%'],
    [null, '—'],
    [Number.NaN, '—'],
    [1, '100.00%'],
  ])('percent %s → %s', (v, out) => expect(formatPercent(v)).toBe(out));

  it.each([
    [0, '0s'],
    [45.4, '45s'],
    [125, '2m 05s'],
    [7300, '2h 01m'],
    [200_000, '2d 7h'],
    [null, '—'],
  ])('duration %s → %s', (v, out) => expect(formatDuration(v)).toBe(out));

  it('ms and counts', () => {
    expect(formatMs(31.6)).toBe('32 ms');
    expect(formatMs(1500)).toBe('1.50 s');
    expect(formatCount(12345.4)).toBe('12,345');
  });
});

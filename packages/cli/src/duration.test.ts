import { describe, expect, it } from 'vitest';
import { sinceArg } from './commands/history.ts';
import { formatSeconds, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    ['45', 45_000],
    [' 5m ', 300_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'ten minutes', '10x', 'm10', '10m junk', '-5m'])('refuses %j', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );
});

describe('formatSeconds', () => {
  it.each([
    [0, '0s'],
    [59.6, '1m'],
    [75, '1m15s'],
    [3600, '1h'],
    [5_430, '1h30m'],
  ])('%d s reads %s', (s, text) => expect(formatSeconds(s)).toBe(text));
});

describe('history --since', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it('takes a duration ago or a date', () => {
    expect(sinceArg('24h', now)).toBe(Date.parse('2026-11-28T12:00:00Z'));
    expect(sinceArg('2026-11-01', now)).toBe(Date.parse('2026-11-01T00:00:00Z'));
  });
  it('says what it wants when it gets neither', () => {
    expect(() => sinceArg('last week', now)).toThrow(/24h or 7d, or a date/);
  });
});

import type { FreezeWindow } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { formatLocal, frozenAt } from './freeze.ts';

const win = (
  timezone: string,
  start: [FreezeWindow['start']['day'], string],
  end: [FreezeWindow['end']['day'], string],
  reason?: string,
): FreezeWindow => ({
  timezone,
  start: { day: start[0], time: start[1] },
  end: { day: end[0], time: end[1] },
  ...(reason ? { reason } : {}),
});

// Weekend freeze in Berlin: Friday 16:00 to Monday 08:00, wrapping the end of the week.
const weekend = win('Europe/Berlin', ['fri', '16:00'], ['mon', '08:00'], 'weekend');
// Tokyo has no daylight saving time; the window crosses midnight.
const night = win('Asia/Tokyo', ['tue', '22:00'], ['wed', '06:00'], 'nightly batch');

describe('frozenAt', () => {
  // March 2025: Fri 7th, Mon 10th; Berlin is UTC+1 until 30 March, Tokyo always UTC+9.
  const cases: { name: string; windows: FreezeWindow[]; now: string; until: string | null }[] = [
    {
      name: 'Fri 15:59 Berlin, a minute before',
      windows: [weekend],
      now: '2025-03-07T14:59:00Z',
      until: null,
    },
    {
      name: 'Fri 16:00 Berlin, the start is inside',
      windows: [weekend],
      now: '2025-03-07T15:00:00Z',
      until: '2025-03-10T07:00:00.000Z',
    },
    {
      name: 'Fri 16:30:45.123 Berlin ends on the minute',
      windows: [weekend],
      now: '2025-03-07T15:30:45.123Z',
      until: '2025-03-10T07:00:00.000Z',
    },
    {
      name: 'Sat noon Berlin',
      windows: [weekend],
      now: '2025-03-08T11:00:00Z',
      until: '2025-03-10T07:00:00.000Z',
    },
    {
      name: 'Mon 00:00 Berlin (still Sunday in UTC), after the week wrapped',
      windows: [weekend],
      now: '2025-03-09T23:00:00Z',
      until: '2025-03-10T07:00:00.000Z',
    },
    {
      name: 'Mon 07:59 Berlin',
      windows: [weekend],
      now: '2025-03-10T06:59:00Z',
      until: '2025-03-10T07:00:00.000Z',
    },
    {
      name: 'Mon 08:00 Berlin, the end is outside',
      windows: [weekend],
      now: '2025-03-10T07:00:00Z',
      until: null,
    },
    { name: 'Wednesday Berlin', windows: [weekend], now: '2025-03-12T12:00:00Z', until: null },
    {
      name: 'Tue 23:30 Tokyo, before midnight',
      windows: [night],
      now: '2025-03-04T14:30:00Z',
      until: '2025-03-04T21:00:00.000Z',
    },
    {
      name: 'Wed 01:00 Tokyo, after midnight (still Tuesday in UTC)',
      windows: [night],
      now: '2025-03-04T16:00:00Z',
      until: '2025-03-04T21:00:00.000Z',
    },
    { name: 'Wed 06:00 Tokyo', windows: [night], now: '2025-03-04T21:00:00Z', until: null },
    { name: 'Tue 21:59 Tokyo', windows: [night], now: '2025-03-04T12:59:00Z', until: null },
    {
      name: 'the same instant is Saturday in Tokyo',
      windows: [win('Asia/Tokyo', ['sat', '00:00'], ['sun', '00:00'])],
      now: '2025-03-07T16:00:00Z',
      until: '2025-03-08T15:00:00.000Z',
    },
    {
      name: 'but still Friday in UTC',
      windows: [win('UTC', ['sat', '00:00'], ['sun', '00:00'])],
      now: '2025-03-07T16:00:00Z',
      until: null,
    },
    {
      name: 'the later end of two covering windows',
      windows: [night, win('UTC', ['tue', '00:00'], ['thu', '00:00'])],
      now: '2025-03-04T16:00:00Z',
      until: '2025-03-06T00:00:00.000Z',
    },
    {
      name: 'a window starting where it ends is empty',
      windows: [win('UTC', ['mon', '09:00'], ['mon', '09:00'])],
      now: '2025-03-10T09:00:00Z',
      until: null,
    },
    {
      name: 'the end after a daylight-saving change (Berlin, 30 March 2025) is read in the new offset',
      windows: [weekend],
      now: '2025-03-28T15:30:00Z',
      until: '2025-03-31T06:00:00.000Z',
    },
    {
      name: 'New York on summer time (since 9 March 2025)',
      windows: [win('America/New_York', ['mon', '09:00'], ['mon', '17:00'])],
      now: '2025-03-10T14:00:00Z',
      until: '2025-03-10T21:00:00.000Z',
    },
    { name: 'no windows', windows: [], now: '2025-03-08T11:00:00Z', until: null },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const got = frozenAt(c.windows, new Date(c.now));
      expect(got?.until ?? null).toBe(c.until);
    });
  }

  it('names the window in force', () => {
    expect(frozenAt([night, weekend], new Date('2025-03-08T11:00:00Z'))?.window).toBe(weekend);
  });
});

describe('formatLocal', () => {
  it('shows an instant in the window’s time zone', () => {
    expect(formatLocal('2025-03-10T07:00:00.000Z', 'Europe/Berlin')).toBe(
      'Mon 2025-03-10 08:00 Europe/Berlin',
    );
    expect(formatLocal('2025-03-04T21:00:00.000Z', 'Asia/Tokyo')).toBe('Wed 2025-03-05 06:00 Asia/Tokyo');
  });
});

import type { FreezeWindow } from '@aviary/contracts';
import { weekdays } from '@aviary/contracts';

/** The window in force and the instant (ISO) it ends. */
export interface Frozen {
  window: FreezeWindow;
  until: string;
}

const minutesPerWeek = 7 * 24 * 60;

interface LocalTime {
  /** Minutes since Monday 00:00, local wall-clock time. */
  minuteOfWeek: number;
  /** Seconds and milliseconds past the local minute, in ms. */
  subMinuteMs: number;
  /** Local wall-clock time minus UTC, in minutes. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Weekday, wall-clock time and UTC offset of `at` in an IANA time zone. */
function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const day = weekdays.indexOf(String(parts.weekday).toLowerCase() as (typeof weekdays)[number]);
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    hour,
    minute,
    second,
    at.getUTCMilliseconds(),
  );
  return {
    minuteOfWeek: day * 1440 + hour * 60 + minute,
    subMinuteMs: second * 1000 + at.getUTCMilliseconds(),
    offsetMinutes: Math.round((wall - at.getTime()) / 60_000),
  };
}

const minuteOf = (p: FreezeWindow['start']): number => {
  const [h, m] = p.time.split(':').map(Number);
  return weekdays.indexOf(p.day) * 1440 + (h ?? 0) * 60 + (m ?? 0);
};

/** Whether a window covers `now` and, if so, when it ends. A window whose start equals its end is empty. */
export function windowAt(window: FreezeWindow, now: Date): Frozen | null {
  const start = minuteOf(window.start);
  const end = minuteOf(window.end);
  if (start === end) return null;
  const local = localTime(now, window.timezone);
  const m = local.minuteOfWeek;
  // start < end: within the week; start > end: wraps past Sunday midnight (e.g. Fri 16:00 → Mon 08:00).
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  const wallMinutesLeft = (end - m + minutesPerWeek) % minutesPerWeek;
  const naive = new Date(now.getTime() - local.subMinuteMs + wallMinutesLeft * 60_000);
  // A daylight-saving change before the end moves the instant by the change in offset.
  const shift = local.offsetMinutes - localTime(naive, window.timezone).offsetMinutes;
  return { window, until: new Date(naive.getTime() + shift * 60_000).toISOString() };
}

/**
 * The freeze in force at `now`: of the windows covering it, the one ending last. Each window is
 * read in its own IANA time zone. Null when promotion is allowed.
 */
export function frozenAt(windows: readonly FreezeWindow[], now: Date): Frozen | null {
  let found: Frozen | null = null;
  for (const w of windows) {
    const hit = windowAt(w, now);
    if (hit && (!found || hit.until > found.until)) found = hit;
  }
  return found;
}

/** An instant as people in a time zone read it, e.g. "Mon 2025-03-10 08:00 Europe/Berlin". */
export function formatLocal(iso: string, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(iso))) parts[p.type] = p.value;
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
}

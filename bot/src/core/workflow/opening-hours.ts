import type { Calendar, TimeRange } from '../model';
import { zonedParts } from './zoned-time';

type Weekday = Calendar['weekly'][number]['day'];
const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/**
 * The wall-clock date, weekday and minute of the day of an instant in a time zone. Working on wall time
 * is what makes daylight-saving changes safe: "08:00" means 08:00 local on either side of a change.
 */
export function wallClock(instant: number, timeZone: string): { date: string; weekday: Weekday; minutes: number } {
  const parts = zonedParts(instant, timeZone);
  const weekday = WEEKDAY_BY_SHORT[parts.weekday];
  if (!weekday) throw new Error(`no weekday for ${instant} in ${timeZone}`);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const inRanges = (ranges: readonly TimeRange[], minutes: number): boolean =>
  ranges.some((r) => minutes >= toMinutes(r.from) && minutes < toMinutes(r.to));

/** A dated period of a calendar: a holiday (closed all day) or a special day with its own hours. */
export type DatedPeriod = { kind: 'holiday'; name: string } | { kind: 'special-day'; name: string; open: boolean };

/** The period a calendar defines for the instant's local date, if any. A holiday wins over a special day. */
export function datedPeriod(calendar: Calendar, instant: number): DatedPeriod | null {
  const local = wallClock(instant, calendar.timeZone);
  const holiday = calendar.holidays.find((h) => h.date === local.date);
  if (holiday) return { kind: 'holiday', name: holiday.name };
  const special = calendar.specialDays.find((d) => d.date === local.date);
  if (special) return { kind: 'special-day', name: special.name, open: inRanges(special.ranges, local.minutes) };
  return null;
}

/** Whether the weekly schedule is open at the instant (a day the schedule does not list is closed). */
export function weeklyOpen(calendar: Calendar, instant: number): boolean {
  const local = wallClock(instant, calendar.timeZone);
  return calendar.weekly.filter((d) => d.day === local.weekday).some((d) => inRanges(d.ranges, local.minutes));
}

export type OpeningHoursExit = 'open' | 'closed' | 'special-day';
export type OpeningHours = {
  exit: OpeningHoursExit;
  /** Which calendar decided, and by what. */
  decidedBy: 'primary' | 'secondary';
  period: 'holiday' | 'special-day' | 'weekly';
  name: string | null;
};

/**
 * Check Opening Hours with a primary and an optional secondary calendar: a dated period (holiday or
 * special day) of the primary wins, then one of the secondary, then the primary's weekly schedule.
 * A holiday is closed; a special day is "special-day" inside its hours and closed outside them.
 */
export function evaluateOpeningHours(primary: Calendar, secondary: Calendar | null, instant: number): OpeningHours {
  for (const [which, calendar] of [
    ['primary', primary],
    ['secondary', secondary],
  ] as const) {
    if (!calendar) continue;
    const period = datedPeriod(calendar, instant);
    if (!period) continue;
    if (period.kind === 'holiday') return { exit: 'closed', decidedBy: which, period: 'holiday', name: period.name };
    return { exit: period.open ? 'special-day' : 'closed', decidedBy: which, period: 'special-day', name: period.name };
  }
  return { exit: weeklyOpen(primary, instant) ? 'open' : 'closed', decidedBy: 'primary', period: 'weekly', name: null };
}

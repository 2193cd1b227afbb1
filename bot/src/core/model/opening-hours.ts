import { z } from 'zod/v4';
import { DisplayName, TimeZone, unitOwned } from './common';

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00-24:00)');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const TimeRange = z
  .object({ from: Time, to: Time })
  .refine((r) => r.from < r.to, { message: '"from" must be before "to"' });
export type TimeRange = z.infer<typeof TimeRange>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** An opening-hours calendar: weekly schedule in a time zone, plus special days and holidays. */
export const Calendar = unitOwned('calendar').extend({
  name: DisplayName,
  timeZone: TimeZone,
  weekly: z.array(z.object({ day: Weekday, ranges: z.array(TimeRange).max(10) })).max(7),
  specialDays: z.array(z.object({ date: IsoDate, name: DisplayName, ranges: z.array(TimeRange).max(10) })).max(366),
  holidays: z.array(z.object({ date: IsoDate, name: DisplayName })).max(366),
});
export type Calendar = z.infer<typeof Calendar>;

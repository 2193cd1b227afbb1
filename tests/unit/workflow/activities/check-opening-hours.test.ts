import type { Calendar } from '../../../../bot/src/core/model';
import { checkOpeningHours } from '../../../../bot/src/core/workflow/activities/check-opening-hours';
import { activityUnder, enter, result } from '../activity-harness';

const calendar = (overrides: Partial<Calendar> = {}): Calendar => ({
  id: 'cal',
  tenantId: 't',
  type: 'calendar',
  unitId: 'u',
  name: 'Office',
  timeZone: 'Europe/Zurich',
  weekly: [{ day: 'mon', ranges: [{ from: '08:00', to: '12:00' }] }],
  specialDays: [],
  holidays: [],
  ...overrides,
});
const at = (iso: string) => Date.parse(iso);

describe('Check Opening Hours', () => {
  it('reads the primary and secondary calendar', () => {
    expect(activityUnder(checkOpeningHours, { primaryCalendarId: 'a', secondaryCalendarId: 'b' })(enter)).toEqual({
      type: 'command',
      command: { kind: 'read-calendars', primaryId: 'a', secondaryId: 'b' },
    });
  });
  it('"open" inside the weekly hours', () => {
    const run = activityUnder(checkOpeningHours, { primaryCalendarId: 'cal' }, { now: at('2026-01-05T09:00:00Z') });
    expect(run(result({ kind: 'calendars', primary: calendar(), secondary: null }))).toMatchObject({
      type: 'exit',
      exit: 'open',
    });
  });
  it('"closed" outside them, and when the calendar no longer exists', () => {
    const run = activityUnder(checkOpeningHours, { primaryCalendarId: 'cal' }, { now: at('2026-01-05T12:00:00Z') });
    expect(run(result({ kind: 'calendars', primary: calendar(), secondary: null }))).toMatchObject({
      type: 'exit',
      exit: 'closed',
    });
    expect(run(result({ kind: 'calendars', primary: null, secondary: null }))).toMatchObject({
      type: 'exit',
      exit: 'closed',
    });
  });
  it('"special-day" inside the hours of a special day', () => {
    const run = activityUnder(checkOpeningHours, { primaryCalendarId: 'cal' }, { now: at('2026-01-05T14:00:00Z') });
    const special = calendar({
      specialDays: [{ date: '2026-01-05', name: 'Sale day', ranges: [{ from: '14:00', to: '20:00' }] }],
    });
    expect(run(result({ kind: 'calendars', primary: special, secondary: null }))).toMatchObject({
      type: 'exit',
      exit: 'special-day',
    });
  });
});

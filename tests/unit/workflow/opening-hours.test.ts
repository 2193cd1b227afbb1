import type { Calendar } from '../../../bot/src/core/model';
import { evaluateOpeningHours, wallClock } from '../../../bot/src/core/workflow';
import { officeHours } from '../../helpers/fixtures';

const calendar = (overrides: Partial<Calendar> = {}): Calendar =>
  officeHours('t', 'cal', { unitId: 'u', ...overrides });
const at = (iso: string) => Date.parse(iso);
const exitAt = (iso: string, primary: Calendar, secondary: Calendar | null = null) =>
  evaluateOpeningHours(primary, secondary, at(iso)).exit;

describe('opening hours across daylight-saving changes', () => {
  const zurich = calendar();

  it('opens at 08:00 local time on both sides of the spring change (Europe/Zurich, 29 March 2026)', () => {
    expect(exitAt('2026-03-27T07:00:00Z', zurich)).toBe('open'); // Fri 08:00 CET
    expect(exitAt('2026-03-27T06:59:00Z', zurich)).toBe('closed'); // Fri 07:59 CET
    expect(exitAt('2026-03-30T06:00:00Z', zurich)).toBe('open'); // Mon 08:00 CEST
    expect(exitAt('2026-03-30T05:59:00Z', zurich)).toBe('closed'); // Mon 07:59 CEST
    expect(exitAt('2026-03-30T15:59:00Z', zurich)).toBe('open'); // Mon 17:59 CEST
    expect(exitAt('2026-03-30T16:00:00Z', zurich)).toBe('closed'); // Mon 18:00 CEST
  });

  it('opens at 08:00 local time on both sides of the autumn change (Europe/Zurich, 25 October 2026)', () => {
    expect(exitAt('2026-10-23T06:00:00Z', zurich)).toBe('open'); // Fri 08:00 CEST
    expect(exitAt('2026-10-26T06:30:00Z', zurich)).toBe('closed'); // Mon 07:30 CET
    expect(exitAt('2026-10-26T07:00:00Z', zurich)).toBe('open'); // Mon 08:00 CET
    expect(exitAt('2026-10-26T17:00:00Z', zurich)).toBe('closed'); // Mon 18:00 CET
  });

  it('a range inside the skipped hour never opens on the spring change day; the repeated hour opens twice in autumn', () => {
    const night = calendar({ weekly: [{ day: 'sun', ranges: [{ from: '02:00', to: '03:00' }] }] });
    expect(exitAt('2026-03-29T00:59:00Z', night)).toBe('closed'); // 01:59 CET
    expect(exitAt('2026-03-29T01:00:00Z', night)).toBe('closed'); // 03:00 CEST: 02:xx never happened
    expect(exitAt('2026-03-22T01:30:00Z', night)).toBe('open'); // a week before: 02:30 CET
    expect(exitAt('2026-10-25T00:30:00Z', night)).toBe('open'); // 02:30 CEST
    expect(exitAt('2026-10-25T01:30:00Z', night)).toBe('open'); // 02:30 CET, the second time round
    expect(exitAt('2026-10-25T02:00:00Z', night)).toBe('closed'); // 03:00 CET
  });

  it("follows each calendar's own time zone (America/New_York changes on 8 March 2026)", () => {
    const ny = calendar({ timeZone: 'America/New_York' });
    expect(exitAt('2026-03-06T13:00:00Z', ny)).toBe('open'); // Fri 08:00 EST
    expect(exitAt('2026-03-09T12:00:00Z', ny)).toBe('open'); // Mon 08:00 EDT
    expect(exitAt('2026-03-09T11:59:00Z', ny)).toBe('closed');
    expect(wallClock(at('2026-03-09T12:00:00Z'), 'America/New_York')).toEqual({
      date: '2026-03-09',
      weekday: 'mon',
      minutes: 8 * 60,
    });
  });

  it('"24:00" closes at midnight', () => {
    const late = calendar({ weekly: [{ day: 'mon', ranges: [{ from: '20:00', to: '24:00' }] }] });
    expect(exitAt('2026-01-05T22:59:00Z', late)).toBe('open'); // Mon 23:59
    expect(exitAt('2026-01-05T23:00:00Z', late)).toBe('closed'); // Tue 00:00
  });
});

describe('primary and secondary calendars', () => {
  const MONDAY_NOON = '2026-01-05T11:00:00Z'; // 12:00 in Zurich, inside the weekly hours
  const holiday = (date = '2026-01-05') => ({ holidays: [{ date, name: 'Holiday' }] });
  const special = (from: string, to: string) => ({
    specialDays: [{ date: '2026-01-05', name: 'Inventory', ranges: [{ from, to }] }],
  });

  it('the weekly schedule of the primary decides when no calendar defines the day', () => {
    expect(evaluateOpeningHours(calendar(), calendar({ weekly: [] }), at(MONDAY_NOON))).toEqual({
      exit: 'open',
      decidedBy: 'primary',
      period: 'weekly',
      name: null,
    });
  });

  it('a holiday or special day of the primary wins over the secondary', () => {
    expect(
      evaluateOpeningHours(calendar(holiday()), calendar(special('00:00', '24:00')), at(MONDAY_NOON)),
    ).toMatchObject({ exit: 'closed', decidedBy: 'primary', period: 'holiday' });
    expect(
      evaluateOpeningHours(calendar(special('10:00', '14:00')), calendar(holiday()), at(MONDAY_NOON)),
    ).toMatchObject({ exit: 'special-day', decidedBy: 'primary', name: 'Inventory' });
  });

  it("a period of the secondary wins over the primary's weekly schedule", () => {
    expect(evaluateOpeningHours(calendar(), calendar(holiday()), at(MONDAY_NOON))).toMatchObject({
      exit: 'closed',
      decidedBy: 'secondary',
      period: 'holiday',
    });
    expect(evaluateOpeningHours(calendar(), calendar(special('11:00', '13:00')), at(MONDAY_NOON))).toMatchObject({
      exit: 'special-day',
      decidedBy: 'secondary',
    });
  });

  it('a special day is closed outside its hours, and all day without any', () => {
    expect(exitAt(MONDAY_NOON, calendar(special('14:00', '16:00')))).toBe('closed');
    expect(
      exitAt(MONDAY_NOON, calendar({ specialDays: [{ date: '2026-01-05', name: 'Closed for training', ranges: [] }] })),
    ).toBe('closed');
  });

  it('a holiday applies to the local date of its calendar', () => {
    const ny = calendar({ timeZone: 'America/New_York', ...holiday('2026-01-05') });
    // 03:00 UTC on 5 January is still 4 January in New York: the holiday has not begun there.
    expect(
      evaluateOpeningHours(
        calendar({ weekly: [{ day: 'mon', ranges: [{ from: '00:00', to: '24:00' }] }] }),
        ny,
        at('2026-01-05T03:00:00Z'),
      ).exit,
    ).toBe('open');
    expect(evaluateOpeningHours(calendar(), ny, at(MONDAY_NOON)).exit).toBe('closed');
  });
});

import { z } from 'zod/v4';
import { Id } from '../../model/common';
import { defineActivity, unexpected } from '../activity';
import { evaluateOpeningHours } from '../opening-hours';

/** Check Opening Hours: open, closed or on a special day, by a primary and an optional secondary calendar. */
export const checkOpeningHours = defineActivity({
  kind: 'check-opening-hours',
  label: 'Check Opening Hours',
  category: 'check',
  settings: z.object({ primaryCalendarId: Id, secondaryCalendarId: Id.nullable().default(null) }),
  exits: () => ['open', 'closed', 'special-day'],
  references: (s) => ({
    calendars: [s.primaryCalendarId, ...(s.secondaryCalendarId === null ? [] : [s.secondaryCalendarId])],
  }),
  run(ctx, input) {
    if (input.kind === 'enter') {
      return {
        type: 'command',
        command: {
          kind: 'read-calendars',
          primaryId: ctx.settings.primaryCalendarId,
          secondaryId: ctx.settings.secondaryCalendarId,
        },
      };
    }
    if (input.kind === 'result' && input.result.kind === 'calendars') {
      // A deleted calendar cannot say the service is open; closed is the answer that promises nothing.
      if (input.result.primary === null)
        return { type: 'exit', exit: 'closed', note: `calendar ${ctx.settings.primaryCalendarId} not found` };
      const hours = evaluateOpeningHours(input.result.primary, input.result.secondary, ctx.now);
      return {
        type: 'exit',
        exit: hours.exit,
        note: `${hours.decidedBy} calendar, ${hours.period}${hours.name ? ` "${hours.name}"` : ''}`,
      };
    }
    return unexpected('Check Opening Hours', input);
  },
});

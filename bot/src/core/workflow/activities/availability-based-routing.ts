import { z } from 'zod/v4';
import { Id } from '../../model/common';
import { defineActivity, unexpected } from '../activity';
import { availabilityExit } from '../availability';

/**
 * Availability-based Routing: branches on the target service's members right now: someone could take
 * the task ("available"), everyone signed in is occupied ("busy"), or nobody is active ("none").
 */
export const availabilityBasedRouting = defineActivity({
  kind: 'availability-based-routing',
  label: 'Availability-based Routing',
  category: 'check',
  /** Null: the service the task belongs to. */
  settings: z.object({ serviceId: Id.nullable().default(null) }),
  exits: () => ['available', 'busy', 'none'],
  references: (s) => (s.serviceId === null ? {} : { services: [s.serviceId] }),
  run(ctx, input) {
    if (input.kind === 'enter')
      return { type: 'command', command: { kind: 'read-availability', serviceId: ctx.settings.serviceId } };
    if (input.kind === 'result' && input.result.kind === 'availability') {
      const a = input.result.availability;
      if (a === null) return { type: 'exit', exit: 'none', note: 'service not found' };
      return {
        type: 'exit',
        exit: availabilityExit(a),
        note: `${a.available} available, ${a.busy} busy, ${a.inactive} not active`,
      };
    }
    return unexpected('Availability-based Routing', input);
  },
});

import { z } from 'zod/v4';
import { Id } from '../../model/common';
import { defineActivity, unexpected } from '../activity';
import { ParameterName } from '../schemas';

/** Get Available Users: how many members could take a task now, optionally saved to a parameter. */
export const getAvailableUsers = defineActivity({
  kind: 'get-available-users',
  label: 'Get Available Users',
  category: 'check',
  settings: z.object({ serviceId: Id.nullable().default(null), parameter: ParameterName.nullable().default(null) }),
  exits: () => ['available', 'none'],
  writes: (s) => (s.parameter === null ? [] : [s.parameter]),
  references: (s) => (s.serviceId === null ? {} : { services: [s.serviceId] }),
  run(ctx, input) {
    if (input.kind === 'enter')
      return { type: 'command', command: { kind: 'read-availability', serviceId: ctx.settings.serviceId } };
    if (input.kind === 'result' && input.result.kind === 'availability') {
      const count = input.result.availability?.available ?? 0;
      const params = ctx.settings.parameter === null ? {} : { [ctx.settings.parameter]: String(count) };
      return { type: 'exit', exit: count > 0 ? 'available' : 'none', params, note: `${count} available` };
    }
    return unexpected('Get Available Users', input);
  },
});

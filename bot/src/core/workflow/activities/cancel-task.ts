import { z } from 'zod/v4';
import { defineActivity, unexpected } from '../activity';

/** Cancel Task: the task leaves the queue and ends with the outcome "cancelled"; the chat closes. */
export const cancelTask = defineActivity({
  kind: 'cancel-task',
  label: 'Cancel Task',
  category: 'queue',
  settings: z.object({}),
  exits: () => [],
  run(_ctx, input) {
    if (input.kind === 'enter')
      return { type: 'command', command: { kind: 'end-session', outcome: 'cancelled', reason: 'Cancel Task' } };
    if (input.kind === 'result' && input.result.kind === 'ended') return { type: 'stop', reason: 'cancelled' };
    return unexpected('Cancel Task', input);
  },
});

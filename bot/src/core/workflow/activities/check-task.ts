import { z } from 'zod/v4';
import { defineActivity, unexpected } from '../activity';

/**
 * Check Task: branches on the task's state: waiting in the queue, being offered to an agent, or not
 * queued. A task already connected or ended ends the workflow instead.
 */
export const checkTask = defineActivity({
  kind: 'check-task',
  label: 'Check Task',
  category: 'queue',
  settings: z.object({}),
  exits: () => ['queued', 'offered', 'not-queued'],
  run(_ctx, input) {
    if (input.kind === 'enter') return { type: 'command', command: { kind: 'read-task-state' } };
    if (input.kind === 'result' && input.result.kind === 'task-state') {
      const state = input.result.state;
      if (state === 'connected') return { type: 'stop', reason: 'connected' };
      if (state === 'ended') return { type: 'stop', reason: 'task-ended' };
      return { type: 'exit', exit: state };
    }
    return unexpected('Check Task', input);
  },
});

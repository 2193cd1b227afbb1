import { z } from 'zod/v4';
import { Priority } from '../../model/task';
import { defineActivity, unexpected } from '../activity';

/**
 * Distribution Priority: changes the priority of the queued task, or, before Queue Task, the priority
 * the task will be queued with.
 */
export const distributionPriority = defineActivity({
  kind: 'distribution-priority',
  label: 'Distribution Priority',
  category: 'queue',
  settings: z.object({ priority: Priority }),
  exits: () => ['next'],
  run(ctx, input) {
    if (input.kind === 'enter')
      return { type: 'command', command: { kind: 'set-priority', priority: ctx.settings.priority } };
    if (input.kind === 'result' && input.result.kind === 'priority-set') {
      return {
        type: 'exit',
        exit: 'next',
        facts: { priority: ctx.settings.priority },
        note: input.result.queued ? 'queued task re-prioritised' : 'applies when queued',
      };
    }
    return unexpected('Distribution Priority', input);
  },
});

import { z } from 'zod/v4';
import { DistributionType, Priority, QueueSettings } from '../../model/task';
import { defineActivity, unexpected } from '../activity';

/**
 * Queue Task: puts the task in its service's queue for distribution. The workflow goes on while the
 * task waits (positions, messages) and is stopped by the runner when an agent accepts.
 */
export const queueTask = defineActivity({
  kind: 'queue-task',
  label: 'Queue Task',
  category: 'queue',
  settings: z.object({
    distribution: DistributionType.default('direct'),
    /** Null: the priority set by Distribution Priority, else Normal. */
    priority: Priority.nullable().default(null),
    ringTimeoutSeconds: QueueSettings.shape.ringTimeoutSeconds,
    broadcastSize: QueueSettings.shape.broadcastSize,
    maxQueueSeconds: QueueSettings.shape.maxQueueSeconds,
  }),
  exits: () => ['next'],
  run(ctx, input) {
    const s = ctx.settings;
    const priority = s.priority ?? ctx.facts.priority ?? 'normal';
    if (input.kind === 'enter') {
      return {
        type: 'command',
        command: {
          kind: 'enqueue',
          settings: {
            priority,
            type: s.distribution,
            ringTimeoutSeconds: s.ringTimeoutSeconds,
            broadcastSize: s.broadcastSize,
            maxQueueSeconds: s.maxQueueSeconds,
          },
        },
      };
    }
    if (input.kind === 'result' && input.result.kind === 'enqueued') {
      return input.result.ok
        ? { type: 'exit', exit: 'next', facts: { priority } }
        : { type: 'stop', reason: 'task-ended', note: 'the task is connected or ended' };
    }
    return unexpected('Queue Task', input);
  },
});

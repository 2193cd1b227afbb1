import { z } from 'zod/v4';
import { defineActivity, unexpected } from '../activity';
import { ParameterName } from '../schemas';

/**
 * Get Queue Position: the task's place in its queue and the estimated wait, for `{{queue.position}}`
 * and `{{queue.estimatedWait}}` and optionally for parameters. With `unchangedExit`, a position equal to the
 * one read last time takes the "unchanged" exit, so a waiting loop tells the customer only what is new.
 */
export const getQueuePosition = defineActivity({
  kind: 'get-queue-position',
  label: 'Get Queue Position',
  category: 'check',
  settings: z.object({
    positionParameter: ParameterName.nullable().default(null),
    estimatedWaitParameter: ParameterName.nullable().default(null),
    unchangedExit: z.boolean().default(false),
  }),
  exits: (s) => (s.unchangedExit ? ['queued', 'unchanged', 'not-queued'] : ['queued', 'not-queued']),
  writes: (s) => [s.positionParameter, s.estimatedWaitParameter].filter((p): p is string => p !== null),
  run(ctx, input) {
    if (input.kind === 'enter') return { type: 'command', command: { kind: 'read-queue-position' } };
    if (input.kind === 'result' && input.result.kind === 'queue-position') {
      const p = input.result.position;
      if (!p) return { type: 'exit', exit: 'not-queued', facts: { queuePosition: null, estimatedWaitSeconds: null } };
      const params: Record<string, string> = {};
      if (ctx.settings.positionParameter) params[ctx.settings.positionParameter] = String(p.position);
      if (ctx.settings.estimatedWaitParameter)
        params[ctx.settings.estimatedWaitParameter] =
          p.estimatedWaitSeconds === null ? '' : String(p.estimatedWaitSeconds);
      const unchanged = ctx.settings.unchangedExit && ctx.facts.queuePosition === p.position;
      return {
        type: 'exit',
        exit: unchanged ? 'unchanged' : 'queued',
        params,
        facts: { queuePosition: p.position, estimatedWaitSeconds: p.estimatedWaitSeconds },
        note: `position ${p.position} of ${p.queueLength}`,
      };
    }
    return unexpected('Get Queue Position', input);
  },
});

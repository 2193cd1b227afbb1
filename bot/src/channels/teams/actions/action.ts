import { z } from 'zod/v4';
import { Id } from '../../../core/model';
import type { Agent } from '../../../services/agent-relay';
import { type TaskRef, targetOfQueue } from '../../../services/routing';
import type { TeamsActivity } from '../activity';
import { type AdaptiveCard, type CardVerb, noticeCard } from '../cards';
import type { BotEnv } from '../handlers/turn';
import { plain } from '../texts';

/** The task a card is about; the tenant is always the caller's, never taken from card data. */
export const CardRef = z.object({
  queue: z.string().refine((queue) => targetOfQueue(queue) !== undefined, 'not a queue'),
  taskId: Id,
});

export const refOf = (agent: Agent, data: z.infer<typeof CardRef>): TaskRef => ({
  tenantId: agent.tenantId,
  queue: data.queue,
  taskId: data.taskId,
});

/** A card action as the application runs it: the verb, and the answer (a card replaces the card it came from). */
export type CardAction = {
  verb: CardVerb;
  handle(env: BotEnv, agent: Agent, data: unknown, activity: TeamsActivity): Promise<AdaptiveCard | string>;
};

/** One card action: its verb, the data its card carries (checked here), and what it does. */
export function defineAction<T>(spec: {
  verb: CardVerb;
  data: z.ZodType<T>;
  run(env: BotEnv, agent: Agent, data: T, activity: TeamsActivity): Promise<AdaptiveCard | string>;
}): CardAction {
  return {
    verb: spec.verb,
    async handle(env, agent, raw, activity) {
      const parsed = spec.data.safeParse(raw);
      if (!parsed.success) {
        env.log.warn(
          { verb: spec.verb, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
          'card action data not understood',
        );
        return noticeCard(plain.cardGone);
      }
      return spec.run(env, agent, parsed.data, activity);
    },
  };
}

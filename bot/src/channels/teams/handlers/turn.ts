import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Agent, AgentConversation, AgentRelay } from '../../../services/agent-relay';
import { type TeamsActivity, TeamsActivity as TeamsActivitySchema, addressOf, identityOf } from '../activity';
import { texts } from '../texts';

/** What every handler works with. */
export type BotEnv = { relay: AgentRelay; log: Logger };

/** The turn's activity, checked: a malformed one is logged and ignored, never half-read. */
export function readActivity(env: BotEnv, context: TurnContext): TeamsActivity | undefined {
  const parsed = TeamsActivitySchema.safeParse(context.activity);
  if (!parsed.success) {
    env.log.warn(
      { type: context.activity.type, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
      'Teams activity not understood',
    );
    return undefined;
  }
  return parsed.data;
}

/** Where to answer in this turn, whoever wrote. */
export function replyTarget(activity: TeamsActivity): AgentConversation {
  const identity = identityOf(activity);
  return {
    tenantId: identity?.tenantId ?? 'unknown',
    userId: identity?.aadObjectId ?? 'unknown',
    ...addressOf(activity),
  };
}

export type Caller =
  | { kind: 'agent'; agent: Agent; to: AgentConversation }
  /** `known`: a user of the tenant (unlicensed), so what cannot be delivered to them is kept. */
  | { kind: 'refused'; text: string; to: AgentConversation; known: boolean };

/**
 * The contact-center user behind an activity. A known user's conversation is remembered on first
 * contact (also when the installation event was missed); an unknown or unlicensed user is told why the
 * bot cannot help, in words, not an error.
 */
export async function callerOf(env: BotEnv, activity: TeamsActivity): Promise<Caller & { created?: boolean }> {
  const to = replyTarget(activity);
  const identity = identityOf(activity);
  if (!identity) return { kind: 'refused', text: texts.unknownUser, to, known: false };
  const who = await env.relay.identify(identity.tenantId, identity.aadObjectId, identity.name);
  if (who.kind === 'tenant-not-set-up') return { kind: 'refused', text: texts.tenantNotSetUp, to, known: false };
  const { created } = await env.relay.remember(who.user, addressOf(activity));
  if (who.kind === 'not-licensed') return { kind: 'refused', text: texts.notLicensed, to, created, known: true };
  return {
    kind: 'agent',
    agent: { tenantId: who.user.tenantId, id: who.user.id, displayName: who.user.displayName },
    to,
    created,
  };
}

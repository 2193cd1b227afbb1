import type { TurnContext } from 'botbuilder';
import type { TeamsActivity } from '../activity';
import { identityOf, isPersonal } from '../activity';
import { texts } from '../texts';
import { type BotEnv, callerOf, readActivity } from './turn';

/**
 * Installation and removal of the app in an agent's personal scope. Teams announces an installation as
 * an installationUpdate and as a conversationUpdate adding the bot; whichever comes first stores the
 * conversation and greets the agent, the other finds it stored and stays quiet.
 */
export async function onInstallationUpdate(env: BotEnv, context: TurnContext): Promise<void> {
  const activity = readActivity(env, context);
  if (!activity || !isPersonal(activity)) return;
  if (activity.action === 'add' || activity.action === 'add-upgrade')
    await installed(env, activity, activity.action === 'add');
  else if (activity.action === 'remove') await removed(env, activity);
}

export async function onMembersAdded(env: BotEnv, context: TurnContext): Promise<void> {
  const activity = readActivity(env, context);
  if (!activity || !isPersonal(activity)) return;
  if (activity.membersAdded?.some((m) => m.id === activity.recipient.id)) await installed(env, activity, false);
}

export async function onMembersRemoved(env: BotEnv, context: TurnContext): Promise<void> {
  const activity = readActivity(env, context);
  if (!activity || !isPersonal(activity)) return;
  if (activity.membersRemoved?.some((m) => m.id === activity.recipient.id)) await removed(env, activity);
}

/**
 * A known user is greeted when their conversation is stored for the first time; an unknown user (no
 * record to store against) is answered on the installation event only, so not twice.
 */
async function installed(env: BotEnv, activity: TeamsActivity, isNewInstallation: boolean): Promise<void> {
  const caller = await callerOf(env, activity);
  if (caller.kind === 'refused') {
    if (caller.created === true || (caller.created === undefined && isNewInstallation))
      await env.relay.say(caller.to, { kind: 'text', text: caller.text }, { record: caller.known });
    return;
  }
  if (!caller.created) return;
  const presence = await env.relay.presenceOf(caller.agent);
  await env.relay.say(caller.to, { kind: 'text', text: texts.welcome(caller.agent.displayName, presence) });
}

async function removed(env: BotEnv, activity: TeamsActivity): Promise<void> {
  const identity = identityOf(activity);
  if (!identity) return;
  await env.relay.forget(identity.tenantId, identity.aadObjectId);
  env.log.info({ tenantId: identity.tenantId, userId: identity.aadObjectId }, 'Teams app removed by an agent');
}

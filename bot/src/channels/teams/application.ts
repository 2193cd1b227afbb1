import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Application } from '@microsoft/teams-ai';
import { cardActions } from './actions';
import { noticeCard } from './cards';
import { onInstallationUpdate, onMembersAdded, onMembersRemoved } from './handlers/installation';
import { onMessage } from './handlers/message';
import { type TeamEnv, isTeamEvent, onTeamEvent } from './handlers/team';
import { type BotEnv, callerOf, readActivity, replyTarget } from './handlers/turn';
import { plain, texts } from './texts';

/**
 * The Teams AI application: which handler takes which activity. It keeps no turn state (everything
 * lives in Cosmos) and starts no typing indicator, so every message to Teams goes through the relay's
 * ordered, rate-limited send queue and nothing else talks to the Bot Connector.
 */
export function createTeamsApplication(env: BotEnv, team?: TeamEnv): Application {
  const app = new Application({ startTypingTimer: false, longRunningMessages: false, removeRecipientMention: true });
  const guarded =
    (what: string, handler: (env: BotEnv, context: TurnContext) => Promise<void>) => async (context: TurnContext) => {
      try {
        await handler(env, context);
      } catch (err) {
        // The agent hears that something failed; Teams gets a normal answer and does not redeliver.
        env.log.error({ err, activity: context.activity.id }, `Teams ${what} failed`);
        const activity = readActivity(env, context);
        if (activity)
          await env.relay
            .say(
              replyTarget(activity),
              { kind: 'text', text: texts.somethingWrong(context.activity.id ?? 'unknown') },
              { record: false },
            )
            .catch(() => undefined);
      }
    };

  // Events in a team (the first matching route runs, so before the personal-scope ones below).
  if (team) app.activity(isTeamEvent, (context) => onTeamEvent(team, context));
  app.activity(ActivityTypes.InstallationUpdate, guarded('installation', onInstallationUpdate));
  app.conversationUpdate('membersAdded', guarded('installation', onMembersAdded));
  app.conversationUpdate('membersRemoved', guarded('removal', onMembersRemoved));
  app.activity(ActivityTypes.Message, guarded('message', onMessage));

  for (const action of cardActions) {
    app.adaptiveCards.actionExecute<unknown>(action.verb, async (context, _state, data) => {
      try {
        const activity = readActivity(env, context);
        if (!activity) return noticeCard(plain.cardGone);
        const caller = await callerOf(env, activity);
        if (caller.kind === 'refused') return caller.text;
        return await action.handle(env, caller.agent, data, activity);
      } catch (err) {
        env.log.error({ err, verb: action.verb }, 'Teams card action failed');
        return plain.somethingWrong(context.activity.id ?? 'unknown');
      }
    });
  }
  return app;
}

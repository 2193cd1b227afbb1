import type { TurnContext } from 'botbuilder';
import type { Agent, AgentConversation, AgentView } from '../../../services/agent-relay';
import { agentText, isPersonal, quotedMessageIds } from '../activity';
import { type AgentCommand, parseCommand } from '../commands';
import { texts } from '../texts';
import { type BotEnv, callerOf, readActivity, replyTarget } from './turn';

/**
 * A message from an agent: one of the commands, or text for a customer. Text goes to the session it
 * belongs to (a quoted customer message, the only session, the focused one); when that is not clear the
 * agent gets a question back and nothing is sent.
 */
export async function onMessage(env: BotEnv, context: TurnContext): Promise<void> {
  const activity = readActivity(env, context);
  if (!activity) return;
  if (!isPersonal(activity)) {
    await env.relay.say(replyTarget(activity), { kind: 'text', text: texts.notPersonal }, { record: false });
    return;
  }
  const caller = await callerOf(env, activity);
  if (caller.kind === 'refused') {
    await env.relay.say(caller.to, { kind: 'text', text: caller.text }, { record: caller.known });
    return;
  }
  const { agent, to } = caller;
  const text = agentText(activity);
  const quoted = quotedMessageIds(activity);
  const command = parseCommand(text);
  // With a quote, the words are for that customer; only "end" still acts on the quoted chat.
  if (command && (quoted.length === 0 || command.kind === 'end')) {
    await runCommand(env, agent, to, command, quoted);
    return;
  }
  if (!text) {
    // A file or an image alone: nothing to relay, and the agent should know it did not go anywhere.
    if ((activity.attachments ?? []).some((a) => a.contentType !== 'text/html'))
      await env.relay.say(to, { kind: 'text', text: texts.textOnly });
    return;
  }
  const outcome = await env.relay.fromAgent(agent, text, quoted);
  const answer: AgentView | undefined =
    outcome.kind === 'sent'
      ? undefined
      : outcome.kind === 'no-session'
        ? { kind: 'text', text: texts.noSession }
        : outcome.kind === 'ambiguous'
          ? { kind: 'choose-session', purpose: 'send', pendingText: text, sessions: outcome.sessions }
          : { kind: 'text', text: texts.sessionEnded(outcome.customerName) };
  if (answer) await env.relay.say(to, answer);
  if (outcome.kind === 'sent' && (activity.attachments ?? []).some((a) => a.contentType !== 'text/html'))
    await env.relay.say(to, { kind: 'text', text: texts.textOnly });
}

async function runCommand(
  env: BotEnv,
  agent: Agent,
  to: AgentConversation,
  command: AgentCommand,
  quoted: string[],
): Promise<void> {
  const say = (view: AgentView) => env.relay.say(to, view);
  switch (command.kind) {
    case 'help':
      await say({ kind: 'text', text: texts.help });
      return;
    case 'status':
      await say({
        kind: 'text',
        text: texts.statusSet(command.presence, await env.relay.setPresence(agent, command.presence)),
      });
      return;
    case 'reset-rona':
      await say({ kind: 'text', text: (await env.relay.resetRona(agent)) ? texts.ronaReset : texts.ronaNotSet });
      return;
    case 'sessions':
      await say({ kind: 'sessions', ...(await env.relay.overview(agent)) });
      return;
    case 'pickup':
      await say(await env.relay.pickupView(agent));
      return;
    case 'end': {
      const outcome = await env.relay.endByCommand(agent, quoted);
      if (outcome.kind === 'ended')
        await say({ kind: 'text', text: texts.ended(outcome.session.customer.displayName) });
      else if (outcome.kind === 'no-session') await say({ kind: 'text', text: texts.noSessionToEnd });
      else if (outcome.kind === 'ambiguous')
        await say({ kind: 'choose-session', purpose: 'end', pendingText: null, sessions: outcome.sessions });
      else await say({ kind: 'text', text: texts.alreadyEnded(outcome.customerName) });
      return;
    }
  }
}

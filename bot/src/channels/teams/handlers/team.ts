import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod/v4';
import { Id } from '../../../core/model';
import type { TeamAccount, TeamLinks } from '../../../services/team-links';
import { TeamsActivity } from '../activity';

/** What the team handlers work with. */
export type TeamEnv = { teams: Pick<TeamLinks, 'installed' | 'removed' | 'renamed' | 'joined' | 'left'>; log: Logger };

/**
 * What Teams adds to the channel data of an activity in a team: the event and the team. On the
 * bot's installation the conversation is the channel picked for it, not the team, so the team is
 * always read from here.
 */
const TeamChannelData = z.looseObject({
  eventType: z.string().max(100).optional(),
  team: z.looseObject({
    id: z.string().min(1).max(300),
    name: z.string().max(300).optional(),
    aadGroupId: z.string().max(128).optional(),
  }),
  tenant: z.looseObject({ id: z.string().max(128) }).optional(),
});

/** Route selector: installation and conversation updates in a team (personal and group chats go elsewhere). */
export const isTeamEvent = async (context: TurnContext): Promise<boolean> =>
  (context.activity.type === ActivityTypes.ConversationUpdate ||
    context.activity.type === ActivityTypes.InstallationUpdate) &&
  TeamChannelData.safeParse(context.activity.channelData).success;

/**
 * The app in a team: added (installation update, or the bot among the members added) records the
 * team; removed (or the team deleted) marks it uninstalled; members added and removed change the
 * services that follow the team; a rename renames it. Failures are logged, never answered in the
 * team's channel: nobody there asked for anything.
 */
export async function onTeamEvent(env: TeamEnv, context: TurnContext): Promise<void> {
  try {
    await dispatch(env, context);
  } catch (err) {
    env.log.error({ err, activity: context.activity.id, type: context.activity.type }, 'Teams team event failed');
  }
}

async function dispatch(env: TeamEnv, context: TurnContext): Promise<void> {
  const parsed = TeamsActivity.safeParse(context.activity);
  const data = TeamChannelData.safeParse(context.activity.channelData);
  if (!parsed.success || !data.success) {
    env.log.warn({ type: context.activity.type }, 'Teams team activity not understood');
    return;
  }
  const activity = parsed.data;
  const { team, eventType } = data.data;
  const tenantId = Id.safeParse(data.data.tenant?.id ?? activity.conversation.tenantId);
  const teamId = Id.safeParse(team.id);
  if (!tenantId.success || !teamId.success) {
    env.log.warn({ type: activity.type, eventType }, 'Teams team activity without a usable tenant or team id');
    return;
  }
  const at = { tenantId: tenantId.data, teamId: teamId.data };
  const installed = () =>
    env.teams.installed({
      ...at,
      name: team.name ?? null,
      aadGroupId: team.aadGroupId ?? null,
      serviceUrl: activity.serviceUrl,
    });

  if (activity.type === ActivityTypes.InstallationUpdate) {
    if (activity.action === 'add' || activity.action === 'add-upgrade') await installed();
    else if (activity.action === 'remove' || activity.action === 'remove-upgrade')
      await env.teams.removed(at.tenantId, at.teamId);
    return;
  }

  const bot = activity.recipient.id;
  switch (eventType) {
    case undefined:
    case 'teamMemberAdded':
    case 'teamMemberRemoved': {
      const added = activity.membersAdded ?? [];
      const removed = activity.membersRemoved ?? [];
      if (added.some((m) => m.id === bot)) await installed();
      if (removed.some((m) => m.id === bot)) {
        await env.teams.removed(at.tenantId, at.teamId);
        return;
      }
      const joined = added.filter((m) => m.id !== bot).map(accountOf);
      const left = removed.filter((m) => m.id !== bot).map(accountOf);
      if (joined.length > 0) await env.teams.joined(at.tenantId, at.teamId, joined);
      if (left.length > 0) await env.teams.left(at.tenantId, at.teamId, left);
      return;
    }
    case 'teamRenamed':
      await env.teams.renamed(at.tenantId, at.teamId, team.name ?? null);
      return;
    case 'teamDeleted':
    case 'teamHardDeleted':
      await env.teams.removed(at.tenantId, at.teamId);
      return;
    default:
      // Channel events, archiving, ...: nothing a service's membership depends on.
      return;
  }
}

const accountOf = (m: { id: string; name?: string; aadObjectId?: string }): TeamAccount => ({
  accountId: m.id,
  aadObjectId: Id.safeParse(m.aadObjectId).data ?? null,
  name: m.name ?? null,
});

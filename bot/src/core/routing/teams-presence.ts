import type { AgentState, Presence, TeamsPresence } from '../model';

/**
 * Teams presence (Microsoft Graph `{ availability, activity }`) in the product's layers, and how it
 * combines with the status the agent sets by hand. Pure: the services store the last Teams presence on
 * the agent's routing state and selectability reads the effective presence from it.
 */
export const TEAMS_AVAILABILITIES = [
  'Available',
  'AvailableIdle',
  'Away',
  'BeRightBack',
  'Busy',
  'BusyIdle',
  'DoNotDisturb',
  'Offline',
  'PresenceUnknown',
] as const;
export const TEAMS_ACTIVITIES = [
  'Available',
  'Away',
  'BeRightBack',
  'Busy',
  'DoNotDisturb',
  'InACall',
  'InAConferenceCall',
  'Inactive',
  'InAMeeting',
  'Offline',
  'OffWork',
  'OutOfOffice',
  'PresenceUnknown',
  'Presenting',
  'UrgentInterruptionsOnly',
] as const;

/** What blocks an agent outright whatever the service allows: a Teams call or a presentation. */
export type TeamsBlock = 'call' | 'presenting';

export type TeamsLayer = { presence: Presence; blockedBy: TeamsBlock | null };

const byAvailability: Record<string, Presence> = {
  Available: 'available',
  // Idle at an unlocked, signed-in Teams: still at work and reachable, so Available (not Away).
  AvailableIdle: 'available',
  Away: 'away',
  BeRightBack: 'away',
  Busy: 'busy',
  BusyIdle: 'busy',
  DoNotDisturb: 'do-not-disturb',
  Offline: 'offline',
  PresenceUnknown: 'offline',
};

/**
 * One Teams presence as a layer: a call or a presentation blocks; the activities that say more than
 * the availability (in a meeting, off work, urgent interruptions only) refine it; anything Graph adds
 * later that we do not know counts as Offline, the cautious reading.
 */
export function teamsLayer(teams: Pick<TeamsPresence, 'availability' | 'activity'>): TeamsLayer {
  const { availability, activity } = teams;
  if (activity === 'InACall' || activity === 'InAConferenceCall') return { presence: 'busy', blockedBy: 'call' };
  if (activity === 'Presenting') return { presence: 'busy', blockedBy: 'presenting' };
  if (activity === 'Offline' || activity === 'OffWork' || activity === 'PresenceUnknown')
    return { presence: 'offline', blockedBy: null };
  if (activity === 'UrgentInterruptionsOnly') return { presence: 'do-not-disturb', blockedBy: null };
  const base = byAvailability[availability] ?? 'offline';
  if (activity === 'InAMeeting' && base === 'available') return { presence: 'busy', blockedBy: null };
  return { presence: base, blockedBy: null };
}

/**
 * How restrictive a presence is: the more restrictive of the manual status and Teams wins. Busy ranks
 * below Away (a busy agent is at the desk); both are selectable or not by the service's settings.
 */
export const PRESENCE_RANK: Record<Presence, number> = {
  available: 0,
  busy: 1,
  away: 2,
  'do-not-disturb': 3,
  offline: 4,
};

const LABELS: Record<Presence, string> = {
  available: 'Available',
  busy: 'Busy',
  away: 'Away',
  'do-not-disturb': 'Do not disturb',
  offline: 'Offline',
};
export const presenceText = (presence: Presence): string => LABELS[presence];

export type EffectivePresence = {
  presence: Presence;
  blockedBy: TeamsBlock | null;
  /** Which layer decided: the agent's own status, or Teams. */
  source: 'manual' | 'teams';
  /** The decision in a sentence, for the agent. */
  why: string;
};

/**
 * The presence routing uses: the manual status and the last Teams presence, the more restrictive
 * wins. Teams can only make an agent less available than their own status, never more: manual
 * Offline or Away wins over Teams Available, Teams Offline or a call wins over manual Available. A
 * manual Offline or Do not disturb also wins over a Teams call (nothing more to block).
 */
export function effectivePresence(
  agent: Pick<AgentState, 'presence' | 'teams' | 'presenceChosen'> | undefined,
): EffectivePresence {
  if (!agent)
    return { presence: 'offline', blockedBy: null, source: 'manual', why: 'You have not set a status yet: Offline.' };
  const manual = agent.presence;
  const teams = agent.teams ?? null;
  if (!teams)
    return { presence: manual, blockedBy: null, source: 'manual', why: `Your status is ${presenceText(manual)}.` };
  const layer = teamsLayer(teams);
  // Nobody chose a status here: Teams alone says whether they take chats, without them doing anything.
  if (!agent.presenceChosen)
    return {
      presence: layer.presence,
      blockedBy: layer.blockedBy,
      source: 'teams',
      why:
        layer.blockedBy === 'call'
          ? 'Teams says you are in a call: no offers until it ends.'
          : layer.blockedBy === 'presenting'
            ? 'Teams says you are presenting: no offers until you stop.'
            : `Your status follows Teams: ${presenceText(layer.presence)}.`,
    };
  if (layer.blockedBy && PRESENCE_RANK[manual] < PRESENCE_RANK['do-not-disturb']) {
    const presence = PRESENCE_RANK[manual] > PRESENCE_RANK[layer.presence] ? manual : layer.presence;
    const why =
      layer.blockedBy === 'call'
        ? 'Teams says you are in a call: no offers until it ends.'
        : 'Teams says you are presenting: no offers until you stop.';
    return { presence, blockedBy: layer.blockedBy, source: 'teams', why };
  }
  if (PRESENCE_RANK[layer.presence] > PRESENCE_RANK[manual])
    return {
      presence: layer.presence,
      blockedBy: null,
      source: 'teams',
      why: `Teams says you are ${presenceText(layer.presence)}, which wins over your manual status ${presenceText(manual)}.`,
    };
  if (PRESENCE_RANK[manual] > PRESENCE_RANK[layer.presence])
    return {
      presence: manual,
      blockedBy: null,
      source: 'manual',
      why: `Your manual status ${presenceText(manual)} wins over Teams (${presenceText(layer.presence)}).`,
    };
  return {
    presence: manual,
    blockedBy: null,
    source: 'manual',
    why: `Your status is ${presenceText(manual)}, as in Teams.`,
  };
}

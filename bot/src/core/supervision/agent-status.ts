import type { AgentState, Presence, Service, Tenant, User } from '../model';
import { type NotSelectableReason, chatLimit, effectivePresence, ronaActive, selectability } from '../routing';

/**
 * An agent as a supervisor sees them on the dashboard: presence, how many chats of how many they have,
 * what rings, and (when they cannot be offered a task now) why, in the words of the routing.
 */
export type AgentLiveStatus = {
  presence: Presence;
  /** Routing's word for the agent now: free for a task, ringing, at capacity, or why not. */
  state: 'available' | 'ringing' | 'full' | 'rona' | 'not-available' | 'app-not-installed' | 'offline' | 'unavailable';
  chats: number;
  chatLimit: number;
  ringing: number;
  ronaUntil: number | null;
  notAvailableReason: string | null;
  /** Why routing would not offer them a task now; null when it would. */
  notSelectable: { reason: NotSelectableReason; message: string } | null;
};

export function agentLiveStatus(input: {
  tenant: Pick<Tenant, 'imEnabled' | 'licenses'>;
  user: User | undefined;
  agent: AgentState | undefined;
  service: Pick<Service, 'members' | 'distribution'>;
  now: number;
}): AgentLiveStatus {
  const { user, agent, now } = input;
  const chats = agent?.slots.filter((s) => s.kind === 'chat' || s.kind === 'call').length ?? 0;
  const ringing = agent?.slots.filter((s) => s.kind === 'offer').length ?? 0;
  const limit = user ? chatLimit(user, input.service) : 0;
  const s = selectability(input);
  const notSelectable = s.selectable ? null : { reason: s.reason, message: s.message };
  const presence = effectivePresence(agent).presence;
  const state = stateOf(s.selectable ? null : s.reason, ringing);
  return {
    presence,
    state,
    chats,
    chatLimit: limit,
    ringing,
    ronaUntil: agent && ronaActive(agent, now) ? agent.rona!.until : null,
    notAvailableReason: agent?.notAvailableReason ?? null,
    notSelectable,
  };
}

const STATE_OF_REASON: Partial<Record<NotSelectableReason, AgentLiveStatus['state']>> = {
  rona: 'rona',
  'not-available': 'not-available',
  'app-not-installed': 'app-not-installed',
  'presence-offline': 'offline',
};

function stateOf(reason: NotSelectableReason | null, ringing: number): AgentLiveStatus['state'] {
  if (reason === null) return ringing > 0 ? 'ringing' : 'available';
  if (reason === 'at-capacity') return ringing > 0 ? 'ringing' : 'full';
  return STATE_OF_REASON[reason] ?? 'unavailable';
}

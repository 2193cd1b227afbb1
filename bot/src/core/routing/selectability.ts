import { receivesImTasks } from '../licensing';
import type { AgentState, Service, Tenant, User } from '../model';
import { effectivePresence } from './teams-presence';

export const DEFAULT_MAX_CHATS = 3;

export const notSelectableMessages = {
  'tenant-im-disabled': 'Instant Messaging is not enabled for this tenant.',
  'unknown-user': 'The user does not exist.',
  'user-inactive': 'The user has left the directory or was disabled there.',
  'no-im-license': 'The user holds no Instant Messaging modality license.',
  'im-disabled': 'Instant Messaging is switched off for the user.',
  'not-member': 'The user is not a member of the service.',
  'inactive-member': 'The user is not active in the service.',
  'app-not-installed': 'The agent has not installed the app in Teams, so the bot cannot offer them chats.',
  'teams-in-call': 'The user is in a call in Teams.',
  'teams-presenting': 'The user is presenting in Teams.',
  'presence-busy': 'The user is Busy, and this service does not distribute to Busy users.',
  'presence-away': 'The user is Away, and this service does not distribute to Away users.',
  'presence-do-not-disturb': 'The user is set to Do Not Disturb.',
  'presence-offline': 'The user is Offline.',
  rona: 'The user is in RONA after a declined or unanswered offer.',
  'not-available': 'The user has set a not-available reason.',
  'in-call': 'The user is in an audio/video session.',
  'at-capacity': 'The user has as many chats as they can take.',
} as const;
export type NotSelectableReason = keyof typeof notSelectableMessages;

export type Selectability =
  { selectable: true; freeChats: number } | { selectable: false; reason: NotSelectableReason; message: string };

const no = (reason: NotSelectableReason): Selectability => ({
  selectable: false,
  reason,
  message: notSelectableMessages[reason],
});

/** Concurrent chats a user takes: their own limit, else the service's, else 3. */
export function chatLimit(user: Pick<User, 'im'>, service: Pick<Service, 'distribution'> | null): number {
  return user.im.maxConcurrentChats ?? service?.distribution.maxConcurrentChatsPerUser ?? DEFAULT_MAX_CHATS;
}

export const ronaActive = (agent: Pick<AgentState, 'rona'>, now: number): boolean =>
  agent.rona !== null && agent.rona.until > now;

/**
 * Whether a user can be offered a task now, layer by layer; the first failing layer is the reason.
 * `service` is null for a direct contact of the user (no membership, default presence rules).
 * A user without routing state has never set a presence and counts as Offline.
 */
export function selectability(input: {
  tenant: Pick<Tenant, 'imEnabled' | 'licenses'>;
  user: User | undefined;
  agent: AgentState | undefined;
  service: Pick<Service, 'members' | 'distribution'> | null;
  now: number;
}): Selectability {
  const { tenant, user, agent, service, now } = input;
  if (!tenant.imEnabled) return no('tenant-im-disabled');
  if (!user) return no('unknown-user');
  if (!user.active) return no('user-inactive');
  if (!receivesImTasks(tenant, user)) return no('no-im-license');
  if (!user.im.enabled) return no('im-disabled');
  if (service) {
    const member = service.members.find((m) => m.userId === user.id);
    if (!member) return no('not-member');
    if (!member.active) return no('inactive-member');
  }
  const { presence, blockedBy } = effectivePresence(agent);
  if (blockedBy) return no(blockedBy === 'call' ? 'teams-in-call' : 'teams-presenting');
  if (presence === 'offline') return no('presence-offline');
  if (presence === 'do-not-disturb') return no('presence-do-not-disturb');
  if (presence === 'busy' && !service?.distribution.selectableWhenBusy) return no('presence-busy');
  if (presence === 'away' && !service?.distribution.selectableWhenAway) return no('presence-away');
  if (!agent) return no('presence-offline');
  if (!agent.reachable) return no('app-not-installed');
  if (ronaActive(agent, now)) return no('rona');
  if (agent.notAvailableReason !== null) return no('not-available');
  // A call blocks the user for everything; chats only use up capacity.
  if (agent.slots.some((s) => s.kind === 'call')) return no('in-call');
  const used = agent.slots.filter((s) => s.kind === 'chat' || s.kind === 'offer').length;
  const free = chatLimit(user, service) - used;
  if (free <= 0) return no('at-capacity');
  return { selectable: true, freeChats: free };
}

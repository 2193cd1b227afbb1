import type { AgentState, Service, Tenant, User } from '../model';
import { type NotSelectableReason, selectability } from '../routing/selectability';

/**
 * Signed in but occupied: these members would take tasks once they are free, so a service whose
 * members are all like this is "busy", not "nobody active".
 */
const OCCUPIED: ReadonlySet<NotSelectableReason> = new Set([
  'presence-busy',
  'presence-away',
  'presence-do-not-disturb',
  'rona',
  'not-available',
  'in-call',
  'at-capacity',
]);

export type ServiceAvailability = { available: number; busy: number; inactive: number; availableUserIds: string[] };

export type MembersInput = {
  tenant: Pick<Tenant, 'imEnabled' | 'licenses'>;
  service: Pick<Service, 'members' | 'distribution'>;
  users: readonly User[];
  agents: readonly AgentState[];
  now: number;
};

/** Each member of a service with whether it could be offered a task now, and why not. */
export function memberSelectability(input: MembersInput): { userId: string; sel: ReturnType<typeof selectability> }[] {
  const users = new Map(input.users.map((u) => [u.id, u]));
  const agents = new Map(input.agents.map((a) => [a.id, a]));
  return input.service.members.map((member) => ({
    userId: member.userId,
    sel: selectability({
      tenant: input.tenant,
      user: users.get(member.userId),
      agent: agents.get(member.userId),
      service: input.service,
      now: input.now,
    }),
  }));
}

/** How many members of a service could be offered a task now, are occupied, or are not active at all. */
export function serviceAvailability(input: MembersInput): ServiceAvailability {
  const result: ServiceAvailability = { available: 0, busy: 0, inactive: 0, availableUserIds: [] };
  for (const { userId, sel } of memberSelectability(input)) {
    if (sel.selectable) {
      result.available++;
      result.availableUserIds.push(userId);
    } else if (OCCUPIED.has(sel.reason)) result.busy++;
    else result.inactive++;
  }
  return result;
}

export type AvailabilityExit = 'available' | 'busy' | 'none';

export const availabilityExit = (a: ServiceAvailability): AvailabilityExit =>
  a.available > 0 ? 'available' : a.busy > 0 ? 'busy' : 'none';

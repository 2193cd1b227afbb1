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

/** How many members of a service could be offered a task now, are occupied, or are not active at all. */
export function serviceAvailability(input: {
  tenant: Pick<Tenant, 'imEnabled' | 'licenses'>;
  service: Pick<Service, 'members' | 'distribution'>;
  users: readonly User[];
  agents: readonly AgentState[];
  now: number;
}): ServiceAvailability {
  const users = new Map(input.users.map((u) => [u.id, u]));
  const agents = new Map(input.agents.map((a) => [a.id, a]));
  const result: ServiceAvailability = { available: 0, busy: 0, inactive: 0, availableUserIds: [] };
  for (const member of input.service.members) {
    const sel = selectability({
      tenant: input.tenant,
      user: users.get(member.userId),
      agent: agents.get(member.userId),
      service: input.service,
      now: input.now,
    });
    if (sel.selectable) {
      result.available++;
      result.availableUserIds.push(member.userId);
    } else if (OCCUPIED.has(sel.reason)) result.busy++;
    else result.inactive++;
  }
  return result;
}

export type AvailabilityExit = 'available' | 'busy' | 'none';

export const availabilityExit = (a: ServiceAvailability): AvailabilityExit =>
  a.available > 0 ? 'available' : a.busy > 0 ? 'busy' : 'none';

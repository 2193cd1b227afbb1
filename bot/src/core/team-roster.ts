import type { MemberSource, ServiceMember } from './model';

/**
 * How a service's members follow the roster of the team it is linked to, while admins may still add
 * members by hand. Every entry remembers who put it there:
 *
 * - someone in the roster who is not a member yet joins as `{ active: true, source: 'team' }`;
 * - an existing entry is never rewritten by the roster: it keeps its `active` flag and its source, so
 *   an admin's entry stays the admin's even when that person is also in the team;
 * - a `team` entry whose person is no longer in the roster leaves; a manual entry (or one from before
 *   services could follow a team, which has no source) never leaves because of the roster;
 * - unlinking the team makes every `team` entry manual: the members stay, and only admins change them
 *   from then on.
 *
 * Pure: lists in, lists out, in the order they were (newcomers after, in roster order).
 */
export const sourceOf = (member: ServiceMember): MemberSource => member.source ?? 'manual';

/** The members after a full roster read: newcomers added, those the roster brought and lost removed. */
export function followRoster(members: readonly ServiceMember[], rosterUserIds: readonly string[]): ServiceMember[] {
  const roster = new Set(rosterUserIds);
  const kept = members.filter((m) => sourceOf(m) === 'manual' || roster.has(m.userId));
  return addFromRoster(kept, rosterUserIds);
}

/** People who joined the team: added unless they are members already (in any way). */
export function addFromRoster(members: readonly ServiceMember[], userIds: readonly string[]): ServiceMember[] {
  const present = new Set(members.map((m) => m.userId));
  const added: ServiceMember[] = [];
  for (const userId of userIds) {
    if (present.has(userId)) continue;
    present.add(userId);
    added.push({ userId, active: true, source: 'team' });
  }
  return [...members, ...added];
}

/** People who left the team: their entries leave if the roster brought them. */
export function removeFromRoster(members: readonly ServiceMember[], userIds: readonly string[]): ServiceMember[] {
  const gone = new Set(userIds);
  return members.filter((m) => !(sourceOf(m) === 'team' && gone.has(m.userId)));
}

/** The service stops following its team: everyone stays, as a manual member. */
export function detachFromRoster(members: readonly ServiceMember[]): ServiceMember[] {
  return members.map((m) => (sourceOf(m) === 'team' ? { ...m, source: 'manual' } : m));
}

/**
 * The members an admin saved (who and whether active), with each entry's source carried over from the
 * stored list: the page does not decide where an entry came from, and a new entry is manual.
 */
export function withSources(
  saved: readonly Pick<ServiceMember, 'userId' | 'active'>[],
  stored: readonly ServiceMember[],
): ServiceMember[] {
  const sources = new Map(stored.map((m) => [m.userId, m.source]));
  return saved.map(({ userId, active }) => {
    const source = sources.has(userId) ? sources.get(userId) : 'manual';
    return source === undefined ? { userId, active } : { userId, active, source };
  });
}

/** Whether two member lists say the same (so an unchanged service is not written). */
export const sameMembers = (a: readonly ServiceMember[], b: readonly ServiceMember[]): boolean =>
  a.length === b.length &&
  a.every((m, i) => {
    const other = b[i]!;
    return m.userId === other.userId && m.active === other.active && m.source === other.source;
  });
